"""Serve soak: memory of a running `diplokb serve` (or `mkdocs serve --livereload`) over many saves.

    python bench/soak.py --saves 300            # diplokb serve (dirty rebuilds)
    python bench/soak.py --saves 300 --plain    # mkdocs serve --livereload

Copies the seed project to a temporary folder, starts the server on a free port, then saves a topic
file (and every other time an essay) ``--saves`` times, waiting each time until the served page shows
the edit. Prints the server's resident memory (VmRSS) every ``--every`` saves and the growth over the
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
from pathlib import Path

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


def soak(saves: int, every: int, plain: bool) -> list[tuple[int, int]]:
    tmp = Path(tempfile.mkdtemp(prefix="diplokb-soak-"))
    try:
        proj = tmp / "kb"
        proj.mkdir()
        shutil.copy2(ROOT / "mkdocs.yml", proj / "mkdocs.yml")
        shutil.copytree(ROOT / "content", proj / "content")
        shutil.copytree(ROOT / "seeds", proj / "seeds")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        cmd = [sys.executable, "-m", "mkdocs", "serve", "--livereload"] if plain else [sys.executable, "-m", "diplokb.cli", "serve"]
        log = (tmp / "serve.log").open("w")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp)}
        proc = subprocess.Popen([*cmd, "-a", f"127.0.0.1:{port}"], cwd=proj, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            base = f"http://127.0.0.1:{port}/diplokb/"
            _wait(lambda: "Peacekeeping" in _fetch(base + "topics/peacekeeping/"), 90)
            topic = proj / "content/topics/peacekeeping.yaml"
            essay = proj / "seeds/military-diplomacy-and-nation-building.txt"
            t0, e0 = topic.read_text(encoding="utf-8"), essay.read_text(encoding="utf-8")
            samples = [(0, _rss_kb(proc.pid))]
            for i in range(1, saves + 1):
                marker = f"SOAK{i}X"
                topic.write_text(t0.replace("Peacekeeping sends military forces", f"{marker} sends military forces"), encoding="utf-8")
                if i % 2:
                    essay.write_text(e0 + f"\nSave {i} of the soak about peacekeeping missions.\n", encoding="utf-8")
                _wait(lambda m=marker: m in _fetch(base + "topics/peacekeeping/"), 60)
                if i % every == 0:
                    samples.append((i, _rss_kb(proc.pid)))
                    print(f"save {i:4d}: {samples[-1][1] / 1024:6.1f} MB", flush=True)
            return samples
        finally:
            proc.terminate()
            proc.wait(timeout=20)
            log.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--saves", type=int, default=300)
    ap.add_argument("--every", type=int, default=25)
    ap.add_argument("--plain", action="store_true", help="mkdocs serve --livereload instead of diplokb serve")
    args = ap.parse_args()
    samples = soak(args.saves, args.every, args.plain)
    half = [kb for n, kb in samples if n >= args.saves // 2]
    growth = (half[-1] - half[0]) / max(1, args.saves - args.saves // 2)
    print(f"start {samples[0][1] / 1024:.1f} MB, end {samples[-1][1] / 1024:.1f} MB; second half: {growth:+.1f} kB per save")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
