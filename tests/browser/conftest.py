"""Fixtures for the reader-facing tests: the built sites, a local server, Debian chromium (see kbweb).

They are package-scoped: Playwright's sync API allows one running instance per thread, so this
package's browser is closed before other tests (tests/test_serve.py) start their own."""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .kbweb import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, Served, build_site, guarded_context, serve


@pytest.fixture(scope="package")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as published: built once, with --strict."""
    return build_site(tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="package")
def offline_site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline copy (DIPLOKB_OFFLINE=true), built once, with --strict."""
    return build_site(tmp_path_factory.mktemp("offline") / "site", offline=True)


@pytest.fixture(scope="package")
def server(site_dir: Path) -> Iterator[Served]:
    """The built site served over HTTP on 127.0.0.1."""
    httpd, thread, served = serve(site_dir)
    try:
        yield served
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    """Debian chromium, headless, driven by Playwright (never a downloaded browser)."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def make_page(browser: object, server: Served) -> Iterator[Callable[..., object]]:
    """Factory: a new page in a new context on the served site (context options as keywords).

    Each context refuses and records requests to any other host; the test fails at teardown if
    there was one, or if a page threw or logged an error to the console."""
    with contextlib.ExitStack() as stack:

        def make(allow_console: tuple[str, ...] = (), **kwargs: object) -> object:
            opts = {"base_url": server.url, "viewport": DESKTOP, **kwargs}
            ctx, _guard = stack.enter_context(guarded_context(browser, f"http://{server.host}", allow_console, **opts))
            return ctx.new_page()

        yield make


@pytest.fixture
def page(make_page: Callable[..., object]) -> object:
    """A fresh desktop page (1280 x 900) on the served site."""
    return make_page()


@pytest.fixture
def phone_page(make_page: Callable[..., object]) -> object:
    """A fresh phone-sized page (375 x 740, touch) on the served site."""
    return make_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


@pytest.fixture
def file_page(browser: object, offline_site_dir: Path) -> Iterator[object]:
    """A fresh page for the offline copy, opened from disk; only file:// requests are allowed."""
    with guarded_context(browser, "file://", viewport=DESKTOP) as (ctx, _):
        yield ctx.new_page()


@pytest.fixture(scope="package")
def kb(site_dir: Path) -> dict:
    """The built site's knowledge.json: topics, essays and case studies with their URLs."""
    return json.loads((site_dir / "knowledge.json").read_text(encoding="utf-8"))
