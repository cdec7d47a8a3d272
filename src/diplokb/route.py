"""Stage 3, route: file each essay section under zero, one or several topics.

Routing reads what a section says, not what it is called: every topic's ``terms`` are counted in
the heading and the text with one combined matcher, and a section is filed under a topic when
the topic is named in its heading or carries a real share of its text. A topic's ``pin`` and
``exclude`` lists override that for the headings they name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .match import TermMatcher, canonical
from .model import Topic
from .parse import Essay, Section

HEADING_WEIGHT = 4
MIN_BODY_HITS = 2  # mentions needed in the text when the heading says nothing
MIN_DENSITY = 1 / 60  # ... and at least one mention per this many words
MIN_SHARE = 0.3  # of the strongest topic's score in the same section
# A term in the essay's own title is its subject: it is everywhere, so it says little about a section.
BACKGROUND_WEIGHT = 0.25


@dataclass
class Filing:
    """Topics of one section, strongest first, with the evidence."""

    topics: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)


@dataclass
class Routing:
    """``filings[essay_slug][section_index]`` and the reverse, ``by_topic[slug]``."""

    filings: dict[str, list[Filing]]
    by_topic: dict[str, list[tuple[str, int]]]

    def topics_of(self, essay: str, index: int) -> list[str]:
        return self.filings[essay][index].topics


def topic_matcher(topics: list[Topic]) -> TermMatcher:
    return TermMatcher((term, t.slug) for t in topics for term in [*t.terms, t.title])


def _counts(matcher: TermMatcher, text: str, background: set[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for h in matcher.finditer(text):
        out[h.key] = out.get(h.key, 0) + (BACKGROUND_WEIGHT if canonical(h.text) in background else 1)
    return out


def _file_section(section: Section, matcher: TermMatcher, topics: list[Topic], background: set[str]) -> Filing:
    body = section.plain()
    words = max(1, len(body.split()))
    head = _counts(matcher, section.heading or "", background)
    head = {k: v for k, v in head.items() if v >= 1}
    text = _counts(matcher, body, background)
    scores: dict[str, float] = {}
    for t in topics:
        s = HEADING_WEIGHT * head.get(t.slug, 0) + text.get(t.slug, 0)
        if s:
            scores[t.slug] = s
    best = max(scores.values(), default=0)
    filing = Filing(scores=scores)
    heading = canonical(section.heading or "")
    for t in topics:
        n_head, n_text = head.get(t.slug, 0), text.get(t.slug, 0)
        if heading and any(canonical(p) == heading for p in t.exclude):
            continue
        if heading and any(canonical(p) == heading for p in t.pin):
            filing.reasons[t.slug] = "pinned in the topic file"
        elif n_head:
            filing.reasons[t.slug] = "named in the heading"
        elif n_text >= MIN_BODY_HITS and n_text / words >= MIN_DENSITY and scores[t.slug] >= MIN_SHARE * best:
            filing.reasons[t.slug] = f"{n_text} mentions in the text"
        else:
            continue
    filing.topics = sorted(filing.reasons, key=lambda s: (-scores.get(s, 0), s))
    return filing


def route(essays: list[Essay], topics: list[Topic], matcher: TermMatcher | None = None) -> Routing:
    """File every section of every essay; sections matching nothing stay on their essay page."""
    matcher = matcher or topic_matcher(topics)
    filings: dict[str, list[Filing]] = {}
    by_topic: dict[str, list[tuple[str, int]]] = {t.slug: [] for t in topics}
    for e in essays:
        background = {canonical(h.text) for h in matcher.finditer(e.title or "")}
        fl = [_file_section(s, matcher, topics, background) for s in e.sections]
        filings[e.slug] = fl
        for i, f in enumerate(fl):
            for slug in f.topics:
                by_topic[slug].append((e.slug, i))
    return Routing(filings, by_topic)
