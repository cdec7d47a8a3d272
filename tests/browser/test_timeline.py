"""The timeline of case studies, in Debian chromium at desktop and phone widths."""

from __future__ import annotations

import datetime
import itertools
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE_390 = {"width": 390, "height": 844}

# Each row: its link, its years, where its bar starts and ends, and the font sizes of its text.
ROWS_JS = """fig => {
    const ticks = [...fig.querySelectorAll('.kb-tl-tick')].map(t => [+t.textContent, t.getBoundingClientRect().left]);
    const body = parseFloat(getComputedStyle(document.querySelector('article p')).fontSize);
    return {ticks, body, rows: [...fig.querySelectorAll('a.kb-tl-row')].map(a => {
        const bar = a.querySelector('.kb-tl-bar').getBoundingClientRect();
        const sizes = [...a.querySelectorAll('.kb-tl-label span')].map(s => parseFloat(getComputedStyle(s).fontSize));
        return {href: a.href, name: a.querySelector('.kb-tl-name').textContent, start: +a.dataset.start, end: +a.dataset.end,
                left: bar.left, right: bar.right, sizes, visible: bar.width > 0 && bar.height > 0,
                min: parseFloat(getComputedStyle(a.querySelector('.kb-tl-bar')).minWidth)};
    }), undated: [...fig.querySelectorAll('.kb-tl-undated a')].map(a => a.href),
        tickSizes: [...fig.querySelectorAll('.kb-tl-tick')].map(t => parseFloat(getComputedStyle(t).fontSize))};
}"""


def x_of(year: float, ticks: list[list[float]]) -> float:
    """Where ``year`` sits on the axis, from the two ticks around it (years are evenly spaced)."""
    (y0, x0), (y1, x1) = ticks[0], ticks[1]
    return x0 + (year - y0) * (x1 - x0) / (y1 - y0)


def dated(case: dict) -> bool:
    return bool(re.search(r"\d{4}", case["years"] or ""))


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_timeline_page_places_every_case_on_one_axis(make_page: object, server: object, kb: dict, size: str) -> None:
    """Every dated case is a row linking its page, its bar from its first year to its last (ongoing: to now), text at body size."""
    page = make_page(viewport=PHONE_390, is_mobile=True, has_touch=True) if size == "phone" else make_page()
    page.goto(server.url + "timeline/")
    data = page.locator("figure.kb-timeline").evaluate(ROWS_JS)
    rows, ticks = data["rows"], data["ticks"]
    by_url = {server.url + c["url"]: c for c in kb["case_studies"]}
    assert sorted(r["href"] for r in rows) == sorted(u for u, c in by_url.items() if dated(c)), "one row per dated case"
    assert sorted(data["undated"]) == sorted(u for u, c in by_url.items() if not dated(c)), "undated cases listed beside"
    this_year = datetime.date.today().year
    step = abs(ticks[1][1] - ticks[0][1]) / (ticks[1][0] - ticks[0][0])  # px per year
    for r in rows:
        c = by_url[r["href"]]
        assert r["name"] == c["name"] and r["visible"]
        years = [int(y) for y in re.findall(r"\d{4}", c["years"])]
        assert r["start"] == years[0]
        if "present" in c["years"]:
            as_of = re.findall(r"\d{4}", str(c.get("as_of") or ""))
            assert r["end"] == (int(as_of[0]) if as_of else this_year), f"{c['name']} runs to its as-of date"
        else:
            assert r["end"] == years[-1]
        assert abs(r["left"] - x_of(r["start"], ticks)) <= max(1.5, step / 4), f"{c['name']} starts at {r['start']}"
        # A bar shorter than its minimum width (a year or two on a long axis) keeps that width.
        right = max(x_of(r["end"] + 1, ticks), r["left"] + r["min"])
        assert abs(r["right"] - right) <= max(1.5, step / 4), f"{c['name']} ends at {r['end']}"
        assert min(r["sizes"]) >= data["body"] - 0.01, f"{c['name']}: label smaller than the body text"
    assert min(data["tickSizes"]) >= data["body"] - 0.01, "axis years smaller than the body text"
    # The years shown (a phone shows every other one) do not overlap.
    shown = [
        t.bounding_box() for t in page.locator(".kb-tl-tick").all() if t.evaluate("t => getComputedStyle(t).color") != "rgba(0, 0, 0, 0)"
    ]
    assert len(shown) >= 3
    assert all(a["x"] + a["width"] <= b["x"] for a, b in itertools.pairwise(shown)), "axis years overlap"
    # Grouped by topic, each group headed by its topic (a link) with the swatch of its bars' colour.
    for g in page.locator(".kb-tl-group").all():
        colour = "e => getComputedStyle(e).getPropertyValue('--kb-c').trim()"
        swatch = g.locator(".kb-tl-swatch").evaluate(colour)
        bars = g.locator("xpath=following-sibling::ul[1]//span[contains(@class, 'kb-tl-bar')]").evaluate_all(f"bs => bs.map({colour})")
        assert swatch and bars and g.locator("a").count() == 1
        assert set(bars) == {swatch}, f"{g.inner_text()}: bars {bars}, swatch {swatch}"
    follow = page.locator("a.kb-tl-row").first
    href = follow.evaluate("a => a.href")
    follow.click()
    page.wait_for_url(href)


def test_topic_page_timeline_holds_its_case_studies(page: object, server: object, kb: dict) -> None:
    """A topic page's timeline is filtered: exactly its case studies, dated ones as rows, the others beside."""
    for t in kb["topics"]:
        page.goto(server.url + t["url"])
        want = {server.url + c["url"] for c in t["case_studies"]}
        fig = page.locator("xpath=//h2[@id='case-studies']/following-sibling::*[1][self::figure]")
        if not want:
            assert fig.count() == 0
            continue
        got = set(fig.locator("a.kb-tl-row, .kb-tl-undated a").evaluate_all("as => as.map(a => a.href)"))
        assert got == want, t["title"]
