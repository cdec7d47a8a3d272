"""Term hygiene, for ``diplokb check``: terms that make links ambiguous or file a topic everywhere.

Two topics listing the same term, or two forms of one term ("port visit", "port visits"), make a
mention link to either topic and count for both. A term that alone would file its topic in more
than :data:`MAX_SHARE` of all sections is a word found everywhere in the field ("cooperation"),
not one that says what a section is about. Both are warnings at the term's line in its topic file.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..cache import BuildCache
from ..content.yamlsafe import MappingNode, ScalarNode, SequenceNode, load_file, pos
from ..errors import ContentError, Problem
from ..match import TermMatcher, canonical, forms
from .model import Topic
from .parse import Essay
from .route import LEAD_WEIGHT, MIN_BODY_HITS, MIN_DENSITY, TEXT_WEIGHT, _lead_end

MAX_SHARE = 0.25  # of all sections, filed by one term alone
MIN_SECTIONS = 20  # below this many sections, a share says little


def _term_marks(t: Topic, cache: BuildCache | None) -> dict[str, tuple[int, int]]:
    """Each term of a topic file -> (line, column) where it is written (nothing when the file cannot be read again)."""
    try:
        _text, root = load_file(Path(t.path), cache.composed if cache else None)
    except (ContentError, OSError):
        return {}
    if not isinstance(root, MappingNode):
        return {}
    for k, v in root.value:
        if isinstance(k, ScalarNode) and k.value == "terms" and isinstance(v, SequenceNode):
            return {str(item.value).strip(): pos(item) for item in v.value if isinstance(item, ScalarNode)}
    return {}


def term_problems(topics: list[Topic], essays: list[Essay], cache: BuildCache | None = None) -> list[Problem]:
    """Warnings: a term (or a form of it) in two topics; a term that alone would file its topic in too many sections."""
    out: list[Problem] = []
    marks = {t.slug: _term_marks(t, cache) for t in topics}

    def warn(t: Topic, term: str, msg: str) -> None:
        line, col = marks[t.slug].get(term, (0, 0))
        out.append(Problem(t.path, line, col, "terms", msg, "warning"))

    owner: dict[str, tuple[Topic, str]] = {}  # a form -> the first topic and term listing it
    for t in topics:
        for term in t.terms:
            for form in forms(term):
                first = owner.get(form)
                if first is None:
                    owner[form] = (t, term)
                elif first[0].slug != t.slug:
                    warn(
                        t,
                        term,
                        f"`{term}` is also a term of `{first[0].slug}` (as `{first[1]}`): a mention would link to "
                        "either and count for both; keep it in one topic",
                    )
                    break
    sections = [s for e in essays for s in e.sections]
    if len(sections) < MIN_SECTIONS:
        return out
    # A topic's own name is what the topic is, however often an essay titled after it repeats it.
    terms = [(term, t) for t in topics for term in t.terms if canonical(term) not in forms(t.title)]
    matcher = TermMatcher((term, f"{t.slug}\n{term}") for term, t in terms)  # one key per term
    filed: Counter[str] = Counter()
    for s in sections:
        words = max(1, sum(len(b.plain().split()) for b in s.blocks))
        weight: Counter[str] = Counter()
        for h in matcher.finditer(s.heading or ""):
            weight[h.key] += MIN_BODY_HITS * 100  # a heading files on its own
        for b in s.blocks:
            lead = _lead_end(b.text) if b.kind == "paragraph" else 0
            for text in [b.text] if b.kind == "paragraph" else b.items:
                for h in matcher.finditer(text):
                    weight[h.key] += LEAD_WEIGHT if h.start < lead and text is b.text else TEXT_WEIGHT
        filed.update(k for k, w in weight.items() if w >= MIN_BODY_HITS and (w >= MIN_BODY_HITS * 100 or w / words >= MIN_DENSITY))
    by_key = {f"{t.slug}\n{term}": (t, term) for term, t in terms}
    for key, n in sorted(filed.items()):
        if n / len(sections) > MAX_SHARE:
            t, term = by_key[key]
            warn(
                t,
                term,
                f"`{term}` alone would file `{t.slug}` in {n} of {len(sections)} sections ({n / len(sections):.0%}, "
                f"over {MAX_SHARE:.0%}): a word found everywhere in the field; list specific phrases instead",
            )
    return out
