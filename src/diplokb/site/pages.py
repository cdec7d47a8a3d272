"""The MkDocs side of generated pages: MkDocs gets their HTML and table of contents, not Markdown.

:func:`attach_pages` gives every generated file a :class:`KbPage` before MkDocs builds the
navigation; the adapter (:mod:`diplokb.site.plugin`) calls it from ``on_files``. :func:`share_partials`
has the theme render the site navigation once for all the pages that show it the same way.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterator
from typing import Any

import jinja2
from markdown.extensions.toc import nest_toc_tokens  # type: ignore[import-untyped]
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from ..render import markup


class KbFile(File):
    """A generated file that says whether it changed since the last build (for ``serve --dirty``).

    A generated page's file holds its :class:`~diplokb.render.markup.Page` (``kb_page``), not its HTML:
    the HTML is made when MkDocs reads the page, so no build holds every page's HTML in its files."""

    kb_modified = True
    kb_page: markup.Page | None = None

    def is_modified(self) -> bool:
        return self.kb_modified

    @property
    def content_string(self) -> str:
        return self.kb_page.html() if self.kb_page is not None else File.content_string.fget(self)  # type: ignore[attr-defined]

    @content_string.setter
    def content_string(self, value: str) -> None:
        self.kb_page = None
        File.content_string.fset(self, value)  # type: ignore[attr-defined]

    @property
    def content_bytes(self) -> bytes:
        return self.content_string.encode("utf-8") if self.kb_page is not None else File.content_bytes.fget(self)  # type: ignore[attr-defined]

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        self.kb_page = None
        File.content_bytes.fset(self, value)  # type: ignore[attr-defined]


class KbPage(Page):
    """A generated page whose HTML and table of contents come from the pipeline: no Markdown is parsed.

    The body is :meth:`diplokb.render.markup.Page.html` (the file's content, made in ``on_files``), the
    title and description its front matter would give; its links were made final and checked by
    the pipeline, and its ids are registered for MkDocs' checks of links from hand-written pages."""

    def __init__(self, title: str, file: File, config: MkDocsConfig, page: markup.Page) -> None:
        super().__init__(title, file, config)  # a title now, as MkDocs gives a page in the nav (dirty rebuilds read no page)
        self.kb_page = page

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown, self.meta = "", self.kb_page.meta()

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = self.file.content_string
        tokens = [{"level": t.level, "id": t.id, "name": t.title, "html": t.title, "data-toc-label": ""} for t in self.kb_page.toc()]
        self.toc = get_toc(nest_toc_tokens(tokens))
        self.present_anchor_ids = self.kb_page.anchors()
        self.links_to_anchors = {}


def attach_pages(files: Files, config: MkDocsConfig, pages: dict[str, markup.Page]) -> None:
    """Give every generated page its :class:`KbPage` before MkDocs builds the navigation (which keeps a file's page).

    A page takes its title from the ``nav`` when that names it (as MkDocs would), else its own."""
    titles: dict[str, str] = {}

    def walk(items: Any) -> None:
        for item in items if isinstance(items, list) else []:
            for title, value in item.items() if isinstance(item, dict) else ():
                if isinstance(value, str):
                    titles.setdefault(value, str(title))
                walk(value)

    walk(config.nav)
    for path, page in pages.items():
        f = files.get_file_from_path(path)
        if f is not None:
            KbPage(titles.get(path) or page.meta()["title"], f, config, page)


def link_chains(files: Files, chains: list[list[str]]) -> None:
    """Previous and next links for pages outside the navigation, along each chain (its index page first).

    MkDocs links only the pages its navigation lists; the index keeps its own links."""
    for chain in chains:
        found = [files.get_file_from_path(p) for p in chain]
        pages = [f.page if f is not None else None for f in found]
        for i in range(1, len(pages)):
            page = pages[i]
            if page is not None:
                page.previous_page = pages[i - 1]
                page.next_page = pages[i + 1] if i + 1 < len(pages) else None


NAV_TEMPLATE = "partials/nav.html"
SEARCH_TEMPLATE = "partials/search.html"  # the search box: the same on every page (no link, no page field)
PALETTE_TEMPLATE = "partials/palette.html"  # the colour scheme toggle: the same on every page
LOGO_TEMPLATE = "partials/logo.html"  # the same on every page while the logo is an icon (an image's URL is relative)


def share_partials(env: jinja2.Environment, theme_dirs: tuple[str, ...] | None = None) -> dict[str, str]:
    """The theme's navigation (``partials/nav.html``) rendered once per folder for the pages it does
    not list; its search box, colour toggle and icon logo (``partials/search.html``, ``palette.html``,
    ``logo.html``) once for all pages.

    A page the navigation does not list (a case study; past the navigation's limits an essay or a
    topic) is not marked in it and expands nothing: the navigation differs between such pages only
    by the relative URLs of its links, which are the same from every page of one folder as long as
    no listed page lies under the page's own folder (MkDocs' ``url`` filter: ``get_relative_url``
    from the page's URL). Those pages get the navigation rendered for the first of them; every other
    page renders it as the theme does. Only the templates of Material and of this plugin are known
    to read nothing else of the page: with any other theme folder (``theme_dirs``: the folders the
    theme may be read from; a ``custom_dir``...) nothing is shared. Returns the cache (key -> HTML),
    fresh for each environment (MkDocs makes one per build)."""
    loader = env.loader
    if theme_dirs is not None and not (
        isinstance(loader, jinja2.FileSystemLoader)
        and all((os.path.realpath(p) + os.sep).startswith(theme_dirs) for p in loader.searchpath)
    ):
        return {}
    shared: dict[str, str] = {}
    listed: dict[int, tuple[Any, set[int], tuple[str, ...]]] = {}  # id(nav) -> (nav, ids of its pages, their URLs)
    _share(env, NAV_TEMPLATE, lambda context: _folder_key(context, listed), shared)
    _share(env, SEARCH_TEMPLATE, lambda context: SEARCH_TEMPLATE, shared)
    _share(env, PALETTE_TEMPLATE, lambda context: PALETTE_TEMPLATE, shared)
    _share(env, LOGO_TEMPLATE, _logo_key, shared)
    return shared


def _share(env: jinja2.Environment, name: str, key: Callable[[jinja2.runtime.Context], str | None], shared: dict[str, str]) -> None:
    """Template ``name`` renders once per key (None: every time), its output kept in ``shared``."""
    try:
        template = env.get_template(name)
    except jinja2.TemplateNotFound:
        return
    render: Callable[..., Iterator[str]] = template.root_render_func

    def root(context: jinja2.runtime.Context, *args: Any, **kwargs: Any) -> Iterator[str]:
        k = key(context)
        if k is None:
            yield from render(context, *args, **kwargs)
            return
        html = shared.get(k)
        if html is None:
            html = shared[k] = "".join(render(context, *args, **kwargs))
        yield html

    template.root_render_func = root


def _logo_key(context: jinja2.runtime.Context) -> str | None:
    theme = getattr(context.get("config"), "theme", None)
    return LOGO_TEMPLATE if theme is not None and not theme.get("logo") else None


def _folder_key(context: jinja2.runtime.Context, listed: dict[int, tuple[Any, set[int], tuple[str, ...]]]) -> str | None:
    page, nav = context.get("page"), context.get("nav")
    if page is None or nav is None or not isinstance(getattr(page, "url", None), str):
        return None
    known = listed.get(id(nav))
    if known is None or known[0] is not nav:
        pages = list(getattr(nav, "pages", []))
        known = listed[id(nav)] = (nav, {id(p) for p in pages}, tuple(str(p.url) for p in pages))
    if id(page) in known[1] or getattr(page, "parent", None) is not None:
        return None  # listed: marked in the navigation (and its table of contents shown there)
    url: str = page.url
    if not url.endswith("/"):  # page.html: links are relative to its folder, the same for the whole folder
        return posixpath.dirname(url) + "/"
    if not url or any(u.startswith(url) for u in known[2]):
        return None  # a listed page under this page's folder: its link depends on the folder's name
    return url.rstrip("/").rpartition("/")[0] + "/*/"
