"""Stage 3, route: file each essay section under zero, one or several topics.

Routing reads what a section says, not what it is called: every topic's ``terms`` are counted in
the heading and the text with one combined matcher. A section is filed under a topic when its
heading names the topic, or when the text carries enough weight for it: a mention in a paragraph's
opening sentence says what the paragraph is about and weighs double, and a repetition of the
essay's own title phrase (its refrain) weighs a quarter. A section whose text names one topic
and no other is filed under it on a single mention if that mention still meets the density bar
(at most 100 words). An essay's opening and its closing frame the whole essay: the opening is
filed under the topics its title names, the closing under a topic the essay is about (its title
names it or the opening is filed under it) on ordinary weight, and either under any other topic
only on double weight. A section that names no topic stays on its essay page. A topic's ``pin``
and ``exclude`` lists override all of this for the sections they name (by heading, in any essay, or
as ``essay#section``, one section). Every filing keeps its evidence (terms, where
they were found, scores, reasons) for ``diplokb route --explain``.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Literal

from ..match import Hit, TermMatcher, canonical
from ..text import fold
from ..urls import section_ids, section_ref
from .model import EssayMeta, Topic
from .parse import Essay, Section

HEADING_WEIGHT = 4  # a topic named in the heading
TITLE_WEIGHT = 0  # a topic the essay's title names, shown for an opening or closing: the essay is about it; no weight
LEAD_WEIGHT = 2  # a mention in a paragraph's opening sentence: the paragraph is about the topic
TEXT_WEIGHT = 1  # any other mention
ECHO_WEIGHT = 0.25  # a mention inside a repetition of the essay's title phrase ("... and nation-building")
MIN_BODY_HITS = 2  # weight needed in the text when the heading says nothing
MIN_DENSITY = 1 / 100  # ... and at least this weight per word of the section
MIN_SHARE = 0.3  # of the strongest topic's score in the same section
FRAME_OTHER = 2  # an opening or closing needs this many times MIN_BODY_HITS for a topic its essay is not about
WEIGHTS = {"heading": HEADING_WEIGHT, "title": TITLE_WEIGHT, "lead": LEAD_WEIGHT, "text": TEXT_WEIGHT, "title echo": ECHO_WEIGHT}
_WORDS = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s")


@dataclass
class Filing:
    """Topics of one section, strongest first, with the evidence."""

    topics: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    unfiled: dict[str, str] = field(default_factory=dict)  # topics with evidence that were not filed, and why
    # topic -> (term as written, where: heading | title | lead | text | title echo) -> mentions
    evidence: dict[str, dict[tuple[str, str], int]] = field(default_factory=dict)
    words: int = 0
    # topic -> why the evidence is borderline: an editor reads the section before it is filed (or not)
    review: dict[str, str] = field(default_factory=dict)
    # What stages.decide settles, for a section: the router's own answer ("proposed"), and whether
    # the published topics are an editor's decision, the router's sure answer, or held for review.
    proposed: list[str] = field(default_factory=list)
    state: Literal["router", "decided", "review"] = "router"
    changed: str = ""  # for a decided section the router or the text would now treat otherwise: what changed


def confidence(filing: Filing) -> dict[str, tuple[str, str]]:
    """Per topic with evidence (or filed, or under review): (filed | not filed | review, the reason)."""
    out: dict[str, tuple[str, str]] = {}
    for slug in sorted(filing.scores.keys() | filing.reasons.keys() | filing.review.keys()):
        if slug in filing.review:
            out[slug] = ("review", filing.review[slug])
        elif slug in filing.reasons:
            out[slug] = ("filed", filing.reasons[slug])
        else:
            out[slug] = ("not filed", filing.unfiled.get(slug, ""))
    return out


@dataclass
class Routing:
    """``filings[essay_slug][section_index]`` and the reverse, ``by_topic[slug]``."""

    filings: dict[str, list[Filing]]
    by_topic: dict[str, list[tuple[str, int]]]

    def topics_of(self, essay: str, index: int) -> list[str]:
        return self.filings[essay][index].topics


def essay_title(e: Essay, meta: dict[str, EssayMeta]) -> str:
    """The title line, else the title in essays.yaml, else the file name made readable."""
    m = meta.get(e.slug)
    if e.title or (m and m.title):
        return e.title or (m.title if m else "")
    name = (posixpath.basename(e.path.replace("\\", "/")).rsplit(".", 1)[0] if e.path else "") or e.slug
    name = " ".join(name.replace("-", " ").replace("_", " ").split()) or e.slug
    return name[:1].upper() + name[1:]


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


def _words(text: str) -> list[str]:
    return _WORDS.findall(fold(text))


class _TitlePhrase:
    """The words around each term in an essay's title: text repeating them is the essay's refrain.

    Essays repeat their title ("military diplomacy and nation-building") in almost every
    paragraph; such a repetition says what the essay is about, not what the paragraph is about.
    A mention counts as a title echo when the two words before it, or the two after it, are the
    title's own.
    """

    def __init__(self, matcher: TermMatcher, title: str | None) -> None:
        # form -> (the two words before it, the two after it), each wherever the title has it: sets,
        # so a mention is checked in one look-up however often a long title repeats the term.
        self.context: dict[str, tuple[set[tuple[str, ...]], set[tuple[str, ...]]]] = {}
        self.title = t = title or ""
        for h in matcher.finditer(t):
            befores, afters = self.context.setdefault(h.form, (set(), set()))
            before, after = _words_before(t, h.start), _words_after(t, h.end)
            if len(before) == 2:
                befores.add(before)
            if len(after) == 2:
                afters.add(after)

    def echoes(self, text: str, hit: Hit) -> bool:
        ctx = self.context.get(hit.form)
        if not ctx or not (ctx[0] or ctx[1]):
            return False
        return (bool(ctx[0]) and _words_before(text, hit.start) in ctx[0]) or (bool(ctx[1]) and _words_after(text, hit.end) in ctx[1])


_WINDOW = 64


def _words_before(text: str, pos: int, k: int = 2) -> tuple[str, ...]:
    """The last ``k`` words before ``pos``, reading only as far back as they reach.

    Tokenising all of ``text[:pos]`` for every mention made a long title (or paragraph) cost the
    square of its length. A window holding more than ``k`` words (or the whole prefix) gives the
    same last ``k`` words: :func:`fold` maps one character to one, so a cut changes only the
    first, partial word."""
    size = _WINDOW
    while True:
        start = max(0, pos - size)
        words = _words(text[start:pos])
        if start == 0 or len(words) > k:
            return tuple(words[-k:]) if k else ()
        size *= 2


def _words_after(text: str, pos: int, k: int = 2) -> tuple[str, ...]:
    """The first ``k`` words from ``pos``, reading only as far as they reach (see :func:`_words_before`)."""
    size = _WINDOW
    while True:
        end = min(len(text), pos + size)
        words = _words(text[pos:end])
        if end == len(text) or len(words) > k:
            return tuple(words[:k])
        size *= 2


def _lead_end(text: str) -> int:
    """End of a paragraph's opening sentence, which says what the rest is about; 0 for a one-sentence paragraph."""
    m = _SENTENCE_END.search(text)
    return m.end() if m and text[m.end() :].strip() else 0


@dataclass
class _Rules:
    """Each topic's pin and exclude entries, canonicalised once: a heading (in any essay) or ``essay#section`` (one section)."""

    pin: dict[str, set[str]]  # canonical heading, or canonical "essay#section" -> topics
    exclude: dict[str, set[str]]
    by_ref: bool  # some entry names one section: only then are section ids worked out

    @classmethod
    def of(cls, topics: list[Topic]) -> _Rules:
        pin: dict[str, set[str]] = {}
        exclude: dict[str, set[str]] = {}
        by_ref = False
        for t in topics:
            for rules, entries in ((pin, t.pin), (exclude, t.exclude)):
                for h in entries:
                    ref = section_ref(h)
                    by_ref |= ref is not None
                    rules.setdefault(ref or canonical(h), set()).add(t.slug)
        return cls(pin, exclude, by_ref)

    def of_section(self, heading: str | None, ref: str) -> tuple[set[str], set[str]]:
        """(pinned, excluded) topics of a section, by its heading and by its ``essay#section``."""
        h = canonical(heading) if heading else ""
        pinned = self.pin.get(ref, set()) | (self.pin.get(h, set()) if h else set())
        return pinned, self.exclude.get(ref, set()) | (self.exclude.get(h, set()) if h else set())


def _file_section(
    section: Section, hits: SectionHits, matcher: TermMatcher, rules: tuple[set[str], set[str]], title: _TitlePhrase, about: dict[str, str]
) -> Filing:
    """``about``: the topics the essay is about, each with where that comes from (its title, its opening)."""
    filing = Filing(words=max(1, sum(len(b.plain().split()) for b in section.blocks)))

    def note(slug: str, written: str, where: str) -> None:
        ev = filing.evidence.setdefault(slug, {})
        key = (" ".join(written.split()).casefold(), where)
        ev[key] = ev.get(key, 0) + 1

    framing = section.heading is None or section.inferred  # the opening or the closing: they frame the essay
    for h in matcher.finditer(title.title if framing else section.heading or ""):
        note(h.key, h.text, "title" if framing else "heading")
    leads = [_lead_end(b.text) if b.kind == "paragraph" else 0 for b in section.blocks]
    for bi, ii, h in hits:
        b = section.blocks[bi]
        text = b.text if b.kind == "paragraph" else b.items[ii]
        if title.echoes(text, h):
            note(h.key, h.text, "title echo")
        else:
            note(h.key, h.text, "lead" if h.start < leads[bi] else "text")
    head: dict[str, float] = {}
    body: dict[str, float] = {}
    for slug, ev in filing.evidence.items():
        for (_form, where), n in ev.items():
            if where == "heading":
                head[slug] = head.get(slug, 0) + n
            elif where != "title":
                body[slug] = body.get(slug, 0) + WEIGHTS[where] * n
    scores = {k: HEADING_WEIGHT * head.get(k, 0) + body.get(k, 0) for k in filing.evidence}
    filing.scores = scores
    best = max(scores.values(), default=0)
    pinned, excluded = rules
    named = [k for k, v in body.items() if v >= TEXT_WEIGHT]
    sole = len(named) == 1 and not head  # one topic only: a single mention is enough if it meets the density bar
    opening = section.heading is None  # ``about`` holds the topics its title names
    rule: dict[str, str] = {}  # topic -> which rule decided it, for the review rules (reasons are for people)
    for slug in sorted(scores.keys() | pinned | (about.keys() if opening else set())):
        n_text = body.get(slug, 0)
        need = MIN_BODY_HITS * (1 if slug in about or not framing else FRAME_OTHER)
        if slug in excluded:
            filing.unfiled[slug] = "excluded in the topic file"
        elif slug in pinned:
            filing.reasons[slug] = "pinned in the topic file"
        elif head.get(slug):
            filing.reasons[slug], rule[slug] = "named in the heading", "heading"
        elif opening and slug in about:
            filing.reasons[slug], rule[slug] = f"{about[slug]}: an opening introduces what the title names", "opening"
        elif sole and not framing and TEXT_WEIGHT <= n_text < need and n_text / filing.words >= MIN_DENSITY:
            rule[slug] = "single"
            filing.reasons[slug] = (
                f"text weight {n_text:g}: the only topic a short section ({filing.words} words) names, at least 1 per {1 / MIN_DENSITY:g}"
            )
        elif n_text < need:
            why = f"text weight {n_text:g}, below {need:g}"
            if framing and slug not in about:
                why += " (an opening or closing, for a topic its essay is not about)"
            elif sole and not framing and n_text >= TEXT_WEIGHT:
                why += f" (the only topic named, but thinner than 1 per {1 / MIN_DENSITY:g} words in {filing.words})"
                rule[slug] = "single, too thin"
            filing.unfiled[slug] = why
        elif n_text / filing.words < MIN_DENSITY:
            filing.unfiled[slug] = f"text weight {n_text:g} too thin for {filing.words} words (needs 1 per {1 / MIN_DENSITY:g})"
        elif scores[slug] < MIN_SHARE * best:
            filing.unfiled[slug] = f"score {scores[slug]:g} below {MIN_SHARE:.0%} of the strongest topic's {best:g}"
        elif framing and slug in about:
            filing.reasons[slug], rule[slug] = f"{about[slug]}, text weight {n_text:g}, at least {need:g}", "text"
        else:
            rule[slug] = "text"
            filing.reasons[slug] = f"text weight {n_text:g}, at least {need:g} and {MIN_SHARE:.0%} of the strongest topic's {best:g}"
    filing.topics = sorted(filing.reasons, key=lambda s: (-scores.get(s, 0), s))
    _review(filing, head, body, rule)
    return filing


def _review(filing: Filing, head: dict[str, float], body: dict[str, float], rule: dict[str, str]) -> None:
    """Mark the topics whose evidence is borderline, so an editor reads the section before it is filed (or not).

    The rules are the candidates that caught the most of the router's disagreements with the editors'
    labels per section shown (bench/review_rules.py chose them; bench/review_eval.py measures them per
    labelled set; bench/ROUTING.md has the figures). A topic pinned or excluded in a topic file is an
    editor's word already (it has no ``rule``), never under review.
    """
    leads = {slug: sum(n for (_f, where), n in ev.items() if where == "lead") for slug, ev in filing.evidence.items()}
    top = sorted((filing.scores.get(t, 0) for t in filing.topics), reverse=True)
    for slug in filing.topics:
        kind, n_text, lead = rule.get(slug), body.get(slug, 0), leads.get(slug, 0)
        if kind == "single":
            filing.review[slug] = f"a single mention ({n_text:g}) filed it: the only topic the section names"
        elif kind == "opening":
            filing.review[slug] = "an opening, filed because the essay's title names the topic"
        elif kind == "heading" and n_text < TEXT_WEIGHT:
            filing.review[slug] = "named only in the heading"
        elif kind == "text" and n_text < MIN_BODY_HITS + 0.5:
            filing.review[slug] = f"text weight {n_text:g}, near the bar of {MIN_BODY_HITS:g}"
        elif kind == "text" and lead <= 1 and n_text - LEAD_WEIGHT * lead < TEXT_WEIGHT:
            filing.review[slug] = "a single mention, in a paragraph's opening sentence"
        elif kind == "text" and len(top) > 1 and (filing.scores.get(slug, 0) < top[0] or top[0] == top[1]):
            filing.review[slug] = (
                f"one of {len(top)} topics filed, not clearly the strongest (score {filing.scores.get(slug, 0):g} of {top[0]:g})"
            )
    for slug, kind in rule.items():
        if kind == "single, too thin":
            filing.review[slug] = f"a single mention in a long section ({filing.words} words): the only topic it names"


def route(
    essays: list[Essay],
    topics: list[Topic],
    matcher: TermMatcher | None = None,
    hits: dict[tuple[str, int], SectionHits] | None = None,
    meta: dict[str, EssayMeta] | None = None,
) -> Routing:
    """File every section of every essay; sections matching nothing stay on their essay page.

    ``hits`` (from :func:`section_hits`, keyed by essay slug and section index) lets the link
    stage share its single pass of the matcher over the text. ``meta`` (essays.yaml) gives the
    title of an essay without a title line; else its file name is read as its title.
    """
    matcher = matcher or topic_matcher(topics)
    rules = _Rules.of(topics)
    filings: dict[str, list[Filing]] = {}
    by_topic: dict[str, list[tuple[str, int]]] = {t.slug: [] for t in topics}
    for e in essays:
        title = _TitlePhrase(matcher, essay_title(e, meta or {}))
        about = {h.key: "named in the essay's title" for h in matcher.finditer(title.title)}
        fl = []
        ids = section_ids(e) if rules.by_ref else None
        for i, s in enumerate(e.sections):
            sh = hits[(e.slug, i)] if hits is not None else section_hits(matcher, s)
            fl.append(_file_section(s, sh, matcher, rules.of_section(s.heading, f"{e.slug}#{ids[i]}" if ids else ""), title, about))
            if i == 0 and s.heading is None:  # what the opening is filed under, the essay is about
                about = {**{k: "its essay's opening is filed under it" for k in fl[0].topics}, **about}
        # A section filed under nothing in an essay whose title names a topic: about it in words no term holds?
        titled = {h.key for h in matcher.finditer(title.title)}
        for f in fl:
            if not f.topics and not f.review:
                for slug in sorted(titled - {k for k, v in f.unfiled.items() if v.startswith("excluded")}):
                    f.review[slug] = "filed under nothing, in an essay whose title names this topic"
        filings[e.slug] = fl
        for i, f in enumerate(fl):
            for slug in f.topics:
                by_topic[slug].append((e.slug, i))
    return Routing(filings, by_topic)
