"""The link index: two phases, unknown targets reported with where they came from."""

from __future__ import annotations

import posixpath

import pytest

from diplokb.link import build, essay_page, relpath, topic_page
from diplokb.model import load_topics
from diplokb.parse import parse_file

from .conftest import CONTENT, SEEDS

ESSAYS = [parse_file(p) for p in sorted(SEEDS.glob("*.txt"))]
KB = build(ESSAYS, load_topics(CONTENT, ESSAYS))


def test_every_section_and_topic_registered() -> None:
    """Phase one registers every topic page and every essay section anchor before any link is made."""
    for t in KB.topics:
        assert topic_page(t.slug) in KB.targets
    for e in ESSAYS:
        for i in range(len(e.sections)):
            assert KB.section_key(e.slug, i) in KB.targets


def test_unknown_target_warns_with_origin() -> None:
    """Phase two: a link to a page or anchor nobody registered is a warning naming its source file:line."""
    kb = build(ESSAYS, KB.topics)
    kb.href("index.md", "topics/nope.md", origin="content/topics/x.yaml:7")
    kb.href("index.md", essay_page(ESSAYS[0].slug) + "#no-such-anchor", origin="seeds/a.txt:3")
    msgs = [str(p) for p in kb.problems]
    assert msgs == [
        "content/topics/x.yaml:7: link: link to unknown target `topics/nope.md`",
        f"seeds/a.txt:3: link: link to unknown anchor `{essay_page(ESSAYS[0].slug)}#no-such-anchor`",
    ]
    assert all(p.severity == "warning" for p in kb.problems)


def test_relative_hrefs() -> None:
    """Links are relative Markdown paths MkDocs can check, with anchors kept."""
    kb = build(ESSAYS, KB.topics)
    assert kb.href("topics/alliances.md", "topics/peacekeeping.md") == "peacekeeping.md"
    assert kb.href("index.md", "topics/peacekeeping.md") == "topics/peacekeeping.md"
    key = KB.section_key(ESSAYS[0].slug, 3)
    assert kb.href("case-studies/nato.md", key) == "../" + key
    assert kb.href(key.split("#")[0], key) == "#" + key.split("#")[1]
    assert not kb.problems


def test_related_reasons() -> None:
    """Related topics come from the YAML and from shared case studies and co-filed sections, each with its reason."""
    rel = {r.slug: r.reasons for r in KB.related["peacekeeping"]}
    assert "listed in the topic file" in rel["nation-building"]
    assert any(r.endswith("shared case studies") for r in rel["nation-building"])
    assert any("filed under both" in r for r in rel["alliances"])


def test_backlinks_point_at_sections() -> None:
    """Backlinks of a topic are the essay sections that mention it, each with its section anchor."""
    ms = [m for m in KB.backlinks[topic_page("attaches")] if m.kind == "term"]
    assert ms and all(m.src_anchor for m in ms)
    groups = {m.group for m in ms}
    assert "Military diplomacy and foreign relations" in groups
    assert groups & {t.title for t in KB.topics}, "topic pages that use the topic's terms link back too"


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
