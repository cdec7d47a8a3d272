"""The plugin's own search entries for generated pages are the ones Material's search parser makes of their HTML."""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from material.plugins.search.plugin import SearchIndex

from diplokb.pipeline import run
from diplokb.render import markup
from diplokb.site.searchindex import entries

from .conftest import CONTENT, ROOT, SEEDS


def material(html: str, url: str, title: str, ids: list[str]) -> list[dict[str, Any]]:
    """What Material's search plugin adds to its index for a page with this HTML and these heading ids."""
    index = SearchIndex()
    toc = [types.SimpleNamespace(id=i, url=f"#{i}", children=[]) for i in ids]
    page = types.SimpleNamespace(content=html, meta={"title": title}, title=title, url=url, toc=toc)
    index.add_entry_from_context(page)
    return index.entries


def compare(pages: dict[str, markup.Page]) -> int:
    n = 0
    for path, p in pages.items():
        url = path.removesuffix("index.md").removesuffix(".md") + ("/" if not path.endswith("index.md") else "")
        title = p.meta()["title"]
        ids = [t.id for t in p.toc()]
        for html in (p.search_html(), p.html()):
            mine = entries(html, url, title)
            assert mine is not None, f"{path}: left to Material's parser"
            assert mine == material(html, url, title, ids), path
            n += len(mine)
    return n


def test_seed_pages_give_materials_entries() -> None:
    """Every generated page of the seed site, the short search view and the whole page: Material's entries, in its order."""
    assert compare(run(CONTENT, SEEDS).pages) > 100


@pytest.mark.slow
def test_generated_corpus_gives_materials_entries(tmp_path: Path) -> None:
    """The same at x10 (20 essays, 100 case studies): every shape the bench corpus writes."""
    sys.path.insert(0, str(ROOT))
    try:
        importlib.import_module("bench.corpus").build_scale(10, tmp_path)
    finally:
        sys.path.remove(str(ROOT))
    assert compare(run(tmp_path / "content", tmp_path / "seeds").pages) > 500


SHAPES = [
    # text before any heading, an h2 first, entities, whitespace, an empty paragraph after a full one
    'Intro &amp; more\n<h2 id=\'a\'>A &lt;b&gt;<a class="headerlink" href="#a">&para;</a></h2>\n<p>x\ny</p>  <p> </p><p><span></span></p>',
    # an h1 first, excluded heading and element, a list, a nested excluded element of the same tag
    '<h1 id="t">Title</h1><p>one</p><h2 data-search-exclude id="n">No</h2><p>hidden</p><h3 id="y">Yes</h3>'
    '<div data-search-exclude="data-search-exclude"><div>in</div>out</div><ul>\n<li>a</li>\n<li><em>b</em></li>\n</ul>',
    # a heading nested in an element: its section ends with the element
    '<p>lead</p><div><h2 id="d">Inside</h2><p>x</p></div><p>after</p><sup>1</sup><code>c &amp; d</code>',
    # a heading without an id, a void element, a mismatched end tag
    "<h2>No id</h2><p>a<br>b</p></span><h4 id='q' class='x'>Q</h4><ol><li></li></ol>",
]


@pytest.mark.parametrize("html", SHAPES)
def test_shapes_give_materials_entries(html: str) -> None:
    assert entries(html, "p/", "Page") == material(html, "p/", "Page", ["a", "t", "n", "y", "d", "q"])


@pytest.mark.parametrize("html", ["<p>a < b</p>", "<!-- c --><p>x</p>", "<script>var a = '<p>';</script>", "<pre>a\n b</pre>", "<span/>"])
def test_html_beyond_this_reading_is_left_to_material(html: str) -> None:
    assert entries(html, "p/", "Page") is None


def test_case_studies_index_no_copy_of_the_essay_sentence() -> None:
    """A case study's page is found by its own words; the essay sentence it quotes is found on the essay's page."""
    result = run(CONTENT, SEEDS)
    cases = {c["url"]: c for c in result.knowledge["case_studies"]}
    essays = [x for p, pg in result.pages.items() if p.startswith("essays/") for x in entries(pg.search_html(), p, "") or []]
    quoted = 0
    for path, page in result.pages.items():
        url = path.removesuffix(".md") + "/"
        if url not in cases or cases[url]["source"] is None:
            continue
        got = entries(page.search_html(), url, page.meta()["title"])
        summary = result.kb.cases[cases[url]["id"]].summary
        assert got and got[0]["location"] == url and summary[:30] in got[0]["text"]
        assert not [e for e in got if e["location"].endswith("#source")], url
        words = cases[url]["source"]["quote"][:60]  # long enough that a summary's paraphrase does not match
        assert not [e for e in got if words in e["text"]], url
        quoted += any(words in e["text"] for e in essays)
    assert quoted > 10
