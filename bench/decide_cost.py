"""What the decide stage costs beside the route stage, as a ratio, with every labelled section decided.

    python bench/decide_cost.py

Both stages run over the 52 essays of the labelled sets (431 sections), each decided as labelled
(the worst case: a text fingerprint per decided section per build); the median of 5 runs each.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.propose_eval import as_decisions
from bench.routing_eval import TOPICS, dataset
from diplokb.content.decisions import Decisions
from diplokb.stages.decide import settle
from diplokb.stages.route import route


def main() -> None:
    data = dataset()
    essays = [e for d in data.values() for e in d.essays]
    decisions = Decisions("labels", tuple(kv for d in data.values() for kv in as_decisions(d).by_ref))
    routes, settles = [], []
    for _ in range(5):
        t0 = time.perf_counter()
        routing = route(essays, TOPICS)
        t1 = time.perf_counter()
        settle(routing, essays, decisions)
        t2 = time.perf_counter()
        routes.append(t1 - t0)
        settles.append(t2 - t1)
    r, s = statistics.median(routes), statistics.median(settles)
    print(f"{len(essays)} essays, {len(decisions.by_ref)} decided sections: decide / route = {s / r:.2f}")


if __name__ == "__main__":
    main()
