"""Previews on hover: Material's instant previews show the linked page or section in a tooltip,
on hover and on keyboard focus; the offline copy (file://) keeps plain links; axe finds nothing."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from .kbweb import DESKTOP, build_site, guarded_context, serve
from .test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TOOLTIP = ".md-tooltip2--active"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site built for the very address it is served at (Material previews only pages its sitemap lists)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    root = build_site(tmp_path_factory.mktemp("previews") / "site", site_url=f"http://127.0.0.1:{port}/diplokb/")
    httpd, thread, served = serve(root, port)
    try:
        yield served.url
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture
def live_page(browser: object, live: str) -> Iterator[object]:
    host = live.split("/")[2]
    with guarded_context(browser, f"http://{host}", viewport=DESKTOP) as (ctx, _):
        yield ctx.new_page()


def preview_of(page: object, link: object) -> str:
    link.hover()
    tip = page.locator(TOOLTIP)
    tip.wait_for(state="visible")
    return " ".join(tip.inner_text().split())


def test_previews_of_case_study_related_topic_and_term_links(live_page: object, live: str, kb: dict) -> None:
    """On a topic page, hovering a case study, a related topic and a term link shows that page's heading and opening."""
    page = live_page
    topic = next(t for t in kb["topics"] if t["case_studies"] and t["related"])
    page.goto(live + topic["url"])
    case = page.locator("figure.kb-timeline a.kb-tl-row").first
    name = " ".join(case.locator(".kb-tl-name").inner_text().split())
    assert preview_of(page, case).startswith(name), "a case study's preview opens with its name"
    page.mouse.move(0, 0)
    page.locator(TOOLTIP).wait_for(state="hidden")
    related = page.locator("xpath=//h2[@id='related-topics']/following-sibling::ul[1]/li/a").first
    title = " ".join(related.inner_text().split())
    text = preview_of(page, related)
    assert text.startswith(title), f"related topic preview: {text[:80]}"
    summary = next(t["summary"] for t in kb["topics"] if t["title"] == title)
    assert " ".join(summary.split())[:40] in text, "the preview shows the topic's summary"
    assert violations(page) == [], "axe with a preview open"
    page.mouse.move(0, 0)
    page.locator(TOOLTIP).wait_for(state="hidden")
    # Keyboard: focusing a term link in an essay shows the topic's preview too.
    page.goto(live + kb["essays"][0]["url"])
    term = page.locator("article p:not([class]) a[href*='topics/']").first
    title = " ".join(term.inner_text().split())
    term.focus()
    tip = page.locator(TOOLTIP)
    tip.wait_for(state="visible")
    heading = tip.locator("h3").first.inner_text().replace("¶", "").strip()
    assert heading in {t["title"] for t in kb["topics"]}, f"term {title!r} previews {heading!r}"
    assert tip.get_attribute("aria-label") == f"Preview: {title}"


@pytest.mark.parametrize("prefix", [None, "/"], ids=["another-host-and-port", "site-root"])
def test_previews_wherever_the_site_is_served(browser: object, site_dir: Path, kb: dict, prefix: str | None) -> None:
    """A site built for https://owner.github.io/diplokb/ previews its links served on 127.0.0.1 at any port, under
    its path or at the root (Material alone matches the sitemap by protocol and host name only)."""
    httpd, thread, served = serve(site_dir, 0, prefix)
    try:
        with guarded_context(browser, f"http://{served.host}", viewport=DESKTOP) as (ctx, _):
            page = ctx.new_page()
            topic = next(t for t in kb["topics"] if t["related"])
            page.goto(served.url + topic["url"])
            related = page.locator("xpath=//h2[@id='related-topics']/following-sibling::ul[1]/li/a").first
            title = " ".join(related.inner_text().split())
            assert preview_of(page, related).startswith(title)
            # The preview's topic line is no larger than the text it introduces.
            page.goto(served.url + kb["essays"][0]["url"])
            term = page.locator("article p:not([class]) a[href*='topics/']").first
            term.focus()
            tip = page.locator(TOOLTIP)
            tip.wait_for(state="visible")
            sizes = tip.evaluate("t => [...t.querySelectorAll('p')].map(p => [p.className, parseFloat(getComputedStyle(p).fontSize)])")
            text = max(size for cls, size in sizes if not cls)
            assert all(size <= text for cls, size in sizes if cls), sizes
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def test_offline_copy_keeps_plain_links(file_page: object, offline_site_dir: Path, kb: dict) -> None:
    """From file:// there are no previews (nothing to fetch): hovering does nothing, the link still opens its page."""
    page = file_page
    page.goto((offline_site_dir / "index.html").as_uri())
    link = page.locator("xpath=//article//h2[@id='topics']/following-sibling::ul[1]/li/strong/a").first
    link.hover()
    page.wait_for_timeout(800)
    assert page.locator(TOOLTIP).count() == 0
    with page.expect_navigation():
        link.click()
    assert page.url.endswith(".html")
