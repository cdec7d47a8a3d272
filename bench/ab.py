"""Plugin build against plain MkDocs on the export, for this checkout and an older tree, in one run.

Issue 12's ratio (plugin build / plain MkDocs on the ``diplokb render --out`` export) moves when
the export itself changes character, so this times, per scale and interleaved in each repetition:
the plugin build and the plain build of its export with this checkout, and the same with
``--old TREE`` (e.g. a ``git archive`` of an earlier commit), on the same generated corpus.

    git archive 751214d | tar -x -C /tmp/old && python bench/ab.py --old /tmp/old --scales 1,10,100 --reps 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench.run as run
from bench.corpus import build_scale


def _with(tree: Path | None) -> dict[str, str]:
    env = dict(run.ENV)
    if tree is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(tree / "src"), env.get("PYTHONPATH", "")) if p)
    return env


def timed(cmd: list[str], env: dict[str, str], log: Path) -> tuple[float, float]:
    """Wall and CPU time (user + system) of a fresh process."""
    saved = run.ENV
    run.ENV = env
    try:
        p = run.timed_process(cmd, log)
        return p.wall, p.cpu
    finally:
        run.ENV = saved


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", required=True, help="an older tree (src/diplokb/) to compare with")
    ap.add_argument("--scales", default="1,10,100")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "out" / "ab"))
    args = ap.parse_args()
    old = Path(args.old).resolve()
    versions = {"new": _with(None), "old": _with(old)}
    py = sys.executable
    rows = []
    for scale in [int(s) for s in args.scales.split(",")]:
        root = Path(args.out) / f"x{scale}"
        corpus = build_scale(scale, root / "corpus")
        plain = {}
        for name, env in versions.items():
            out = root / f"plain-{name}"
            timed([py, "-m", "diplokb", "--config", str(corpus.config), "render", "--out", str(out)], env, root / f"export-{name}.log")
            plain[name] = out / "mkdocs.yml"
        times: dict[str, list[float]] = {k: [] for k in ("plugin new", "plain new", "plugin old", "plain old")}
        cpu: dict[str, list[float]] = {k: [] for k in times}
        load = os.getloadavg()[0]
        for rep in range(args.reps):
            order = list(times) if rep % 2 == 0 else list(reversed(times))
            for key in order:
                who, name = key.split()
                cfg = corpus.config if who == "plugin" else plain[name]
                cmd = [py, "-m", "mkdocs", "build", "-q", "-f", str(cfg), "-d", str(root / f"site-{who}-{name}")]
                wall, used = timed(cmd, versions[name], root / f"{who}-{name}.log")
                times[key].append(wall)
                cpu[key].append(used)
        md = {k: statistics.median(v) for k, v in times.items()}
        mc = {k: statistics.median(v) for k, v in cpu.items()}
        rows.append((scale, md, times, mc, load, os.getloadavg()[0]))
        print(f"x{scale}: " + ", ".join(f"{k} {v:.2f} s (CPU {mc[k]:.2f} s)" for k, v in md.items()), flush=True)
    print(
        f"\n`python bench/ab.py --old {old} --scales {args.scales} --reps {args.reps}`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n"
    )
    print("| | " + " | ".join(f"x{s}" for s, *_ in rows) + " |")
    print("| --- |" + " --- |" * len(rows))
    for key in ("plugin new", "plain new", "plugin old", "plain old"):
        cells = [f"{md[key]:.2f} s ({min(t[key]):.2f}–{max(t[key]):.2f}); CPU {mc[key]:.2f} s" for _s, md, t, mc, *_ in rows]
        print(f"| {key} | " + " | ".join(cells) + " |")
    for label, a, b in (
        ("**plugin new / plain new export** (issue 12's ratio)", "plugin new", "plain new"),
        ("plugin new / plain old export", "plugin new", "plain old"),
        ("plugin old / plain old export (before)", "plugin old", "plain old"),
        ("plugin new / plugin old", "plugin new", "plugin old"),
        ("plain new export / plain old export", "plain new", "plain old"),
    ):
        print(f"| {label} (wall; CPU) | " + " | ".join(f"{md[a] / md[b]:.2f}; {mc[a] / mc[b]:.2f}" for _s, md, _t, mc, *_ in rows) + " |")
    print("| load average (1 min) before; after | " + " | ".join(f"{a:.1f}; {b:.1f}" for *_x, a, b in rows) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
