"""Serve rebuilds reuse what did not change (issue 12), and what they serve equals a fresh build.

A serve session keeps one :class:`~diplokb.cache.BuildCache`; after every kind of edit the
pipeline's result with that cache must be the fresh result, and the pages an edit does not touch
must be the very page objects of the last build (not rendered again)."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from diplokb import pipeline
from diplokb.cache import BuildCache
from diplokb.errors import ContentError
from diplokb.pipeline import LINK_IGNORES, LINK_IGNORES_CASE, ROUTE_IGNORES, check, scan
from diplokb.stages.link import build
from diplokb.stages.route import route

from .conftest import copy_project

NEW_CASE = """
  - name: Blue helmets at the test border
    years: 2001-2003
    places: [Cyprus]
    actors: [United Nations]
    summary: >-
      A case study added while the server runs, resting on its reference alone.
    topics: [peacekeeping]
    references:
      - title: A report on the test border
        publisher: UN News
        date: 2003-01
        url: https://news.un.org/en/story/2003/01/test
"""


def _edit(path: Path, old: str, new: str) -> Callable[[], None]:
    def do() -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path.name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return do


def _append(path: Path, text: str) -> Callable[[], None]:
    return lambda: path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _result(project: Path, cache: BuildCache | None) -> tuple[dict[str, str], dict[str, object], list[str]] | str:
    try:
        r = pipeline.run(project / "content", project / "seeds", cache=cache)
    except ContentError as exc:
        return str(exc)
    return r.pages, r.knowledge, [str(w) for w in r.warnings]


def test_every_kind_of_edit_rebuilds_to_the_fresh_result(tmp_path: Path) -> None:
    """Summary, term, title, case study added and changed, essay, metadata, a broken save and its fix, a new topic:
    after each, the rebuild with the serve session's cache gives exactly what a fresh build gives."""
    project = copy_project(tmp_path / "kb")
    topics, seeds = project / "content/topics", project / "seeds"
    peace, essay = topics / "peacekeeping.yaml", seeds / "military-diplomacy-and-nation-building.txt"
    original = peace.read_text(encoding="utf-8")
    decided = project / "content/filings.yaml"
    edits: list[tuple[str, Callable[[], None]]] = [
        ("summary", _edit(peace, "Peacekeeping sends military forces", "REBUILT sends military forces")),
        ("nothing changed", lambda: None),
        ("term added", _edit(peace, "  - peacekeeping\n", "  - peacekeeping\n  - reconstruction\n")),
        ("title", _edit(peace, "title: Peacekeeping", "title: Peace operations")),
        ("colour", _edit(peace, "title: Peace operations", 'title: Peace operations\ncolour: "#7b1fa2"')),
        ("case study added", _append(peace, NEW_CASE)),
        ("case study years", _edit(peace, "years: 1999-2005", "years: 1999-2006")),
        ("case study actors", _edit(peace, "actors: [United Nations]", "actors: [United Nations, ECOWAS]")),
        ("essay heading", _edit(essay, "Navigating Power Dynamics\n", "Navigating Power Dynamics Revisited\n")),
        (
            "essay text",
            _edit(
                essay, "Navigating Power Dynamics Revisited\n", "Navigating Power Dynamics Revisited\nPeacekeeping troops ran clinics.\n"
            ),
        ),
        ("broken save", _edit(peace, "title: Peace operations", "title: Peace operations\nsummry: oops")),
        ("fixed", _edit(peace, "\nsummry: oops", "")),
        (
            "new topic",
            lambda: (topics / "naval.yaml").write_text("title: Naval diplomacy\nsummary: Navies as envoys.\nterms: [port visit, navy]\n"),
        ),
        ("topic removed", lambda: (topics / "naval.yaml").unlink()),
        # The essay without a title line takes its title from essays.yaml, and routing reads it.
        ("essay metadata", _edit(seeds / "essays.yaml", "title: Military Diplomacy and Foreign", "title: Peacekeeping and Foreign")),
        # An editor's decision (content/filings.yaml) changes where a section is filed; removing it leaves the router's answer.
        (
            "decision",
            _edit(decided, "strategic-partnerships: {topics: [alliances]", "strategic-partnerships: {topics: [alliances, soft-power]"),
        ),
        ("decision removed", _edit(decided, "  military-diplomacy-and-nation-building#opening:", "  removed-essay#opening:")),
        ("all undone", lambda: peace.write_text(original, encoding="utf-8")),
    ]
    cache = BuildCache(keep=True)
    last = _result(project, cache)
    assert not isinstance(last, str)
    for what, edit in edits:
        edit()
        served = _result(project, cache)
        assert served == _result(project, None), f"after the edit '{what}' the rebuild differs from a fresh build"
        if what not in ("nothing changed",):
            assert served != last, f"the edit '{what}' changed nothing: the test would not see a stale page"
        last = served


def test_a_summary_edit_renders_only_the_pages_that_show_it(tmp_path: Path) -> None:
    """The essay pages, case study pages and the graph are the very objects of the last build; the topic page is new."""
    project = copy_project(tmp_path / "kb")
    cache = BuildCache(keep=True)
    pipeline.run(project / "content", project / "seeds", cache=cache)
    before = {k: v[1] for k, v in cache.pages.items()}
    _edit(project / "content/topics/peacekeeping.yaml", "Peacekeeping sends military forces", "EDITED sends military forces")()
    result = pipeline.run(project / "content", project / "seeds", cache=cache)
    after = {k: v[1] for k, v in cache.pages.items()}
    redone = sorted(after[k].path for k in after if after[k] is not before.get(k))
    assert "topics/peacekeeping.md" in redone and "EDITED" in result.pages["topics/peacekeeping.md"].html()
    assert not [p for p in redone if p.startswith(("essays/", "case-studies/"))], redone
    assert "graph.md" not in redone and len(redone) <= 4, redone
    # and route and link were not run again: the same routing object
    assert result.kb.routing is cache.stages["decide"][1]


def test_fields_left_out_of_the_stage_keys_do_not_change_route_or_link(tmp_path: Path) -> None:
    """ROUTE_IGNORES / LINK_IGNORES name the fields an edit may change while routing and links are reused:
    changing each of them on every topic and case study leaves both stages' results as they were."""
    project = copy_project(tmp_path / "kb")
    loaded = check(project / "content", project / "seeds")
    cache = BuildCache()
    matcher, hits = scan(loaded.essays, loaded.topics, cache)
    routing = route(loaded.essays, loaded.topics, matcher, hits)
    kb = build(loaded.essays, loaded.topics, loaded.meta, routing, hits, cache)

    def changed(obj: object, names: tuple[str, ...]) -> object:
        out = {}
        for n in names:
            v = getattr(obj, n)
            out[n] = v + "x" if isinstance(v, str) else v + 7 if isinstance(v, int) else type(v)()
        return dataclasses.replace(obj, **out)  # type: ignore[type-var]

    other = [changed(t, ROUTE_IGNORES) for t in loaded.topics]
    assert route(loaded.essays, other, matcher, hits) == routing  # type: ignore[arg-type]
    other = [
        dataclasses.replace(changed(t, LINK_IGNORES), case_studies=[changed(c, LINK_IGNORES_CASE) for c in t.case_studies])  # type: ignore[type-var]
        for t in loaded.topics
    ]
    kb2 = build(loaded.essays, other, loaded.meta, routing, hits, cache)  # type: ignore[arg-type]
    for f in dataclasses.fields(kb):
        if f.name not in ("topics", "cases"):
            assert getattr(kb2, f.name) == getattr(kb, f.name), f.name
    assert list(kb2.cases) == list(kb.cases)


@pytest.mark.slow
def test_dirty_serve_rebuilds_serve_what_a_fresh_build_makes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs' dirty rebuilds (as `diplokb serve` runs them) after a summary edit, a retitled topic, a broken save
    and its fix: every file of the served site, search index included, is what a fresh build writes."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    project = copy_project(tmp_path / "kb")
    monkeypatch.chdir(project)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    url = "http://127.0.0.1:8000/diplokb/"
    served, fresh = tmp_path / "served", tmp_path / "fresh"
    served.mkdir()

    def config():  # type: ignore[no-untyped-def]
        c = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(served))
        c.site_url = url
        return c

    first = config()
    first.plugins.on_startup(command="serve", dirty=True)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    mkdocs_build(first, serve_url=url, dirty=True)
    peace = project / "content/topics/peacekeeping.yaml"
    original = peace.read_text(encoding="utf-8")
    for text in (
        original.replace("Peacekeeping sends military forces", "SERVED sends military forces"),
        original.replace("title: Peacekeeping", "title: Peace operations"),
        original.replace("title: Peacekeeping", "titel: Peacekeeping"),  # broken: the last good pages stay
        original.replace("Peacekeeping sends military forces", "FIXED sends military forces"),
    ):
        peace.write_text(text, encoding="utf-8")
        mkdocs_build(config(), serve_url=url, dirty=True)
    script = (
        "from mkdocs.commands.build import build\nfrom mkdocs.config import load_config\n"
        f"c = load_config(config_file={str(project / 'mkdocs.yml')!r}, site_dir={str(fresh)!r}); c.site_url = {url!r}\n"
        f"c.plugins.on_startup(command='serve', dirty=False); build(c, serve_url={url!r}, dirty=False)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=project, capture_output=True, env={**os.environ})

    def files(site: Path) -> dict[str, bytes]:
        return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file() and p.suffix != ".gz"}

    a, b = files(served), files(fresh)
    assert sorted(a) == sorted(b)
    index = "search/search_index.json"
    assert json.loads(a.pop(index)) == json.loads(b.pop(index))  # the whole index, in the same order
    assert [k for k in b if a[k] != b[k]] == []
    assert b"FIXED sends" in a["topics/peacekeeping/index.html"]


def test_knowledge_json_dumped_in_parts_is_the_whole_dump(tmp_path: Path) -> None:
    """The plugin dumps knowledge.json part by part (reusing unchanged parts): the same text as one dump."""
    from diplokb.site.plugin import DiplokbPlugin

    project = copy_project(tmp_path / "kb")
    plugin = DiplokbPlugin()
    cache = BuildCache(keep=True)
    for edit in (lambda: None, _edit(project / "content/topics/peacekeeping.yaml", "Peacekeeping sends", "Ça « sends »")):
        edit()
        knowledge = pipeline.run(project / "content", project / "seeds", cache=cache).knowledge
        assert plugin._dump(knowledge) == json.dumps(knowledge, ensure_ascii=False, separators=(",", ":"))


def test_a_failed_in_place_rebuild_is_undone(tmp_path: Path) -> None:
    """A serve rebuild writes into the served site; if it fails, the journal puts back every file it replaced
    (rewritten pages, the search index) and removes the ones it added; on success the new files stay."""
    from diplokb.site.journal import Journal

    site = tmp_path / "site"
    for rel, text in (("a/index.html", "old page"), ("b/index.html", "untouched"), ("search/search_index.json", "old index")):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text)

    class F:  # what the journal reads of MkDocs' files
        def __init__(self, rel: str, modified: bool) -> None:
            self.abs_dest_path, self.modified = str(site / rel), modified

        def is_modified(self) -> bool:
            return self.modified

    def rebuild() -> Journal:
        journal = Journal(site)
        journal.keep([F("a/index.html", True), F("b/index.html", False)])
        (site / "a/index.html").write_text("new page")
        (site / "search/search_index.json").write_text("new index")
        (site / "c/index.html").parent.mkdir(exist_ok=True)
        (site / "c/index.html").write_text("added")
        return journal

    rebuild().undo()
    assert {str(p.relative_to(site)): p.read_text() for p in site.rglob("*") if p.is_file()} == {
        "a/index.html": "old page",
        "b/index.html": "untouched",
        "search/search_index.json": "old index",
    }
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # nothing left aside
    rebuild().drop()
    assert (site / "a/index.html").read_text() == "new page" and (site / "c/index.html").read_text() == "added"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
