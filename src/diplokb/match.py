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
from typing import Any

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


_SEP_RE = r"[\s\-\u2010\u2011]+"


def forms(term: str) -> list[str]:
    """The canonical term and its plural forms ("ally" -> "ally", "allies")."""
    c = canonical(term)
    last = c.rsplit(" ", 1)[-1]
    if last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
        return [c, c[:-1] + "ies"]
    if last.endswith(("s", "x", "ch", "sh")):
        return [c, c + "es"]
    return [c, c + "s", c + "es"]


def _piece(ch: str) -> str:
    return _SEP_RE if ch == " " else re.escape(ch)


def _trie_regex(words: Iterable[str]) -> str:
    """One regex for many words, shaped as a prefix tree, so each position is tried once, not per word.

    Longer continuations come first and are optional, so the longest form wins and shorter ones
    are still found when the longer one fails its word boundary. Built without recursion (a term
    may be thousands of characters long): runs of single children are written out in a loop, and
    the branching nodes are emitted from the deepest up.
    """
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    # Post-order over the branching structure with an explicit stack.
    out: dict[int, str] = {}
    stack: list[tuple[dict[str, Any], bool]] = [(trie, False)]
    while stack:
        node, done = stack.pop()
        children = sorted(k for k in node if k)
        if not done:
            stack.append((node, True))
            stack.extend((node[ch], False) for ch in children)
            continue
        alts = [_piece(ch) + out.pop(id(node[ch])) for ch in children]
        if not alts:
            out[id(node)] = ""
            continue
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        out[id(node)] = f"(?:{body})?" if "" in node else body
    return out[id(trie)]


def _compile(forms: list[str]) -> re.Pattern[str]:
    """The prefix-tree regex; a flat alternation, longest form first, where the tree nests too deep for ``re``."""
    try:
        return re.compile(r"(?<!\w)" + _trie_regex(forms) + r"(?!\w)")
    except (RecursionError, OverflowError, re.error):
        flat = "|".join("".join(_piece(ch) for ch in f) for f in sorted(forms, key=lambda f: (-len(f), f)))
        return re.compile(r"(?<!\w)(?:" + flat + r")(?!\w)")


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    key: str
    text: str  # as written in the text
    form: str  # canonical form (folded, one space), as in TermMatcher.keys


class TermMatcher:
    """Finds every term of every key in one pass; longer terms win over their prefixes."""

    def __init__(self, terms: Iterable[tuple[str, str]]) -> None:
        self.keys: dict[str, list[str]] = {}  # every form (plurals included) -> keys, first listed first
        for term, key in terms:
            if not canonical(term):
                continue
            for form in forms(term):
                owners = self.keys.setdefault(form, [])
                if key not in owners:
                    owners.append(key)
        self.regex = _compile(list(self.keys)) if self.keys else None

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
            form = _SEP.sub(" ", m.group(0))
            for key in self.keys.get(form, ()):
                yield Hit(a, b, key, text[a:b], form)

    def count(self, text: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for h in self.finditer(text):
            out[h.key] = out.get(h.key, 0) + 1
        return out
