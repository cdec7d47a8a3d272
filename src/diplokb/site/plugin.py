"""The MkDocs adapter: maps MkDocs events to the pipeline and hands its pages to MkDocs, in memory.

Validation happens in ``on_config``, before MkDocs empties ``site_dir``, so a content error never
destroys the last good site. Beyond that, the site is built into a staging folder beside
``site_dir`` and swapped into place only when the whole build succeeded (in strict mode: with no
warning at all), so no failure (a crash, a strict abort) leaves a half-written site, for
``mkdocs build`` and under ``mkdocs serve`` alike. Under ``mkdocs serve`` a broken save is
reported (in the terminal and on the served pages) and the last good pages stay served; the fix
brings the new pages back without a restart.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import jinja2
import jinja2.bccache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from ..assets import CSS, JS, THEME_DIR  # what the plugin adds to the theme, and the export writes out
from ..cache import BuildCache
from ..content.inputs import unreadable
from ..errors import ContentError
from ..pipeline import run
from ..render import markup
from ..render.cite import SiteInfo
from ..render.copy import site_extra
from ..render.nav import hidden_pages, nav, page_sources, reading_chains
from ..render.pagemeta import lead
from ..urls import replaced, site_base
from . import searchindex
from .config import KbConfig
from .pages import KbPage, attach_pages, link_chains, share_partials
from .serving import ErrorBanner, FolderWatch
from .staging import (
    DirtyNotice,
    DirtySearch,
    GeneratedFiles,
    StagedSite,
    TemplateCache,
    ThemeEnvs,
    guard_site_dir,
    here,
    no_cycle_collection,
    port_free,
    unread_titles,
)

if TYPE_CHECKING:  # imported by `mkdocs serve` anyway; a build need not load the server
    from mkdocs.livereload import LiveReloadServer

log = get_plugin_logger("diplokb")
_SEARCH_ATTR = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")  # what Material's search removes from a page it indexed


@dataclass
class _Output:
    """What a build hands MkDocs: all a later rebuild needs to serve it again (the knowledge base is let go)."""

    pages: dict[str, markup.Page]
    knowledge: str
    nav: list[Any]
    sources: dict[str, str]  # generated page -> the file behind it, relative to mkdocs.yml
    chains: list[list[str]]  # pages outside the navigation linked previous/next (an index page first)
    downloads: dict[str, str]  # the exports beside knowledge.json


class DiplokbPlugin(BasePlugin[KbConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.output: _Output | None = None
        self.last_good: _Output | None = None
        self.serving = False
        self.own_nav = False  # the navigation is the plugin's (not one set in mkdocs.yml)
        self.dirty = False
        self.site = StagedSite()  # built beside site_dir, swapped in only on success
        self.generated = GeneratedFiles()  # generated pages, marked changed or not for dirty rebuilds
        self.bytecode = TemplateCache()  # compiled templates: in memory under serve, and in cache_dir between builds
        self.envs = ThemeEnvs(self.bytecode)  # theme environments made again cheaply
        self._full_page: dict[str, str] = {}  # generated page -> its HTML while search reads the short version
        self.entries: dict[str, tuple[markup.Page, str, list[dict[str, str]] | None]] = {}  # generated page -> its search entries
        self.cache = BuildCache()  # parsed essays, composed YAML, term scans: reused across serve rebuilds
        self.search = DirtySearch()  # the search index kept whole across dirty rebuilds
        self.dumped: dict[str, tuple[Any, str]] = {}  # knowledge.json part -> (the part, its JSON)
        self.banner = ErrorBanner(lambda environ, start: [])  # the served site's message while a save is broken

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining on_startup keeps this instance across rebuilds under `mkdocs serve`.
        self.serving = command == "serve"
        self.dirty = dirty
        self.cache.keep = self.serving  # a rebuild reuses every page whose inputs read the same
        if dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(DirtyNotice())

    def _dirs(self, config: MkDocsConfig) -> tuple[Path, Path]:
        root = Path(config.config_file_path or ".").resolve().parent
        # Relative to the working directory where possible, so messages read content/topics/x.yaml:3:1.
        return Path(here(root / self.config.content_dir)), Path(here(root / self.config.seeds_dir))

    @event_priority(100)  # before Material's search plugin makes its first environment
    def _cheaper_theme(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        self.bytecode.keep_in(root / self.config.cache_dir if self.config.cache_dir else None)
        self.envs.install(config)
        return config

    def _on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        mk = logging.getLogger("mkdocs")
        if config.strict and mk.getEffectiveLevel() > logging.WARNING:
            # `-q` drops warnings before MkDocs' strict counter sees them: a quiet strict build then
            # "passes" with warnings. In strict mode warnings fail the build, so they are shown and counted.
            mk.setLevel(logging.WARNING)
        # The site's name is the plugin's (MkDocs requires one in mkdocs.yml too): header, titles and citations agree.
        config.site_name = self.config.site_name
        for key, value in site_extra().items():
            config.extra.setdefault(key, value)
        content, seeds = self._dirs(config)
        guard_site_dir(config, content, seeds)  # before anything is written or fails
        if self.serving and self.last_good is not None:
            # The last build's MkDocs pages, files and tables of contents are cycles the collector reaches only
            # now and then: freed before this build makes its own, a serve session's memory stays level (~20 MB at x100).
            gc.collect()
        try:
            with no_cycle_collection(freeze=not self.serving):
                result = run(
                    content,
                    seeds,
                    directory_urls=config.use_directory_urls,
                    require_references=self.config.require_references,
                    require_decisions=self.config.require_decisions,
                    cache=self.cache,
                    pages_dir=Path(here(Path(config.docs_dir))),
                    site=SiteInfo(config.site_name, site_base(config.site_url)),
                )
                if not self.serving:
                    self.cache = BuildCache()  # parsed essays, YAML nodes, scans: only a later rebuild reuses them
        except (ContentError, OSError) as exc:  # OSError: a file that vanished or cannot be read, said as a problem too
            problems = exc.problems if isinstance(exc, ContentError) else [unreadable(exc)]
            msg = f"{len(problems)} problem(s) in the content:\n" + "\n".join(f"  {p}" for p in problems)
            if self.serving and self.last_good is not None:
                # Keep serving the last good pages, the problems shown on them; the fix will trigger the next rebuild.
                log.error(msg + "\n  (still serving the last good version; save a fix to rebuild)")  # log adds "diplokb: "
                self.output = self.last_good
                self.banner.problems = problems
            else:
                raise PluginError(f"diplokb: {msg}") from None
        else:
            self.banner.problems = []
            for w in result.warnings:
                log.warning(str(w))
            knowledge = self._dump(result.knowledge)
            root = Path(config.config_file_path or ".").resolve().parent
            sources = {}
            resolved: dict[str, Path] = {}  # a topic file is behind each of its case studies' pages: resolved once
            for page, src in page_sources(result.kb).items():
                path = resolved.get(src) or resolved.setdefault(src, Path(src).resolve())
                if path.is_relative_to(root):
                    sources[page] = path.relative_to(root).as_posix()
            self.output = self.last_good = _Output(
                result.pages, knowledge, nav(result.kb), sources, reading_chains(result.kb), result.downloads
            )
        self.own_nav = False
        if self.config.set_nav and not config.nav:
            self.own_nav = True
            docs = Path(config.docs_dir)
            own = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")) if docs.is_dir() else []
            gone = {p for p, _why in replaced(own, self.output.pages, (config.use_directory_urls,))}  # (on_files warns)
            config.nav = self.output.nav + [p for p in own if p not in gone]
        offline = config.plugins.get("material/offline")
        features = config.theme.get("features") or []
        if offline is not None and offline.config.enabled and "navigation.instant.preview" in features:
            # Previews fetch sitemap.xml and the linked page, which a copy opened from disk cannot:
            # there the links stay plain links (and the browser logs no blocked requests).
            features.remove("navigation.instant.preview")
        if not config.repo_url:
            config.edit_uri = None  # no repository (a local build): no "Edit this page" links at all
        # The plugin's own templates and stylesheet (copied as a theme file); a custom_dir still overrides them.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        if CSS not in config.extra_css:
            config.extra_css.append(CSS)
        if JS not in [str(x) for x in config.extra_javascript]:
            config.extra_javascript.append(JS)
        return config

    on_config = CombinedEvent(_cheaper_theme, _on_config)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self.dirty:
            unread_titles(nav, config)
        if self.own_nav and self.output is not None:
            link_chains(files, self.output.chains)
        return nav

    def _dump(self, knowledge: dict[str, Any]) -> str:
        """``knowledge.json``: each part dumped again only when the pipeline handed a new one (it reuses
        unchanged parts). The C JSON encoder (no indent): a pretty-printed dump is several times slower."""
        parts = []
        for key, value in knowledge.items():
            hit = self.dumped.get(key)
            if hit is None or hit[0] is not value:
                hit = (value, json.dumps(value, ensure_ascii=False, separators=(",", ":")))
                if self.serving:  # (a one-off build would only hold the parts and their JSON to the end)
                    self.dumped[key] = hit
            parts.append(f"{json.dumps(key, ensure_ascii=False)}:{hit[1]}")
        return "{" + ",".join(parts) + "}"

    @event_priority(50)  # before the search plugin indexes the page
    def _search_view(self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        """Material's search parses every page's HTML; a generated page's entries are made here instead.

        :func:`diplokb.site.searchindex.entries` makes the very entries Material's parser would of the
        blocks it indexes (``markup.Page.search_html``) and adds them to its index; Material is shown
        an empty page. Where that reading gives up, Material parses the short version itself. The full
        page is put back, with the ``data-search-*="..."`` attributes removed as Material's search
        removes them, in :meth:`_page_after_search`."""
        search = config.plugins.get("material/search")
        if isinstance(page, KbPage) and search is not None and search.config.get("enabled", True):
            self._full_page[page.file.src_uri] = page.content or ""
            made = self._entries(page) if searchindex.material_index(search, page) else None
            if made is None:
                page.content = page.kb_page.search_html()
            else:
                search.search_index.entries.extend(dict(e) for e in made)
                page.content = ""  # Material's parser finds no section in it
        return context

    def _entries(self, page: KbPage) -> list[dict[str, str]] | None:
        """A page's search entries, made once per page object and URL (under serve a reused page is the very object it was)."""
        hit = self.entries.get(page.file.src_uri)
        if hit is None or hit[0] is not page.kb_page or hit[1] != page.url:
            title = str(page.meta.get("title", page.title))
            hit = (page.kb_page, page.url, searchindex.entries(page.kb_page.search_html(), page.url, title))
            if self.serving:
                self.entries[page.file.src_uri] = hit
        return hit[2]

    @event_priority(-50)  # after the search plugin
    def _page_after_search(self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        full = self._full_page.pop(page.file.src_uri, None)
        if full is not None:
            page.content = _SEARCH_ATTR.sub("", full)
        return self._edit_link(context, page=page, config=config)

    on_page_context = CombinedEvent(_search_view, _page_after_search)

    def _edit_link(self, context: TemplateContext, *, page: Page, config: MkDocsConfig) -> TemplateContext:
        """ "Edit this page" opens what an editor changes: a topic's YAML file, an essay, a hand-written page.

        MkDocs makes edit links from ``repo_url`` + ``edit_uri`` (which points at ``docs_dir``); a
        generated page gets the same link base, pointed at its source file, or no link at all."""
        self.search.rendered.add(page.url)
        if page.file.generated_by is None:
            # MkDocs joins a hand-written page's file name to edit_uri as it is: encode it as for generated pages.
            tail = page.file.edit_uri
            if page.edit_url and tail and page.edit_url.endswith(tail):
                page.edit_url = page.edit_url[: -len(tail)] + urllib.parse.quote(tail)
            return context
        if self.output is None:
            return context
        src = self.output.sources.get(page.file.src_uri)
        page.edit_url = None
        base = self._edit_base(config)
        if src and base:
            # A file name is data: percent-encoded, it cannot end the attribute or turn into a query or fragment.
            page.edit_url = base + urllib.parse.quote(src)
        return context

    @staticmethod
    def _edit_base(config: MkDocsConfig) -> str | None:
        """``repo_url`` + ``edit_uri`` without its ``docs_dir`` part: the edit URL of the repository's root."""
        if not config.repo_url or not config.edit_uri:
            return None
        root = Path(config.config_file_path or ".").resolve().parent
        docs = Path(config.docs_dir).resolve()
        uri = config.edit_uri if config.edit_uri.endswith("/") else config.edit_uri + "/"
        tail = docs.relative_to(root).as_posix() + "/" if docs.is_relative_to(root) else ""
        if not tail or not uri.endswith(tail):
            return None
        return config.repo_url.rstrip("/") + "/" + uri[: -len(tail)].lstrip("/")

    @event_priority(-100)  # after every other plugin's on_pre_build: nothing has been written yet
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.site.begin(config, dirty=self.dirty, in_place=self.serving)

    @event_priority(50)  # before Material's search plugin writes its index
    def _mend_search(self, *, config: MkDocsConfig) -> None:
        if self.dirty:
            self.search.merge(config)

    @event_priority(-100)  # after every other plugin's on_post_build (search index, offline, privacy)
    def _finish(self, *, config: MkDocsConfig) -> None:
        self.site.finish(config)

    on_post_build = CombinedEvent(_mend_search, _finish)

    def on_build_error(self, *, error: Exception) -> None:
        self.site.abandon()

    @event_priority(-100)  # the last event before MkDocs writes anything
    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        # MkDocs makes a new Jinja environment per build; compiled templates survive in this cache.
        env.bytecode_cache = self.bytecode
        share_partials(env, _known_theme_dirs())
        self.site.before_writing(files)
        self.search.pages(files)
        return env

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.output is not None
        # Generated pages reach MkDocs as HTML with their table of contents: no Markdown to parse. Each
        # page's HTML is made when MkDocs reads the page (a dirty rebuild: only the pages that changed).
        generated: dict[str, str | markup.Page] = dict(self.output.pages)
        for gone in self.entries.keys() - generated.keys():
            del self.entries[gone]
        if self.config.knowledge_json:
            generated[self.config.knowledge_json] = self.output.knowledge
        generated.update(self.output.downloads)  # the CSV, GeoJSON and CSL-JSON exports
        hidden = frozenset(hidden_pages(generated, self.output.nav if self.own_nav else None))
        files = self.generated.add(files, config, generated, hidden)
        attach_pages(files, config, self.output.pages)
        return files

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # A hand-written page's description where its front matter has none (the export's copy gets the same).
        if not isinstance(page, KbPage) and not page.meta.get("description") and (found := lead(html)):
            page.meta["description"] = found
        return html

    @event_priority(-100)  # after every other plugin's on_post_page: the page is rendered
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if isinstance(page, KbPage):
            page.content = None  # written next: a generated page's HTML is let go page by page, not held to the end
        return output

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        host, port = config.dev_addr.host, config.dev_addr.port
        if not port_free(host, port):
            # Otherwise MkDocs ends in an OSError traceback when it starts listening.
            raise PluginError(
                f"{host}:{port} is already in use (another `mkdocs serve`?): stop it, or serve on another port with -a {host}:{port + 1}"
            )
        observer = getattr(server, "observer", None)
        if isinstance(getattr(observer, "_timeout", None), float):
            # The content and the essays are polled every 0.1 s, not MkDocs' 0.5 s: a save shows sooner.
            # (watchdog gives each watch the observer's timeout when the watch is made.)
            observer._timeout = 0.1  # type: ignore[union-attr]
        for d in self._dirs(config):
            if d.exists():
                server.watch(str(d))
        FolderWatch(server, [*self._dirs(config), Path(config.docs_dir)])  # watched again when replaced
        self.banner.app = server.get_app() or self.banner.app
        server.set_app(self.banner)  # a broken save is shown on the served pages
        return server


def _known_theme_dirs() -> tuple[str, ...]:
    """The theme folders whose templates :func:`diplokb.site.pages.share_partials` knows: this plugin's, Material's, MkDocs' own."""
    import material
    import mkdocs

    dirs = (THEME_DIR, Path(material.__file__).parent, Path(mkdocs.__file__).parent / "templates")
    return tuple(os.path.realpath(d) + os.sep for d in dirs)
