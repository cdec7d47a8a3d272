"""Stage 1, parse: plain-text essay -> title, sections, blocks, dropped debris.

Two shapes are understood, and anything written the same way: one paragraph per line with no
blank lines and no title line, or blank-line-separated blocks under a title line. Headings are
recognised by their form (short, no closing punctuation), never by their text.
"""

from __future__ import annotations

import re

from ..content.essay import Block, Dropped, Essay, Section
from ..text import fold
from .structure import nest_sections, split_closing

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


def _numbered_heading(raw: str, m: re.Match[str], nxt: str, prev_text: str) -> bool:
    """'2. The Role of Attachés' standing alone between paragraphs is a numbered heading, not a list.

    ``nxt``: the next non-blank line ("" at the end)."""
    item = raw[m.end() :].strip()
    if prev_text.endswith(":") or not is_heading_like(item):
        return False
    return bool(nxt) and list_marker(nxt) is None and not is_heading_like(nxt)


def _next_nonblank(lines: list[str]) -> list[int]:
    """For each line, the index of the next non-blank line after it (``len(lines)`` if none): one
    backward pass, where looking ahead from every numbered line cost the square of the essay's length."""
    out = [len(lines)] * len(lines)
    nxt = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        out[i] = nxt
        if lines[i].strip():
            nxt = i
    return out


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
    next_nonblank = _next_nonblank(lines)
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
            nxt = lines[next_nonblank[idx]] if next_nonblank[idx] < len(lines) else ""
            if _numbered_heading(raw, marker[1], nxt, prev):
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
