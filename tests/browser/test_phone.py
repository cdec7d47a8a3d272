"""Phones: at 390 px no page scrolls sideways and no sentence hides off-screen."""

from __future__ import annotations

import pytest

from .kbweb import page_url

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGE_TYPES = ["home", "topic", "essay", "case", "cases", "actors", "graph", "timeline", "topics", "essays", "about", "404"]
PAGE_TYPES += ["actor", "place", "map", "browse", "bibliography"]  # issue 19's pages
PHONE_390 = {"width": 390, "height": 844}

# Text in the article (paragraphs, list items, table cells) that is prose, not a number or a name,
# and reaches past the right edge of the screen: the reader would have to pan to read it.
OFF_SCREEN_JS = """() => {
    const out = [];
    const w = document.documentElement.clientWidth;
    for (const el of document.querySelectorAll('article p, article li, article td, article th, article h1, article h2, article h3')) {
        if (el.closest('svg')) continue;
        const text = el.textContent.trim();
        if (text.split(/\\s+/).length < 4) continue;  // a short fact may scroll in its own box
        const r = el.getBoundingClientRect();
        if (r.width && (r.right > w + 1 || r.left < -1)) out.push(`${text.slice(0, 60)} (${Math.round(r.left)}..${Math.round(r.right)})`);
    }
    return out;
}"""


def url_of(kind: str, kb: dict) -> str:
    extra = {"topics": "topics/", "essays": "essays/"}
    return extra[kind] if kind in extra else page_url(kind, kb)


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_no_sideways_scrolling_at_390(make_page: object, server: object, kb: dict, kind: str) -> None:
    """At 390 px the page is no wider than the screen, and every sentence is within it."""
    page = make_page(viewport=PHONE_390, is_mobile=True, has_touch=True, allow_console=("status of 404",) if kind == "404" else ())
    page.goto(server.url + url_of(kind, kb))
    sw, cw = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert sw <= cw, f"{kind}: the page is {sw} px wide on a {cw} px screen"
    assert page.evaluate(OFF_SCREEN_JS) == [], f"{kind}: prose off-screen"
