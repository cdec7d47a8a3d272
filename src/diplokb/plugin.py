"""The MkDocs adapter: runs the pipeline and hands its pages to MkDocs, in memory.

Validation happens in ``on_config``, before MkDocs empties ``site_dir``, so a content error never
destroys the last good site. Beyond that, the site is built into a staging folder beside
``site_dir`` and swapped into place only when the whole build succeeded (in strict mode: with no
warning at all), so no failure (a crash, a strict abort) leaves a half-written site, for
``mkdocs build`` and under ``mkdocs serve`` alike. Under ``mkdocs serve`` a broken save is
reported and the last good pages stay served; the fix brings the new pages back without a restart.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jinja2
import jinja2.bccache
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from .cache import BuildCache
from .errors import ContentError
from .nav import nav, page_sources
from .pipeline import run

log = logging.getLogger("mkdocs.plugins.diplokb")
THEME_DIR = Path(__file__).parent / "theme"
CSS = "assets/diplokb.css"
JS = "assets/diplokb.js"  # names Material's link-preview dialogs (see the file)


class KbConfig(Config):
    content_dir = c.Type(str, default="content")
    """Folder holding ``topics/*.yaml``, relative to ``mkdocs.yml``."""
    seeds_dir = c.Type(str, default="seeds")
    """Folder holding the essays (``*.txt``) and the optional ``essays.yaml``."""
    set_nav = c.Type(bool, default=True)
    """Build the navigation from the topics and essays (unless ``nav`` is set in ``mkdocs.yml``)."""
    knowledge_json = c.Type(str, default="knowledge.json")
    """Where the machine-readable export goes in the site; empty to skip it."""
    require_references = c.Type(bool, default=False)
    """A case study without ``references:`` is an error (stops the build) rather than a warning."""


class _KbFile(File):
    """A generated page that says whether it changed since the last build (for ``serve --dirty``)."""

    kb_modified = True

    def is_modified(self) -> bool:
        return self.kb_modified


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled Jinja templates kept in memory across the rebuilds of one `mkdocs serve`."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


class _DirtyNotice(logging.Filter):
    """Drop MkDocs' warning about dirty builds: the plugin marks every page changed when the navigation does."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build is being performed" not in record.getMessage()


@dataclass
class _Output:
    """What a build hands MkDocs: all a later rebuild needs to serve it again (the knowledge base is let go)."""

    pages: dict[str, str]
    knowledge: str
    nav: list[Any]
    sources: dict[str, str]  # generated page -> the file behind it, relative to mkdocs.yml


class DiplokbPlugin(BasePlugin[KbConfig]):
    def __init__(self) -> None:
        self.output: _Output | None = None
        self.last_good: _Output | None = None
        self.serving = False
        self.dirty = False
        self.previous: dict[str, str] = {}  # generated path -> content, from the last build
        self.previous_dest: dict[str, str] = {}  # generated path -> file written (relative to site_dir), last build
        self.final_site: Path | None = None  # where the site goes once the build succeeded
        self.staging: Path | None = None  # where this build writes it
        self.linked = False  # the staging folder holds hard links to the last site (dirty builds)
        self.previous_signature: str = ""
        self.bytecode = _MemoryBytecodeCache()
        self.cache = BuildCache()  # parsed essays, composed YAML, term scans: reused across serve rebuilds

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining on_startup keeps this instance across rebuilds under `mkdocs serve`.
        self.serving = command == "serve"
        self.dirty = dirty
        if dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())

    def _dirs(self, config: MkDocsConfig) -> tuple[Path, Path]:
        root = Path(config.config_file_path or ".").resolve().parent
        cwd = Path.cwd()
        # Relative to the working directory where possible, so messages read content/topics/x.yaml:3:1.
        return tuple(  # type: ignore[return-value]
            p.relative_to(cwd) if p.is_relative_to(cwd) else p for p in (root / self.config.content_dir, root / self.config.seeds_dir)
        )

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        mk = logging.getLogger("mkdocs")
        if config.strict and mk.getEffectiveLevel() > logging.WARNING:
            # `-q` drops warnings before MkDocs' strict counter sees them: a quiet strict build then
            # "passes" with warnings. In strict mode warnings fail the build, so they are shown and counted.
            mk.setLevel(logging.WARNING)
        content, seeds = self._dirs(config)
        try:
            result = run(
                content,
                seeds,
                directory_urls=config.use_directory_urls,
                require_references=self.config.require_references,
                cache=self.cache,
            )
        except ContentError as exc:
            msg = f"diplokb: {len(exc.problems)} problem(s) in the content:\n" + "\n".join(f"  {p}" for p in exc.problems)
            if self.serving and self.last_good is not None:
                # Keep serving the last good pages; the fix will trigger the next rebuild.
                log.error(msg + "\n  (still serving the last good version; save a fix to rebuild)")
                self.output = self.last_good
            else:
                raise PluginError(msg) from None
        else:
            for w in result.warnings:
                log.warning(f"diplokb: {w}")
            # The C JSON encoder (no indent): a pretty-printed dump is several times slower at scale.
            knowledge = json.dumps(result.knowledge, ensure_ascii=False, separators=(",", ":"))
            root = Path(config.config_file_path or ".").resolve().parent
            sources = {}
            for page, src in page_sources(result.kb).items():
                path = Path(src).resolve()
                if path.is_relative_to(root):
                    sources[page] = path.relative_to(root).as_posix()
            self.output = self.last_good = _Output(result.pages, knowledge, nav(result.kb), sources)
        if self.config.set_nav and not config.nav:
            docs = Path(config.docs_dir)
            own = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")) if docs.is_dir() else []
            config.nav = self.output.nav + [p for p in own if p not in self.output.pages]
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

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        """ "Edit this page" opens what an editor changes: a topic's YAML file, an essay, a hand-written page.

        MkDocs makes edit links from ``repo_url`` + ``edit_uri`` (which points at ``docs_dir``); a
        generated page gets the same link base, pointed at its source file, or no link at all."""
        if page.file.generated_by is None or self.output is None:
            return context
        src = self.output.sources.get(page.file.src_uri)
        page.edit_url = None
        base = self._edit_base(config)
        if src and base:
            page.edit_url = base + src
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
        """Build into a staging folder next to ``site_dir``; :meth:`on_post_build` swaps it in on success."""
        final = Path(config.site_dir).resolve()
        final.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=final.parent))
        self.linked = self.dirty and final.is_dir()
        if self.linked:
            # A dirty build adds to the last site: start from it, hard-linked (cheap at any size). Before
            # anything is written, on_env gives every file this build may write a private inode.
            shutil.copytree(final, staging, symlinks=True, dirs_exist_ok=True, copy_function=os.link)
        self.final_site, self.staging = final, staging
        config.site_dir = str(staging)

    @event_priority(-100)  # after every other plugin's on_post_build (search index, offline, privacy)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.staging is None or self.final_site is None:
            return
        staging, final = self.staging, self.final_site
        self.staging = None
        config.site_dir = str(final)
        if config.strict and _warnings_counted():
            # MkDocs aborts right after this event; the last good site stays as it was.
            shutil.rmtree(staging, ignore_errors=True)
            log.info(f"diplokb: strict mode: the build had warnings, so {final} keeps the last good site")
            return
        _swap(staging, final)

    def on_build_error(self, *, error: Exception) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
            if self.final_site is not None:
                log.info(f"diplokb: the build failed, so {self.final_site} keeps the last good site")

    @event_priority(-100)  # the last event before MkDocs writes anything
    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        # MkDocs makes a new Jinja environment per build; compiled templates survive in this cache.
        env.bytecode_cache = self.bytecode
        if self.staging is not None and self.linked:
            _unshare(self.staging, files)
        return env

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.output is not None
        # Under `serve --dirty` MkDocs rebuilds only pages whose file "is modified": a generated page is
        # when its Markdown changed, and every page is when the navigation or the configuration did.
        cfg = Path(config.config_file_path) if config.config_file_path else None
        signature = json.dumps([config.nav, cfg.stat().st_mtime_ns if cfg and cfg.exists() else 0, sorted(self.output.pages)])
        everything = signature != self.previous_signature
        self.previous_signature = signature
        generated: dict[str, str] = {}
        for path, md in self.output.pages.items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                log.warning(f"diplokb: {_here(Path(config.docs_dir) / path)}: is replaced by the generated page of the same name")
                files.remove(existing)
            generated[path] = md
        if self.config.knowledge_json:
            generated[self.config.knowledge_json] = self.output.knowledge
        dest: dict[str, str] = {}
        for path, content in generated.items():
            inclusion = (
                InclusionLevel.NOT_IN_NAV
                if path.startswith("case-studies/") and path.endswith(".md") and not path.endswith("index.md")
                else InclusionLevel.UNDEFINED
            )
            f = _KbFile.generated(config, path, content=content, inclusion=inclusion)
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

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        host, port = config.dev_addr.host, config.dev_addr.port
        if not _port_free(host, port):
            # Otherwise MkDocs ends in an OSError traceback when it starts listening.
            raise PluginError(
                f"{host}:{port} is already in use (another `mkdocs serve`?): stop it, or serve on another port with -a {host}:{port + 1}"
            )
        for d in self._dirs(config):
            if d.exists():
                server.watch(str(d))
        return server


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


def _port_free(host: str, port: int) -> bool:
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


def _here(path: Path) -> str:
    """``path`` relative to the working directory where it can be, as the content messages are."""
    cwd = Path.cwd()
    return str(path.relative_to(cwd)) if path.is_relative_to(cwd) else str(path)
