"""``diplokb suggest``: case studies the essays name that no topic file holds yet.

A candidate is a sentence that gives an example ("one example is", "such as", "for instance",
"following the 2010 ...") and names something specific: a multi-word proper name, an acronym,
or a year. Sentences already quoted by a case study, and names already used by one (as its name, a place
or an actor), are skipped.
The output is YAML ready to paste under ``case_studies:``; nothing is written.
"""

from __future__ import annotations

import re

from ..match import TermMatcher
from ..stages.model import TODO_REFERENCE, TODO_SUMMARY, Topic, case_yaml
from ..stages.parse import Essay
from ..stages.route import route, topic_matcher
from ..text import YEAR, normalize_quote

_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_CUE = re.compile(
    r"\b(example|case|instance|such as|like|notabl[ey]|similarly|illustrat\w*|exemplif\w*|following the|during|"
    r"mission|operation|involvement|deployment|engagement)\b",
    re.IGNORECASE,
)
_PROPER = re.compile(r"(?:(?<=\s)|(?<=^))((?:[A-Z][\w’'\-]*|[A-Z]{2,})(?:\s+(?:of|the|in|and|for|de)?\s*(?:[A-Z][\w’'\-]*|[A-Z]{2,}))*)")
_WORD = re.compile(r"[A-Za-z][\w’'\-]*")


def proper_words(essays: list[Essay]) -> set[str]:
    """Capitalised words that are names in these essays: never written in lower case, and capitalised
    somewhere other than at the start of a sentence. Learnt from the text, so no word list goes stale."""
    lower: set[str] = set()
    inner: set[str] = set()
    for e in essays:
        for s in e.sections:
            for b in s.blocks:
                for sentence in _SENT.split(b.plain()):
                    for k, m in enumerate(_WORD.finditer(sentence)):
                        w = m.group(0)
                        if w[0].islower():
                            lower.add(w.casefold())
                        elif k > 0:
                            inner.add(w)
    return {w for w in inner if w.casefold() not in lower or w.isupper()}


def _names(sentence: str, proper: set[str]) -> list[str]:
    out = []
    for m in _PROPER.finditer(sentence):
        words = m.group(1).strip(" ’'").split()
        while words and words[0] not in proper and not words[0].isupper():
            words = words[1:]
        while words and words[-1].lower() in ("of", "the", "in", "and", "for", "de"):
            words = words[:-1]
        name = " ".join(words)
        if name:
            out.append(name.replace("’s", "").replace("'s", ""))
    return out


def _is_term(matcher: TermMatcher, name: str) -> bool:
    """A name that is just a topic term ("Security Alliance") is a concept, not a case."""
    return any(h.start == 0 and h.end == len(name) for h in matcher.finditer(name))


def suggest(essays: list[Essay], topics: list[Topic]) -> str:
    known_quotes = [normalize_quote(c.source.quote) for t in topics for c in t.case_studies if c.source]
    # A case, a place or an actor already named by a case study (NATO is an actor, not a new case).
    known = TermMatcher((n, "x") for t in topics for c in t.case_studies for n in [c.name, *c.places, *c.actors])
    matcher = topic_matcher(topics)
    routing = route(essays, topics, matcher)
    proper = proper_words(essays)
    out: list[str] = []
    seen: set[str] = set()
    for e in essays:
        for i, s in enumerate(e.sections):
            for b in s.blocks:
                for sentence in _SENT.split(b.plain()):
                    ns = normalize_quote(sentence)
                    if not _CUE.search(sentence) or any(ns in q or q in ns for q in known_quotes):
                        continue
                    names = [
                        n
                        for n in _names(sentence, proper)
                        if not list(known.finditer(n)) and not (_is_term(matcher, n) and not n.isupper())
                    ]
                    names = [n for n in names if len(n) > 2 and n not in seen]
                    if not names or not (YEAR.search(sentence) or any(len(n.split()) > 1 or n.isupper() for n in names)):
                        continue
                    name = ", ".join(names[:3])
                    seen.update(names)
                    year = YEAR.search(sentence)
                    topics_here = routing.topics_of(e.slug, i) or [t.slug for t in topics[:1]]
                    values: dict[str, object] = {"name": name, "years": year.group(1) if year else "", "places": [], "actors": []}
                    values["summary"] = TODO_SUMMARY
                    if len(topics_here) > 1:
                        values["topics"] = topics_here[1:]
                    values["source"] = {"essay": e.slug, "quote": sentence.strip()}
                    values["references"] = [TODO_REFERENCE]
                    out.append(
                        f"# {e.slug}, line {b.line} ({s.heading or 'opening'}); file under content/topics/{topics_here[0]}.yaml\n"
                        + case_yaml(values)
                    )
    return "\n".join(out)
