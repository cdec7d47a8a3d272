"""The MkDocs side of generated pages: MkDocs gets their HTML and table of contents, not Markdown.

:func:`attach_pages` gives every generated file a :class:`KbPage` before MkDocs builds the
navigation; the adapter (:mod:`diplokb.plugin`) calls it from ``on_files``.
"""

from __future__ import annotations

from typing import Any

from markdown.extensions.toc import nest_toc_tokens  # type: ignore[import-untyped]
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from . import markup


class KbPage(Page):
    """A generated page whose HTML and table of contents come from the pipeline: no Markdown is parsed.

    The body is :meth:`diplokb.markup.Page.html` (the file's content, made in ``on_files``), the
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
