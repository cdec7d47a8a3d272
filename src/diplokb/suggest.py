"""``diplokb suggest``: case studies the essays name that no topic file holds yet.

A candidate is a sentence that gives an example ("one example is", "such as", "for instance",
"following the 2010 ...") and names something specific: a multi-word proper name, an acronym,
or a year. Sentences already quoted by a case study, and names already used by one, are skipped.
The output is YAML ready to paste under ``case_studies:``; nothing is written.
"""

from __future__ import annotations

import json
import re

from .match import TermMatcher
from .model import Topic
from .parse import Essay
from .route import route, topic_matcher
from .text import normalize_quote

_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_CUE = re.compile(
    r"\b(example|case|instance|such as|like|notabl[ey]|similarly|illustrat\w*|exemplif\w*|following the|during|"
    r"mission|operation|involvement|deployment|engagement)\b",
    re.IGNORECASE,
)
_PROPER = re.compile(r"(?:(?<=\s)|(?<=^))((?:[A-Z][\w’'\-]*|[A-Z]{2,})(?:\s+(?:of|the|in|and|for|de)?\s*(?:[A-Z][\w’'\-]*|[A-Z]{2,}))*)")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_GENERIC = {
    "The",
    "This",
    "These",
    "Such",
    "In",
    "By",
    "For",
    "Through",
    "Moreover",
    "Similarly",
    "Another",
    "One",
    "Each",
    "Military",
    "Furthermore",
    "Ultimately",
    "Countries",
    "During",
    "Their",
    "Beyond",
    "Lastly",
    "Additionally",
    "Overall",
    "Successful",
    "Notable",
    "Examples",
    "Nations",
    "Key",
}


def _names(sentence: str) -> list[str]:
    out = []
    for m in _PROPER.finditer(sentence):
        name = m.group(1).strip(" ’'")
        words = name.split()
        while words and words[0] in _GENERIC:
            words = words[1:]
        name = " ".join(words)
        if not name or (m.start() == 0 and not name.isupper()):  # sentence-initial capitals prove nothing
            continue
        out.append(name.replace("’s", "").replace("'s", ""))
    return out


def _is_term(matcher: TermMatcher, name: str) -> bool:
    """A name that is just a topic term ("Security Alliance") is a concept, not a case."""
    return any(h.start == 0 and h.end == len(name) for h in matcher.finditer(name))


def suggest(essays: list[Essay], topics: list[Topic]) -> str:
    known_quotes = [normalize_quote(c.source.quote) for t in topics for c in t.case_studies if c.source]
    known = TermMatcher((n, "x") for t in topics for c in t.case_studies for n in [c.name, *c.places])
    matcher = topic_matcher(topics)
    routing = route(essays, topics, matcher)
    out: list[str] = []
    seen: set[str] = set()
    for e in essays:
        for i, s in enumerate(e.sections):
            for b in s.blocks:
                for sentence in _SENT.split(b.plain()):
                    ns = normalize_quote(sentence)
                    if not _CUE.search(sentence) or any(ns in q or q in ns for q in known_quotes):
                        continue
                    names = [n for n in _names(sentence) if not list(known.finditer(n)) and not (_is_term(matcher, n) and not n.isupper())]
                    names = [n for n in names if len(n) > 2 and n not in seen]
                    if not names or not (_YEAR.search(sentence) or any(len(n.split()) > 1 or n.isupper() for n in names)):
                        continue
                    name = ", ".join(names[:3])
                    seen.update(names)
                    year = _YEAR.search(sentence)
                    topics_here = routing.topics_of(e.slug, i) or [t.slug for t in topics[:1]]
                    out.append(
                        f"# {e.slug}, line {b.line} ({s.heading or 'opening'}); file under content/topics/{topics_here[0]}.yaml\n"
                        f"- name: {json.dumps(name, ensure_ascii=False)}\n"
                        f"  years: {json.dumps(year.group(1) if year else '')}\n"
                        f"  places: []\n"
                        f"  actors: []\n"
                        f"  summary: {json.dumps('TODO: two or three sentences on ' + name, ensure_ascii=False)}\n"
                        + (f"  topics: {json.dumps(topics_here[1:])}\n" if len(topics_here) > 1 else "")
                        + f"  source:\n    essay: {e.slug}\n    quote: {json.dumps(sentence.strip(), ensure_ascii=False)}\n"
                    )
    return "\n".join(out)
