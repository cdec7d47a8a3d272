"""The pipeline's shape (issue 11): stages in order, no state kept between builds, small modules, no MkDocs in the core."""

from __future__ import annotations

import importlib
import pkgutil
import shutil
from pathlib import Path

import pytest

import diplokb
from diplokb import pipeline
from diplokb.cache import BuildCache

from .conftest import CONTENT, SEEDS

MODULES = sorted(m.name for m in pkgutil.iter_modules(diplokb.__path__))
ADAPTERS = {"plugin", "sitebuild", "sitepages"}  # the MkDocs side


def test_stages_run_in_order_each_fed_what_the_last_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    """pipeline.run calls parse, model, route, link, render once each, in that order, passing results forward."""
    calls: list[str] = []
    for name in ("load_essays", "load_topics", "route", "build", "render"):
        real = getattr(pipeline, name)

        def spy(*args: object, _real: object = real, _name: str = name, **kw: object) -> object:
            calls.append(_name)
            return _real(*args, **kw)  # type: ignore[operator]

        monkeypatch.setattr(pipeline, name, spy)
    result = pipeline.run(CONTENT, SEEDS)
    assert calls == ["load_essays", "load_topics", "route", "build", "render"]
    assert result.kb.routing is not None and result.pages


def test_no_module_keeps_state_between_builds(tmp_path: Path) -> None:
    """Two builds of different content leave every module's globals as they were: caches live in a BuildCache."""
    mods = [importlib.import_module(f"diplokb.{m}") for m in MODULES]

    def state() -> dict[str, str]:
        return {f"{m.__name__}.{k}": repr(v) for m in mods for k, v in vars(m).items() if isinstance(v, dict | list | set | bytearray)}

    pipeline.run(CONTENT, SEEDS)
    before = state()
    other = tmp_path / "content"
    shutil.copytree(CONTENT, other)
    (other / "topics" / "naval.yaml").write_text(
        "title: Naval diplomacy\nsummary: Navies as envoys.\nterms: [port visit]\n", encoding="utf-8"
    )
    cache = BuildCache()
    pipeline.run(other, SEEDS, cache=cache)
    assert state() == before
    assert cache.parsed and cache.composed and cache.scans


def test_a_sixth_topic_appears_wherever_the_five_are_named(tmp_path: Path) -> None:
    """A new topic file is named on the home page, in the topic index and in the navigation, with no code change."""
    from diplokb.nav import nav

    other = tmp_path / "content"
    shutil.copytree(CONTENT, other)
    (other / "topics" / "naval.yaml").write_text(
        "title: Naval diplomacy\nsummary: Navies as envoys. Port visits show the flag.\nterms: [port visit]\n", encoding="utf-8"
    )
    result = pipeline.run(other, SEEDS)
    home = result.pages["index.md"].html()
    intro = home.split('id="topics"')[0]
    for t in result.kb.topics:
        assert t.title in intro, t.title
    assert "Naval diplomacy" in result.pages["topics/index.md"].html()
    assert {"Naval diplomacy": "topics/naval.md"} in nav(result.kb)[1]["Topics"]


@pytest.mark.parametrize("name", MODULES)
def test_modules_stay_small(name: str) -> None:
    """No module over 400 lines: each does one job."""
    path = Path(diplokb.__path__[0]) / f"{name}.py"
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400


@pytest.mark.parametrize("name", sorted(set(MODULES) - ADAPTERS))
def test_core_does_not_import_mkdocs(name: str) -> None:
    """Only the adapter imports MkDocs, so the core can feed another renderer."""
    text = (Path(diplokb.__path__[0]) / f"{name}.py").read_text(encoding="utf-8")
    assert "import mkdocs" not in text and "from mkdocs" not in text


def test_stage_results_are_frozen() -> None:
    """What a stage returns cannot be changed by a later one: topics, case studies, sources, the knowledge base, pages."""
    import dataclasses

    from diplokb.render import render

    result = pipeline.run(CONTENT, SEEDS)
    topic = result.kb.topics[0]
    case = next(c for c in result.kb.cases.values() if c.source is not None)
    page = render(result.kb).pages[0]
    for obj, field in ((topic, "title"), (case, "years"), (case.source, "line"), (result.kb, "routing"), (page, "blocks")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, field, None)
