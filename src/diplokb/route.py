"""Stage 3, route: file each essay section under zero, one or several topics.

Routing reads what a section says, not what it is called: every topic's ``terms`` are counted in
the heading and the text with one combined matcher, and a section is filed under a topic when
the topic is named in its heading or carries a real share of its text. A topic's ``pin`` and
``exclude`` lists override that for the headings they name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .match import Hit, TermMatcher, canonical
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


SectionHits = list[tuple[int, int, Hit]]  # (block, item, hit) for every term mention in a section


def section_hits(matcher: TermMatcher, section: Section) -> SectionHits:
    """Every term mention in a section's blocks (list items one by one): one matcher pass per text."""
    out: SectionHits = []
    for bi, b in enumerate(section.blocks):
        for ii, text in enumerate([b.text] if b.kind == "paragraph" else b.items):
            out.extend((bi, ii, h) for h in matcher.finditer(text))
    return out


def _weigh(hits: Iterable[Hit], background: set[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for h in hits:
        out[h.key] = out.get(h.key, 0) + (BACKGROUND_WEIGHT if h.form in background else 1)
    return out


@dataclass
class _Rules:
    """Each topic's pin and exclude headings, canonicalised once."""

    pin: dict[str, set[str]]  # heading -> topics
    exclude: dict[str, set[str]]

    @classmethod
    def of(cls, topics: list[Topic]) -> _Rules:
        pin: dict[str, set[str]] = {}
        exclude: dict[str, set[str]] = {}
        for t in topics:
            for h in t.pin:
                pin.setdefault(canonical(h), set()).add(t.slug)
            for h in t.exclude:
                exclude.setdefault(canonical(h), set()).add(t.slug)
        return cls(pin, exclude)


def _file_section(section: Section, hits: SectionHits, matcher: TermMatcher, rules: _Rules, background: set[str]) -> Filing:
    words = max(1, sum(len(b.plain().split()) for b in section.blocks))
    head = {k: v for k, v in _weigh(matcher.finditer(section.heading or ""), background).items() if v >= 1}
    text = _weigh((h for _b, _i, h in hits), background)
    scores = {k: HEADING_WEIGHT * head.get(k, 0) + text.get(k, 0) for k in head.keys() | text.keys()}
    best = max(scores.values(), default=0)
    filing = Filing(scores=scores)
    heading = canonical(section.heading or "") if section.heading else ""
    pinned = rules.pin.get(heading, set()) if heading else set()
    excluded = rules.exclude.get(heading, set()) if heading else set()
    for slug in sorted(scores.keys() | pinned):
        if slug in excluded:
            continue
        n_text = text.get(slug, 0)
        if slug in pinned:
            filing.reasons[slug] = "pinned in the topic file"
        elif head.get(slug):
            filing.reasons[slug] = "named in the heading"
        elif n_text >= MIN_BODY_HITS and n_text / words >= MIN_DENSITY and scores[slug] >= MIN_SHARE * best:
            filing.reasons[slug] = f"{n_text:g} mentions in the text"
    filing.topics = sorted(filing.reasons, key=lambda s: (-scores.get(s, 0), s))
    return filing


def route(
    essays: list[Essay],
    topics: list[Topic],
    matcher: TermMatcher | None = None,
    hits: dict[tuple[str, int], SectionHits] | None = None,
) -> Routing:
    """File every section of every essay; sections matching nothing stay on their essay page.

    ``hits`` (from :func:`section_hits`, keyed by essay slug and section index) lets the link
    stage share its single pass of the matcher over the text.
    """
    matcher = matcher or topic_matcher(topics)
    rules = _Rules.of(topics)
    filings: dict[str, list[Filing]] = {}
    by_topic: dict[str, list[tuple[str, int]]] = {t.slug: [] for t in topics}
    for e in essays:
        background = {h.form for h in matcher.finditer(e.title or "")}
        fl = []
        for i, s in enumerate(e.sections):
            sh = hits[(e.slug, i)] if hits is not None else section_hits(matcher, s)
            fl.append(_file_section(s, sh, matcher, rules, background))
        filings[e.slug] = fl
        for i, f in enumerate(fl):
            for slug in f.topics:
                by_topic[slug].append((e.slug, i))
    return Routing(filings, by_topic)
