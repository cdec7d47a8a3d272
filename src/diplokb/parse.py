"""Stage 1, parse: plain-text essay -> title, sections, blocks, dropped debris.

Two shapes are understood, and anything written the same way: one paragraph per line with no
blank lines and no title line, or blank-line-separated blocks under a title line. Headings are
recognised by their form (short, no closing punctuation), never by their text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .text import content_words, fold

_BULLET = re.compile(r"^\s*([-*\u2022\u2013])\s+(?=\S)")
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+(?=\S)")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(?=\S)")
# Scrape debris: navigation links a web scrape leaves between paragraphs ("See also  Title").
_DEBRIS = re.compile(
    r"^(?:see also|also read|read also|read more|related(?: articles?| posts?| reading)?|"
    r"recommended(?: reading)?|advertisement|sponsored(?: content)?|share this(?: article)?)"
    r"(?=$|[\s:\u00a0\u2013\u2014-])",
    re.IGNORECASE,
)
_SENTENCE_BREAK = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+[\"'\u201c\u2018(]*[A-Z]")
_CLOSING = ".!?:;,"
MAX_HEADING_CHARS = 120
MAX_HEADING_WORDS = 16


@dataclass
class Block:
    """A paragraph or a list, with the source lines it came from."""

    kind: str  # "paragraph" | "list"
    line: int
    text: str = ""
    items: list[str] = field(default_factory=list)
    ordered: bool = False
    # (line number, stripped source text) of every input line this block holds.
    source: list[tuple[int, str]] = field(default_factory=list)

    def plain(self) -> str:
        return self.text if self.kind == "paragraph" else " ".join(self.items)

    def to_json(self) -> dict[str, Any]:
        if self.kind == "paragraph":
            return {"kind": "paragraph", "line": self.line, "text": self.text}
        return {"kind": "list", "line": self.line, "items": list(self.items), "ordered": self.ordered}


@dataclass
class Section:
    """A heading (``None`` for opening prose) and the blocks under it."""

    heading: str | None
    level: int
    line: int
    blocks: list[Block] = field(default_factory=list)
    parent: int | None = None  # index of the enclosing level-2 section, for level 3
    raw: str = ""  # the heading line as written, stripped
    inferred: bool = False  # no heading line in the text: the parser named it (an essay's closing paragraphs)

    def plain(self) -> str:
        return "\n".join(b.plain() for b in self.blocks)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"heading": self.heading, "level": self.level, "line": self.line}
        if self.inferred:
            out["inferred"] = True
        out["blocks"] = [b.to_json() for b in self.blocks]
        return out


@dataclass
class Dropped:
    line: int
    text: str


@dataclass
class Essay:
    """A parsed essay. ``slug`` and ``path`` are filled in by :func:`parse_file`."""

    title: str | None
    sections: list[Section]
    dropped: list[Dropped]
    shape: str  # "lines" (one paragraph per line) | "blocks" (blank-line separated)
    slug: str = ""
    path: str = ""
    title_line: int | None = None
    title_raw: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "shape": self.shape,
            "sections": [s.to_json() for s in self.sections],
            "dropped": [{"line": d.line, "text": d.text} for d in self.dropped],
        }


def normalize_newlines(text: str) -> str:
    """Drop a BOM and turn CRLF/CR into LF; line numbers are unaffected."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_debris(line: str) -> bool:
    s = line.strip()
    return bool(_DEBRIS.match(s)) and len(s.split()) <= 20 and not s.endswith((".", "!", "?"))


def list_marker(line: str) -> tuple[bool, re.Match[str]] | None:
    """``(ordered, match)`` if the line is a list item."""
    m = _NUMBERED.match(line)
    if m:
        return True, m
    m = _BULLET.match(line)
    if m:
        return False, m
    return None


def is_heading_like(line: str) -> bool:
    """Short, one phrase, no closing punctuation, starting with a capital or digit."""
    s = line.strip()
    if _MD_HEADING.match(s):
        return True
    if not s or len(s) > MAX_HEADING_CHARS or list_marker(line):
        return False
    if s.endswith("?"):
        return _is_question_heading(s)
    if s[-1] in _CLOSING or s.endswith(("...", "\u2026")):
        return False
    if len(s.split()) > MAX_HEADING_WORDS or _SENTENCE_BREAK.search(s):
        return False
    first = next((c for c in s if c.isalnum()), "")
    return bool(first) and (first.isupper() or first.isdigit())


def _is_question_heading(s: str) -> bool:
    """'What Is Military Diplomacy?' is a heading; 'Why does it matter?' on its own is prose."""
    words = s.split()
    if len(words) > 12 or _SENTENCE_BREAK.search(s):
        return False
    long_words = [w for w in words if len(w.strip("?\"'")) >= 4]
    caps = sum(1 for w in long_words if w[:1].isupper())
    return bool(long_words) and caps * 10 >= len(long_words) * 6


def _numbered_heading(raw: str, m: re.Match[str], lines: list[str], idx: int, prev_text: str) -> bool:
    """'2. The Role of Attachés' standing alone between paragraphs is a numbered heading, not a list."""
    item = raw[m.end() :].strip()
    if prev_text.endswith(":") or not is_heading_like(item):
        return False
    nxt = next((ln for ln in lines[idx + 1 :] if ln.strip()), "")
    return bool(nxt) and list_marker(nxt) is None and not is_heading_like(nxt)


def _heading_text(line: str) -> str:
    s = line.strip()
    m = _MD_HEADING.match(s)
    return s[m.end() :].rstrip("# ").strip() if m else s


def _continues(prev: str, line: str) -> bool:
    """A hard-wrapped paragraph: the previous line stops mid-sentence and this one goes on in lower case."""
    p = prev.rstrip()
    s = line.lstrip()
    return bool(p) and bool(s) and p[-1] not in '.!?:;"\u201d' and s[0].islower()


def parse_text(text: str) -> Essay:
    """Parse essay text into an :class:`Essay`; never raises on odd input."""
    lines = normalize_newlines(text).split("\n")
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    blank_between = any(not lines[i].strip() for i in range(nonblank[0], nonblank[-1])) if nonblank else False
    shape = "blocks" if blank_between else "lines"

    dropped: list[Dropped] = []
    title: str | None = None
    title_line: int | None = None
    title_raw = ""
    sections: list[Section] = []
    current: Section | None = None
    para: Block | None = None
    lst: Block | None = None
    seen_content = False

    def section() -> Section:
        nonlocal current
        if current is None:
            current = Section(None, 2, 1)
            sections.append(current)
        return current

    for idx, raw in enumerate(lines):
        lineno = idx + 1
        s = raw.strip()
        if not s:
            para = None  # a blank line ends a paragraph, but not a list (items may be spaced)
            continue
        if is_debris(s):
            dropped.append(Dropped(lineno, s))
            continue
        marker = list_marker(raw)
        numbered_heading = None
        if marker and lst is None and marker[0]:
            prev = current.blocks[-1].plain() if current is not None and current.blocks else ""
            if _numbered_heading(raw, marker[1], lines, idx, prev):
                numbered_heading, marker = raw[marker[1].end() :].strip(), None
        if marker:
            ordered, m = marker
            item = raw[m.end() :].strip()
            if lst is None or lst.ordered != ordered:
                lst = Block("list", lineno, ordered=ordered)
                section().blocks.append(lst)
            lst.items.append(item)
            lst.source.append((lineno, s))
            para = None
            seen_content = True
            continue
        if para is not None and _continues(para.source[-1][1], s):
            para.text += " " + s
            para.source.append((lineno, s))
            continue
        lst = None
        wrapped = idx + 1 < len(lines) and _continues(s, lines[idx + 1])
        if numbered_heading or (is_heading_like(raw) and not wrapped):
            text = numbered_heading or _heading_text(raw)
            if not seen_content and title is None and not numbered_heading:
                title, title_line, title_raw = text, lineno, s
            else:
                current = Section(text, 2, lineno, raw=s)
                sections.append(current)
            seen_content = True
            para = None
            continue
        para = Block("paragraph", lineno, text=s, source=[(lineno, s)])
        section().blocks.append(para)
        seen_content = True

    nest_sections(sections, title)
    split_closing(sections, title)
    return Essay(title, sections, dropped, shape, title_line=title_line, title_raw=title_raw)


def _distinctive(sections: list[Section], title: str | None) -> Counter[str]:
    """How many headings (and the title) use each word: frequent words name nothing in particular."""
    df: Counter[str] = Counter()
    for s in sections:
        if s.heading:
            df.update(set(content_words(s.heading)))
    if title:
        df.update({w: 99 for w in content_words(title)})
    return df


def _sentences(section: Section) -> list[set[str]]:
    """Stem sets of each sentence and list item of a section."""
    out: list[set[str]] = []
    for b in section.blocks:
        parts = b.items if b.kind == "list" else _SENTENCE_SPLIT.split(b.text)
        out.extend(set(content_words(p)) for p in parts)
    return out


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?:])\s+")


def _distinct_words(heading: str, df: Counter[str], common: int) -> list[str]:
    return [w for w in dict.fromkeys(content_words(heading)) if df[w] < common]


def _fully_named(words: list[str], sentences: list[set[str]]) -> bool:
    """At least two distinctive words, all of them in one sentence or list item."""
    return len(words) >= 2 and any(all(w in sent for w in words) for sent in sentences)


def _partly_named(words: list[str], vocab: set[str]) -> bool:
    """At least half of the distinctive words somewhere in the text."""
    hits = sum(1 for w in words if w in vocab)
    return bool(words) and hits >= 1 and hits * 2 >= len(words)


def nest_sections(sections: list[Section], title: str | None) -> None:
    """Make sections level 3 when the section before them names them.

    A section "names" the headings that follow when one of its sentences or list items holds
    every distinctive word of the heading (words most headings share, such as the essay's own
    subject, do not count). The two sections right after it must be named that fully, and each
    must have at least two distinctive words, so a passing mention does not swallow its
    neighbours; after those, a section whose distinctive words are at least half present in the
    text extends the run.
    """
    df = _distinctive(sections, title)
    common = max(3, len([s for s in sections if s.heading]) // 4)
    i = 0
    while i < len(sections):
        parent = sections[i]
        if parent.heading is None or parent.level != 2 or i + 2 >= len(sections):
            i += 1
            continue
        sentences = _sentences(parent)
        vocab = set().union(*sentences) if sentences else set()

        nxt = sections[i + 1 : i + 3]
        if not all(s.heading and _fully_named(_distinct_words(s.heading, df, common), sentences) for s in nxt):
            i += 1
            continue
        j = i + 3
        while j < len(sections) and sections[j].heading and _partly_named(_distinct_words(sections[j].heading or "", df, common), vocab):
            j += 1
        for k in range(i + 1, j):
            sections[k].level = 3
            sections[k].parent = i
        i = j


CLOSING_TITLE = "Conclusion"
MAX_CLOSING_PARAGRAPHS = 3


def _recap_scores(sections: list[Section], title: str | None) -> list[list[float]]:
    """How much each paragraph restates the essay's frame (title, opening, other sections' headings).

    Words are weighted by rarity across the essay's paragraphs, so the subject every paragraph
    repeats counts for little; the score is the weighted share of a paragraph's words found in the
    frame (its own section's heading left out). A conclusion sums up: it echoes the opening and the
    headings before it more than the paragraphs of any one section do.
    """
    paras = [[set(content_words(b.plain())) if b.kind == "paragraph" else set() for b in s.blocks] for s in sections]
    df: Counter[str] = Counter()
    n = 0
    for sec in paras:
        for words in sec:
            df.update(words)
            n += 1
    idf = {w: math.log(n / c) for w, c in df.items()}
    opening: set[str] = set()
    for s, sec in zip(sections, paras, strict=True):
        if s.heading is None:
            opening.update(*sec)
    base = set(content_words(title or "")) | opening
    heads = [set(content_words(s.heading)) if s.heading else set() for s in sections]
    out: list[list[float]] = []
    for i, sec in enumerate(paras):
        frame = base.union(*(h for j, h in enumerate(heads) if j != i))
        row = []
        for words in sec:
            total = sum(idf[w] for w in words)
            row.append(sum(idf[w] for w in words & frame) / total if total else 0.0)
        out.append(row)
    return out


def split_closing(sections: list[Section], title: str | None) -> None:
    """Give an essay's unheaded closing paragraphs their own section, marked ``inferred``.

    Essays often end with a paragraph or two that sum up the whole essay with no heading of their
    own, so they land in the last section. They are recognised by structure, not wording: the last
    section is longer than the essay's sections usually are, and one of its final paragraphs (not
    its first) restates the essay's frame more than any paragraph before it in that section and
    more than nine in ten paragraphs of the essay's headed sections. That paragraph and every
    paragraph after it (at most three, all prose) become a level-2 section titled "Conclusion".
    """
    headed = [s for s in sections if s.heading is not None]
    if len(headed) < 4 or sections[-1].heading is None:
        return
    last = sections[-1]
    sizes = sorted(len(s.blocks) for s in headed[:-1])
    typical = sizes[len(sizes) // 2] if len(sizes) % 2 else (sizes[len(sizes) // 2 - 1] + sizes[len(sizes) // 2]) / 2
    n = len(last.blocks)
    if n <= typical or n < 3:
        return
    scores = _recap_scores(sections, title)
    own = scores[-1]
    pool = sorted(x for i, row in enumerate(scores) if sections[i].heading is not None for x in row)
    top = pool[int(0.9 * (len(pool) - 1))]
    candidates = [k for k in range(max(1, n - MAX_CLOSING_PARAGRAPHS), n) if all(b.kind == "paragraph" for b in last.blocks[k:])]
    if not candidates:
        return
    k = max(candidates, key=lambda j: (own[j], -j))
    if own[k] < top or own[k] <= max(own[:k]):
        return
    tail = last.blocks[k:]
    del last.blocks[k:]
    sections.append(Section(CLOSING_TITLE, 2, tail[0].line, tail, inferred=True))


def essay_lines(essay: Essay) -> list[tuple[int, str]]:
    """Every source line the essay keeps (title, headings, block lines), for completeness checks."""
    out: list[tuple[int, str]] = []
    if essay.title is not None and essay.title_line is not None:
        out.append((essay.title_line, essay.title_raw))
    for s in essay.sections:
        if s.heading is not None and not s.inferred:
            out.append((s.line, s.raw))
        for b in s.blocks:
            out.extend(b.source)
    return sorted(out)


__all__ = [
    "Block",
    "Dropped",
    "Essay",
    "Section",
    "essay_lines",
    "fold",
    "is_heading_like",
    "parse_text",
]
