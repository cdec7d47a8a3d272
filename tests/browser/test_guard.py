"""The network guard the browser tests rely on: it must see, block and report other hosts."""

from __future__ import annotations

import pytest

from .kbweb import Guard, guarded_context

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_guard_blocks_and_reports_a_request_to_another_host(browser: object, server: object) -> None:
    """A page that fetches from a CDN gets no answer, and the test using it fails naming the URL."""
    guarded = guarded_context(browser, f"http://{server.host}", base_url=server.url, allow_console=("ERR_",))
    with pytest.raises(pytest.fail.Exception, match=r"unpkg\.com/iframe-worker"), guarded as (ctx, guard):
        page = ctx.new_page()
        page.goto(server.url)
        outcome = page.evaluate("fetch('https://unpkg.com/iframe-worker/shim').then(() => 'loaded', () => 'blocked')")
        assert outcome == "blocked"
        assert guard.foreign == ["https://unpkg.com/iframe-worker/shim"]


def test_guard_reports_script_errors(browser: object, server: object) -> None:
    """An uncaught error in a page fails the test that loaded it."""
    guarded = guarded_context(browser, f"http://{server.host}", base_url=server.url)
    with pytest.raises(pytest.fail.Exception, match="boom"), guarded as (ctx, guard):
        page = ctx.new_page()
        page.goto(server.url)
        page.evaluate("setTimeout(() => { throw new Error('boom'); }, 0)")
        for _ in range(100):  # the error event arrives asynchronously
            if guard.errors:
                break
            page.wait_for_timeout(20)


def test_guard_origins() -> None:
    """Served pages may use their own origin only; the offline copy file:// only."""
    served = Guard("http://127.0.0.1:8000")
    assert served.allows("http://127.0.0.1:8000/diplokb/x.css") and served.allows("data:image/svg+xml,<svg/>")
    assert not served.allows("http://127.0.0.1:8001/x") and not served.allows("https://fonts.gstatic.com/x.woff2")
    assert not served.allows("file:///etc/passwd")
    offline = Guard("file://")
    assert offline.allows("file:///tmp/site/index.html") and not offline.allows("http://127.0.0.1:8000/")
