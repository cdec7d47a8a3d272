"""Small text helpers shared by every stage: slugs, accent folding, quote-insensitive comparison."""

from __future__ import annotations

import hashlib
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
SPACES = re.compile(r"\s{2,}|[^\S ]")  # what r"\s+" -> " " changes (a single space is left alone: faster)
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")  # a year a text dates something by
# Citation markers in a summary or note: `[2]` cites the entry's second reference, `[essay#section]` an essay passage
# (the section's id as `pin:` and `diplokb route --explain` write it). A bracket followed by `(` is a link, not a marker.
CITE_MARKER = re.compile(r"\[([^\[\]\s]+)\](?!\()")
_MARKER_GAP = re.compile(r"\s*\[(?:[0-9]+|[^\[\]\s]*#[^\[\]\s]*)\](?!\()")


def without_markers(text: str) -> str:
    """The text with its citation markers taken out (for a page's description and other plain uses)."""
    return _MARKER_GAP.sub("", text)


def normalize_quote(text: str) -> str:
    """Form used to compare quoted source sentences: straight quotes, one space, casefolded."""
    return SPACES.sub(" ", unicodedata.normalize("NFC", text).translate(_QUOTES)).strip().casefold()


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


# A slug is a file name (``essays/<slug>/index.html``), a URL segment and an HTML id: file systems
# allow 255 bytes per name, so slugs stay well under that, cut with a stable hash when longer.
MAX_SLUG_BYTES = 100
_HASH_LEN = 8


def short_hash(text: str) -> str:
    """A stable 8-hex-digit hash of ``text`` (the same on every machine and run)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=_HASH_LEN // 2).hexdigest()


def _bound(slug: str, limit: int = MAX_SLUG_BYTES) -> str:
    """``slug`` if it fits in ``limit`` UTF-8 bytes, else its longest fitting prefix plus ``-<hash of the whole>``."""
    if len(slug.encode("utf-8")) <= limit:
        return slug
    room = limit - _HASH_LEN - 1
    cut = slug.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip("-")
    return f"{cut}-{short_hash(slug)}" if cut else short_hash(slug)


def slugify(text: str) -> str:
    """Unicode-preserving slug: keeps letters of any script, so 'Привет' and '日本語' stay non-empty.

    The one way a name becomes a file name, URL segment or anchor: only letters, digits and
    single hyphens, at most :data:`MAX_SLUG_BYTES` bytes (a longer one ends in a stable hash).
    """
    s = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    s = "".join(_fold_char(c) if unicodedata.category(c) == "Ll" else c for c in s)
    s = _SLUG_STRIP.sub("", s)
    s = _SLUG_SEP.sub("-", s).strip("-")
    return _bound(s)


def name_slug(text: str, fallback: str) -> str:
    """:func:`slugify`, or ``<fallback>-<hash>`` for a name with no letter or digit (``!!!``), so it is never empty."""
    return slugify(text) or f"{fallback}-{short_hash(text)}"


class UniqueSlugs:
    """Hands out slugs that are unique within one namespace (a page's anchors, say)."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken: set[str] = set(taken or ())
        # base -> the last number tried for it: every lower one is taken (and stays taken), so the
        # next search starts there; without it, an essay repeating one heading n times costs n^2.
        self._last: dict[str, int] = {}

    def __call__(self, text: str, fallback: str = "section") -> str:
        base = slugify(text) or fallback
        n = self._last.get(base, 1)
        slug = base if n == 1 else f"{base}-{n}"
        while slug in self.taken:
            n += 1
            slug = f"{base}-{n}"
        self._last[base] = n
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
