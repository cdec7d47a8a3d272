"""``route --propose-terms`` measured once: accept every proposal learned from one blind set, score the next.

    python bench/propose_eval.py

For each pair of consecutive blind sets (A, B): A's editor labels are taken as the recorded
decisions, the terms :func:`diplokb.commands.review.learn_terms` proposes from them are all
accepted into their topics, and set B is scored before and after: the router's exact agreement, the
share of sections not shown for review, and the agreement of those. bench/ROUTING.md has the figures.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.routing_eval import TOPICS, Labelled, dataset
from diplokb.commands.review import learn_terms
from diplokb.content.decisions import Decision, Decisions
from diplokb.content.schema import Topic
from diplokb.stages.route import route
from diplokb.urls import section_ids

PAIRS = [("holdout4", "holdout5"), ("holdout5", "holdout6"), ("holdout6", "holdout7"), ("holdout7", "holdout8")]


def as_decisions(d: Labelled) -> Decisions:
    out = []
    for e in d.essays:
        ids = section_ids(e)
        out += [(f"{e.slug}#{ids[i]}", Decision(f"{e.slug}#{ids[i]}", tuple(sorted(d.gold[(e.slug, i)])))) for i in range(len(e.sections))]
    return Decisions("labels", tuple(out))


def scores(d: Labelled, topics: list[Topic]) -> tuple[float, float, float]:
    r = route(d.essays, topics)
    n = len(d.gold)
    ok = {k: set(r.topics_of(*k)) == want for k, want in d.gold.items()}
    shown_not = [k for k in d.gold if not r.filings[k[0]][k[1]].review]
    return sum(ok.values()) / n, len(shown_not) / n, sum(ok[k] for k in shown_not) / max(1, len(shown_not))


def main() -> None:
    data = dataset()
    for a, b in PAIRS:
        learned = learn_terms(data[a].essays, TOPICS, as_decisions(data[a]))
        terms = {t: [p for p, _n in ps] for t, ps in learned.items() if ps}
        trial = [replace(t, terms=[*t.terms, *terms.get(t.slug, [])]) for t in TOPICS]
        before, after = scores(data[b], TOPICS), scores(data[b], trial)
        print(f"{a} -> {b}: accepted {sum(map(len, terms.values()))} terms {terms}")
        for name, (agree, not_shown, agree_ns) in (("before", before), ("after", after)):
            print(f"  {b} {name:6}: router {agree:6.1%}  not shown {not_shown:6.1%}  agree when not shown {agree_ns:6.1%}")


if __name__ == "__main__":
    main()
