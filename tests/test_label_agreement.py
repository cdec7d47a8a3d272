"""How far two careful editors agree: the ceiling for the router's agreement with one of them.

``tests/data/routing_labels_second.yaml`` holds a second editor's labels for the held-out essays,
made from the topics' titles and summaries without seeing the first editor's labels or the router.
Where the editors agree on fewer sections than issue 9 asks of the router (92 %), the goal would
measure label noise rather than routing; where they agree on more, the goal is within reach of an
editor and the router's shortfall is its own.
"""

from __future__ import annotations

import pytest
import yaml

from diplokb.stages.sources import load_essay

from .conftest import DATA
from .test_routing_labels import FOLDERS, _labels, section_start

SECOND = DATA / "routing_labels_second.yaml"
GOAL = 0.92


def _second() -> dict[str, dict[str, dict[int, list[str]]]]:
    return yaml.safe_load(SECOND.read_text(encoding="utf-8"))


def editors_agree(group: str) -> tuple[int, int, list[str]]:
    """(sections both editors file alike, sections, disagreements) over every section of a group."""
    first, second = _labels()[group], _second()[group]
    assert set(first) == set(second), f"{group}: the editors labelled different essays"
    same = n = 0
    differ: list[str] = []
    for slug in sorted(first):
        essay = load_essay(FOLDERS[group] / f"{slug}.txt")
        a, b = sorted(first[slug]), sorted(second[slug])
        for i in range(len(essay.sections)):
            start = section_start(essay, i)
            # Each editor's label is the one whose range holds the section's first line.
            la = set(first[slug][max(x for x in a if x <= start)])
            lb = set(second[slug][max(x for x in b if x <= start)])
            n += 1
            same += la == lb
            if la != lb:
                differ.append(f"{slug}:{start} {essay.sections[i].heading!r}: first {sorted(la)}, second {sorted(lb)}")
    return same, n, differ


@pytest.mark.parametrize("group", ["holdout", "holdout2", "holdout5", "holdout6", "holdout7", "holdout8"])
def test_second_editor_labels_every_section(group: str) -> None:
    """The second editor's labels start at real section lines (a closing's aside), cover every headed section and name only real topics."""
    topics = {p.stem for p in (DATA.parent.parent / "content" / "topics").glob("*.yaml")}
    for slug, labels in _second()[group].items():
        essay = load_essay(FOLDERS[group] / f"{slug}.txt")
        starts = {section_start(essay, i): s for i, s in enumerate(essay.sections)}
        # Every label starts a section, except an unheaded closing's, which the parser may place a paragraph
        # apart or leave in the last section; a closing it splits off that the editor saw as part of the
        # last section (holdout6) takes that section's label.
        last_heading = max(x for x, s in starts.items() if s.heading is not None and not s.inferred)
        stray = {x for x in labels if x not in starts and x <= last_heading}
        unlabelled = {x for x, s in starts.items() if x not in labels and not s.inferred}
        assert not stray and not unlabelled, (
            f"{slug}: labelled lines {sorted(stray)} start no section; sections at {sorted(unlabelled)} have no label"
        )
        assert all(set(t) <= topics for t in labels.values())


def test_editors_agree_beyond_the_routing_goal() -> None:
    """Two editors file the held-out sections alike more often than the router is asked to (92 %)."""
    same = n = 0
    for group in ("holdout", "holdout2", "holdout5", "holdout6", "holdout7", "holdout8"):
        s, k, differ = editors_agree(group)
        print(f"\n{group}: editors agree on {s}/{k} sections ({s / k:.1%})\n  " + "\n  ".join(differ))
        same, n = same + s, n + k
    assert same / n >= GOAL
