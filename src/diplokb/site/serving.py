"""What ``mkdocs serve`` adds for an editor: a broken save shown in the open tab, folders watched again after
they were replaced.

:class:`ErrorBanner` wraps MkDocs' development server (a WSGI application, wrapped through the
standard ``set_app``): while the last save could not be built, every HTML page served starts with
a banner naming each problem (file, line, field), as Hugo's server shows its errors. It exists
only in served responses: no file of the site holds it, so ``mkdocs build`` never publishes it.

:class:`FolderWatch` keeps the server watching a folder that is replaced while it runs
(``mv seeds x && mv x seeds``, or deleted and copied back): MkDocs' polling watcher stops for
good once it finds its folder gone, so later edits would never show. The folders' parents are
watched (not recursively); when a watched folder is back as another folder, or its watcher has
stopped, it is watched again and the site rebuilt.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from watchdog.events import FileModifiedEvent, FileSystemEvent, FileSystemEventHandler

from ..errors import Problem

if TYPE_CHECKING:
    from mkdocs.livereload import LiveReloadServer

_BODY = re.compile(rb"<body\b[^>]*>")
MAX_SHOWN = 50  # a broken folder can make hundreds: the terminal has them all

StartResponse = Callable[..., Any]
App = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

# Inline, so it depends on no stylesheet of the theme; dark red on white and white on dark red pass WCAG AA.
_STYLE = (
    "margin:0;padding:.8rem 1rem;background:#8b0000;color:#fff;font:0.85rem/1.5 system-ui,sans-serif;"
    "border-bottom:3px solid #000;position:relative;z-index:10;overflow-wrap:anywhere"
)


def banner(problems: list[Problem]) -> str:
    """The banner for a save that could not be built: every problem as ``path:line:col`` and its message, escaped as text."""
    items = []
    for p in problems[:MAX_SHOWN]:
        where = f"{p.path}:{p.line}:{p.col}" if p.line else p.path
        what = f"{p.field}: {p.message}" if p.field else p.message
        items.append(f'<li><code style="color:#fff;background:none">{html.escape(where)}</code> {html.escape(what)}</li>')
    more = len(problems) - MAX_SHOWN
    if more > 0:
        items.append(f"<li>and {more} more: see the terminal</li>")
    n = len(problems)
    return (
        f'<div role="alert" data-diplokb-serve-error style="{_STYLE}">'
        f'<p style="margin:0 0 .4rem"><strong>The last save could not be built ({n} problem{"s" if n != 1 else ""}).</strong> '
        "These pages are the last good version; save a fix and this message goes away. "
        "(Shown only by the development server, never in a published build.)</p>"
        f'<ul style="margin:0;padding-left:1.2rem">{"".join(items)}</ul></div>'
    )


class ErrorBanner:
    """WSGI middleware: the problems of the last save, shown at the top of every HTML page served while they last."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.problems: list[Problem] = []

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        answer: list[Any] = []

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], object]:
            answer[:] = [status, headers, exc_info]
            return lambda _data: None  # MkDocs' server returns its body; it never writes through this

        body = self.app(environ, start)  # MkDocs holds a request here while a rebuild runs: problems are read after
        status, headers, exc_info = answer
        problems = self.problems
        kind = next((v for k, v in headers if k.lower() == "content-type"), "")
        if not problems or not kind.startswith("text/html"):
            start_response(status, headers, exc_info)
            return body
        try:
            page = b"".join(body)
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        at = _BODY.search(page)
        end = at.end() if at else 0
        page = page[:end] + banner(problems).encode("utf-8") + page[end:]
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"] + [("Content-Length", str(len(page)))]
        start_response(status, headers, exc_info)
        return [page]


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


class _Changed(FileSystemEventHandler):
    def __init__(self, then: Callable[[], None]) -> None:
        self.then = then

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.then()


class FolderWatch:
    """Watches ``folders`` again (through MkDocs' own ``watch``) whenever one is replaced, and has the site rebuilt."""

    def __init__(self, server: LiveReloadServer, folders: Iterable[Path]) -> None:
        self.server = server
        self.folders: dict[str, tuple[int, int] | None] = {os.path.abspath(f): _identity(os.path.abspath(f)) for f in folders}
        handler = _Changed(self.check)
        for parent in sorted({os.path.dirname(f) for f in self.folders}):
            if os.path.isdir(parent):
                server.observer.schedule(handler, parent, recursive=False)

    def _emitter(self, path: str) -> Any:
        return next((e for e in list(self.server.observer.emitters) if e.watch.path == path), None)

    def check(self) -> None:
        for path, known in list(self.folders.items()):
            now = _identity(path)
            if now is None:
                # Gone for now: watched again once it is back, whatever its identity then (moved back, it is the
                # same folder, but a build failed while it was away and its watch may have been dropped).
                self.folders[path] = None
                continue
            emitter = self._emitter(path)
            if emitter is not None and emitter.is_alive() and now == known:
                continue
            self.folders[path] = now
            if emitter is not None:
                self.server.unwatch(path)
            self.server.watch(path)
            fresh = self._emitter(path)
            if fresh is not None:  # what changed while it was not watched: rebuild, as a save would
                fresh.queue_event(FileModifiedEvent(path))
