"""The MkDocs side of building a site safely and quickly: staging, swapping, dirty rebuilds.

:class:`StagedSite` builds into a folder beside ``site_dir`` and swaps it in only when the whole
build succeeded (in strict mode: with no warning at all), so no failure leaves a half-written
site, for ``mkdocs build`` and under ``mkdocs serve`` alike. :class:`GeneratedFiles` hands MkDocs
the generated pages and tells a dirty rebuild which of them changed. The adapter
(:mod:`diplokb.site.plugin`) only calls these from its event handlers.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import shutil
import socket
import sysconfig
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.utils import CountHandler

from ..content.outputs import project_inputs, site_dir_problem
from ..render import markup
from ..urls import replaced
from .journal import Journal
from .pages import KbFile
from .swap import Lock, make_staging, recover, swap

log = get_plugin_logger("diplokb")


class TemplateCache(jinja2.BytecodeCache):
    """Compiled Jinja templates: in memory across the rebuilds of one `mkdocs serve`, and on disk
    (``folder``) across builds, so a build does not compile the theme's templates again.

    Jinja keys each entry by template and checks it against the template's source and Jinja's own
    version, so an edited template or an upgrade compiles afresh; a folder that cannot be written
    only costs the compilation."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}
        self.disk: jinja2.FileSystemBytecodeCache | None = None

    def keep_in(self, folder: Path | None) -> None:
        self.disk = None
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                log.debug("compiled templates not kept in %s: %s", folder, exc)
            else:
                self.disk = jinja2.FileSystemBytecodeCache(str(folder))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])
        elif self.disk is not None:
            self.disk.load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()
        if self.disk is not None:
            try:
                self.disk.dump_bytecode(bucket)
            except OSError as exc:
                log.debug("compiled template not kept: %s", exc)


class ThemeEnvs:
    """Makes the theme's Jinja environments cheaper to make, in a build and again under ``mkdocs serve``.

    MkDocs and Material make a new environment several times per build: each compiles its
    templates again and lists every file of the theme folders (Material's holds thousands of
    icons) to filter them with ``fnmatch``. Here every environment gets the compiled templates
    (``bytecode``: of earlier builds and of the session), and installed theme folders (a package's, which do not change while
    serving) are listed once, with MkDocs' filtering of that list kept while the list and the
    configuration's static templates are the same. Folders outside installed packages (a
    ``custom_dir``) are listed afresh every time."""

    MKDOCS_FILTER = "Files.add_files_from_theme.<locals>.filter"

    def __init__(self, bytecode: jinja2.BytecodeCache) -> None:
        self.bytecode = bytecode
        self.listed: dict[str, set[str]] = {}  # installed theme folder -> the files in it
        self.filtered: tuple[Any, list[str], list[str]] | None = None  # (key, names, names MkDocs kept)
        installed = {sysconfig.get_paths()[k] for k in ("purelib", "platlib")}
        self.installed = tuple(os.path.normpath(d) + os.sep for d in installed)

    def install(self, config: MkDocsConfig) -> None:
        theme = config.theme
        make = theme.get_env

        def get_env() -> jinja2.Environment:
            env = make()
            env.bytecode_cache = self.bytecode
            loader = env.loader
            if isinstance(loader, jinja2.FileSystemLoader):
                paths = list(loader.searchpath)
                loader.list_templates = lambda: self._list(paths)  # type: ignore[method-assign]
                env.list_templates = lambda extensions=None, filter_func=None: self._filter(  # type: ignore[method-assign]
                    env, config, paths, extensions, filter_func
                )
            return env

        theme.get_env = get_env  # type: ignore[method-assign]

    def _list(self, paths: list[str]) -> list[str]:
        """What ``FileSystemLoader.list_templates`` returns, reading each installed folder once."""
        found: set[str] = set()
        for path in paths:
            names = self.listed.get(path)
            if names is None:
                names = set()
                for dirpath, _dirs, filenames in os.walk(path):
                    for name in filenames:
                        t = os.path.join(dirpath, name)[len(path) :].strip(os.path.sep).replace(os.path.sep, "/")
                        names.add(t[2:] if t[:2] == "./" else t)
                if (os.path.normpath(path) + os.sep).startswith(self.installed):
                    self.listed[path] = names
            found |= names
        return sorted(found)

    def _filter(self, env: jinja2.Environment, config: MkDocsConfig, paths: list[str], extensions: Any, filter_func: Any) -> list[str]:
        names = self._list(paths)
        if extensions is not None or filter_func is None or getattr(filter_func, "__qualname__", "") != self.MKDOCS_FILTER:
            return jinja2.Environment.list_templates(env, extensions, filter_func)
        key = (tuple(paths), tuple(config.theme.static_templates))
        if self.filtered is None or self.filtered[0] != key or self.filtered[1] != names:
            self.filtered = (key, names, [n for n in names if filter_func(n)])
        return list(self.filtered[2])


class DirtyNotice(logging.Filter):
    """Drop MkDocs' warning about dirty builds: the plugin marks every page changed when the navigation does."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build is being performed" not in record.getMessage()


class StagedSite:
    """One build's staging folder, swapped into ``site_dir`` on success and dropped on failure."""

    def __init__(self) -> None:
        self.final: Path | None = None  # where the site goes once the build succeeded
        self.staging: Path | None = None  # where this build writes it
        self.linked = False  # the staging folder holds hard links to the last site (dirty builds)
        self.journal: Journal | None = None  # a serve rebuild written in place, undone on failure
        self.built = False  # a build of this session succeeded (the site to rebuild in place exists)
        self.lock: Lock | None = None

    def begin(self, config: MkDocsConfig, dirty: bool, in_place: bool = False) -> None:
        """Point MkDocs at a fresh staging folder (for a dirty build: hard links to the last site).

        ``in_place`` (a dirty rebuild under ``mkdocs serve``, whose server holds every request while
        it builds): write into the served site itself, keeping what each write replaces in a journal
        that a failed build rolls back. Copying a large site's tree of links costs more than the rebuild."""
        final = Path(config.site_dir).resolve()
        final.parent.mkdir(parents=True, exist_ok=True)
        if in_place and dirty and self.built and final.is_dir():
            self.final, self.staging, self.linked = final, None, False
            self.journal = Journal(final)
            return
        self.lock = Lock(final.parent)  # held (shared with other builds) until the swap is done: see swap.recover
        self.lock.share()
        staging = make_staging(final)
        self.linked = dirty and final.is_dir()
        if self.linked:
            # A dirty build adds to the last site: start from it, hard-linked (cheap at any size). Before
            # anything is written, before_writing gives every file this build may write a private inode.
            shutil.copytree(final, staging, symlinks=True, dirs_exist_ok=True, copy_function=os.link)
        self.final, self.staging = final, staging
        config.site_dir = str(staging)

    def before_writing(self, files: Files) -> None:
        if self.journal is not None:
            self.journal.keep(files)
        elif self.staging is not None and self.linked:
            _unshare(self.staging, files)

    def finish(self, config: MkDocsConfig) -> None:
        """Swap the staged site in, unless strict mode counted a warning (MkDocs aborts right after)."""
        if self.journal is not None:
            journal, self.journal = self.journal, None
            if config.strict and _warnings_counted():
                journal.undo()
                log.info(f"strict mode: the build had warnings, so {self.final} keeps the last good site")
            else:
                journal.drop()
            return
        if self.staging is None or self.final is None:
            return
        staging, final = self.staging, self.final
        self.staging = None
        config.site_dir = str(final)
        try:
            if config.strict and _warnings_counted():
                shutil.rmtree(staging, ignore_errors=True)
                log.info(f"strict mode: the build had warnings, so {final} keeps the last good site")
                return
            swap(staging, final)
            self.built = True
        finally:
            self._unlock()

    def _unlock(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def abandon(self) -> None:
        if self.journal is not None:
            self.journal.undo()
            self.journal = None
            log.info(f"the build failed, so {self.final} keeps the last good site")
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
            if self.final is not None:
                log.info(f"the build failed, so {self.final} keeps the last good site")
        self._unlock()


class GeneratedFiles:
    """Adds the generated pages to MkDocs' files, each marked changed or not since the last build.

    Under ``serve --dirty`` MkDocs rebuilds only pages whose file "is modified": a generated page is
    when it changed, and every page is when the navigation or the configuration did. A page is given
    as its :class:`~diplokb.render.markup.Page`, whose HTML MkDocs makes when it reads the page."""

    def __init__(self) -> None:
        self.previous: dict[str, str | markup.Page] = {}  # generated path -> content or page, from the last build
        self.previous_dest: dict[str, str] = {}  # generated path -> file written (relative to site_dir), last build
        self.signature = ""

    def add(
        self, files: Files, config: MkDocsConfig, generated: dict[str, str | markup.Page], hidden: frozenset[str] = frozenset()
    ) -> Files:
        """``hidden``: the generated pages the navigation leaves out on purpose (see :func:`diplokb.render.nav.hidden_pages`)."""
        cfg = Path(config.config_file_path) if config.config_file_path else None
        signature = json.dumps([config.nav, cfg.stat().st_mtime_ns if cfg and cfg.exists() else 0, sorted(generated)])
        everything = signature != self.signature
        self.signature = signature
        # A hand-written file at a generated page's name, or at its address (map/index.md beside map.md), is replaced.
        for own, why in replaced((f.src_uri for f in files), generated, (config.use_directory_urls,)):
            existing = files.get_file_from_path(own)
            if existing is not None:
                log.warning(f"{here(Path(config.docs_dir) / own)}: {why}")
                files.remove(existing)
        dest: dict[str, str] = {}
        for path, content in generated.items():
            inclusion = InclusionLevel.NOT_IN_NAV if path in hidden else InclusionLevel.UNDEFINED
            f = KbFile.generated(config, path, content="" if isinstance(content, markup.Page) else content, inclusion=inclusion)
            assert isinstance(f, KbFile)  # File.generated is a classmethod: it makes a KbFile
            f.kb_page = content if isinstance(content, markup.Page) else None
            f.kb_modified = everything or self.previous.get(path) != content
            files.append(f)
            dest[path] = f.dest_uri
        # A page that is no longer generated must not linger in a dirty site.
        for path, old in self.previous_dest.items():
            stale = os.path.join(config.site_dir, old)
            if path not in generated and old not in dest.values() and os.path.isfile(stale):
                os.remove(stale)
        self.previous, self.previous_dest = generated, dest
        return files


class DirtySearch:
    """Keeps Material's search index whole across dirty rebuilds.

    A dirty rebuild indexes only the pages it renders; Material then merges them into the last
    index by the first page's URL prefix, assuming one page changed (with the home page first,
    every other page's entries were dropped). Here each page's entries are kept by page URL and the
    index is put together in the order of the pages, as a fresh build writes it."""

    def __init__(self) -> None:
        self.entries: dict[str, list[Any]] = {}  # page URL -> its search entries, as last indexed
        self.order: list[str] = []  # page URLs in build order
        self.rendered: set[str] = set()  # pages rendered (so indexed) by this build

    def pages(self, files: Files) -> None:
        # A page's URL as its search entries give it (MkDocs' Page.url: the home page's is "", not "./").
        self.order = ["" if f.url in (".", "./") else f.url for f in files.documentation_pages(inclusion=InclusionLevel.is_in_serve)]
        self.rendered = set()

    def merge(self, config: MkDocsConfig) -> None:
        search = config.plugins.get("material/search") or config.plugins.get("search")
        index = getattr(search, "search_index", None)
        if search is None or not isinstance(getattr(index, "entries", None), list) or not hasattr(search, "search_index_prev"):
            return  # another search plugin (or none): nothing to mend
        fresh: dict[str, list[Any]] = {url: [] for url in self.rendered}
        for entry in index.entries:  # type: ignore[union-attr]
            fresh.setdefault(str(entry.get("location", "")).partition("#")[0], []).append(entry)
        self.entries.update(fresh)
        present = set(self.order)
        for url in [u for u in self.entries if u not in present]:
            del self.entries[url]
        index.entries = [e for url in self.order for e in self.entries.get(url, [])]  # type: ignore[union-attr]
        search.search_index_prev = None  # the merged list is whole: no merge of Material's own


def unread_titles(nav: Any, config: MkDocsConfig) -> None:
    """A dirty rebuild reads only the pages it renders; a hand-written page it skips would show in the
    navigation with no title ("None"). Its source is read (not rendered) so its title is known."""
    for page in nav.pages:
        if page.markdown is None and page.file.generated_by is None and not page.file.is_modified():
            page.read_source(config)


def _warnings_counted() -> int:
    """Warnings MkDocs' strict-mode counter holds so far (it aborts on them right after ``on_post_build``)."""
    handlers = logging.getLogger("mkdocs").handlers
    return sum(n for h in handlers if isinstance(h, CountHandler) for _level, n in h.get_counts())


def guard_site_dir(config: MkDocsConfig, content: Path, seeds: Path) -> None:
    """Before anything is written: refuse a site_dir that is, lies in or holds an input folder (MkDocs empties
    site_dir, and the swap deletes the folder it replaces); then clean up after a build killed while swapping."""
    custom = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    cfg = Path(config.config_file_path or "mkdocs.yml").resolve()
    inputs = project_inputs(cfg.parent, content, seeds, Path(config.docs_dir), custom)
    bad = site_dir_problem(Path(config.site_dir), inputs, Path(here(cfg)), here(Path(config.site_dir)))
    if bad is not None:
        raise PluginError(f"diplokb: {bad}")
    recover(Path(config.site_dir).resolve())


def port_free(host: str, port: int) -> bool:
    """Whether MkDocs' server can listen on ``host:port`` (it sets SO_REUSEADDR, as this check does)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return True  # let MkDocs report a bad address its own way
    family, *_rest, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(addr)
        except OSError:
            return False
    return True


def _unshare(staging: Path, files: Files) -> None:
    """Make the hard-linked staging copy safe to write: MkDocs writes files in place, which would change the
    served site too. A file this dirty build will not touch keeps its link; one it rewrites is unlinked; any
    other (search index, sitemap, 404 page, other plugins' output) gets its own copy."""
    untouched: set[str] = set()
    rewritten: set[str] = set()
    for f in files:
        (rewritten if f.is_modified() else untouched).add(os.path.normpath(f.abs_dest_path))
    for root, _dirs, names in os.walk(staging):
        for name in names:
            path = os.path.join(root, name)
            if path in untouched or os.path.islink(path):
                continue
            if path in rewritten:
                os.unlink(path)
                continue
            tmp = path + ".kb-unshare"
            shutil.copy2(path, tmp)
            os.replace(tmp, path)


def here(path: Path) -> str:
    """``path`` relative to the working directory where it can be, as the content messages are."""
    cwd = Path.cwd()
    return str(path.relative_to(cwd)) if path.is_relative_to(cwd) else str(path)


@contextmanager
def no_cycle_collection(freeze: bool) -> Iterator[None]:
    """No cyclic garbage collection while the pipeline builds its objects (it makes few cycles; each
    full collection walks everything made so far). For a one-off build, what the pipeline made is
    then frozen: it lives until the end, and the collections during MkDocs' build need not walk it.
    (Not under serve, where frozen objects of one build would outlive it.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        if freeze:
            gc.freeze()
