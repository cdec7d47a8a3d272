"""Where every generated page lives and how pages link to each other: the one authority.

Page paths are MkDocs source paths (``topics/peacekeeping.md``); :func:`url_of` turns them into
site URLs the way MkDocs does, and :func:`html_href` gives the final relative link from one page
to another (generated pages are HTML: MkDocs does not rewrite their links); :func:`md_href` the
Markdown-source form. Links, the navigation, the graph, the timeline and the exports all
come through here, so a change of layout is made once.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .text import UniqueSlugs, slugify

if TYPE_CHECKING:
    from .content.essay import Essay

HOME = "index.md"
TOPIC_INDEX = "topics/index.md"
ESSAY_INDEX = "essays/index.md"
CASE_INDEX = "case-studies/index.md"
ACTORS = "actors/index.md"
GRAPH = "graph.md"
TIMELINE = "timeline.md"
MAP = "map.md"
BROWSE = "case-studies/browse.md"  # beside the case studies: its thousand links are short
BIBLIOGRAPHY = "bibliography.md"
# The site's own pages, and the page names they take in each folder (reserved for them).
SITE_PAGES = (HOME, TOPIC_INDEX, ESSAY_INDEX, CASE_INDEX, ACTORS, GRAPH, TIMELINE, MAP, BROWSE, BIBLIOGRAPHY)


def topic_page(slug: str) -> str:
    return f"topics/{slug}.md"


def essay_page(slug: str) -> str:
    return f"essays/{slug}.md"


def entity_page(kind: str, slug: str) -> str:
    """An actor's page (``actors/nato.md``) or a place's (``places/somalia.md``)."""
    return f"{'places' if kind == 'place' else 'actors'}/{slug}.md"


def case_page(cid: str) -> str:
    return f"case-studies/{cid}.md"


def section_ids(essay: Essay) -> list[str]:
    """The id of each section on its essay's page ("opening", a heading's slug, "conclusion"), in order.

    An editor names one section of one essay as ``<essay>#<id>``, as in the page's address.
    """
    uniq = UniqueSlugs({"filed-under", "kb-top"})  # ids the essay page uses for itself
    return [uniq(s.heading or "opening", fallback="section") for s in essay.sections]


def section_ref(text: str) -> str | None:
    """``essay#section`` as written in a topic file, made canonical; None for a heading (no ``#``, or spaces after it)."""
    essay, hash_, sid = text.strip().partition("#")
    if not hash_ or not essay.strip() or not sid.strip() or " " in sid.strip():
        return None
    return f"{slugify(essay)}#{sid.strip().lower()}"


def relpath(path: str, start: str) -> str:
    """``posixpath.relpath`` for site-relative paths, without its filesystem calls (this runs per link)."""
    a = [p for p in path.split("/") if p]
    b = [p for p in start.split("/") if p]
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return "/".join([".."] * (len(b) - n) + a[n:]) or "."


def url_of(page: str, directory_urls: bool = True) -> str:
    """Site URL of a source page, as MkDocs computes it."""
    if not page.endswith(".md"):
        return page
    stem = page[:-3]
    if directory_urls:
        if stem == "index":
            return ""
        if stem.endswith("/index"):
            return stem[: -len("index")]
        return stem + "/"
    return stem + ".html"


MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")  # what MkDocs reads as a page (mkdocs.utils)


def address(path: str, directory_urls: bool = True) -> str:
    """The file ``path`` (a page or any other file of ``docs_dir``) becomes in the site, as MkDocs names it:
    ``map.md`` -> ``map/index.html`` (``map.html`` without directory URLs), ``map/README.md`` -> ``map/index.html``;
    a file that is not a page keeps its path. Two files with one address are one page of the site."""
    if not path.endswith(MARKDOWN_SUFFIXES):
        return path
    parent, _, name = path.rpartition("/")
    stem = name.rsplit(".", 1)[0]
    stem = "index" if stem == "README" else stem
    base = f"{parent}/" if parent else ""
    if not directory_urls or stem == "index":
        return f"{base}{stem}.html"
    return f"{base}{stem}/index.html"


def replaced(own: Iterable[str], generated: Iterable[str], directory_urls: Iterable[bool] = (True,)) -> list[tuple[str, str]]:
    """Each hand-written file a generated one replaces, with why: the same name, or the same address (``map/index.md``
    beside the generated ``map.md``) under any of ``directory_urls``. Sorted by the hand-written file."""
    gen = set(generated)
    at: dict[str, str] = {}
    for flag in directory_urls:
        for g in sorted(gen):
            at.setdefault(address(g, flag), g)
    out = []
    for path in sorted(set(own)):
        if path in gen:
            out.append((path, f"is replaced by the generated {_what(path)} of the same name"))
            continue
        hits = {at[a]: a for a in (address(path, flag) for flag in directory_urls) if a in at}
        for g, a in hits.items():
            out.append((path, f"is replaced by the generated {_what(g)} `{g}` of the same address (the site's `{a}`)"))
    return out


def _what(path: str) -> str:
    return "page" if path.endswith(MARKDOWN_SUFFIXES) else "file"


def md_href(from_page: str, key: str) -> str:
    """Relative Markdown link from one source page to ``page#anchor`` (MkDocs rewrites it to a URL)."""
    page, _, anchor = key.partition("#")
    if page == from_page:
        return f"#{anchor}" if anchor else "#"
    rel = relpath(page, posixpath.dirname(from_page))
    return f"{rel}#{anchor}" if anchor else rel


def html_href(from_page: str, key: str, directory_urls: bool) -> str:
    """Final relative URL, for raw HTML where MkDocs does not rewrite links."""
    page, _, anchor = key.partition("#")
    a, b = url_of(from_page, directory_urls), url_of(page, directory_urls)
    base = posixpath.dirname(a) if not a.endswith("/") else a.rstrip("/")
    rel = relpath(b, base) if b != a else ""
    if b.endswith("/") and rel and not rel.endswith("/") and rel != ".":
        rel += "/"
    if rel == ".":
        rel = "./"
    return f"{rel}#{anchor}" if anchor else (rel or "./")


def site_url(key: str, directory_urls: bool = True) -> str:
    """Site-relative URL of ``page#anchor``, as exported in ``knowledge.json``."""
    page, _, anchor = key.partition("#")
    return url_of(page, directory_urls) + (f"#{anchor}" if anchor else "")


def site_base(url: str | None) -> str:
    """The site's address with a trailing slash, as citations and JSON-LD give page addresses ("" without one)."""
    return url.rstrip("/") + "/" if url else ""
