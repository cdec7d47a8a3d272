"""Pathological inputs (issue 23, cases 3-5): does the work grow with the input's size, not its square?

    python bench/pathological.py                     # every shape at 1,000 and 10,000 units
    python bench/pathological.py --n 500 --shapes headings,numbered
    python bench/pathological.py --profile headings  # cProfile of the 10x run of one shape
    python bench/pathological.py --build --shapes bare   # also a whole `mkdocs build` at 1x and 10x

Each shape is generated at ``n`` and ``10 n`` units into a copy of the seed project (its topics,
its essays and one extra essay or topic file), and the pipeline runs in this process stage by stage:
parse (the essays), check (topics, quotes, pins), route and link, render. A linear stage takes about
10 times as long at 10 n; a quadratic one 100 times. The shapes:

- ``headings``: an essay of ``n`` short distinct headings, each over a one-line paragraph;
- ``bare``: ``n`` short headings and nothing else (the 5 MB essay of issue 23 had 128,000);
- ``repeated``: one heading ("Overview") ``n`` times, each over a paragraph;
- ``numbered``: numbered headings ("12. The Role of Attachés") over paragraphs;
- ``title``: one title line of ``n`` times 40 characters naming topics, over paragraphs that echo it;
- ``pins``: ``n`` misspelt ``pin:`` entries in a topic file, against an essay of 3,000 sections.

Times are wall-clock seconds on whatever else the machine is doing: read the ratios.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import REPO

PARAGRAPH = "The mission trained local units, and peacekeeping patrols went on for a year."


def essay_headings(n: int) -> str:
    return "".join(f"Heading {i}\n{PARAGRAPH}\n" for i in range(n))


def essay_bare(n: int) -> str:
    return "".join(f"Heading {i}\n" for i in range(n))


def essay_repeated(n: int) -> str:
    return "".join(f"Overview\n{PARAGRAPH}\n" for _ in range(n))


def essay_numbered(n: int) -> str:
    return "".join(f"{i % 999 + 1}. The Role of Attachés\n\n{PARAGRAPH}\n\n" for i in range(n))


def essay_title(n: int) -> str:
    title = "# " + " ".join(["Peacekeeping and alliances in the long run"] * n)
    body = "".join(f"Peacekeeping and alliances in the long run were discussed again, round {i}.\n\n" for i in range(20))
    return f"{title}\n\n{body}"


def pins_topic(n: int) -> str:
    entries = "".join(f"  - military-diplomacy-and-foreign-relations#heading-numbr-{i}\n" for i in range(n))
    return f"title: Pins\nsummary: A topic with many misspelt pins.\nterms: [pinned things]\npin:\n{entries}"


ESSAYS: dict[str, Callable[[int], str]] = {
    "headings": essay_headings,
    "bare": essay_bare,
    "repeated": essay_repeated,
    "numbered": essay_numbered,
    "title": essay_title,
}
SHAPES = [*ESSAYS, "pins"]


def make_project(root: Path, shape: str, n: int) -> Path:
    """A copy of the seed project with the shape's essay (or topic file) added."""
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "content", root / "content", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "seeds", root / "seeds")
    if shape == "pins":
        (root / "seeds" / "many-sections.txt").write_text(essay_headings(3000), encoding="utf-8")
        (root / "content/topics/pins.yaml").write_text(pins_topic(n), encoding="utf-8")
    else:
        (root / "seeds" / f"{shape}.txt").write_text(ESSAYS[shape](n), encoding="utf-8")
    return root


def run_stages(root: Path) -> dict[str, float]:
    """Seconds per stage, run once each as the pipeline runs them."""
    from diplokb import pipeline
    from diplokb.cache import BuildCache
    from diplokb.errors import ContentError
    from diplokb.render.renderer import render
    from diplokb.stages.link import build
    from diplokb.stages.route import route

    cache = BuildCache()
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    from diplokb.stages.sources import load_essays

    load_essays(root / "seeds", cache)
    times["parse"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    try:
        loaded = pipeline.check(root / "content", root / "seeds", cache=cache)
    except ContentError as exc:  # the shape may be refused, with its message: that is an answer too
        times["check"] = time.perf_counter() - t0
        times["refused"] = float(len(exc.problems))
        return times
    times["check"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    matcher, hits = pipeline.scan(loaded.essays, loaded.topics, cache)
    routing = route(loaded.essays, loaded.topics, matcher, hits, loaded.meta)
    kb = build(loaded.essays, loaded.topics, loaded.meta, routing, hits, cache, loaded.entities)
    times["route+link"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    render(kb, True, cache)
    times["render"] = time.perf_counter() - t0
    return times


def mkdocs_build(root: Path) -> float:
    """Seconds for the whole ``mkdocs build`` (the plugin and Material) of the project, in a child process."""
    t0 = time.perf_counter()
    res = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"], cwd=root, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    )
    if res.returncode != 0:
        raise SystemExit(f"mkdocs build failed in {root}:\n{res.stderr[-2000:]}")
    return time.perf_counter() - t0


def measure(shape: str, n: int, profile: bool = False, build: bool = False) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix=f"patho-{shape}-") as tmp:
        root = make_project(Path(tmp), shape, n)
        if not profile:
            times = run_stages(root)
            if build and "refused" not in times:
                times["mkdocs build"] = mkdocs_build(root)
            return times
        prof = cProfile.Profile()
        prof.enable()
        times = run_stages(root)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(20)
        return times


def fmt_row(shape: str, n: int, a: dict[str, float], b: dict[str, float]) -> str:
    cells = []
    for stage in ("parse", "check", "route+link", "render", *(["mkdocs build"] if "mkdocs build" in b else [])):
        if stage in a and stage in b:
            ratio = b[stage] / a[stage] if a[stage] > 0.001 else float("nan")
            cells.append(f"{a[stage]:.3f} / {b[stage]:.3f} s ({ratio:.1f}x)")
        else:
            cells.append("refused" if "refused" in b else "-")
    total_a = sum(v for k, v in a.items() if k not in ("refused", "mkdocs build"))
    total_b = sum(v for k, v in b.items() if k not in ("refused", "mkdocs build"))
    cells.append(f"{total_a:.2f} / {total_b:.2f} s (**{total_b / total_a:.1f}x**)")
    return f"| {shape} | {n:,} / {10 * n:,} | " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="units at 1x (default 1,000); 10x is ten times that")
    ap.add_argument("--shapes", default=",".join(SHAPES), help=f"comma-separated, of {', '.join(SHAPES)}")
    ap.add_argument("--profile", metavar="SHAPE", help="cProfile the 10x run of one shape instead")
    ap.add_argument("--build", action="store_true", help="also time a whole `mkdocs build` of each project (a column after render)")
    args = ap.parse_args(argv)
    if args.profile:
        print(measure(args.profile, 10 * args.n, profile=True))
        return 0
    extra = " mkdocs build |" if args.build else ""
    print(f"| shape | units 1x / 10x | parse | check | route + link | render |{extra} pipeline stages |")
    print("| --- | --- | ---: | ---: | ---: | ---: |" + (" ---: |" if args.build else "") + " ---: |")
    for shape in args.shapes.split(","):
        a = measure(shape, args.n, build=args.build)
        b = measure(shape, 10 * args.n, build=args.build)
        print(fmt_row(shape, args.n, a, b), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
