"""Stage 4, link: one index of every page and anchor, the links between them, and backlinks.

Two phases, as in mkdocs-autorefs: every target (page, essay section, case study, actor or
place) is registered first; links are then resolved against that index, and a link to a
target that was never registered is reported with the file and line it came from.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, NamedTuple

from ..cache import BuildCache
from ..content.entities import EntityBook
from ..match import TermMatcher
from ..text import UniqueSlugs, slugify
from ..urls import (
    ACTORS,
    BIBLIOGRAPHY,
    BROWSE,
    CASE_INDEX,
    ESSAY_INDEX,
    GRAPH,
    HOME,
    MAP,
    TIMELINE,
    TOPIC_INDEX,
    case_page,
    essay_page,
    section_ids,
    topic_page,
)
from .entities import Entity, matched_aliases, register_entities
from .model import CaseStudy, EssayMeta, Topic
from .parse import Essay, Section
from .route import Routing, SectionHits, essay_title

TargetKind = Literal["page", "topic", "essay", "section", "case", "actor", "place"]
MentionKind = Literal["term", "filed", "source", "case", "related", "actor"]


class TermHit(NamedTuple):
    """The first mention of a topic's term in an essay section."""

    block: int  # index of the block in the section
    item: int  # index of the list item (0 in a paragraph)
    start: int  # character offsets in the paragraph or item text
    end: int
    topic: str  # slug of the topic the term belongs to


@dataclass(frozen=True)
class Target:
    page: str
    anchor: str
    title: str
    kind: TargetKind


@dataclass(frozen=True)
class Mention:
    """A link the knowledge base makes on its own (term mention, filing, source, membership)."""

    src_page: str
    src_anchor: str
    target: str  # key of a Target
    kind: MentionKind
    label: str  # how the source reads in a backlink list ("Essay › Section")
    group: str  # heading to group backlinks under (an essay or topic title)


@dataclass(frozen=True)
class Related:
    """Another topic related to one: why (the page words it), and how strongly (the order)."""

    slug: str
    reasons: list[str]  # for knowledge.json
    score: float
    chosen: bool = False  # listed under `related:` by either topic
    shared: int = 0  # case studies of both
    together: int = 0  # essay passages that discuss both


@dataclass(frozen=True)
class KnowledgeBase:
    essays: list[Essay]
    topics: list[Topic]
    meta: dict[str, EssayMeta]
    routing: Routing
    targets: dict[str, Target]
    section_anchor: dict[tuple[str, int], str]  # (essay, index) -> anchor on the essay page
    topic_section_anchor: dict[tuple[str, int], str]  # (essay, index) -> anchor on a topic page
    term_hits: dict[tuple[str, int], list[TermHit]]  # (essay, section index) -> first mention of each topic
    cases: dict[str, CaseStudy]
    cited_in: dict[tuple[str, int], list[str]]  # section -> case studies quoting it
    entities: dict[str, Entity]
    related: dict[str, list[Related]]
    mentions: list[Mention]
    backlinks: dict[str, list[Mention]]
    entity_names: dict[str, str] = field(default_factory=dict)  # a name as a case study writes it -> key in ``entities``

    def entity(self, written: str) -> Entity:
        """The actor or place a case study names (an alias gives the entity it belongs to)."""
        return self.entities[self.entity_names.get(written) or slugify(written) or written]

    @cached_property
    def entity_at(self) -> dict[str, Entity]:
        """Each actor's and place's page -> the entity."""
        return {e.page: e for e in self.entities.values()}

    @cached_property
    def topic(self) -> dict[str, Topic]:
        return {t.slug: t for t in self.topics}

    @cached_property
    def topic_number(self) -> dict[str, int]:
        """Each topic's place in the topic list (a timeline colours a case study by its main topic's)."""
        return {t.slug: n for n, t in enumerate(self.topics)}

    @cached_property
    def essay(self) -> dict[str, Essay]:
        return {e.slug: e for e in self.essays}

    @cached_property
    def cases_of(self) -> dict[str, list[CaseStudy]]:
        """Each topic's case studies: its own first, then those filed from other topics, by name."""
        out: dict[str, list[CaseStudy]] = {t.slug: [] for t in self.topics}
        for c in self.cases.values():
            for slug in c.topics:
                out[slug].append(c)
        for slug, cases in out.items():

            def order(c: CaseStudy, s: str = slug) -> tuple[bool, str]:
                return (c.topics[0] != s, c.name.casefold())

            cases.sort(key=order)
        return out

    @cached_property
    def case_position(self) -> dict[tuple[str, str], int]:
        """(topic, case id) -> index in ``cases_of[topic]``, for prev/next links."""
        return {(slug, c.id): i for slug, cases in self.cases_of.items() for i, c in enumerate(cases)}

    def essay_title(self, e: Essay) -> str:
        return essay_title(e, self.meta)

    def section_title(self, e: Essay, i: int) -> str:
        return e.sections[i].heading or "Opening"

    def section_key(self, essay: str, i: int) -> str:
        return f"{essay_page(essay)}#{self.section_anchor[(essay, i)]}"


def excerpt_blocks(section: Section) -> int:
    """How many blocks of a section a topic page shows: the first, and the list it introduces."""
    b = section.blocks
    if len(b) > 1 and b[0].kind == "paragraph" and b[0].text.endswith(":") and b[1].kind == "list":
        return 2
    return min(1, len(b))


FEATURED = 3  # essay sections a topic page shows an excerpt of; the others are listed by title


def featured_sections(routing: Routing, slug: str) -> list[tuple[str, int]]:
    """The sections a topic page quotes, in essay order: those most about the topic.

    Sections whose strongest topic it is come first, then by the topic's score there; a topic
    page stays a length people read, and lists the other sections by title."""
    filed = routing.by_topic[slug]
    order = {key: n for n, key in enumerate(filed)}

    def rank(key: tuple[str, int]) -> tuple[bool, float, int]:
        f = routing.filings[key[0]][key[1]]
        return (f.topics[0] != slug, -f.scores.get(slug, 0.0), order[key])

    return sorted(sorted(filed, key=rank)[:FEATURED], key=order.__getitem__)


def _register_essays(essays: list[Essay], meta: dict[str, EssayMeta], targets: dict[str, Target]) -> dict[tuple[str, int], str]:
    anchors: dict[tuple[str, int], str] = {}
    for e in essays:
        page = essay_page(e.slug)
        targets[page] = Target(page, "", essay_title(e, meta), "essay")
        for i, (s, a) in enumerate(zip(e.sections, section_ids(e), strict=True)):
            anchors[(e.slug, i)] = a
            targets[f"{page}#{a}"] = Target(page, a, s.heading or "Opening", "section")
    return anchors


def _first_mentions(hits: SectionHits) -> list[TermHit]:
    """First mention of each topic in a section."""
    seen: set[str] = set()
    out = []
    for bi, ii, h in hits:
        if h.key not in seen:
            seen.add(h.key)
            out.append(TermHit(bi, ii, h.start, h.end, h.key))
    return out


def _related(topics: list[Topic], routing: Routing, cases: dict[str, CaseStudy]) -> dict[str, list[Related]]:
    shared: Counter[tuple[str, str]] = Counter()
    for cs in cases.values():
        for a in cs.topics:
            for b in cs.topics:
                if a != b:
                    shared[(a, b)] += 1
    co: Counter[tuple[str, str]] = Counter()
    for fl in routing.filings.values():
        for f in fl:
            for a in f.topics:
                for b in f.topics:
                    if a != b:
                        co[(a, b)] += 1
    out: dict[str, list[Related]] = {}
    for t in topics:
        rel: list[Related] = []
        for o in topics:
            if o.slug == t.slug:
                continue
            reasons = []
            score = 0.0
            if o.slug in t.related:
                reasons.append("listed as related")
                score += 100
            elif t.slug in o.related:
                reasons.append(f"listed as related by {o.title}")
                score += 50
            n = shared[(t.slug, o.slug)]
            if n:
                reasons.append(f"{n} shared case stud{'y' if n == 1 else 'ies'}")
                score += 3 * n
            m = co[(t.slug, o.slug)]
            if m:
                reasons.append(f"{m} essay passage{'' if m == 1 else 's'} on both")
                score += m
            if reasons:
                rel.append(Related(o.slug, reasons, score, o.slug in t.related or t.slug in o.related, n, m))
        out[t.slug] = sorted(rel, key=lambda r: (-r.score, r.slug))
    return out


def build(
    essays: list[Essay],
    topics: list[Topic],
    meta: dict[str, EssayMeta],
    routing: Routing,
    hits: dict[tuple[str, int], SectionHits],
    cache: BuildCache | None = None,
    book: EntityBook | None = None,
) -> KnowledgeBase:
    """Stage 4, link: register every target (phase one), then find mentions, related topics and backlinks.

    ``routing`` and ``hits`` are what the route stage returned; nothing given is changed."""
    cache = cache if cache is not None else BuildCache()
    targets: dict[str, Target] = {}
    for page, title in (
        (HOME, "Home"),
        (TOPIC_INDEX, "Topics"),
        (ESSAY_INDEX, "Essays"),
        (CASE_INDEX, "Case studies"),
        (ACTORS, "Actors and places"),
        (GRAPH, "Knowledge graph"),
        (TIMELINE, "Timeline of case studies"),
        (MAP, "Map of places"),
        (BROWSE, "Browse case studies"),
        (BIBLIOGRAPHY, "Bibliography"),
    ):
        targets[page] = Target(page, "", title, "page")
    for t in topics:
        targets[topic_page(t.slug)] = Target(topic_page(t.slug), "", t.title, "topic")
    section_anchor = _register_essays(essays, meta, targets)

    # Sections shown on topic pages get anchors there too, so backlinks can point at them: "<essay>-<section>",
    # kept unique (essay `a-b` section `c` and essay `a` section `b-c` meet) and off the page's own headings.
    uniq_topic = UniqueSlugs({"case-studies", "related-topics", "from-the-essays", "neighbourhood", "mentioned-in"})
    topic_section_anchor = {key: uniq_topic(f"{key[0]}-{a}") for key, a in section_anchor.items()}
    for t in topics:
        for key in routing.by_topic[t.slug]:
            a = topic_section_anchor[key]
            targets[f"{topic_page(t.slug)}#{a}"] = Target(topic_page(t.slug), a, section_anchor[key], "section")

    cases: dict[str, CaseStudy] = {}
    for t in topics:
        for cs in t.case_studies:
            cases[cs.id] = cs
            targets[case_page(cs.id)] = Target(case_page(cs.id), "", cs.name, "case")

    entities, entity_names = register_entities(cases, book or EntityBook())
    for x in entities.values():
        targets[x.page] = Target(x.page, "", x.name, x.kind)

    mentions: list[Mention] = []
    term_hits: dict[tuple[str, int], list[TermHit]] = {}
    cited_in: dict[tuple[str, int], list[str]] = defaultdict(list)
    entity_terms = tuple((n, k) for k, e in entities.items() for n in (e.name, *matched_aliases(e)))
    entity_matcher = cache.matcher(("entities", entity_terms), lambda: TermMatcher(entity_terms))
    entity_mentions = {
        e.slug: cache.per_section(
            "entities", entity_terms, e, lambda s: list(dict.fromkeys(h.key for h in entity_matcher.finditer(s.plain())))
        )
        for e in essays
    }
    tmap = {t.slug: t for t in topics}
    featured = {t.slug: set(featured_sections(routing, t.slug)) for t in topics}
    for e in essays:
        etitle = targets[essay_page(e.slug)].title
        for i, s in enumerate(e.sections):
            key = (e.slug, i)
            label = f"{etitle} › {s.heading or 'Opening'}"
            first = _first_mentions(hits[key])
            term_hits[key] = first
            shown = excerpt_blocks(s)
            for hit in first:
                mentions.append(Mention(essay_page(e.slug), section_anchor[key], topic_page(hit.topic), "term", label, etitle))
                if hit.block >= shown:  # topic pages show an excerpt; links beyond it are not there
                    continue
                for home in routing.topics_of(e.slug, i):
                    if home != hit.topic and key in featured[home]:
                        mentions.append(
                            Mention(
                                topic_page(home),
                                topic_section_anchor[key],
                                topic_page(hit.topic),
                                "term",
                                f"{tmap[home].title} › {s.heading or 'Opening'}",
                                tmap[home].title,
                            )
                        )
            for topic in routing.topics_of(e.slug, i):
                mentions.append(
                    Mention(
                        topic_page(topic),
                        topic_section_anchor[key],
                        f"{essay_page(e.slug)}#{section_anchor[key]}",
                        "filed",
                        f"{tmap[topic].title}",
                        tmap[topic].title,
                    )
                )
            for ent in entity_mentions[e.slug][i]:
                entities[ent].sections.append(key)
                mentions.append(Mention(essay_page(e.slug), section_anchor[key], entities[ent].page, "actor", label, etitle))
    for cs in cases.values():
        if cs.source is not None and cs.source.section is not None:
            skey = (cs.source.essay, cs.source.section)
            cited_in[skey].append(cs.id)
            etitle = targets[essay_page(cs.source.essay)].title
            sec = section_anchor[skey]
            heading = targets[f"{essay_page(cs.source.essay)}#{sec}"].title
            mentions.append(Mention(essay_page(cs.source.essay), sec, case_page(cs.id), "source", f"{etitle} › {heading}", etitle))
            mentions.append(Mention(case_page(cs.id), "source", f"{essay_page(cs.source.essay)}#{sec}", "source", cs.name, "Case studies"))
        for slug in cs.topics:
            mentions.append(Mention(topic_page(slug), "case-studies", case_page(cs.id), "case", tmap[slug].title, "Topics"))
            mentions.append(Mention(case_page(cs.id), "", topic_page(slug), "case", cs.name, "Case studies"))
    related = _related(topics, routing, cases)
    for t in topics:
        for r in related[t.slug]:
            mentions.append(Mention(topic_page(t.slug), "related-topics", topic_page(r.slug), "related", t.title, "Topics"))

    backlinks: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        backlinks[m.target].append(m)
        page = m.target.partition("#")[0]
        if page != m.target:
            backlinks[page].append(m)
    return KnowledgeBase(
        essays=essays,
        topics=topics,
        meta=meta,
        routing=routing,
        targets=targets,
        section_anchor=section_anchor,
        topic_section_anchor=topic_section_anchor,
        term_hits=term_hits,
        cases=cases,
        cited_in=dict(cited_in),
        entities=entities,
        related=related,
        mentions=mentions,
        backlinks=dict(backlinks),
        entity_names=entity_names,
    )
