"""Search in the browser: the theme's search worker against Material's own, in Debian chromium, as ratios.

    python bench/search.py                    # scales 1,10,100; 5 rounds of the queries
    python bench/search.py --scales 1,10 --rounds 3

For each scale it generates a corpus (:mod:`bench.corpus`; scale 1 is the seed site), builds it with
``mkdocs build``, serves the site on 127.0.0.1 and, in one page of chromium, starts each worker on the
site's own index: Material's worker with Material's English pipeline (the stop-word filter alone, as
the site was before it stemmed), Material's worker with the site's pipeline (the stemmer too), and the
theme's worker (``assets/search-worker.js``: stemmed queries and its ranking around Material's worker).
It times indexing (the setup message until the worker is ready) and each query until its result,
and prints medians and the ratios to Material's worker as it was. Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import REPO, build_scale

QUERIES = ["embassy", "alliances", "soft power China", "training foreign armies", "Marshall Plan", "peacekeeping Kosovo"]
CHROMIUM = "/usr/bin/chromium"

# One worker on the site's index: indexing time, then each query's time, over several rounds.
RUN = """async ([url, pipeline, queries, rounds]) => {
    const index = await (await fetch("search/search_index.json")).json();
    if (pipeline) index.config.pipeline = pipeline;
    const worker = new Worker(url);
    const next = () => new Promise(r => worker.addEventListener("message", e => r(e.data), { once: true }));
    let t = performance.now();
    worker.postMessage({ type: 0, data: { ...index, options: { suggest: true } } });
    await next();
    const setup = performance.now() - t;
    const times = [];
    for (let i = 0; i < rounds; i++)
        for (const q of queries) {
            t = performance.now();
            worker.postMessage({ type: 2, data: q });
            await next();
            times.push(performance.now() - t);
        }
    worker.terminate();
    return [setup, times];
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def measure(site: Path, rounds: int, repeats: int) -> dict[str, tuple[float, float]]:
    """Median indexing and query times (ms) of each worker on the built site."""
    from playwright.sync_api import sync_playwright

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    out: dict[str, tuple[float, float]] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
            )
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/index.html")
            ours = page.evaluate("JSON.parse(document.getElementById('__config').textContent).search")
            material = page.evaluate("u => new URL(new URL(u, location).searchParams.get('material'), new URL(u, location)).href", ours)
            runs = {
                "Material, stop words only (before)": (material, ["stopWordFilter"]),
                "Material, stemmer": (material, None),
                "diplokb worker, stemmer": (ours, None),
            }
            samples: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in runs}
            for _ in range(repeats):  # interleaved, so that a busy moment of the machine hits all alike
                for name, (url, pipeline) in runs.items():
                    setup, times = page.evaluate(RUN, [url, pipeline, QUERIES, rounds])
                    samples[name][0].append(setup)
                    samples[name][1].extend(times)
            browser.close()
            out = {k: (statistics.median(s), statistics.median(q)) for k, (s, q) in samples.items()}
    finally:
        httpd.shutdown()
        httpd.server_close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", default="1,10,100", help="comma-separated scales (1 = the seed site); default 1,10,100")
    ap.add_argument("--rounds", type=int, default=5, help="rounds of the queries per worker start (default 5)")
    ap.add_argument("--repeats", type=int, default=3, help="worker starts per worker (default 3)")
    ap.add_argument("--out", default=str(REPO / "bench" / "out" / "search"), help="where corpora and sites go")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args(argv)
    results: dict[str, dict[str, tuple[float, float]]] = {}
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("DIPLOKB_OFFLINE", None)
    for scale in [int(s) for s in args.scales.split(",")]:
        root = Path(args.out) / f"x{scale}"
        build_scale(scale, root)
        site = root / "site"
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(site)], check=True, env=env
        )
        size = (site / "search" / "search_index.json").stat().st_size
        results[f"x{scale}"] = figures = measure(site, args.rounds, args.repeats)
        base_setup, base_query = figures["Material, stop words only (before)"]
        print(f"\nx{scale}: search index {size:,} bytes; medians, and ratio to Material's worker as it was")
        print("| worker | indexing | ratio | query | ratio |\n| --- | ---: | ---: | ---: | ---: |")
        for name, (setup, query) in figures.items():
            print(f"| {name} | {setup:.0f} ms | {setup / base_setup:.2f} | {query:.1f} ms | {query / base_query:.2f} |")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
