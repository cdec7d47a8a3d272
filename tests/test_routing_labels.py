"""Routing held to a labelled set: the topics a careful editor files each section under.

``tests/data/routing_labels.yaml`` holds, for the two seed essays and for essays kept out of every
tuning decision (``tests/data/unseen/``, both plain-text shapes), the topic set of every section,
written by hand before the router was run on them. A section agrees when the router files it under
exactly the labelled set of topics (an empty set included: sections an editor would leave on
their essay page). Mean Jaccard overlap is printed alongside for a softer view.

None of these groups is unseen any more: the seeds and ``unseen`` were tuned on in earlier rounds,
and ``holdout`` (``tests/data/holdout/``) was held out until the third round of routing work, which
used it as a development set (its misses suggested the rules for short single-topic sections,
openings and closings, and sections naming no topic). Their figures overstate how the router does
on essays it has never seen. ``holdout2`` (``tests/data/holdout2/``, six essays written and
labelled by someone who never saw the router) was measured once, after the third round: main before
that round scored 78.7 %, the third round's router 72.3 % (its rules file more sections that the
editor left unfiled). From the fourth round on it too is a development set; the figure for essays
never seen is taken on the next fresh set (see bench/ROUTING.md). The fourth round
dropped the rule filing a section that names no topic under its essay's topic and held the
single-mention rule to the density bar: holdout2 back to 78.7 %, holdout down from 89.3 to 82.1 %
(the round-3 rules had been fitted on it), pooled over all four sets up from 176 to 177 of 204.
``holdout3`` (``tests/data/holdout3/``, six more essays written and labelled blind while round 4
ran) is the figure for essays never seen, measured once on the round-4 router: 78.7 % (37 of 47;
the router before round 3 also scored 78.7 % there, the round-3 router 76.6 %). Round 5 changed
terms only, each measured on all five groups pooled (holdout3 included, so it is now a development
set too): 214 -> 228 of 251 (holdout3 91.5 %, a development figure). ``holdout4``
(``tests/data/holdout4/``, six essays written and labelled blind while round 5 ran) gave the fresh
figure: 77.3 % (34 of 44) for the round-5 router, as for the round-4 one (the router before round 3:
79.5 %). Round 6 measured other kinds of router (paragraph ownership, a topic-agnostic logistic
regression, tf-idf similarity, word vectors) leave-one-set-out over the six sets above
(``bench/routing_eval.py --loso``): none beat this one (LOSO 84.4-88.3 % against 88.2 % for its
own thresholds refitted), so it is unchanged. ``holdout5`` (``tests/data/holdout5/``, six more
essays written and labelled blind on 2 December 2026) gave 76.5 % (39 of 51) for this router (the
router before round 3: 64.7 %). ``holdout6`` (``tests/data/holdout6/``, six more, written and labelled
blind in the next session; a second editor agrees on 36 of 37) gave 64.9 % (24 of 37) for this
router, and 62.2-64.9 % for every candidate of round 6 and for sentence embeddings; dropping the
term ``armistice``, which filed three of its sections against both editors, then made it a
development set (73.0 %). ``holdout7`` (``tests/data/holdout7/``, six more, written and labelled blind
with varied endings) gave 59.1 % (26 of 44) on the router of that day; the closing rule then added
(an unheaded closing after a short last section) lifts it to 60.9 % and holdout6 to 74.4 %. The goal
is not met on essays never seen. ``holdout8`` (``tests/data/holdout8/``, six more, written and labelled
blind on 7 December 2026; a second editor agrees on 50 of 59) gave 62.7 % (37 of 59).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from diplokb.stages.model import load_topics
from diplokb.stages.parse import Essay
from diplokb.stages.route import route
from diplokb.stages.sources import load_essay

from .conftest import CONTENT, DATA, SEEDS

LABELS = DATA / "routing_labels.yaml"
FOLDERS = {
    "seeds": SEEDS,
    "unseen": DATA / "unseen",
    "holdout": DATA / "holdout",
    "holdout2": DATA / "holdout2",
    "holdout3": DATA / "holdout3",
    "holdout4": DATA / "holdout4",
    "holdout5": DATA / "holdout5",
    "holdout6": DATA / "holdout6",
    "holdout7": DATA / "holdout7",
    "holdout8": DATA / "holdout8",
}
SEED_ESSAYS = [load_essay(p) for p in sorted(SEEDS.glob("*.txt"))]
TOPICS = load_topics(CONTENT, SEED_ESSAYS)
# Measured agreement (exact topic sets), kept as a floor so routing cannot silently get worse: raise
# a floor when routing improves, never lower one without saying why. The goal in issue 9 is 0.92
# on essays the rules were not written against (`pytest -s` prints the misses).
FLOOR = {
    "seeds": 0.888,
    "unseen": 0.946,
    "holdout": 0.892,
    "holdout2": 0.851,
    "holdout3": 0.914,
    "holdout4": 0.772,
    "holdout5": 0.764,
    "holdout6": 0.743,
    "holdout7": 0.608,
    "holdout8": 0.620,  # 0.627 measured blind (59 sections); 36 of 58 once a headed "Conclusion" is never split
}


def _labels() -> dict[str, dict[str, dict[int, list[str]]]]:
    return yaml.safe_load(LABELS.read_text(encoding="utf-8"))


def section_start(essay: Essay, i: int) -> int:
    s = essay.sections[i]
    return s.line if s.heading is not None and not s.inferred else (s.blocks[0].line if s.blocks else s.line)


def agreement(group: str) -> tuple[float, float, list[str]]:
    """(exact share, mean Jaccard, disagreements) over every labelled section of a group."""
    essays = [load_essay(FOLDERS[group] / f"{slug}.txt") for slug in _labels()[group]]
    routing = route(essays, TOPICS)
    exact = jaccard = 0.0
    misses: list[str] = []
    n = 0
    for e in essays:
        labels = _labels()[group][e.slug]
        lines = sorted(labels)
        for i in range(len(e.sections)):
            # A section takes the label of the labelled range its first line falls in, so a closing
            # the parser splits at another paragraph than the editor would is still scored.
            start = section_start(e, i)
            line = max(x for x in lines if x <= start)
            want = set(labels[line])
            got = set(routing.topics_of(e.slug, i))
            n += 1
            exact += got == want
            union = got | want
            jaccard += len(got & want) / len(union) if union else 1
            if got != want:
                misses.append(f"{e.slug}:{start} {e.sections[i].heading!r}: labelled {sorted(want)}, filed {sorted(got)}")
        scored = {max(x for x in lines if x <= section_start(e, i)) for i in range(len(e.sections))}
        # A closing the parser starts a paragraph earlier than the editor would takes in the editor's line;
        # one it does not split off at all stays in the last section, which is scored by its heading's label
        # (``test_parse`` holds the parser to the closings it finds).
        closing = [section_start(e, i) for i, s in enumerate(e.sections) if s.inferred]
        last = section_start(e, len(e.sections) - 1)
        unscored = {x for x in set(lines) - scored if not (closing and x > min(closing)) and not x > last}
        assert not unscored, f"{e.slug}: labelled lines {sorted(unscored)} start no section"
    return exact / n, jaccard / n, misses


@pytest.mark.parametrize("group", list(FOLDERS))
def test_routing_agrees_with_editors(group: str) -> None:
    """The router files sections as the labels say, on the seeds and on essays it was never tuned on."""
    exact, jaccard, misses = agreement(group)
    print(f"\n{group}: exact {exact:.1%}, mean Jaccard {jaccard:.1%}\n  " + "\n  ".join(misses))
    assert exact >= FLOOR[group], "\n".join(misses)


@pytest.mark.parametrize("group", [g for g in FOLDERS if g != "seeds"])
def test_labels_cover_both_shapes_and_unseen_essays(group: str) -> None:
    """The unseen and held-out sets hold essays of both plain-text shapes, none of them a seed."""
    essays = [load_essay(DATA / group / f"{slug}.txt") for slug in _labels()[group]]
    assert {e.shape for e in essays} == {"lines", "blocks"}
    assert len(essays) >= 2
    assert not {e.slug for e in essays} & {p.stem for p in SEEDS.glob("*.txt")}
    assert all(Path(e.path).parent == DATA / group for e in essays)
