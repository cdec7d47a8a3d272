"""One combined matcher for many terms: a single regex pass over the text, whatever the term count.

Matching is case- and accent-insensitive ("attache" finds "Attachés"), accepts simple plurals
("alliance" finds "alliances", "ally" finds "allies") and treats a space and a hyphen alike
("nation building" finds "nation-building").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .text import fold

_SEP = re.compile(r"[\s\-\u2010\u2011]+")


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _fold_grouped(text: str) -> tuple[str, list[int]]:
    """Fold a letter and the combining marks after it to one character; map folded offsets back."""
    out: list[str] = []
    starts: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and _COMBINING.match(text, j):
            j += 1
        composed = unicodedata.normalize("NFC", text[i:j])
        out.append(fold(composed)[0])
        starts.append(i)
        i = j
    starts.append(n)
    return "".join(out), starts


def canonical(term: str) -> str:
    text = unicodedata.normalize("NFC", term)
    return _SEP.sub(" ", fold(text).strip())


def _pattern(term: str) -> str:
    words = canonical(term).split(" ")
    last = words[-1]
    if last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
        words[-1] = re.escape(last[:-1]) + "(?:y|ies)"
    elif last.endswith(("s", "x", "ch", "sh")):
        words[-1] = re.escape(last) + "(?:es)?"
    else:
        words[-1] = re.escape(last) + "(?:s|es)?"
    return r"[\s\-\u2010\u2011]+".join([*(re.escape(w) for w in words[:-1]), words[-1]])


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    key: str
    text: str


class TermMatcher:
    """Finds every term of every key in one pass; longer terms win over their prefixes."""

    def __init__(self, terms: Iterable[tuple[str, str]]) -> None:
        self.keys: dict[str, list[str]] = {}
        for term, key in terms:
            c = canonical(term)
            if not c:
                continue
            owners = self.keys.setdefault(c, [])
            if key not in owners:
                owners.append(key)
        alts = sorted({_pattern(t) for t in self.keys}, key=len, reverse=True)
        self.regex = re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)") if alts else None

    def _lookup(self, found: str) -> list[str]:
        c = canonical(found)
        for cand in (c, c[:-1], c[:-2], c[:-3] + "y"):
            if cand in self.keys:
                return self.keys[cand]
        return []

    def finditer(self, text: str) -> Iterator[Hit]:
        if self.regex is None or not text:
            return
        if _COMBINING.search(text):  # decomposed accents (NFD): fold each letter with its marks
            folded, starts = _fold_grouped(text)
        else:
            folded, starts = fold(text), None
        for m in self.regex.finditer(folded):
            a, b = m.start(), m.end()
            if starts is not None:
                a, b = starts[a], starts[b]
            for key in self._lookup(m.group(0)):
                yield Hit(a, b, key, text[a:b])

    def count(self, text: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for h in self.finditer(text):
            out[h.key] = out.get(h.key, 0) + 1
        return out
