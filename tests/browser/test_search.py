"""Search that finds the right page: a set of queries and the page each should bring up, run in
Debian chromium against Material's own search (its worker, its index, its ranking)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml

from .kbweb import LUNR_STOP_WORDS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TOP = 3

# The links of each of the first result groups: Material groups results by page, the page first,
# then its matching sections, best first.
TOP_JS = """n => [...document.querySelectorAll('.md-search-result__list > .md-search-result__item')]
    .slice(0, n).map(li => [...li.querySelectorAll('a')].map(a => a.href))"""


def type_query(page: object, query: str) -> None:
    """Type into Material's search and wait for the results of the whole query.

    Results carry the (stemmed) words they matched in ?h=; wait until one has a stem of every word."""
    box = page.locator("input.md-search__input")
    box.click()
    page.locator(".md-search-result__meta").filter(has_text="Type to start searching").wait_for()
    box.press_sequentially(query, delay=10)
    words = [w for w in re.findall(r"\w+", query.lower()) if w not in LUNR_STOP_WORDS and len(w) > 1]
    page.wait_for_function(
        """([words, query]) => {
            // where no page holds every word, the results say so for this query
            const note = document.querySelector('.kb-search-note');
            if (note && !note.hidden && note.textContent.includes(`\\u201c${query}\\u201d`)) return true;
            return [...document.querySelectorAll('.md-search-result__item a')].some(a => {
                const got = (new URL(a.href).searchParams.get('h') || '').split(' ').filter(Boolean);
                // "china's" and "(nato)" are single words to lunr
                const stem = g => g.replace(/['’].*$/, '').replace(/[^\\p{L}\\p{N}]/gu, '');
                return words.every(w => got.some(g => w.startsWith(stem(g)) || stem(g).startsWith(w)));
            });
        }""",
        arg=[words, query.strip()],
    )


def _where(href: str, base: str) -> str:
    """A result's address relative to the site root, with its #fragment."""
    parts = urlsplit(href)
    path = unquote(parts.path)[len(urlsplit(base).path) :]
    return path + (f"#{parts.fragment}" if parts.fragment else "")


def search_set(kb: dict) -> list[tuple[str, set[str]]]:
    """(query, pages any of which is right) for every topic, case study and place of the site, and a few phrasings."""
    out: list[tuple[str, set[str]]] = []
    for t in kb["topics"]:
        out.append((t["title"], {t["url"]}))
    for c in kb["case_studies"]:
        out.append((c["name"], {c["url"]}))
    places: dict[str, set[str]] = {}
    for c in kb["case_studies"]:
        for p in c["places"]:
            places.setdefault(p, set()).add(c["url"])
    anchors = {a["title"]: a["url"] for a in kb["anchors"] if a["kind"] in ("place", "actor")}
    for p, urls in sorted(places.items()):
        # The place's own entry, or a case study that happened there.
        out.append((p, urls | {anchors[p]}))
    by_slug = {t["slug"]: t["url"] for t in kb["topics"]}
    for query, slug in (("defence attaché", "attaches"), ("peacekeeping", "peacekeeping"), ("soft power", "soft-power")):
        if slug in by_slug:
            out.append((query, {by_slug[slug]}))
    return out


def test_search_set_finds_its_pages(page: object, server: object, kb: dict) -> None:
    """Each query of the set has a right page among the first three results."""
    queries = search_set(kb)
    assert len(queries) >= len(kb["topics"]) + len(kb["case_studies"])
    misses = []
    for query, want in queries:
        page.goto(server.url)
        try:
            type_query(page, query)
        except Exception as exc:  # reported with the query, with the other misses
            misses.append(f"{query!r}: no results for the whole query ({type(exc).__name__})")
            continue
        groups = [[_where(h, server.url) for h in hrefs] for hrefs in page.evaluate(TOP_JS, TOP)]
        got = {h.split("?")[0] for g in groups for h in g}
        if not want & got:
            misses.append(f"{query!r}: wanted one of {sorted(want)}, got {[g[0] for g in groups]}")
    assert not misses, f"{len(misses)} of {len(queries)} queries miss:\n  " + "\n  ".join(misses)


# Queries a reader types that no page's name matches word for word: other forms of a word (plurals,
# embassy for "embassies"), a topic with a place, what a page is about. Each with the pages any of
# which is right among the first three results.
PHRASINGS = [
    ("embassy", {"topics/attaches/"}),
    ("embassies", {"topics/attaches/"}),
    ("alliance", {"topics/alliances/"}),
    ("alliances", {"topics/alliances/"}),
    ("treaties", {"case-studies/north-atlantic-treaty-nato/", "case-studies/us-japan-security-treaty/"}),
    ("peacekeepers", {"topics/peacekeeping/"}),
    ("navies", {"case-studies/operation-smile-on-us-navy-humanitarian-missions/"}),
    ("military observer", {"case-studies/us-military-observers-in-the-russo-japanese-war-1904-1905/"}),
    ("soft power China", {"case-studies/chinese-participation-in-un-peacekeeping/"}),
    ("peacekeeping Kosovo", {"case-studies/kfor-in-kosovo/"}),
    ("alliance Japan", {"case-studies/us-japan-security-treaty/"}),
    ("training Mali", {"case-studies/eutm-mali/"}),
    ("peacekeeping Sierra Leone", {"case-studies/unamsil-in-sierra-leone/"}),
    (
        "attachés Russia",
        {
            "case-studies/uk-and-russian-expulsions-of-defence-attaches-2024/",
            "case-studies/italian-and-russian-expulsions-of-military-attache-staff-2021/",
        },
    ),
    (
        "training foreign armies",
        {
            "case-studies/us-training-of-iraqi-and-afghan-security-forces/",
            "case-studies/us-peacekeeping-training-programmes-in-africa-acri-and-acota/",
            "case-studies/eutm-mali/",
        },
    ),
]

# No page holds every word of these ("armies" is in none of the training pages): the results say so.
PARTIAL = {"training foreign armies"}
NOTE = ".kb-search-note"


def top_groups(page: object) -> list[list[str]]:
    """The links (as the page has them, with ?h=) of the first result groups."""
    return page.evaluate(TOP_JS, TOP)


def holds(group: list[str], query: str) -> bool:
    """Whether a result group (a page and its sections) matched every word of the query, by its ?h= words."""
    got = {w for h in group for w in parse_qs(urlsplit(h).query).get("h", [""])[0].split()}
    words = [w for w in re.findall(r"\w+", query.lower()) if w not in LUNR_STOP_WORDS]
    return all(any(w.startswith(g) or g.startswith(w) for g in got) for w in words)


@pytest.mark.parametrize(("query", "want"), PHRASINGS, ids=[q for q, _ in PHRASINGS])
def test_phrasings_find_their_pages(page: object, server: object, kb: dict, query: str, want: set[str]) -> None:
    """A right page is among the first three results; the first result holds every word, or a note says no page does."""
    urls = {x["url"] for x in kb["topics"] + kb["case_studies"]}
    assert want <= urls, f"{sorted(want - urls)}: not pages of this site"
    page.goto(server.url)
    type_query(page, query)
    groups = top_groups(page)
    got = [[_where(h, server.url) for h in g] for g in groups]
    assert want & {h for g in got for h in g}, f"{query!r}: wanted one of {sorted(want)}, got {[g[0] for g in got]}"
    if query in PARTIAL:
        assert page.locator(NOTE).is_visible(), f"{query!r}: no note that no page holds every word"
    else:
        assert holds(groups[0], query), f"{query!r}: the first result lacks a word: {groups[0]}"
        assert not page.locator(NOTE).is_visible()


# Names the site does not hold, each with the one of its words that some page holds.
ABSENT = [("Marshall Plan", "plan"), ("Warsaw Pact", "pact"), ("Berlin airlift", "airlift")]


@pytest.mark.parametrize(("query", "held"), ABSENT, ids=[q for q, _ in ABSENT])
def test_names_the_site_does_not_hold_are_said_so(page: object, server: object, query: str, held: str) -> None:
    """The results say that no page holds every word, then show the pages holding some."""
    page.goto(server.url)
    type_query(page, query)
    assert page.locator(NOTE).inner_text() == f"No page has all of \u201c{query}\u201d; showing pages with some."
    groups = top_groups(page)
    assert groups and holds(groups[0], held), groups


def test_type_ahead_suggests_words_not_stems(page: object, server: object) -> None:
    """Material's suggestion completes a half-typed word with a word of a title ("alliances"), not its stem ("allianc")."""
    page.goto(server.url)
    box = page.locator("input.md-search__input")
    box.click()
    page.locator(".md-search-result__meta").filter(has_text="Type to start searching").wait_for()
    box.press_sequentially("allian", delay=10)
    page.wait_for_function("() => document.querySelector('.md-search__suggest').textContent.trim() !== ''")
    assert page.locator(".md-search__suggest").text_content() == "alliances"


def test_navigation_blocks_stay_out_of_the_index(site_dir: Path) -> None:
    """Graphs, link lists, fact tables and copies of essay passages are not indexed; the index stays small."""
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    assert docs, "empty search index"
    left_out = ("#mentioned-in", "#neighbourhood", "#related-topics", "#in-its-topics", "#case-studies", "#from-the-essays")
    bad = [d["location"] for d in docs if d["location"].endswith(left_out) or d["location"].startswith("graph/#")]
    assert not bad, f"navigation sections indexed: {bad}"
    for d in docs:
        assert "Fact Details" not in d["text"], f"{d['location']}: a fact table in the index"
        assert "Filed under" not in d["text"] and "Mentioned in" not in d["text"], f"{d['location']}: a link list in the index"
        if d["location"].startswith("topics/") and "#" in d["location"]:
            pytest.fail(f"{d['location']}: a topic page's copy of an essay passage is indexed")
    graph = [d for d in docs if d["location"].startswith("graph/")]
    assert all(len(d["text"]) < 400 for d in graph), "graph labels in the index"
    size = (site_dir / "search" / "search_index.json").stat().st_size
    essays = sum(len(e.read_bytes()) for e in (Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
    cases = sum(len(case_text(c).encode()) for c in load_cases(Path(__file__).resolve().parents[2] / "content"))
    # The essays' text once (not again in topic pages' excerpts) and each case study's text once
    # (summary, note, quote, references), with JSON and titles on top; 10 kB for the index pages'
    # and hand-written pages' short texts. A second copy of the essays would add some 45 kB.
    budget = 1.5 * (essays + cases) + 10_000
    assert size < budget, f"search index {size} bytes for {essays} bytes of essays and {cases} of case studies (budget {budget:.0f})"


def load_cases(content: Path) -> list[dict[str, Any]]:
    return [
        c
        for f in sorted((content / "topics").glob("*.yaml"))
        for c in yaml.safe_load(f.read_text(encoding="utf-8")).get("case_studies") or []
    ]


def case_text(c: dict[str, Any]) -> str:
    """What a reader can search for on a case study's page: its own words, as its YAML gives them."""
    parts = [c["name"], c.get("summary", ""), c.get("note") or "", (c.get("source") or {}).get("quote", "")]
    parts += [*c.get("places", []), *c.get("actors", [])]
    parts += [f"{r['title']} {r['publisher']} {r['date']}" for r in c.get("references") or []]
    return " ".join(parts)
