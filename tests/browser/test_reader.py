"""A reader's walks through the published site, in Debian chromium (served on 127.0.0.1 only)."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import pytest

from .kbweb import heading_text, page_url, run_search

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The text of the section a page was opened at (from the :target to the next heading), its links
# to topic pages (not counting the "Filed under" line), and where the target sits in the window.
SECTION_JS = """() => {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = document.getElementById(id);
    if (!target) return null;
    const start = /^H[1-6]$/.test(target.tagName) ? target : target.closest('p') || target;
    const isStart = el => /^H[1-6]$/.test(el.tagName) || (el.tagName === 'P' && el.querySelector(':scope > span[id]:first-child'));
    let text = '', links = [];
    for (let el = start.nextElementSibling; el && !isStart(el); el = el.nextElementSibling) {
        if (el.classList.contains('kb-filed')) continue;
        text += ' ' + el.textContent;
        for (const a of el.querySelectorAll('a[href]')) {
            if (/\\/topics\\/[^/]+/.test(new URL(a.href).pathname)) {
                a.dataset.kbTerm = links.length;  // so that the test clicks this very link
                links.push(a.href);
            }
        }
    }
    const box = target.getBoundingClientRect();
    return {text, links, top: box.top, height: window.innerHeight};
}"""


def norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def path_of(url: str) -> str:
    return unquote(urlsplit(url).path)


def h1(page: object) -> str:
    return heading_text(page.locator("article h1").first)


def by_url(items: list[dict], server: object) -> dict[str, dict]:
    return {urlsplit(server.url + item["url"]).path: item for item in items}


def test_reader_walks_home_topic_case_source_term_and_back(page: object, server: object, kb: dict) -> None:
    """Home → first topic → a case study → its source passage in the essay → a term link to another topic → back, back, back."""
    topics, cases, essays = by_url(kb["topics"], server), by_url(kb["case_studies"], server), by_url(kb["essays"], server)
    page.goto(server.url)
    assert h1(page), "the home page has a heading"
    first_topic = page.locator("xpath=//article//h2[@id='topics']/following-sibling::ul[1]/li/strong/a").first
    topic_title = norm(first_topic.inner_text())
    follow(page, first_topic)
    topic_path = path_of(page.url)
    assert topic_path in topics, f"the home page's first topic link goes to a topic page, not {page.url}"
    assert h1(page) == topics[topic_path]["title"] == topic_title

    # The case studies listed under "Case studies" on the topic page, in order.
    case_links = page.locator("xpath=//h2[@id='case-studies']/following-sibling::*[1]//a[contains(@href, 'case-studies/')]")
    hrefs = [a.evaluate("a => a.href") for a in case_links.all()]
    assert hrefs, "the topic page lists case studies"
    for href in hrefs[:6]:
        page.goto(href)
        case = cases[path_of(page.url)]
        assert h1(page) == case["name"]
        quote = norm(page.locator("xpath=//h2[@id='source']/following-sibling::blockquote[1]").inner_text())
        assert quote == norm(case["source"]["quote"]), "the case study quotes its source"
        source = page.locator("xpath=//h2[@id='source']/following-sibling::p[1]/a[contains(@href, 'essays/')]")
        follow(page, source)
        essay_url = page.url
        assert path_of(essay_url) in essays and path_of(essay_url) == path_of(server.url + essays_url(kb, case))
        assert urlsplit(essay_url).fragment, "the source link points at a section"
        section = page.evaluate(SECTION_JS)
        assert section is not None, f"no element with the id of {essay_url}"
        assert 0 <= section["top"] < section["height"], "the browser scrolled the passage into view"
        assert quote in norm(section["text"]), "the quoted passage is in the section the source link opens"
        others = [i for i, u in enumerate(section["links"]) if path_of(u) != topic_path]
        if not others:
            continue  # this passage names no other topic: try the next case study
        target = section["links"][others[0]]
        follow(page, page.locator(f'article a[data-kb-term="{others[0]}"]'))
        assert path_of(page.url) == path_of(target) and path_of(page.url) in topics
        assert h1(page) == topics[path_of(page.url)]["title"], "the term link lands on the topic page it names"

        page.go_back(wait_until="load")
        assert page.url == essay_url, "Back returns to the essay, at the passage"
        back = page.evaluate(SECTION_JS)
        assert back is not None and 0 <= back["top"] < back["height"], "the passage is in view again"
        page.go_back(wait_until="load")
        assert path_of(page.url) == path_of(href) and h1(page) == case["name"], "Back again: the case study"
        return
    pytest.fail(f"none of the case studies of {topic_title} has a source passage that links another topic")


def essays_url(kb: dict, case: dict) -> str:
    return next(e["url"] for e in kb["essays"] if e["slug"] == case["source"]["essay"])


def test_search_finds_a_case_study_by_name(page: object, server: object, kb: dict) -> None:
    """Typing a case study's name puts its page first; choosing it opens the page with the words highlighted."""
    case = sorted(kb["case_studies"], key=lambda c: c["id"])[0]
    page.goto(server.url)
    results = run_search(page, case["name"])
    first = results.first
    assert path_of(first.get_attribute("href")) == path_of(server.url + case["url"])
    follow(page, first)
    assert path_of(page.url) == path_of(server.url + case["url"])
    assert h1(page) == case["name"]
    assert page.locator("article mark").count() > 0, "search.highlight marks the query on the page"


def test_search_finds_a_place(page: object, server: object, kb: dict) -> None:
    """Typing a place lists the place's page; choosing it opens that page, with its case study."""
    places: dict[str, list[dict]] = {}
    for c in kb["case_studies"]:
        for p in c["places"]:
            places.setdefault(p, []).append(c)
    # A one-word place of exactly one case study whose name does not contain it: the match must come from the places.
    place, (case,) = next(
        (p, cs) for p, cs in sorted(places.items()) if re.fullmatch(r"\w+", p) and len(cs) == 1 and p.lower() not in cs[0]["name"].lower()
    )
    page.goto(server.url)
    results = run_search(page, place)
    entry = results.filter(has=page.locator("h1, h2", has_text=re.compile(rf"^\s*{re.escape(place)}\s*$")))
    assert entry.count() >= 1, f"the page of {place} is a result"
    follow(page, entry.first)
    assert "/places/" in path_of(page.url) or "/actors/" in path_of(page.url), page.url
    assert h1(page) == place
    listed = page.locator("article .kb-timeline a .kb-tl-name").all_inner_texts()
    assert case["name"] in listed, "the place's page lists its case study"
    assert page.locator("article mark", has_text=re.compile(place, re.I)).count() > 0, "the place is highlighted"


def follow(page: object, link: object) -> None:
    """Click a link the way a reader does and wait until the new page has loaded."""
    with page.expect_navigation(wait_until="load"):
        link.click()


def scheme(page: object) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def background_luminance(page: object) -> float:
    rgb = page.evaluate("getComputedStyle(document.body).backgroundColor")
    r, g, b = (int(x) for x in re.findall(r"\d+", rgb)[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def test_light_dark_toggle_switches_and_persists(page: object, server: object) -> None:
    """The header toggle switches light → dark, the choice survives a reload and another page, and switches back."""
    page.emulate_media(color_scheme="light")
    page.goto(server.url)
    assert scheme(page) == "default" and background_luminance(page) > 0.8
    page.get_by_title("Switch to dark mode").click()
    assert scheme(page) == "slate"
    page.wait_for_function("getComputedStyle(document.body).backgroundColor !== 'rgb(255, 255, 255)'")
    assert background_luminance(page) < 0.3
    page.reload()
    assert scheme(page) == "slate", "the choice is kept across a reload"
    page.goto(server.url + "case-studies/")
    assert scheme(page) == "slate", "and on the next page"
    page.get_by_title("Switch to light mode").click()
    assert scheme(page) == "default"


def test_dark_system_preference_is_followed(make_page: object, server: object) -> None:
    """A reader whose system is in dark mode gets the dark scheme on first visit."""
    page = make_page(color_scheme="dark")
    page.goto(server.url)
    assert scheme(page) == "slate"
    assert background_luminance(page) < 0.3


def test_phone_drawer_navigates(phone_page: object, server: object, kb: dict) -> None:
    """On a phone the navigation is a drawer: closed at first, opened by the menu button, and its links work."""
    page = phone_page
    page.goto(server.url)
    drawer = page.locator(".md-sidebar--primary")
    box = drawer.bounding_box()
    assert box is None or box["x"] + box["width"] <= 0, "the drawer starts off-screen"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    page.locator('label.md-header__button[for="__drawer"]').click()
    page.wait_for_function("document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= 0")
    topic = kb["topics"][-1]
    # Sections (Topics, Essays, ...) lead to their index page, where the drawer lists the section's pages.
    follow(page, page.locator('.md-sidebar--primary a.md-nav__link[href$="topics/"]').first)
    assert path_of(page.url) == path_of(server.url + "topics/")
    page.locator('label.md-header__button[for="__drawer"]').click()
    page.wait_for_function("document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= 0")
    link = page.locator(".md-sidebar--primary a.md-nav__link", has_text=re.compile(rf"^\s*{re.escape(topic['title'])}\s*$"))
    follow(page, link.first)
    assert path_of(page.url) == path_of(server.url + topic["url"])
    assert h1(page) == topic["title"]
    box = page.locator(".md-sidebar--primary").bounding_box()
    assert box is None or box["x"] + box["width"] <= 0, "the drawer is closed on the new page"


@pytest.mark.parametrize("kind", ["home", "topic", "essay", "case", "cases", "actors", "graph"])
def test_phone_pages_do_not_scroll_sideways(phone_page: object, server: object, kb: dict, kind: str) -> None:
    """At 375 px no page is wider than the screen (wide tables and the graph scroll inside their own box)."""
    url = page_url(kind, kb)
    phone_page.goto(server.url + url)
    widths = phone_page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"page is {widths[0]} px wide on a {widths[1]} px screen"


def test_missing_page_gets_the_404_page(make_page: object, server: object) -> None:
    """A wrong address gets status 404 and a styled page that leads back home."""
    page = make_page(allow_console=("status of 404",))
    response = page.goto(server.url + "topics/no-such-topic/")
    assert response is not None and response.status == 404
    assert h1(page) == "Page not found"
    assert page.title().startswith("Page not found")
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky", "the theme's CSS loaded"
    follow(page, page.locator("article").get_by_role("link", name="Home", exact=True))
    assert path_of(page.url) == path_of(server.url)
    assert page.locator("article h2#topics").count() > 0, "back on the home page"
