"""Helpers for the browser tests: build and serve the site, drive Debian chromium, guard the network.

The site is built with ``mkdocs build --strict`` into a temporary folder and served on 127.0.0.1 (a
free port) by a threaded HTTP server, under the path of its ``site_url`` (``/diplokb/``) as GitHub
Pages serves a project site, answering unknown paths with the site's ``404.html`` and status 404.
Every browser context refuses requests to any other host and records them; a test that made one
fails. Chromium is also told to resolve no host name but 127.0.0.1, so nothing leaves the machine.
"""

from __future__ import annotations

import contextlib
import functools
import html
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ..conftest import CHROMIUM as CHROMIUM  # re-exported for the browser conftest
from ..conftest import CHROMIUM_ARGS as BASE_ARGS

ROOT = Path(__file__).resolve().parents[2]
# The launch flags every browser test uses (tests/conftest.py), plus: no DNS for anything but the local server.
CHROMIUM_ARGS = [*BASE_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


def page_url(kind: str, kb: dict) -> str:
    """Site-relative URL of one page of each type, taken from knowledge.json where it varies."""
    return {
        "home": "",
        "topic": kb["topics"][0]["url"],
        "essay": kb["essays"][0]["url"],
        "case": kb["case_studies"][0]["url"],
        "cases": "case-studies/",
        "actors": "actors/",
        "graph": "graph/",
        "timeline": "timeline/",
        "about": "about/",
        "actor": "actors/nato/",
        "place": "places/somalia/",
        "map": "map/",
        "browse": "case-studies/browse/",
        "bibliography": "bibliography/",
        "404": "no-such-page/",
    }[kind]


PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def build_site(dest: Path, *, offline: bool = False, site_url: str | None = None) -> Path:
    """``mkdocs build --strict`` of this repository into ``dest``; the offline switch on or off."""
    env = {k: v for k, v in os.environ.items() if k != "DIPLOKB_OFFLINE"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    # As the Pages workflow builds it: its address, and "Edit this page" links to the repository.
    env.setdefault("SITE_URL", "https://owner.github.io/diplokb/")
    if site_url:
        env["SITE_URL"] = site_url
    env.setdefault("REPO_URL", "https://github.com/owner/diplokb")
    if offline:
        env["DIPLOKB_OFFLINE"] = "true"
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(dest)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    if proc.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}", pytrace=False)
    return dest


def site_prefix(root: Path) -> str:
    """The path the site is published under (``/diplokb/`` for ``site_url: https://host/diplokb/``)."""
    sitemap = root / "sitemap.xml"
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap.read_text(encoding="utf-8")) if sitemap.is_file() else []
    paths = [urlsplit(html.unescape(u)).path for u in locs]
    prefix = min(paths, key=len) if paths else "/"
    return prefix if prefix.endswith("/") else prefix + "/"


class _Handler(SimpleHTTPRequestHandler):
    """Static files under ``prefix``; a missing path gets the site's 404.html with status 404 (GitHub Pages does so)."""

    prefix = "/"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def translate_path(self, path: str) -> str:
        clean = urlsplit(path).path
        if clean + "/" == self.prefix:
            clean += "/"  # the directory redirect below adds the slash
        if not clean.startswith(self.prefix):
            return str(Path(self.directory) / ".not-published" / "missing")
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@dataclass
class Served:
    url: str  # http://127.0.0.1:PORT/<prefix>/
    root: Path
    host: str  # 127.0.0.1:PORT


def serve(root: Path, port: int = 0, prefix: str | None = None) -> tuple[ThreadingHTTPServer, threading.Thread, Served]:
    """Start a threaded static server for ``root`` on 127.0.0.1, on ``port`` (0: a free one), under the site's path
    (or under ``prefix``, as a host serving it elsewhere would)."""
    prefix = prefix or site_prefix(root)
    handler = type("Handler", (_Handler,), {"prefix": prefix})
    httpd = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(root)))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name="site-server", daemon=True)
    thread.start()
    host = f"127.0.0.1:{httpd.server_address[1]}"
    return httpd, thread, Served(f"http://{host}{prefix}", root, host)


@dataclass
class Guard:
    """What a browser context asked for outside its allowed origin, and what broke in its pages."""

    allowed: str  # "http://127.0.0.1:PORT" or "file://"
    allow_console: tuple[str, ...] = ()  # console errors a test expects (substrings)
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return True
        if self.allowed == "file://":
            return parts.scheme == "file"
        return f"{parts.scheme}://{parts.netloc}" == self.allowed

    def watch(self, context: object) -> None:
        def route(r: object) -> None:
            if self.allows(r.request.url):
                r.fallback()
            else:
                self._record(r.request.url)
                r.abort("blockedbyclient")

        def on_request(req: object) -> None:  # also sees what routing might miss
            if not self.allows(req.url):
                self._record(req.url)

        def on_page(page: object) -> None:
            page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: {exc}"))
            page.on("console", lambda msg: self._console(page.url, msg))

        context.route("**/*", route)
        context.on("request", on_request)
        context.on("page", on_page)

    def _record(self, url: str) -> None:
        if url not in self.foreign:
            self.foreign.append(url)

    def _console(self, url: str, msg: object) -> None:
        if msg.type == "error" and not any(a in msg.text for a in self.allow_console):
            self.errors.append(f"{url}: console: {msg.text}")

    def check(self) -> None:
        if self.foreign:
            pytest.fail("requests to other hosts than the local site:\n  " + "\n  ".join(self.foreign), pytrace=False)
        if self.errors:
            pytest.fail("errors in the pages:\n  " + "\n  ".join(self.errors), pytrace=False)


@contextlib.contextmanager
def guarded_context(browser: object, allowed: str, allow_console: tuple[str, ...] = (), **kwargs: object) -> Iterator[tuple[object, Guard]]:
    """A new browser context that only reaches ``allowed``; checks the guard when it closes."""
    guard = Guard(allowed, allow_console)
    ctx = browser.new_context(**kwargs)
    ctx.set_default_timeout(10_000)
    guard.watch(ctx)
    try:
        yield ctx, guard
    finally:
        ctx.close()
    guard.check()


# lunr's English stop words: search drops them from the query (and from the ?h= it adds to results).
_STOP_TEXT = (
    "a able about across after all almost also am among an and any are as at be because been but by can cannot "
    "could dear did do does either else ever every for from get got had has have he her hers him his how however i "
    "if in into is it its just least let like likely may me might most must my neither no nor not of off often on "
    "only or other our own rather said say says she should since so some than that the their them then there these "
    "they this tis to too twas us wants was we were what when where which while who whom why will with would yet "
    "you your "
)
LUNR_STOP_WORDS = frozenset(_STOP_TEXT.split())


HEADING_TEXT = "h => [...h.childNodes].filter(n => !(n.classList && n.classList.contains('headerlink'))).map(n => n.textContent).join('')"


def heading_text(locator: object) -> str:
    """A heading's text without its permalink mark (and across search-highlight <mark>s)."""
    return " ".join(locator.evaluate(HEADING_TEXT).split())


def run_search(page: object, query: str) -> object:
    """Type ``query`` into Material's search the way a reader does; return the result links.

    Waits for the index ("Type to start searching"), types key by key (search reads keyup), and
    waits until the results were computed for every word of the query."""
    box = page.locator("input.md-search__input")
    if box.is_visible():
        box.click()
    else:
        page.locator('label.md-header__button[for="__search"]').click()
    page.locator(".md-search-result__meta").filter(has_text="Type to start searching").wait_for()
    box.press_sequentially(query, delay=10)
    words = [w for w in re.findall(r"\w+", query.lower()) if w not in LUNR_STOP_WORDS]
    page.wait_for_function(
        """([words, query]) => {
            // Results carry the words they matched in ?h=; a result for the whole query has them all,
            // or, where no page has them all, the results say so for this query.
            const note = document.querySelector('.kb-search-note');
            if (note && !note.hidden && note.textContent.includes(`\u201c${query}\u201d`)) return true;
            return [...document.querySelectorAll('.md-search-result__item a')].some(a => {
                // Terms keep punctuation that touches them ("(nato)"): compare their word characters.
                const got = (new URL(a.href).searchParams.get('h') || '').split(' ').map(t => t.replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, ''));
                return words.every(w => got.includes(w));
            });
        }""",
        arg=[words, query.strip()],
    )
    return page.locator(".md-search-result__item a")
