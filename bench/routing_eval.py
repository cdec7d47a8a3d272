"""Routing measured on every labelled set: per set, pooled, and leave-one-set-out (LOSO) for its thresholds.

    python bench/routing_eval.py            # the router as it is, per set and pooled (seconds)
    python bench/routing_eval.py --loso     # and its thresholds refitted, LOSO (a minute)

The candidate routers measured against it (paragraph rules, regressions, tf-idf, word vectors,
sentence embeddings, words learned from the labels) were research, recorded in ROUTING.md; issue 20
settled on the term router, so their scripts were removed and live in git history (ROUTING.md says
where).

A family is a router with free parameters (weights, thresholds). Its LOSO figure for a set is taken
by choosing the parameters on the other sets (most sections agreeing) and scoring the one left out;
where several choices tie on the others, the left-out set's score is their mean, so that no tie is broken
by a glance at the set being scored. The current router's own family is its thresholds
(``MIN_BODY_HITS``, ``MIN_DENSITY``, ``MIN_SHARE``, ``FRAME_OTHER``), set on the module itself.
Its rules and its terms were written from the misses of the first five sets, which no refit can
undo: its LOSO figures there overstate, and holdout4 (tuned on by nobody) is the fair one.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.test_routing_labels import FOLDERS, TOPICS, _labels, section_start

import diplokb.stages.route as R
from diplokb.content.schema import Topic
from diplokb.stages.parse import Essay
from diplokb.stages.route import Routing, route
from diplokb.stages.sources import load_essay

GROUPS = list(FOLDERS)
Scores = dict[str, float]  # sections agreeing, per set


@dataclass
class Labelled:
    group: str
    essays: list[Essay]
    gold: dict[tuple[str, int], set[str]]  # (essay slug, section index) -> the editor's topics


def dataset() -> dict[str, Labelled]:
    labels = _labels()
    out = {}
    for group in GROUPS:
        essays = [load_essay(FOLDERS[group] / f"{slug}.txt") for slug in labels[group]]
        gold = {}
        for e in essays:
            lab = labels[group][e.slug]
            lines = sorted(lab)
            for i in range(len(e.sections)):
                line = max(x for x in lines if x <= section_start(e, i))
                gold[(e.slug, i)] = set(lab[line])
        out[group] = Labelled(group, essays, gold)
    return out


def sizes(data: dict[str, Labelled]) -> dict[str, int]:
    return {g: len(d.gold) for g, d in data.items()}


def score(data: dict[str, Labelled], router: Callable[[list[Essay], list[Topic]], Routing] = route) -> Scores:
    out: Scores = {}
    for g, d in data.items():
        r = router(d.essays, TOPICS)
        out[g] = sum(set(r.topics_of(s, i)) == want for (s, i), want in d.gold.items())
    return out


def loso(results: Iterable[tuple[Any, Scores]]) -> Scores:
    """Each set scored with the parameters that do best on the five others (the mean over ties)."""
    res = list(results)
    out: Scores = {}
    for g in GROUPS:
        train = [sum(v for k, v in s.items() if k != g) for _, s in res]
        best = max(train)
        ties = [s for (_, s), t in zip(res, train, strict=True) if t == best]
        out[g] = sum(s[g] for s in ties) / len(ties)
    return out


def best_pooled(results: Iterable[tuple[Any, Scores]]) -> tuple[Any, Scores]:
    return max(results, key=lambda r: sum(r[1].values()))


CURRENT = {"MIN_BODY_HITS": R.MIN_BODY_HITS, "MIN_DENSITY": R.MIN_DENSITY, "MIN_SHARE": R.MIN_SHARE, "FRAME_OTHER": R.FRAME_OTHER}


def current_family(data: dict[str, Labelled]) -> list[tuple[Any, Scores]]:
    """The router itself under every setting of its four thresholds (192 settings)."""
    out = []
    grid = itertools.product([1.5, 2, 2.5, 3], [1 / 80, 1 / 100, 1 / 120, 1 / 150], [0.2, 0.3, 0.4, 0.5], [1.5, 2, 3])
    try:
        for mb, md, ms, fo in grid:
            R.MIN_BODY_HITS, R.MIN_DENSITY, R.MIN_SHARE, R.FRAME_OTHER = mb, md, ms, fo
            out.append(((mb, md, ms, fo), score(data)))
    finally:
        for k, v in CURRENT.items():
            setattr(R, k, v)
    return out


def row(name: str, per: Scores, n: dict[str, int]) -> str:
    cells = [f"{per[g]:5.1f}/{n[g]:<3} {per[g] / n[g]:6.1%}" for g in GROUPS]
    tot = sum(per.values())
    return f"{name:34} " + "  ".join(cells) + f"  {tot:6.1f}/{sum(n.values())} {tot / sum(n.values()):6.1%}"


def main() -> None:
    data = dataset()
    n = sizes(data)
    print(f"{'':34} " + "  ".join(f"{g:>16}" for g in GROUPS) + f"  {'pooled':>16}")
    print(row("current router", score(data), n))
    if "--loso" not in sys.argv:
        return
    res = current_family(data)
    params, per = best_pooled(res)
    print(row("its thresholds: best pooled", per, n) + f"  {params}")
    print(row("its thresholds: LOSO", loso(res), n) + f"  ({len(res)} settings)")


if __name__ == "__main__":
    main()
