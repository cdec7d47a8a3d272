"""Text as Markdown that means only what it says, and the generated page.

All text that comes from YAML or essays goes through :func:`esc`, so it reaches the page as
text: HTML is escaped and every character Markdown could read as syntax becomes a numeric
entity (backslash escapes are not enough, see BAD_INPUTS.md). Page titles are written
explicitly, HTML-escaped, in front matter.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

# Python-Markdown's ESCAPED_CHARS plus what tables, attr_list and raw HTML need.
_ALWAYS = set("\\`*_{}[]()#|!<>&~^=$")
_ENTITIES = {ord(c): f"&#{ord(c)};" for c in _ALWAYS}
_WS = re.compile(r"\s+")
_BLOCK_START = re.compile(r"^(\s*)(\d+)([.)])|^(\s*)([-+>:])")


def esc(text: str) -> str:
    """Plain text -> Markdown that renders exactly that text, with no markup of its own."""
    s = _WS.sub(" ", text).translate(_ENTITIES)
    m = _BLOCK_START.match(s)
    if m:  # "1999. ...", "- ...", "> ..." at the start of a line would start a block
        i = m.end() - 1
        s = s[:i] + f"&#{ord(s[i])};" + s[i + 1 :]
    return s


def attr(text: str) -> str:
    """Text for an HTML attribute or a page title (which MkDocs templates do not escape)."""
    return html.escape(" ".join(text.split()), quote=True)


# Material's search leaves out a heading's section, or an element, marked data-search-exclude:
# lists of links, tables of facts, graphs and copies of essay passages stay out of the index, so
# a search finds the page about a thing, and the essay passage itself, first.
NOSEARCH = "data-search-exclude"


def nosearch(markdown: str, cls: str = "") -> str:
    """Markdown (a table, a list) in a block that Material's search does not index.

    ``kb-reflow`` makes a table's rows into short paragraphs on a phone (see diplokb.css), for
    tables whose cells hold more than a word or two."""
    c = f' class="{cls}"' if cls else ""
    return f"<div{c} {NOSEARCH} markdown>\n\n{markdown}\n\n</div>"


@dataclass(frozen=True)
class Page:
    """A generated page, and the links it makes (``page#anchor`` keys), for ``knowledge.json``."""

    path: str
    title: str
    description: str
    body: str
    links: tuple[str, ...] = ()

    def markdown(self) -> str:
        desc = self.description.strip()
        if len(desc) > 300:
            desc = desc[:297].rsplit(" ", 1)[0] + "…"
        return f"---\ntitle: {json.dumps(attr(self.title))}\ndescription: {json.dumps(attr(desc))}\n---\n\n{self.body.rstrip()}\n"
