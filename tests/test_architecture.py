"""The pipeline's shape (issues 11, 22): stages in order, packages by role importing downward only, no import
circle, no state kept between builds, small modules, no MkDocs in the core."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import shutil
from pathlib import Path

import pytest

import diplokb
from diplokb import pipeline
from diplokb.cache import BuildCache

from .conftest import CONTENT, SEEDS

PKG = Path(diplokb.__path__[0])
MODULES = sorted(m.name.removeprefix("diplokb.") for m in pkgutil.walk_packages(diplokb.__path__, "diplokb.") if not m.ispkg)

# Who may import whom, from the bottom up: a module may import its own package (a top-level module, itself)
# and any unit of a lower layer, never one of its own layer or above. As diplokb/__init__.py documents.
LAYERS: list[set[str]] = [
    {"errors", "text"},
    {"content"},
    {"urls", "match", "cache"},
    {"stages"},
    {"render"},
    {"pipeline", "assets"},
    {"site", "commands"},  # the two ways the pipeline is run: the MkDocs adapter and the command line
    {"__main__"},
]
RANK = {unit: n for n, layer in enumerate(LAYERS) for unit in layer}
# Inside stages/, a stage may use the ones before it, never one after (parse -> model -> route -> link).
STAGE_ORDER = ["structure", "parse", "sources", "plausible", "provenance", "model", "entities", "route", "terms", "decide", "link"]
MKDOCS_SIDE = "site"


def _unit(module: str) -> str:
    return module.split(".")[0]


def _path(module: str) -> Path:
    return PKG / (module.replace(".", "/") + ".py")


def imports(module: str) -> set[str]:
    """The diplokb modules ``module`` imports (at any depth in the file, TYPE_CHECKING blocks included), as names under diplokb."""
    tree = ast.parse(_path(module).read_text(encoding="utf-8"))
    package = module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.split(".")[0] == "diplokb":
                target = node.module.split(".")[1:]
            else:
                continue
            for alias in node.names:
                name = ".".join([*target, alias.name])
                found.add(name if name in MODULES else ".".join(target))
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("diplokb.") for a in node.names if a.name.startswith("diplokb.")}
    return {m for m in found if m in MODULES}


def test_every_module_has_a_layer() -> None:
    """A new package or top-level module is placed in LAYERS (and in diplokb/__init__.py's list) before it lands."""
    assert {_unit(m) for m in MODULES} <= set(RANK)


@pytest.mark.parametrize("name", MODULES)
def test_imports_run_downward(name: str) -> None:
    """A module imports its own package or lower layers only: no upward or sideways import (site/ and commands/ apart)."""
    bad = [t for t in sorted(imports(name)) if _unit(t) != _unit(name) and RANK[_unit(t)] >= RANK[_unit(name)]]
    assert bad == [], f"{name} imports {bad}"


@pytest.mark.parametrize("name", [m for m in MODULES if m.startswith("stages.")])
def test_stages_never_reach_forward(name: str) -> None:
    """A stage module uses the stages before it, never one after it (a stage is fed what the last returned)."""
    own = STAGE_ORDER.index(name.removeprefix("stages."))
    later = [t for t in imports(name) if t.startswith("stages.") and STAGE_ORDER.index(t.removeprefix("stages.")) > own]
    assert later == []


def test_no_import_circles() -> None:
    """No module reaches itself through its imports (type-only imports count: a page builder takes a Context, not the renderer)."""
    graph = {m: imports(m) for m in MODULES}
    circles = []
    for start in MODULES:
        seen, todo = set(), list(graph[start])
        while todo:
            m = todo.pop()
            if m == start:
                circles.append(start)
                break
            if m not in seen:
                seen.add(m)
                todo += graph[m]
    assert circles == []


def test_the_check_sees_real_imports() -> None:
    """The import reader finds what the files hold (so the direction tests above can fail)."""
    assert "render.context" in imports("render.pages") and "stages.link" in imports("render.context")
    assert "errors" in imports("stages.model") and "commands.cli" in imports("__main__")


def test_stages_run_in_order_each_fed_what_the_last_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    """pipeline.run calls parse, model, route, decide, link, render once each, in that order, passing results forward."""
    calls: list[str] = []
    for name in ("load_essays", "load_topics", "route", "settle", "build", "render"):
        real = getattr(pipeline, name)

        def spy(*args: object, _real: object = real, _name: str = name, **kw: object) -> object:
            calls.append(_name)
            return _real(*args, **kw)  # type: ignore[operator]

        monkeypatch.setattr(pipeline, name, spy)
    result = pipeline.run(CONTENT, SEEDS)
    assert calls == ["load_essays", "load_topics", "route", "settle", "build", "render"]
    assert result.kb.routing is not None and result.pages


def test_no_module_keeps_state_between_builds(tmp_path: Path) -> None:
    """Two builds of different content leave every module's globals as they were: caches live in a BuildCache."""
    mods = [importlib.import_module(f"diplokb.{m}") for m in MODULES if m != "__main__"]

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
    from diplokb.render.nav import nav

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
    assert len(_path(name).read_text(encoding="utf-8").splitlines()) <= 400


@pytest.mark.parametrize("name", [m for m in MODULES if _unit(m) != MKDOCS_SIDE])
def test_core_does_not_import_mkdocs(name: str) -> None:
    """Only the adapter (site/) imports MkDocs or Material, so the core can feed another renderer."""
    tree = ast.parse(_path(name).read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and not n.level}
    assert not {x.split(".")[0] for x in names} & {"mkdocs", "material", "zensical"}


# The one module that knows Zensical's configuration (issue 21): the exporter, which writes it beside mkdocs.yml.
ZENSICAL_SIDE = "commands/export.py"


def test_only_the_exporter_names_zensical() -> None:
    """No file of the package but the exporter names Zensical: the core and the theme stay renderer-free."""
    files = [p for p in PKG.rglob("*") if p.is_file() and p.suffix in {".py", ".html", ".yaml", ".js", ".css"}]
    naming = sorted(p.relative_to(PKG).as_posix() for p in files if "zensical" in p.read_text(encoding="utf-8").lower())
    assert naming == [ZENSICAL_SIDE]


def test_stage_results_are_frozen() -> None:
    """What a stage returns cannot be changed by a later one: topics, case studies, sources, the knowledge base, pages."""
    import dataclasses

    from diplokb.render.renderer import render

    result = pipeline.run(CONTENT, SEEDS)
    topic = result.kb.topics[0]
    case = next(c for c in result.kb.cases.values() if c.source is not None)
    page = render(result.kb).pages[0]
    for obj, field in ((topic, "title"), (case, "years"), (case.source, "line"), (result.kb, "routing"), (page, "blocks")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, field, None)
