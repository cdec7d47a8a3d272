"""The MkDocs side of building a site safely and quickly: staging, swapping, dirty rebuilds.

:class:`StagedSite` builds into a folder beside ``site_dir`` and swaps it in only when the whole
build succeeded (in strict mode: with no warning at all), so no failure leaves a half-written
site, for ``mkdocs build`` and under ``mkdocs serve`` alike. :class:`GeneratedFiles` hands MkDocs
the generated pages and tells a dirty rebuild which of them changed. The adapter
(:mod:`diplokb.plugin`) only calls these from its event handlers.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import tempfile
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from markdown.extensions.toc import nest_toc_tokens  # type: ignore[import-untyped]
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import CountHandler

from . import markup

log = get_plugin_logger("diplokb")


class KbFile(File):
    """A generated page that says whether it changed since the last build (for ``serve --dirty``)."""

    kb_modified = True

    def is_modified(self) -> bool:
        return self.kb_modified


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


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled Jinja templates kept in memory across the rebuilds of one `mkdocs serve`."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


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

    def begin(self, config: MkDocsConfig, dirty: bool) -> None:
        """Point MkDocs at a fresh staging folder (for a dirty build: hard links to the last site)."""
        final = Path(config.site_dir).resolve()
        final.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=final.parent))
        self.linked = dirty and final.is_dir()
        if self.linked:
            # A dirty build adds to the last site: start from it, hard-linked (cheap at any size). Before
            # anything is written, before_writing gives every file this build may write a private inode.
            shutil.copytree(final, staging, symlinks=True, dirs_exist_ok=True, copy_function=os.link)
        self.final, self.staging = final, staging
        config.site_dir = str(staging)

    def before_writing(self, files: Files) -> None:
        if self.staging is not None and self.linked:
            _unshare(self.staging, files)

    def finish(self, config: MkDocsConfig) -> None:
        """Swap the staged site in, unless strict mode counted a warning (MkDocs aborts right after)."""
        if self.staging is None or self.final is None:
            return
        staging, final = self.staging, self.final
        self.staging = None
        config.site_dir = str(final)
        if config.strict and _warnings_counted():
            shutil.rmtree(staging, ignore_errors=True)
            log.info(f"strict mode: the build had warnings, so {final} keeps the last good site")
            return
        _swap(staging, final)

    def abandon(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
            if self.final is not None:
                log.info(f"the build failed, so {self.final} keeps the last good site")


class GeneratedFiles:
    """Adds the generated pages to MkDocs' files, each marked changed or not since the last build.

    Under ``serve --dirty`` MkDocs rebuilds only pages whose file "is modified": a generated page is
    when its Markdown changed, and every page is when the navigation or the configuration did."""

    def __init__(self) -> None:
        self.previous: dict[str, str] = {}  # generated path -> content, from the last build
        self.previous_dest: dict[str, str] = {}  # generated path -> file written (relative to site_dir), last build
        self.signature = ""

    def add(self, files: Files, config: MkDocsConfig, generated: dict[str, str]) -> Files:
        cfg = Path(config.config_file_path) if config.config_file_path else None
        signature = json.dumps([config.nav, cfg.stat().st_mtime_ns if cfg and cfg.exists() else 0, sorted(generated)])
        everything = signature != self.signature
        self.signature = signature
        for path in generated:
            existing = files.get_file_from_path(path)
            if existing is not None:
                log.warning(f"{here(Path(config.docs_dir) / path)}: is replaced by the generated page of the same name")
                files.remove(existing)
        dest: dict[str, str] = {}
        for path, content in generated.items():
            inclusion = (
                InclusionLevel.NOT_IN_NAV
                if path.startswith("case-studies/") and path.endswith(".md") and not path.endswith("index.md")
                else InclusionLevel.UNDEFINED
            )
            f = KbFile.generated(config, path, content=content, inclusion=inclusion)
            assert isinstance(f, KbFile)  # File.generated is a classmethod: it makes a KbFile
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


def _warnings_counted() -> int:
    """Warnings MkDocs' strict-mode counter holds so far (it aborts on them right after ``on_post_build``)."""
    handlers = logging.getLogger("mkdocs").handlers
    return sum(n for h in handlers if isinstance(h, CountHandler) for _level, n in h.get_counts())


def _swap(staging: Path, final: Path) -> None:
    """Put the freshly built ``staging`` folder in place of ``final``, keeping ``final``'s hidden entries (``.git``...)."""
    if final.is_dir() and not final.is_symlink():
        for entry in final.iterdir():
            # MkDocs' clean keeps dot-files in site_dir (a gh-pages checkout's .git); so does the swap.
            if entry.name.startswith(".") and not (staging / entry.name).exists():
                os.rename(entry, staging / entry.name)
        old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
        try:
            os.rename(final, old / final.name)
            os.rename(staging, final)
        except OSError:  # a mount point or the like cannot be renamed: copy over it instead
            if not final.exists():
                os.rename(old / final.name, final)
            _copy_over(staging, final)
            shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    elif final.exists() or final.is_symlink():  # a symlink to the real site folder: write through it
        _copy_over(staging, final)
        shutil.rmtree(staging, ignore_errors=True)
    else:
        os.rename(staging, final)


def _copy_over(src: Path, dest: Path) -> None:
    for entry in dest.iterdir():
        if not entry.name.startswith("."):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    shutil.copytree(src, dest, symlinks=True, dirs_exist_ok=True)


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
