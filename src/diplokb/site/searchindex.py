"""Search entries of a generated page, as Material's search plugin would make them from its HTML.

Material's search (``material/plugins/search``) reads every page's HTML with Python's
``html.parser`` and cuts it into sections at each heading with an id, keeping the text and a few
tags (``p``, lists, ``code``/``pre``, ``sub``/``sup``) and leaving out elements marked
``data-search-exclude``. That parser costs about as much as the rest of the plugin's own
building of a page. Generated pages are HTML of a known, simple shape (:mod:`diplokb.render.markup`),
so :func:`entries` cuts the same sections with one regular expression and Material's algorithm
(its rules of exclusion, whitespace, empty elements and headings, reproduced step by step), and
gives the very entries Material would. HTML it cannot read the same way (comments, scripts,
a ``<`` that starts no tag...) gives ``None``: Material's parser then reads that page itself.
``tests/test_searchindex.py`` compares both on every page of the seed site and of a generated corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape, unescape
from html.parser import attrfind_tolerant  # type: ignore[attr-defined]  # the parser's own attribute syntax
from typing import Any

from mkdocs.structure.pages import Page

__all__ = ["entries"]

# A tag as html.parser finds one (quoted values may hold ">"), or text up to the next "<"; a "<"
# that opens no tag (or a comment, a declaration...) is matched alone and makes entries() give up.
_TOKEN = re.compile(r"""<(/?)([a-zA-Z][^\t\n\r\f />\x00]*)((?:[^>"']+|"[^"]*"|'[^']*')*)>|([^<]+)|<""")
_HEADINGS = frozenset(f"h{i}" for i in range(1, 7))
_KEEP = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})  # tags Material keeps in the text
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"})
_RAW = frozenset({"script", "style", "object", "textarea", "title", "pre"})  # parsed differently, or text kept as is: left to Material
_EXCLUDE = "data-search-exclude"
_INF = float("inf")


@dataclass
class _Section:
    tag: str  # the heading's tag; "hx" for text before any heading
    depth: float = 0
    excluded: bool = False
    id: str | None = None
    text: list[str] = field(default_factory=list)
    title: list[str] = field(default_factory=list)


def _attrs(rest: str) -> dict[str, str | None]:
    """A tag's attributes as ``HTMLParser`` hands them (names lowercased, values unquoted and unescaped)."""
    out: dict[str, str | None] = {}
    for m in attrfind_tolerant.finditer(rest):
        name, value = m.group(1), m.group(3)
        if not name:
            continue
        if value and value[:1] == value[-1:] and value[:1] in "'\"":
            value = value[1:-1]
        out[name.lower()] = unescape(value) if value else value
    return out


def _close(data: list[str], tag: str) -> None:
    """Material's end of a kept tag: the element is dropped if nothing but space follows its first opening."""
    index = data.index(f"<{tag}>")
    if all(x.isspace() for x in data[index + 1 :]):
        del data[index:]
    else:
        data.append(f"</{tag}>")


def _sections(html: str) -> list[_Section] | None:
    """Material's ``Parser`` over ``html``: its sections, or None where the HTML is beyond this reading."""
    # Material skips "object", "script" and "style" (left to it here) and elements marked excluded,
    # in a set that compares elements by tag: a tag being skipped skips every open element of that tag.
    skip: set[str] = set()
    skipping = False  # an open element's tag is in skip
    context: list[str] = []
    links: list[bool] = []  # per open element: an <a class="headerlink">
    data: list[_Section] = []
    section: _Section | None = None
    for end, name, rest, text in _TOKEN.findall(html):
        if text:
            if skipping:
                continue
            if "&" in text:
                text = unescape(text)
            if section is None:
                section = _Section("hx")
                data.append(section)
            if text.isspace():
                if section.tag in context:
                    if not any(links):
                        section.title.append(" ")
                elif not section.text or not section.text[-1].isspace():
                    section.text.append(" ")
                continue
            text = text.replace("\n", " ")
            if "&" in text or "<" in text or ">" in text:
                text = escape(text, quote=False)
            if section.tag in context:
                if not any(links):
                    section.title.append(text)
            else:
                section.text.append(text)
            continue
        if not name:
            return None  # a "<" that opens no tag, a comment, a declaration
        tag = name.lower()
        if tag in _RAW:
            return None
        if end:
            if not context or context[-1] != tag:
                continue
            assert section is not None  # a start tag made one
            if section.depth > len(context):
                for s in reversed(data):
                    if s.depth <= len(context):
                        section.depth = _INF
                        section = s
                        break
            context.pop()
            links.pop()
            if tag in skip:
                skip.discard(tag)
                skipping = not skip.isdisjoint(context)
                continue
            if skipping:
                skipping = not skip.isdisjoint(context)
            elif tag in _KEEP:
                _close(section.title if section.tag in context else section.text, tag)
            continue
        if tag in _VOID:
            continue
        if rest[-1:] == "/" or rest.rstrip()[-1:] == "/":
            return None  # <x/>: html.parser calls the end tag too; not in generated pages
        heading = tag in _HEADINGS
        attrs = _attrs(rest) if heading or _EXCLUDE in rest or "headerlink" in rest or "linenodiv" in rest else {}
        context.append(tag)
        links.append(tag == "a" and attrs.get("class") == "headerlink")
        if heading and "id" in attrs:
            if tag != "h1" and not data:
                data.append(_Section("hx", len(context)))
            section = _Section(tag, len(context), _EXCLUDE in attrs)
            if data:
                section.id = attrs["id"]
            data.append(section)
        if section is None:
            section = _Section("hx")
            data.append(section)
        if _EXCLUDE in attrs or attrs.get("class") == "linenodiv":
            skip.add(tag)
            skipping = True
            continue
        if skip and not skipping:
            skipping = tag in skip
        if tag in _KEEP and not skipping:
            (section.title if section.tag in context else section.text).append(f"<{tag}>")
    return data


def entries(html: str, url: str, title: str) -> list[dict[str, str]] | None:
    """The search entries Material's search makes of a page's HTML (``url``: the page's URL, ``title``
    the title it gives a section without one), in its order; None if ``html`` is beyond this reading.

    The page's table of contents must give each heading the URL ``#`` + its id (as MkDocs' does)."""
    try:
        sections = _sections(html)
    except ValueError:  # a kept tag closed where it was not opened: Material's own parser fails there too
        return None
    if sections is None:
        return None
    out = []
    for s in sections:
        if not s.excluded:
            where = f"{url}#{s.id}" if s.id else url
            out.append({"location": where, "title": "".join(s.title or [title]).strip(), "text": "".join(s.text).strip()})
    return out


def material_index(search: Any, page: Page) -> bool:
    """Material's search index, taking entries made here: its own entry format, no Chinese segmentation
    (``jieba`` installed), no ``tags`` or ``search`` settings in the page's front matter."""
    from material.plugins.search import plugin as material_search  # loaded with the plugin itself

    return (
        isinstance(getattr(getattr(search, "search_index", None), "entries", None), list)
        and getattr(material_search, "jieba", None) is None
        and "tags" not in page.meta
        and "search" not in page.meta
    )
