"""Issue 19 in a real browser: case -> place -> map, the case browser and its address, Cite this page, offline too."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import rispy

from .kbweb import heading_text

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def h1(page: object) -> str:
    return heading_text(page.locator("article h1").first)


def test_case_to_place_to_map_and_back(page: object, server: object) -> None:
    """From a case study a reader opens its place, sees it on the map, opens the map, and the map's country opens the place."""
    page.goto(server.url + "case-studies/amisom-in-somalia/")
    with page.expect_navigation():
        page.locator("article td a", has_text="Somalia").first.click()
    assert page.url.endswith("/places/somalia/") and h1(page) == "Somalia"
    assert page.locator("figure.kb-map-locator svg .kb-map-on").count() == 1
    with page.expect_navigation():
        page.locator("article a", has_text="Map of places").first.click()
    assert h1(page) == "Map of places"
    shaded = page.locator("svg.kb-map a[href$='places/somalia/']")
    assert shaded.count() == 1
    with page.expect_navigation():
        shaded.click()
    assert page.url.endswith("/places/somalia/")


def _listed(page: object) -> list[str]:
    return page.locator("#kb-browse-list li:not([hidden]) a").all_inner_texts()


def test_browser_filters_count_and_keep_the_address(page: object, server: object, kb: dict) -> None:
    """Choosing a topic and a decade narrows the list, updates the counts and the address; the address restores the view."""
    page.goto(server.url + "case-studies/browse/")
    total = len(kb["case_studies"])
    assert page.locator("#kb-browse").is_visible() and len(_listed(page)) == total
    page.select_option("#kb-f-topic", "peacekeeping")
    keep = sorted(c["name"] for c in kb["case_studies"] if "peacekeeping" in c["topics"])
    assert sorted(_listed(page)) == keep
    assert page.locator("#kb-browse-count").inner_text() == f"{len(keep)} of {total} case studies"
    assert "topic=peacekeeping" in page.url
    ongoing = [c for c in kb["case_studies"] if "peacekeeping" in c["topics"] and c["years"].endswith("present")]
    assert page.locator("#kb-f-status option[value=ongoing]").inner_text() == f"Ongoing ({len(ongoing)})"
    page.select_option("#kb-f-status", "ongoing")
    assert sorted(_listed(page)) == sorted(c["name"] for c in ongoing)
    shared = page.url
    page.goto(server.url)
    page.goto(shared)
    assert page.locator("#kb-f-topic").input_value() == "peacekeeping" and page.locator("#kb-f-status").input_value() == "ongoing"
    assert sorted(_listed(page)) == sorted(c["name"] for c in ongoing)
    page.click("#kb-browse button[type=reset]")
    page.wait_for_function(f"document.querySelectorAll('#kb-browse-list li:not([hidden])').length === {total}")
    assert "?" not in page.url


def test_browser_without_script_is_the_full_list(browser: object, server: object, kb: dict) -> None:
    """With JavaScript off the browser page lists every case study and shows no filters."""
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(server.url + "case-studies/browse/?topic=peacekeeping")
        assert len(_listed(page)) == len(kb["case_studies"])
        assert not page.locator("#kb-browse").is_visible()
    finally:
        ctx.close()


def test_cite_this_page_ris_download_and_zotero_tags(page: object, server: object) -> None:
    """A case page's RIS download reads back as an ELEC record of the page; its head has the citation_* tags Zotero reads."""
    page.goto(server.url + "case-studies/amisom-in-somalia/")
    tags = page.evaluate("Object.fromEntries([...document.querySelectorAll('meta[name^=citation_]')].map(m => [m.name, m.content]))")
    assert tags["citation_title"] == "AMISOM in Somalia" and re.fullmatch(r"\d{4}/\d\d/\d\d", tags["citation_publication_date"])
    assert tags["citation_public_url"].endswith("/case-studies/amisom-in-somalia/")
    with page.expect_download() as info:
        page.locator(".kb-cite a", has_text="RIS").first.click()
    download = info.value
    assert download.suggested_filename == "case-studies-amisom-in-somalia.ris"
    (record,) = rispy.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert record["type_of_reference"] == "ELEC" and record["title"] == "AMISOM in Somalia"
    assert record["urls"] == [tags["citation_public_url"]]
    ld = json.loads(page.locator("script[type='application/ld+json']").inner_text())
    assert ld["mainEntity"]["@type"] == "Event" and ld["mainEntity"]["startDate"] == "2007"


def test_offline_copy_browses_filters_and_cites_from_disk(file_page: object, offline_site_dir: Path) -> None:
    """Opened from disk: the case browser filters from its address and writes the choices back; place pages and citations are there."""
    page = file_page
    page.goto((offline_site_dir / "case-studies" / "browse.html").as_uri() + "?topic=peacekeeping")
    assert page.locator("#kb-f-topic").input_value() == "peacekeeping"
    n = len(_listed(page))
    assert 0 < n < page.locator("#kb-browse-list li").count()
    page.select_option("#kb-f-decade", "2000s")
    assert "decade=2000s" in page.url
    shared = page.url
    page.goto((offline_site_dir / "index.html").as_uri())
    page.goto(shared)
    assert page.locator("#kb-f-decade").input_value() == "2000s"
    with page.expect_navigation(wait_until="load"):
        page.locator("#kb-browse-list li:not([hidden]) a", has_text="AMISOM").click()
    with page.expect_navigation(wait_until="load"):
        page.locator("article td a", has_text="Somalia").first.click()
    assert page.url == (offline_site_dir / "places" / "somalia.html").as_uri()
    assert page.locator(".kb-cite dt").all_inner_texts() == ["APA", "Chicago", "MLA"]
    with page.expect_navigation(wait_until="load"):
        page.locator("article a", has_text="Map of places").first.click()
    assert page.url == (offline_site_dir / "map.html").as_uri()
