"""Serve soak: memory of a running `diplokb serve` (or `mkdocs serve --livereload`) over many saves.

    python bench/soak.py --saves 300            # diplokb serve (dirty rebuilds)
    python bench/soak.py --saves 300 --plain    # mkdocs serve --livereload (the plugin still loaded: every page rebuilt per save)
    python bench/soak.py --saves 300 --scale 10 --broken-every 10   # x10, one save in ten broken

Writes a corpus (``--scale``; 1 is a copy of the seed project) to a temporary folder, starts the
server on a free port, then saves a topic file (and every other time an essay) ``--saves`` times,
waiting each time until the served page shows the edit. With ``--broken-every N`` every Nth save
breaks the topic file instead (a YAML syntax error, bytes that are not UTF-8, a missing summary, in
turn), waits until the server reports it, checks the last good page is still served, and restores
the file. Exits 1 on a traceback in the server's output or memory more than 10 % above where it
settled (a third of the way through). Prints the server's resident memory (VmRSS) every ``--every`` saves and the growth over the
second half of the run, which should be about zero: caches keep one version per file.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import build_scale
from bench.run import mark_summary

ROOT = Path(__file__).resolve().parent.parent


def _rss_kb(pid: int) -> int:
    m = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(m.group(1)) if m else 0


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode("utf-8")


def _wait(pred, timeout: float) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if pred():
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"timed out after {timeout}s")


BROKEN = (
    # (what, how the topic file's text is broken): each must stop the rebuild with a content error
    ("YAML syntax error", lambda t: re.sub(r"(?m)^title:.*$", "title: [unclosed", t, count=1)),
    ("not UTF-8", lambda t: "\udcff" + t),
    ("summary missing", lambda t: re.sub(r"(?m)^summary:", "summery:", t, count=1)),
)
_STILL = "still serving the last good version"


@dataclass
class Soak:
    samples: list[tuple[int, int]] = field(default_factory=list)  # (save, VmRSS kB)
    good: int = 0  # good saves, each waited for until the served page showed its marker
    broken: int = 0  # broken saves, each reported while the last good page stayed served
    tracebacks: int = 0
    seconds: float = 0.0


def soak(saves: int, every: int, plain: bool, scale: int = 1, broken_every: int = 0) -> Soak:
    tmp = Path(tempfile.mkdtemp(prefix="diplokb-soak-"))
    out = Soak()
    try:
        corpus = build_scale(scale, tmp / "kb")
        proj = corpus.root
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        cmd = [sys.executable, "-m", "mkdocs", "serve", "--livereload"] if plain else [sys.executable, "-m", "diplokb", "serve"]
        log_path = tmp / "serve.log"
        log = log_path.open("w")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp)}
        env.pop("DIPLOKB_OFFLINE", None)
        proc = subprocess.Popen([*cmd, "-a", f"127.0.0.1:{port}"], cwd=proj, stdout=log, stderr=subprocess.STDOUT, env=env)
        t_start = time.monotonic()
        try:
            topic = sorted((corpus.content / "topics").glob("*.yaml"))[0]
            essay = sorted(corpus.seeds.glob("*.txt"))[0]
            url = f"http://127.0.0.1:{port}/diplokb/topics/{topic.stem}/"
            _wait(lambda: "<article" in _fetch(url), 300)
            e0 = essay.read_text(encoding="utf-8")
            out.samples.append((0, _rss_kb(proc.pid)))
            shown = ""  # the marker of the last good save
            for i in range(1, saves + 1):
                if broken_every and i % broken_every == 0:
                    what, breaks = BROKEN[(i // broken_every - 1) % len(BROKEN)]
                    good_text = topic.read_text(encoding="utf-8")
                    before = log_path.read_text(encoding="utf-8", errors="replace").count(_STILL)
                    topic.write_bytes(breaks(good_text).encode("utf-8", "surrogateescape"))
                    # Reported, and the last good page still served; then the file is put back (next save).
                    _wait(lambda b=before: log_path.read_text(encoding="utf-8", errors="replace").count(_STILL) > b, 120)
                    page = _fetch(url)
                    if shown and shown not in page:
                        raise SystemExit(f"save {i} ({what}): the last good page ({shown}) is no longer served")
                    topic.write_text(good_text, encoding="utf-8")
                    out.broken += 1
                else:
                    marker = f"Zbm{i}x{i * 7919 % 100000:05d}"
                    mark_summary(topic, marker)
                    if i % 2:
                        essay.write_text(e0 + f"\nSave {i} of the soak.\n", encoding="utf-8")
                    _wait(lambda m=marker: m in _fetch(url), 120)
                    shown = marker
                    out.good += 1
                if i % every == 0:
                    out.samples.append((i, _rss_kb(proc.pid)))
                    print(f"save {i:4d}: {out.samples[-1][1] / 1024:6.1f} MB", flush=True)
            out.seconds = time.monotonic() - t_start
            return out
        finally:
            proc.terminate()
            proc.wait(timeout=20)
            log.close()
            out.tracebacks = log_path.read_text(encoding="utf-8", errors="replace").count("Traceback")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--saves", type=int, default=300)
    ap.add_argument("--every", type=int, default=25)
    ap.add_argument("--scale", type=int, default=1, help="corpus scale (bench/corpus.py): 1 is the seed site, 10 is 20 essays")
    ap.add_argument("--broken-every", type=int, default=0, help="every Nth save breaks the topic file (and the next fixes it)")
    ap.add_argument(
        "--plain",
        action="store_true",
        help="mkdocs serve --livereload instead of diplokb serve (the plugin is still loaded; not a plugin-free baseline)",
    )
    args = ap.parse_args()
    r = soak(args.saves, args.every, args.plain, args.scale, args.broken_every)
    samples = r.samples
    half = [kb for n, kb in samples if n >= args.saves // 2]
    growth = (half[-1] - half[0]) / max(1, args.saves - args.saves // 2)
    # Where memory settled: the sample a third of the way through (caches full, every path taken).
    settled = next(kb for n, kb in samples if n >= args.saves // 3)
    peak_after = max(kb for n, kb in samples if n >= args.saves // 3)
    within = peak_after <= settled * 1.10
    print(f"start {samples[0][1] / 1024:.1f} MB, end {samples[-1][1] / 1024:.1f} MB; second half: {growth:+.1f} kB per save")
    print(
        f"{r.good} good saves shown, {r.broken} broken saves reported with the last good page kept, "
        f"{r.tracebacks} tracebacks, {r.seconds:.0f} s; settled at save {args.saves // 3}: {settled / 1024:.1f} MB, "
        f"highest after: {peak_after / 1024:.1f} MB ({peak_after / settled - 1:+.1%}): {'within' if within else 'NOT within'} 10 %"
    )
    return 0 if within and not r.tracebacks else 1


if __name__ == "__main__":
    raise SystemExit(main())
