"""Smoke tests of the benchmarks in bench/: a tiny generated corpus, the pipeline on it, and the table code once."""

from __future__ import annotations

import dataclasses
import importlib
import json
from pathlib import Path
from types import ModuleType

import pytest

from diplokb.pipeline import run
from diplokb.stages.model import load_topics
from diplokb.stages.sources import load_essays
from diplokb.urls import BROWSE

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, ModuleType]:
    """The bench.corpus and bench.run modules, imported from the repository root."""
    monkeypatch.syspath_prepend(str(ROOT))
    return importlib.import_module("bench.corpus"), importlib.import_module("bench.run")


def test_generated_corpus_loads(tmp_path: Path, bench: tuple[ModuleType, ModuleType]) -> None:
    """A 2-essay corpus has both shapes, lists and debris, and every case-study quote is found in its essay."""
    corpus_mod, _run = bench
    c = corpus_mod.generate(tmp_path / "c", essays=2, topics=3, cases=5)
    essays, problems = load_essays(c.seeds)
    assert not problems
    assert {e.shape for e in essays} == {"lines", "blocks"}
    assert all(len([s for s in e.sections if s.heading]) >= 8 for e in essays)
    assert all(any(b.kind == "list" for s in e.sections for b in s.blocks) for e in essays)
    assert all(e.dropped for e in essays)
    assert 4000 < c.words < 8000
    topics = load_topics(c.content, essays)  # raises ContentError if a quote is not in its essay
    cases = [cs for t in topics for cs in t.case_studies]
    assert len(topics) == 3 and len(cases) == 5
    assert all(cs.source.section is not None and cs.source.line > 0 for cs in cases)


def test_generated_corpus_is_reproducible(tmp_path: Path, bench: tuple[ModuleType, ModuleType]) -> None:
    """The same sizes and seed give the same files."""
    corpus_mod, _run = bench
    a = corpus_mod.generate(tmp_path / "a", essays=3, topics=4, cases=6)
    b = corpus_mod.generate(tmp_path / "b", essays=3, topics=4, cases=6)
    files = sorted(p.relative_to(a.root) for p in a.root.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b.root) for p in b.root.rglob("*") if p.is_file())
    assert all((a.root / f).read_bytes() == (b.root / f).read_bytes() for f in files)


def test_pipeline_on_generated_corpus(tmp_path: Path, bench: tuple[ModuleType, ModuleType]) -> None:
    """The pipeline turns the generated corpus into pages, routing every case study's section somewhere."""
    corpus_mod, run_mod = bench
    c = corpus_mod.generate(tmp_path / "c", essays=2, topics=3, cases=4)
    result = run(c.content, c.seeds)
    pages = [p for p in result.pages if not p.endswith("index.md")]  # index pages come and go with the site's design
    assert sum(p.startswith("topics/") for p in pages) == 3
    assert sum(p.startswith("essays/") for p in pages) == 2
    assert sum(p.startswith("case-studies/") and p != BROWSE for p in pages) == 4  # and the case browser
    assert all(result.kb.routing.by_topic.values())
    timings = run_mod.pipeline_child(c.content, c.seeds, trace=True)
    assert set(run_mod.STAGES) <= set(timings)
    assert 0 < timings["total"] < 60 and timings["pages"] == len(result.pages) and timings["heap_peak_mb"] > 0


def test_corpus_config_mirrors_the_site_config(tmp_path: Path, bench: tuple[ModuleType, ModuleType]) -> None:
    """The generated mkdocs.yml is the site's own, with the plugin pointed at the corpus and an existing docs_dir."""
    corpus_mod, _run = bench
    c = corpus_mod.generate(tmp_path / "c", essays=2, topics=2, cases=2)
    text = c.config.read_text(encoding="utf-8")
    assert "docs_dir: content/pages" in text and c.docs.is_dir()
    assert "      content_dir: content\n" in text and "      seeds_dir: seeds\n" in text
    assert "navigation.prune" in text and "font: false" in text
    assert "- diplokb" in text and "- diplokb" not in corpus_mod.config_text("x", diplokb=False)


@pytest.mark.slow
def test_benchmark_table_once(tmp_path: Path, bench: tuple[ModuleType, ModuleType]) -> None:
    """One repetition of every measurement on a 2-essay corpus (pipeline, both builds, one edit under each serve mode) gives a sane table."""
    corpus_mod, run_mod = bench
    c = corpus_mod.generate(tmp_path / "x1" / "corpus", essays=2, topics=3, cases=4)
    r = run_mod.bench_scale(1, tmp_path, reps=1, edits=1, log=lambda _m: None, corpus=c)
    assert r.pages == len(run(c.content, c.seeds).pages) >= 2 + 3 + 4
    assert all(0 < r.pipeline[k][0] < 60 for k in (*run_mod.STAGES, "total"))
    assert 0 < r.pipeline["total"][0] < r.build[0] < 120 and 0 < r.plain[0] < 120
    assert len(r.export) == 1 and 0 < r.export[0] < 120 and r.plain_html_pages == r.site.html_pages  # the export: the same pages
    # Zensical built the same export, cold and warm, with the same pages.
    assert len(r.zensical_cold) == len(r.zensical) == 1 and 0 < r.zensical[0] < 120 and r.zensical_html_pages == r.site.html_pages
    assert all(0 < m < 2000 for m in (*r.build_rss_mb, *r.plain_rss_mb, *r.pipeline_rss_mb))
    assert len(r.serve.latencies) == 1 and 0 < r.serve.latencies[0] < 60 and r.serve.rss_mb > 0
    assert len(r.serve_dirty.latencies) == 1 and 0 < r.serve_dirty.latencies[0] < 60
    assert r.site.html_pages >= r.pages and r.site.search_index_bytes > 0 and r.site.largest.endswith(".html")
    assert (c.content / "topics").is_dir() and "Zbm" not in "".join(
        p.read_text(encoding="utf-8") for p in (c.content / "topics").glob("*.yaml")
    )
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps([dataclasses.asdict(r)]), encoding="utf-8")
    assert run_mod.load_results(saved) == [r]
    table = run_mod.table([r])
    assert "| **pipeline total** |" in table and "| **serve latency after a YAML edit** (`mkdocs serve --livereload`) |" in table
    assert "full build of the seed site" in table
    assert "| x1: plugin build / plain MkDocs on the export ≤ 1 (wall) |" in table
    assert "| **zensical build of the export, cold** (`--clean`: no cache) |" in table
