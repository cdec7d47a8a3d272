"""The link index: two phases, unknown targets reported with where they came from."""

from __future__ import annotations

import posixpath

import pytest

from diplokb.pipeline import run
from diplokb.render.context import Context
from diplokb.render.renderer import render
from diplokb.stages.link import featured_sections
from diplokb.stages.sources import load_essay
from diplokb.urls import essay_page, relpath, topic_page

from .conftest import CONTENT, SEEDS

ESSAYS = [load_essay(p) for p in sorted(SEEDS.glob("*.txt"))]
KB = run(CONTENT, SEEDS).kb


def test_every_section_and_topic_registered() -> None:
    """Phase one registers every topic page and every essay section anchor before any link is made."""
    for t in KB.topics:
        assert topic_page(t.slug) in KB.targets
    for e in ESSAYS:
        for i in range(len(e.sections)):
            assert KB.section_key(e.slug, i) in KB.targets


def test_unknown_target_warns_with_origin() -> None:
    """Phase two: a link to a page or anchor nobody registered is a warning naming its source file:line."""
    r = Context(KB)
    r.href("index.md", "topics/nope.md", origin="content/topics/x.yaml:7")
    r.href("index.md", essay_page(ESSAYS[0].slug) + "#no-such-anchor", origin="seeds/a.txt:3")
    msgs = [str(p) for p in r.problems]
    assert msgs == [
        "content/topics/x.yaml:7: link: link to unknown target `topics/nope.md`",
        f"seeds/a.txt:3: link: link to unknown anchor `{essay_page(ESSAYS[0].slug)}#no-such-anchor`",
    ]
    assert all(p.severity == "warning" for p in r.problems)


def test_relative_hrefs() -> None:
    """Links are final relative URLs (MkDocs no longer rewrites generated pages), anchors kept, either URL style."""
    r = Context(KB)
    assert r.href("topics/alliances.md", "topics/peacekeeping.md") == "../peacekeeping/"
    assert r.href("index.md", "topics/peacekeeping.md") == "topics/peacekeeping/"
    key = KB.section_key(ESSAYS[0].slug, 3)
    page, anchor = key.split("#")
    assert r.href("case-studies/nato.md", key) == "../../" + page[:-3] + "/#" + anchor
    assert r.href(page, key) == "#" + anchor
    flat = Context(KB, directory_urls=False)
    assert flat.href("topics/alliances.md", "topics/peacekeeping.md") == "peacekeeping.html"
    assert flat.href("case-studies/nato.md", key) == "../" + page[:-3] + ".html#" + anchor
    assert flat.href("index.md", "topics/index.md") == "topics/index.html"
    assert not r.problems and not flat.problems


def test_rendered_links_resolve_against_rendered_anchors() -> None:
    """Every link the pages make lands on a page of the site and an id on it; a miss names the page that made it."""
    from diplokb.render.markup import Heading, Page
    from diplokb.render.renderer import check_links

    site = render(KB)
    assert check_links(site.pages) == []
    a = Page.of("a.md", "A", "", [Heading(1, "A"), '<p><span id="here"></span></p>'])
    b = Page("b.md", "B", "", (Heading(1, "B", "b"),), links=("a.md#here", "a.md#gone", "c.md", "a.md"))
    msgs = [str(p) for p in check_links((a, b))]
    assert msgs == ["b.md: link: link to `a.md#gone`: no such anchor on the page", "b.md: link: link to `c.md`: no such page"]


def test_render_leaves_the_knowledge_base_alone() -> None:
    """Rendering reads the linked knowledge base and changes nothing of it; each page carries the links it made."""
    before = repr(KB)
    site = render(KB)
    assert repr(KB) == before
    home = next(p for p in site.pages if p.path == "index.md")
    assert "topics/peacekeeping.md" in home.links and not site.problems


def test_related_reasons() -> None:
    """Related topics come from the YAML and from shared case studies and co-filed sections, each with its reason."""
    rel = {r.slug: r.reasons for r in KB.related["peacekeeping"]}
    assert "listed as related" in rel["nation-building"]
    assert any(r.endswith("shared case studies") for r in rel["nation-building"])
    assert any(r.endswith("essay passages on both") for r in rel["alliances"])


def test_backlinks_point_at_sections() -> None:
    """Backlinks of a topic are the essay sections that mention it, each with its section anchor."""
    ms = [m for m in KB.backlinks[topic_page("attaches")] if m.kind == "term"]
    assert ms and all(m.src_anchor for m in ms)
    assert "Military Diplomacy and Foreign Relations" in {m.group for m in ms}  # its title from seeds/essays.yaml
    # A topic page quotes only its featured sections; a link there comes from one of them.
    featured = {topic_page(t.slug): {KB.topic_section_anchor[k] for k in featured_sections(KB.routing, t.slug)} for t in KB.topics}
    copies = [m for t in KB.topics for m in KB.backlinks[topic_page(t.slug)] if m.kind == "term" and m.src_page.startswith("topics/")]
    assert copies and all(m.src_anchor in featured[m.src_page] for m in copies)


def test_actors_from_yaml_mentions_from_essays() -> None:
    """Actors and places come from the case studies; their mentions are found in the essays."""
    nato = KB.entities["nato"]
    assert nato.kind == "actor" and "kfor-in-kosovo" in nato.cases
    assert len(nato.sections) >= 4
    assert KB.entities["sierra-leone"].kind == "place"


@pytest.mark.parametrize(
    ("path", "start"),
    [
        ("topics/a.md", "topics"),
        ("topics/a.md", ""),
        ("essays/x.md", "case-studies"),
        ("index.md", "topics"),
        ("a/b/c", "a/d"),
        ("topics/", "topics/"),
    ],
)
def test_relpath_matches_posixpath(path: str, start: str) -> None:
    """The fast relative-path helper agrees with posixpath.relpath on site paths."""
    assert relpath(path, start) == posixpath.relpath(path, start or ".")
