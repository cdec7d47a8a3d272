"""The offline copy (DIPLOKB_OFFLINE=true), opened straight from disk over file://, search included."""

from __future__ import annotations

from pathlib import Path

import pytest

from .kbweb import heading_text, run_search

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def h1(page: object) -> str:
    return heading_text(page.locator("article h1").first)


def test_offline_copy_browses_from_disk(file_page: object, offline_site_dir: Path, kb: dict) -> None:
    """From index.html on disk a reader reaches a topic, one of its case studies and its source essay, all as files."""
    page = file_page
    page.goto((offline_site_dir / "index.html").as_uri())
    assert page.evaluate("document.body.dataset.mdColorScheme") in ("default", "slate"), "the theme's script ran"
    topic = kb["topics"][0]
    with page.expect_navigation(wait_until="load"):
        page.locator("article li a", has_text=topic["title"]).first.click()
    assert page.url == (offline_site_dir / "topics" / f"{topic['slug']}.html").as_uri()
    assert h1(page) == topic["title"]
    with page.expect_navigation(wait_until="load"):
        page.locator("xpath=//h2[@id='case-studies']/following-sibling::*[1]//a").first.click()
    assert page.url.startswith((offline_site_dir / "case-studies").as_uri() + "/") and page.url.endswith(".html")
    with page.expect_navigation(wait_until="load"):
        page.locator("xpath=//h2[@id='source']/following-sibling::p[1]/a").click()
    assert "/essays/" in page.url and ".html#" in page.url
    assert page.evaluate("!!document.getElementById(decodeURIComponent(location.hash.slice(1)))")


def test_offline_copy_search_works_from_disk(file_page: object, offline_site_dir: Path, kb: dict) -> None:
    """Search runs from file:// (inlined index, local iframe-worker shim) and its result opens the case study."""
    page = file_page
    case = sorted(kb["case_studies"], key=lambda c: c["name"])[-1]
    page.goto((offline_site_dir / "index.html").as_uri())
    results = run_search(page, case["name"])
    first = results.first
    with page.expect_navigation(wait_until="load"):
        first.click()
    assert page.url.split("?")[0] == (offline_site_dir / "case-studies" / f"{case['id']}.html").as_uri()
    assert h1(page) == case["name"]


def test_offline_copy_search_stems_and_says_what_no_page_holds(file_page: object, offline_site_dir: Path) -> None:
    """From file:// too (the theme's search worker in the iframe-worker shim): a plural finds its topic,
    and a name no page holds gets the note and pages holding some of its words."""
    page = file_page
    page.goto((offline_site_dir / "index.html").as_uri())
    results = run_search(page, "embassies")
    top = page.evaluate("[...document.querySelectorAll('.md-search-result__item')].slice(0, 3).map(li => li.querySelector('a').href)")
    assert (offline_site_dir / "topics" / "attaches.html").as_uri() in [u.split("?")[0] for u in top], top
    page.goto((offline_site_dir / "index.html").as_uri())
    results = run_search(page, "Marshall Plan")
    assert page.locator(".kb-search-note").inner_text() == "No page has all of \u201cMarshall Plan\u201d; showing pages with some."
    assert results.count() > 0
