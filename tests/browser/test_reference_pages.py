"""Issue 18 in Chromium at 1280 and 390 px: the site's name in full, infoboxes beside or above the lead,
contextual backlinks, topic colours with their contrast, the timeline's width. Screenshots go to
$DIPLOKB_SHOTS (default: the test's temporary folder) for a person to look at."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
from coloraide import Color

from .kbweb import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE_390 = {"width": 390, "height": 844}
SIZES = [pytest.param(DESKTOP, id="1280"), pytest.param(PHONE_390, id="390")]


def shot(page: object, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("DIPLOKB_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))


def box(page: object, selector: str) -> dict[str, float]:
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("viewport", SIZES)
def test_site_name_in_full_in_the_header(make_page: object, server: object, viewport: dict, tmp_path: Path) -> None:
    """The header shows "Military Diplomacy Knowledge Base" whole: wrapped if need be, never cut with an ellipsis."""
    page = make_page(viewport=viewport)
    page.goto(server.url)
    name = page.locator(".md-header__topic").first
    assert " ".join(name.inner_text().split()) == "Military Diplomacy Knowledge Base"
    cut = name.evaluate(
        "e => { const s = e.querySelector('.md-ellipsis'); return s.scrollWidth > s.clientWidth + 1 || s.scrollHeight > s.clientHeight + 1 }"
    )
    assert not cut
    header = box(page, ".md-header")
    title = box(page, ".md-header__topic .md-ellipsis")
    assert title["y"] >= header["y"] and title["y"] + title["height"] <= header["y"] + header["height"] + 1
    assert page.title().endswith("Military Diplomacy Knowledge Base") and "diplokb" not in page.title()
    shot(page, tmp_path, f"header-{viewport['width']}")


@pytest.mark.parametrize("viewport", SIZES)
@pytest.mark.parametrize("url", ["case-studies/kfor-in-kosovo/", "topics/peacekeeping/"])
def test_infobox_beside_the_lead_on_a_desktop_first_on_a_phone(
    make_page: object, server: object, viewport: dict, url: str, tmp_path: Path
) -> None:
    """At 1280 px the facts box floats right of the lead paragraph; at 390 px it is the first thing under the title, full width."""
    page = make_page(viewport=viewport)
    page.goto(server.url + url)
    info = box(page, "article .kb-infobox")
    lead = box(page, "article .kb-infobox + p")
    content = box(page, "article.md-content__inner")
    h1 = box(page, "article h1")
    size = page.locator("article .kb-infobox td").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    body = page.locator("article .kb-infobox + p").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= body - 0.5, "the box's type is as readable as the text"
    if viewport["width"] == 1280:
        # The lead's lines beside the box end before it (the paragraph's own box spans the float).
        beside = page.locator("article .kb-infobox + p").evaluate(
            """(p, bottom) => { const r = document.createRange(); r.selectNodeContents(p);
                return [...r.getClientRects()].filter(x => x.top < bottom).map(x => x.right) }""",
            info["y"] + info["height"],
        )
        assert beside and max(beside) <= info["x"] + 1, "the lead's text runs left of the box"
        assert abs(info["y"] - lead["y"]) < 40, "beside the lead, not below it"
        assert info["width"] < content["width"] / 2
    else:
        assert info["y"] > h1["y"] + h1["height"] - 1 and info["y"] + info["height"] <= lead["y"], "between the title and the lead"
        assert info["width"] > content["width"] - 40, "full width"
    shot(page, tmp_path, f"infobox-{url.strip('/').replace('/', '-')}-{viewport['width']}")


@pytest.mark.parametrize("viewport", SIZES)
def test_backlinks_show_marked_sentences_and_open_more(make_page: object, server: object, viewport: dict, tmp_path: Path) -> None:
    """ "More in the essays" shows sentences with the mention marked; the hidden rest opens in one click; a link lands on the passage."""
    page = make_page(viewport=viewport)
    page.goto(server.url + "topics/nation-building/#mentioned-in")
    section = page.locator("article .kb-said-box")
    visible = section.locator("ul.kb-said-list:visible > li")
    assert visible.count() >= 3
    mark = visible.first.locator("mark")
    assert mark.count() == 1 and mark.is_visible()
    hidden = section.locator("details.kb-said-more li").first
    assert not hidden.is_visible()
    section.locator("details.kb-said-more summary").first.click()
    assert hidden.is_visible()
    shot(page, tmp_path, f"backlinks-{viewport['width']}")
    link = visible.first.locator(".kb-said-where a")
    anchor = link.get_attribute("href").split("#", 1)[1]
    link.click()
    page.wait_for_url(f"**/essays/**#{anchor}")
    assert page.locator(f"[id='{anchor}']").is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_topic_colours_distinct_and_contrasting_as_drawn(make_page: object, server: object, scheme: str, tmp_path: Path) -> None:
    """As Chromium draws them, the graph's topic swatches differ pairwise (CIEDE2000 >= 20) and are 3:1 on the page."""
    page = make_page(color_scheme=scheme, viewport=PHONE_390 if scheme == "dark" else DESKTOP)
    page.goto(server.url + "graph/")
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('.kb-matrix thead th')].map(th => [
            th.innerText.trim(), getComputedStyle(th.querySelector('.kb-swatch')).backgroundColor])"""
    )
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert len(drawn) == 5
    colours = {title: Color(css) for title, css in drawn}
    for title, c in colours.items():
        assert c.contrast(Color(background), method="wcag21") >= 3.0, (scheme, title, c.to_string(hex=True))
    for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2):
        assert ca.delta_e(cb, method="2000") >= 20, (scheme, a, b)
    shot(page, tmp_path, f"graph-{scheme}")


def test_timeline_takes_the_content_width(make_page: object, server: object, tmp_path: Path) -> None:
    """At 1280 px the timeline page has no contents column and its axis is at least half the screen wide."""
    page = make_page(viewport=DESKTOP)
    page.goto(server.url + "timeline/")
    assert not page.locator(".md-sidebar--secondary").is_visible()
    axis = box(page, ".kb-tl-ticks")
    assert axis["width"] >= 500
    short = page.locator(".kb-tl-short").first
    assert short.bounding_box()["width"] >= 10, "a one-year case is a visible mark"
    assert page.locator(".kb-tl-when").first.is_visible()
    shot(page, tmp_path, "timeline-1280")
