"""How the review rules were chosen: candidate reasons to show a section, added greedily, pooled and leave-one-set-out.

    python bench/review_rules.py

Every section of every labelled set is tagged with the candidate reasons its evidence gives (a
flag each, computed from the router's own evidence, before any review rule), and whether the router
alone agrees with the editor. Flags are then added greedily, each time the one that removes the
most misfilings per section it shows; the curve prints the share of sections not shown and their
agreement after each. Leave-one-set-out: the greedy choice made on the other sets, stopping before
fewer than 72 % of their sections stay unshown, scored on the one left out. The rules kept in
``diplokb.stages.route._review`` are the pooled greedy choice down to about 72 % (bench/ROUTING.md).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import diplokb.stages.route as R
from bench.routing_eval import GROUPS, TOPICS, dataset
from diplokb.stages.parse import Essay
from diplokb.stages.route import Filing, route

Row = tuple[str, set[str], bool]  # (set, flags, the router alone agrees)
STOP_AT = 0.72


def flags(e: Essay, i: int, fl: list[Filing], titled: set[str]) -> set[str]:
    """The candidate reasons to show section ``i`` of ``e`` to an editor."""
    f, s = fl[i], e.sections[i]
    out: set[str] = set()
    body: Counter[str] = Counter()
    lead: Counter[str] = Counter()
    for t, ev in f.evidence.items():
        for (_form, where), k in ev.items():
            lead[t] += k if where == "lead" else 0
            body[t] += R.WEIGHTS[where] * k if where not in ("heading", "title") else 0
    best = max(f.scores.values(), default=0)
    if not f.topics:
        out.add("nothing filed")
        out |= {"nothing filed, some evidence"} if any(v >= 1 for v in body.values()) else set()
        out |= {"nothing filed, no evidence"} if not f.evidence else set()
        out |= {"nothing filed, the title names a topic"} if titled else set()
        siblings = Counter(t for j, g in enumerate(fl) if j != i for t in g.topics)
        out |= {"nothing filed, 3 other sections share a topic"} if siblings and max(siblings.values()) >= 3 else set()
    if s.heading is None or s.inferred:
        out.add("opening or closing")
    for t in f.topics:
        why, bt = f.reasons[t], body[t]
        out |= {"single mention, the only topic"} if "only topic" in why else set()
        out |= {"named only in the heading"} if "heading" in why and bt < 1 else set()
        out |= {"opening filed by its title"} if "title" in why and "opening" in why else set()
        out |= {"text weight below 2.5"} if "text weight" in why and "only" not in why and bt < 2.5 else set()
        out |= {"no mention in an opening sentence"} if "text weight" in why and not lead[t] else set()
        out |= {"one mention, in an opening sentence"} if "text weight" in why and lead[t] <= 1 and bt - 2 * lead[t] < 1 else set()
        out |= {"a second topic, weaker"} if len(f.topics) > 1 and f.scores.get(t, 0) < best else set()
    out |= {"several topics"} if len(f.topics) > 1 else set()
    for t, why in f.unfiled.items():
        if why.startswith("excluded"):
            continue
        out |= {"a topic not filed, weight 1 or more"} if body[t] >= 1 else set()
        out |= {"a thin single mention not filed"} if "the only topic named, but thinner" in why else set()
    return out


def rows() -> list[Row]:
    out: list[Row] = []
    matcher = R.topic_matcher(TOPICS)
    for g, d in dataset().items():
        r = route(d.essays, TOPICS)
        for e in d.essays:
            titled = {h.key for h in matcher.finditer(R.essay_title(e, {}))}
            for i in range(len(e.sections)):
                f = r.filings[e.slug][i]
                out.append((g, flags(e, i, r.filings[e.slug], titled), set(f.topics) == d.gold[(e.slug, i)]))
    return out


def greedy(train: list[Row], steps: int = 12) -> list[tuple[list[str], float, float]]:
    """Flags added one at a time, most misfilings removed per section shown first: (chosen, not shown, agreement)."""
    names = sorted({x for _, f, _ in train for x in f})
    chosen: list[str] = []
    out = []
    for _ in range(steps):
        base = [ok for _, f, ok in train if not f & set(chosen)]
        best: tuple[float, str] | None = None
        for x in names:
            if x in chosen:
                continue
            keep = [ok for _, f, ok in train if not f & {*chosen, x}]
            removed = len(base) - len(keep)
            if removed:
                caught = (len(base) - sum(base)) - (len(keep) - sum(keep))
                if best is None or caught / removed > best[0]:
                    best = (caught / removed, x)
        if best is None:
            break
        chosen.append(best[1])
        keep = [ok for _, f, ok in train if not f & set(chosen)]
        out.append((list(chosen), len(keep) / len(train), sum(keep) / max(1, len(keep))))
    return out


def main() -> None:
    data = rows()
    print("pooled: not shown, agreement when not shown, after adding")
    for chosen, share, agree in greedy(data):
        print(f"  {share:6.1%} {agree:6.1%}  + {chosen[-1]}")
    print(f"leave-one-set-out (greedy on the others until fewer than {STOP_AT:.0%} of their sections stay unshown)")
    for g in GROUPS:
        chosen_set: set[str] = set()
        for chosen, share, _agree in greedy([r for r in data if r[0] != g]):
            if share < STOP_AT:
                break
            chosen_set = set(chosen)
        test = [ok for h, f, ok in data if h == g and not f & chosen_set]
        n = sum(h == g for h, _, _ in data)
        print(f"  {g:9} not shown {len(test) / n:6.1%}  agree {sum(test) / max(1, len(test)):6.1%}")


if __name__ == "__main__":
    main()
