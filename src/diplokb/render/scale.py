"""What a page lists once the knowledge base is large, so that no page grows with the whole corpus.

A page of a small knowledge base (the seed site) lists everything: the graph has a row per essay,
case study, actor and place, the case index a row per case study, the navigation a line per essay.
Past the limits below, which are counts of what the page would hold, a page lists a summary
instead (one row per topic, counts, the most connected topics) and leaves the detail to the topic
pages and to the indexes that stay bounded. Everything here selects and counts; nothing renders.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..content.schema import CaseStudy
from ..stages.link import KnowledgeBase
from .timeline import span

# A navigation section (Topics, Essays) lists its pages up to this many; past it, only its index page.
NAV_ITEMS_MAX = 60
# The full graph matrix has (essays + case studies + actors and places) rows x topics columns.
GRAPH_CELLS_MAX = 5_000
# Case studies the case index and the timeline list one by one (about 0.2 / 0.5 kB each).
CASES_LISTED_MAX = 300
# Essays the home page lists, and the essay index lists with the topics of their sections.
ESSAYS_LISTED_MAX = 100
# Links the actors and places page makes (case studies and essay sections) before it summarises each.
ENTITY_LINKS_MAX = 1_000
# Most connected topics a summary row names.
TOP_TOPICS = 5


def graph_is_large(kb: KnowledgeBase) -> bool:
    rows = len(kb.essays) + len(kb.cases) + len(kb.entities)
    return rows * len(kb.topics) > GRAPH_CELLS_MAX


def cases_are_many(kb: KnowledgeBase) -> bool:
    return len(kb.cases) > CASES_LISTED_MAX


def essays_are_many(kb: KnowledgeBase) -> bool:
    return len(kb.essays) > ESSAYS_LISTED_MAX


def entities_are_many(kb: KnowledgeBase) -> bool:
    return sum(len(x.cases) + len(x.sections) for x in kb.entities.values()) > ENTITY_LINKS_MAX


def nav_section(index: str, pages: list[str]) -> list[str]:
    """A navigation section's pages: its index page, then its pages while they are few enough."""
    return [index, *pages] if len(pages) <= NAV_ITEMS_MAX else [index]


@dataclass(frozen=True)
class TopicSummary:
    """One row of the graph's summary: what is filed under a topic, and its most connected topics."""

    slug: str
    sections: int  # essay sections filed under it
    essays: int
    cases: int
    entities: int  # actors and places its case studies name
    links: list[tuple[str, int]]  # (topic, shared case studies + essay sections), strongest first


def topic_summaries(kb: KnowledgeBase) -> list[TopicSummary]:
    """For every topic, its counts and the topics it shares most case studies and essay sections with."""
    shared: dict[str, Counter[str]] = {t.slug: Counter() for t in kb.topics}
    for c in kb.cases.values():
        for a in c.topics:
            shared[a].update(b for b in c.topics if b != a)
    for filings in kb.routing.filings.values():
        for f in filings:
            for a in f.topics:
                shared[a].update(b for b in f.topics if b != a)
    names: dict[str, set[str]] = {t.slug: set() for t in kb.topics}
    for c in kb.cases.values():
        for s in c.topics:
            names[s].update(c.actors, c.places)
    order = {t.slug: n for n, t in enumerate(kb.topics)}
    out = []
    for t in kb.topics:
        filed = kb.routing.by_topic[t.slug]
        links = sorted(shared[t.slug].items(), key=lambda kv: (-kv[1], order[kv[0]]))[:TOP_TOPICS]
        out.append(TopicSummary(t.slug, len(filed), len({e for e, _ in filed}), len(kb.cases_of[t.slug]), len(names[t.slug]), links))
    return out


def entity_topics(kb: KnowledgeBase, cases: list[str]) -> list[tuple[str, int]]:
    """The topics an actor's or place's case studies are filed under, with how many, most first."""
    order = {t.slug: n for n, t in enumerate(kb.topics)}
    n = Counter(s for c in cases for s in kb.cases[c].topics)
    return sorted(n.items(), key=lambda kv: (-kv[1], order[kv[0]]))


def own_cases(kb: KnowledgeBase, slug: str) -> list[CaseStudy]:
    """The case studies whose main topic is ``slug``."""
    return [c for c in kb.cases_of[slug] if c.topics[0] == slug]


def years_of(cases: list[CaseStudy], this_year: int) -> str:
    """The years a group of case studies covers ("1994-2019", "2001-present"); empty if none is dated."""
    spans = [s for s in (span(c, this_year) for c in cases) if s is not None]
    if not spans:
        return ""
    lo = min(s.start for s in spans)
    if any(s.ongoing for s in spans):
        return f"{lo}-present"
    hi = max(s.end for s in spans)
    return str(lo) if hi == lo else f"{lo}-{hi}"


def main_topic(kb: KnowledgeBase, essay: str) -> str | None:
    """The topic most of an essay's sections are filed under (its first section's topic on a tie)."""
    n = Counter(f.topics[0] for f in kb.routing.filings[essay] if f.topics)
    return n.most_common(1)[0][0] if n else None


# "Mentioned in" lists every essay section that mentions a page's subject up to this many; past it,
# the essays that mention it most (MENTION_GROUPS_KEPT of them), and how many others do.
MENTIONS_LISTED_MAX = 150
MENTION_GROUPS_KEPT = 25
