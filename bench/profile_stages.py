"""Profile the pipeline stage by stage: where the time goes, function by function.

    python bench/profile_stages.py --scale 100            # the x100 corpus under bench/out/x100/corpus
    python bench/profile_stages.py --scale 10 --top 15
    python bench/profile_stages.py --content C --seeds S

Each stage (parse, load, route + link, render, then route alone) runs once under cProfile in this process, with a
cold parse cache; for each, the functions with the most time of their own are listed. cProfile
roughly doubles the times; compare the shares, not the totals, with ``bench/run.py``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import REPO, build_scale


def profile_stages(content: Path, seeds: Path, top: int = 12) -> str:
    from diplokb import pipeline
    from diplokb.cache import BuildCache
    from diplokb.render.renderer import render
    from diplokb.stages.link import build
    from diplokb.stages.model import load_essay_meta, load_topics
    from diplokb.stages.route import route
    from diplokb.stages.sources import load_essays

    cache = BuildCache()
    out = io.StringIO()
    state: dict[str, Any] = {}

    def stage(name: str, fn: Callable[[], Any]) -> Any:
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        result = fn()
        prof.disable()
        out.write(f"\n=== {name}: {time.perf_counter() - t0:.3f} s under cProfile\n")
        stats = pstats.Stats(prof, stream=out)
        stats.sort_stats("tottime").print_stats(top)
        return result

    state["essays"], _ = stage("parse", lambda: load_essays(seeds, cache))
    state["meta"] = load_essay_meta(seeds / "essays.yaml", cache)
    state["topics"] = stage("load", lambda: load_topics(content, state["essays"], cache=cache))

    def route_and_link() -> Any:  # as pipeline.run: one scan of the text, shared by route and link
        _matcher, hits = pipeline.scan(state["essays"], state["topics"], cache)
        routing = route(state["essays"], state["topics"], _matcher, hits)
        return build(state["essays"], state["topics"], state["meta"], routing, hits, cache)

    state["kb"] = stage("route + link", route_and_link)
    stage("render", lambda: render(state["kb"]))
    stage("route alone (again, for comparison)", lambda: route(state["essays"], state["topics"]))
    # Keep only the table rows: cProfile's header lines repeat for every stage.
    return "\n".join(ln for ln in out.getvalue().splitlines() if ln.strip() and not ln.lstrip().startswith(("Ordered by", "List reduced")))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, help="profile bench/out/x<scale>/corpus (generated if missing)")
    ap.add_argument("--content")
    ap.add_argument("--seeds")
    ap.add_argument("--top", type=int, default=12, help="functions listed per stage (default 12)")
    args = ap.parse_args(argv)
    if args.scale is not None:
        root = REPO / "bench" / "out" / f"x{args.scale}" / "corpus"
        if not (root / "mkdocs.yml").is_file():
            build_scale(args.scale, root)
        content, seeds = root / "content", root / "seeds"
    elif args.content and args.seeds:
        content, seeds = Path(args.content), Path(args.seeds)
    else:
        ap.error("give --scale, or --content and --seeds")
    print(profile_stages(content, seeds, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
