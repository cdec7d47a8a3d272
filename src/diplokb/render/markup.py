"""The generated page: HTML blocks and headings, and text that means only what it says.

A page is a sequence of blocks: :class:`Heading` (level, id, text) and blocks of HTML. From the
same blocks :meth:`Page.html` gives the page body exactly as Python-Markdown (with ``attr_list``,
``md_in_html``, ``tables`` and ``toc`` with permalinks) would turn :meth:`Page.markdown` into it,
and :meth:`Page.toc` its table of contents: the plugin hands MkDocs the HTML and the table of
contents directly, and the plain-MkDocs export writes the Markdown (headings as Markdown
headings with ``{#id}``, every other block as raw HTML, which Python-Markdown passes through).

All text that comes from YAML or essays goes through :func:`esc`, so it reaches the page as
text: HTML is escaped and every character Markdown could read as syntax becomes a numeric
entity (backslash escapes are not enough, see BAD_INPUTS.md); the result is the same text in
HTML and in Markdown. Page titles are written explicitly, HTML-escaped, in front matter.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markdown.extensions.toc import slugify_unicode, unique  # type: ignore[import-untyped]  # the toc extension's own ids

from ..content.schema import Reference
from ..text import SPACES

# Python-Markdown's ESCAPED_CHARS plus what tables, attr_list and raw HTML need.
_ALWAYS = set("\\`*_{}[]()#|!<>&~^=$")
_ENTITIES = {ord(c): f"&#{ord(c)};" for c in _ALWAYS}
_SPECIAL = re.compile("[" + re.escape("".join(sorted(_ALWAYS))) + "]")
_BLOCK_START = re.compile(r"^(\s*)(\d+)([.)])|^(\s*)([-+>:])")
_ID = re.compile(r'\sid="([^"]*)"')


def esc(text: str) -> str:
    """Plain text -> HTML (and Markdown) that renders exactly that text, with no markup of its own."""
    s = SPACES.sub(" ", text)
    if _SPECIAL.search(s):
        s = s.translate(_ENTITIES)
    m = _BLOCK_START.match(s)
    if m:  # "1999. ...", "- ...", "> ..." at the start of a line would start a block
        i = m.end() - 1
        s = s[:i] + f"&#{ord(s[i])};" + s[i + 1 :]
    return s


_SURROGATES = re.compile(r"\\ud([89ab][0-9a-f]{2})\\ud([c-f][0-9a-f]{2})")


def yaml_str(text: str) -> str:
    """A double-quoted YAML string, ASCII only. JSON's escapes are YAML's, except that JSON writes a
    character beyond U+FFFF as a surrogate pair, which YAML reads as two invalid characters (and
    MkDocs then drops the whole front matter): those become YAML's ``\\UXXXXXXXX``."""

    def astral(m: re.Match[str]) -> str:
        hi, lo = int("d" + m[1], 16), int("d" + m[2], 16)
        return f"\\U{0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00):08x}"

    return _SURROGATES.sub(astral, json.dumps(text))


def attr(text: str) -> str:
    """Text for an HTML attribute or a page title (which MkDocs templates do not escape)."""
    return html.escape(" ".join(text.split()), quote=True)


# Material's search leaves out a heading's section, or an element, marked data-search-exclude:
# lists of links, tables of facts, graphs and copies of essay passages stay out of the index, so
# a search finds the page about a thing, and the essay passage itself, first.
NOSEARCH = "data-search-exclude"


def para(inner: str, cls: str = "", nosearch: bool = False) -> str:
    """A paragraph of inline HTML (escaped text and links), with a class and kept out of search if asked."""
    c = f' class="{cls}"' if cls else ""
    return f"<p{c}{' ' + NOSEARCH if nosearch else ''}>{inner}</p>"


def ul(items: list[str], ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>\n" + "".join(f"<li>{i}</li>\n" for i in items) + f"</{tag}>"


_RIGHT = ' style="text-align: right;"'


def table(head: list[str], rows: list[list[str]], right: frozenset[int] = frozenset(), cls: str = "") -> str:
    """A table of inline HTML cells (columns in ``right`` aligned right) in a block search does not index."""

    def cells(tag: str, row: list[str]) -> str:
        return "".join(f"<{tag}{_RIGHT if i in right else ''}>{x}</{tag}>\n" for i, x in enumerate(row))

    body = "".join(f"<tr>\n{cells('td', r)}</tr>\n" for r in rows)
    return nosearch_div(f"<table>\n<thead>\n<tr>\n{cells('th', head)}</tr>\n</thead>\n<tbody>\n{body}</tbody>\n</table>", cls)


def nosearch_div(inner: str, cls: str = "") -> str:
    """A ``div`` that Material's search does not index, as ``md_in_html`` writes it: Material's search
    plugin removes ``data-search-exclude="..."`` from the page once it has indexed it."""
    c = f' class="{cls}"' if cls else ""
    return f'<div{c} {NOSEARCH}="{NOSEARCH}">\n{inner}\n</div>'


def link(href: str, text_html: str) -> str:
    return f'<a href="{href}">{text_html}</a>'


@dataclass(frozen=True)
class Heading:
    """A heading: its level, plain text and id (empty: made from the text, as the ``toc`` extension does)."""

    level: int
    text: str
    id: str = ""
    nosearch: bool = False


@dataclass(frozen=True)
class TocEntry:
    level: int
    id: str
    title: str  # as the ``toc`` extension names it: the escaped heading text


Block = Heading | str  # a str is one block of HTML: one element, no blank line in it


def _ids(blocks: list[Block]) -> list[Block]:
    """Headings without an id get the one the ``toc`` extension would give them (unique on the page)."""
    used = {b.id for b in blocks if isinstance(b, Heading) and b.id}
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Heading):
            text = b.text.strip()
            b = Heading(b.level, text, b.id or unique(slugify_unicode(html.unescape(esc(text)), "-"), used), b.nosearch)
        out.append(b)
    return out


def _heading_html(h: Heading) -> str:
    ns = f" {NOSEARCH}" if h.nosearch else ""
    return f'<h{h.level}{ns} id="{h.id}">{esc(h.text)}<a class="headerlink" href="#{h.id}" title="Permanent link">&para;</a></h{h.level}>'


@dataclass(frozen=True)
class Page:
    """A generated page: its blocks, title and description, and the links it makes (``page#anchor`` keys)."""

    path: str
    title: str
    description: str
    blocks: tuple[Block, ...]
    links: tuple[str, ...] = ()
    head: tuple[tuple[str, str], ...] = ()  # <meta name content> pairs for the page's head (citation_* tags)
    jsonld: str = ""  # schema.org JSON-LD, ready for a <script> element (render.linkeddata.script_json)

    @staticmethod
    def of(path: str, title: str, description: str, blocks: list[Block]) -> Page:
        return Page(path, title, description, tuple(_ids(blocks)))

    def meta(self) -> dict[str, Any]:
        """Title and description, HTML-escaped, as the front matter gives them to MkDocs; the head's
        tags (``kb_head``, pairs the theme escapes) and JSON-LD (``kb_jsonld``) where the page has them."""
        desc = self.description.strip()
        if len(desc) > 300:
            desc = desc[:297].rsplit(" ", 1)[0] + "…"
        out: dict[str, Any] = {"title": attr(self.title), "description": attr(desc)}
        if self.head:
            out["kb_head"] = [list(pair) for pair in self.head]
        if self.jsonld:
            out["kb_jsonld"] = self.jsonld
        return out

    def html(self) -> str:
        """The body, byte for byte what Python-Markdown makes of :meth:`markdown` (raw blocks end in a newline)."""
        return "\n".join(_heading_html(b) if isinstance(b, Heading) else b + "\n" for b in self.blocks).strip()

    def toc(self) -> list[TocEntry]:
        return [TocEntry(b.level, b.id, esc(b.text)) for b in self.blocks if isinstance(b, Heading)]

    def anchors(self) -> set[str]:
        """Every id on the page: headings and the ids in its HTML blocks."""
        ids = {b.id for b in self.blocks if isinstance(b, Heading)}
        for b in self.blocks:
            if isinstance(b, str) and ' id="' in b:
                ids.update(_ID.findall(b))
        return ids

    def search_html(self) -> str:
        """The body without what Material's search leaves out, for its indexer to read: the blocks of
        sections under a ``data-search-exclude`` heading, and top-level blocks marked so themselves.

        Every block is top-level and each heading starts a section, so the index is the same as
        from :meth:`html`, for a fraction of the parsing."""
        out, excluded = [], False
        for b in self.blocks:
            if isinstance(b, Heading):
                excluded = b.nosearch
                out.append(_heading_html(b))
            elif not excluded and NOSEARCH not in b[: b.find(">")]:
                out.append(b)
        return "\n".join(out)

    def markdown(self) -> str:
        """The page as Markdown for plain MkDocs: headings as headings with their id, the rest raw HTML."""
        m = self.meta()
        front = f"title: {yaml_str(m['title'])}\ndescription: {yaml_str(m['description'])}\n"
        if self.head:
            front += "kb_head:\n" + "".join(f"  - [{yaml_str(a)}, {yaml_str(b)}]\n" for a, b in self.head)
        if self.jsonld:
            front += f"kb_jsonld: {yaml_str(self.jsonld)}\n"
        parts = [f"---\n{front}---\n"]
        for b in self.blocks:
            if isinstance(b, Heading):
                # An id is a slug (letters, digits, "_", "-"): "_x_" would read as emphasis, so "_" is escaped.
                hid = b.id.replace("_", "\\_")
                parts.append(f"{'#' * b.level} {esc(b.text)} {{#{hid}{' ' + NOSEARCH if b.nosearch else ''}}}")
            else:
                parts.append(b)
        return "\n\n".join(parts) + "\n"


def references(refs: Sequence[Reference]) -> str:
    """A page's numbered references, each with the id its markers link to (``ref-1``...)."""
    # The URL was checked to be http(s) with no spaces; it goes into an attribute, escaped.
    return ul(
        [
            f'<span id="ref-{n}"></span>{esc(ref.publisher)}: <a href="{attr(ref.url)}" rel="noopener">{esc(ref.title)}</a> ({esc(ref.date)})'
            for n, ref in enumerate(refs, 1)
        ],
        ordered=True,
    )
