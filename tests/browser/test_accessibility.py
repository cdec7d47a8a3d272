"""axe-core on every page type, light and dark, and in the states a reader puts pages in: 0 violations."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .kbweb import PHONE, page_url, run_search

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Axe()
PAGE_TYPES = ["home", "topic", "essay", "case", "cases", "actors", "graph", "timeline", "about", "404"]
PAGE_TYPES += ["actor", "place", "map", "browse", "bibliography"]  # issue 19's pages

SETTLED = """() => document.getAnimations().every(
    a => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)"""


def violations(page: object, context: object = None, options: dict | None = None) -> list[str]:
    """axe-core's violations on the page once its transitions end, one line per rule (all impacts)."""
    # Measured mid-fade (Material's tooltips and dialogs fade in), text is paler than it ends up.
    page.wait_for_function(SETTLED)
    result = AXE.run(page, context=context, options=options or {"resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']} at {v['nodes'][0]['target']}: "
        + " ".join(v["nodes"][0].get("failureSummary", "").split())
        for v in result.response["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_axe_finds_nothing(make_page: object, server: object, kb: dict, kind: str, scheme: str) -> None:
    """Each page type, in the light and the dark scheme, has no axe-core violation of any impact."""
    page = make_page(color_scheme=scheme, allow_console=("status of 404",) if kind == "404" else ())
    response = page.goto(server.url + page_url(kind, kb))
    assert response is not None and response.status == (404 if kind == "404" else 200)
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("document.body.dataset.mdColorScheme") == expected
    assert violations(page) == []


def test_axe_with_search_results_open(page: object, server: object, kb: dict) -> None:
    """The search dialog, open and showing results, has no axe-core violation (it has an accessible name)."""
    page.goto(server.url)
    run_search(page, kb["case_studies"][0]["name"])
    dialog = page.locator(".md-search[role=dialog]")
    assert dialog.get_attribute("aria-label"), "the search dialog is named"
    assert violations(page) == []


def test_axe_with_phone_drawer_open(make_page: object, server: object, kb: dict) -> None:
    """On a phone, with the navigation drawer open on a topic page, axe-core finds nothing."""
    page = make_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(server.url + kb["topics"][0]["url"])
    page.locator('label.md-header__button[for="__drawer"]').click()
    page.wait_for_function("document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= 0")
    assert violations(page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_footer_text_contrast(make_page: object, server: object, scheme: str) -> None:
    """Footer text (a copyright line, Material's 4.47:1 grey) reaches 4.5:1 against the footer."""
    page = make_page(color_scheme=scheme)
    page.goto(server.url)
    page.evaluate(
        """() => { const c = document.querySelector('.md-copyright');
                   c.insertAdjacentText('afterbegin', 'Essays © their authors; site text under CC BY 4.0.'); }"""
    )
    only_contrast = {"runOnly": {"type": "rule", "values": ["color-contrast"]}, "resultTypes": ["violations", "passes"]}
    result = AXE.run(page, context=".md-footer", options=only_contrast)
    checked = [n for r in result.response["passes"] for n in r["nodes"] if "md-copyright" in " ".join(map(str, n["target"]))]
    assert checked, "axe measured the footer text"
    assert result.response["violations"] == []
