"""The review queue measured on every labelled set: what an editor is shown, and how right the rest is.

    python bench/review_eval.py            # per set
    python bench/review_eval.py --misses   # and every section not shown whose topics differ from the labels

Per set: its sections, the share the router decides without showing them for review ("not shown"),
and the share of those whose topics are exactly the editor's labels ("agree"). The goal (issue 20)
is agreement of at least 97 % with at least 70 % not shown, on essays the rules were not written
against. The review rules are in ``diplokb.stages.route._review``; bench/ROUTING.md records how they
were chosen and the figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.routing_eval import GROUPS, TOPICS, Labelled, dataset
from diplokb.stages.route import route


def measure(d: Labelled, misses: list[str] | None = None) -> tuple[int, int, int, int]:
    """(sections, not shown, not shown and agreeing, agreeing overall) for one labelled set."""
    r = route(d.essays, TOPICS)
    headings = {(e.slug, i): s.heading or "(opening)" for e in d.essays for i, s in enumerate(e.sections)}
    n = shown_not = agree = agree_all = 0
    for (slug, i), want in d.gold.items():
        f = r.filings[slug][i]
        ok = set(f.topics) == want
        n += 1
        agree_all += ok
        if not f.review:
            shown_not += 1
            agree += ok
            if not ok and misses is not None:
                misses.append(f"{d.group} {slug} {headings[(slug, i)]!r}: labelled {sorted(want)}, filed {sorted(f.topics)}")
    return n, shown_not, agree, agree_all


def main() -> None:
    data = dataset()
    print(f"{'set':10} {'sections':>8} {'router':>8} {'not shown':>10} {'agree':>8}")
    tot = [0, 0, 0, 0]
    misses: list[str] = []
    for g in GROUPS:
        n, k, a, aa = measure(data[g], misses)
        tot = [x + y for x, y in zip(tot, (n, k, a, aa), strict=True)]
        print(f"{g:10} {n:8} {aa / n:8.1%} {k / n:10.1%} {a / max(k, 1):8.1%}   ({a} of {k})")
    n, k, a, aa = tot
    print(f"{'pooled':10} {n:8} {aa / n:8.1%} {k / n:10.1%} {a / max(k, 1):8.1%}   ({a} of {k})")
    if "--misses" in sys.argv:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
