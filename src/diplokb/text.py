"""Small text helpers shared by every stage: slugs, accent folding, quote-insensitive comparison."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u00a0": " ",
        "\u2013": "-",
        "\u2014": "-",
    }
)
_WS = re.compile(r"\s+")


def normalize_quote(text: str) -> str:
    """Form used to compare quoted source sentences: straight quotes, one space, casefolded."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text).translate(_QUOTES)).strip().casefold()


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFD", ch)[0]
    return base if base.isascii() else ch


def fold(text: str) -> str:
    """Lower-case and strip accents one character for one, so offsets still line up."""
    out = text.lower().translate(_QUOTES)
    if len(out) != len(text):  # a few characters change length when lowered (e.g. 'İ')
        out = "".join(c.lower()[:1] or c for c in text).translate(_QUOTES)
    if out.isascii():
        return out
    return "".join(_fold_char(c) for c in out)


_SLUG_STRIP = re.compile(r"[^\w\s-]", re.UNICODE)
_SLUG_SEP = re.compile(r"[\s_-]+", re.UNICODE)


def slugify(text: str) -> str:
    """Unicode-preserving slug: keeps letters of any script, so 'Привет' and '日本語' stay non-empty."""
    s = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    s = "".join(_fold_char(c) if unicodedata.category(c) == "Ll" else c for c in s)
    s = _SLUG_STRIP.sub("", s)
    s = _SLUG_SEP.sub("-", s).strip("-")
    return s


class UniqueSlugs:
    """Hands out slugs that are unique within one namespace (a page's anchors, say)."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken: set[str] = set(taken or ())

    def __call__(self, text: str, fallback: str = "section") -> str:
        base = slugify(text) or fallback
        slug, n = base, 1
        while slug in self.taken:
            n += 1
            slug = f"{base}-{n}"
        self.taken.add(slug)
        return slug


_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "over",
        "the",
        "their",
        "this",
        "through",
        "to",
        "under",
        "via",
        "with",
        "within",
        "without",
        "between",
        "among",
        "about",
        "after",
        "before",
        "during",
        "while",
    ]
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A deliberately tiny stemmer: enough for 'alliances' ~ 'alliance', 'operations' ~ 'operation'."""
    w = fold(word).replace("'", "")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def content_words(text: str) -> list[str]:
    """Stemmed words of ``text`` without stop words."""
    # Fold once for the whole text (one-for-one, so the words are the same), then stem from a cache.
    return [stem(w) for w in _WORD.findall(fold(text)) if w not in _STOP]
