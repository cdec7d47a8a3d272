"""The leave-one-set-out harness of bench/routing_eval.py: it scores what the labels test scores, and picks without peeking."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

from .test_routing_labels import agreement

pytestmark = pytest.mark.slow  # the harness routes every labelled set several times

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def ev(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(ROOT))
    return importlib.import_module("bench.routing_eval")


def test_loso_chooses_on_the_other_sets_and_averages_ties(ev: ModuleType) -> None:
    """A set is scored with the setting best on the five others; settings tied there are averaged, whatever they score on it."""
    groups = ev.GROUPS
    a = dict.fromkeys(groups, 10.0)
    b = {**dict.fromkeys(groups, 10.0), groups[0]: 0.0}  # ties a on every five-set training that leaves out set 0
    c = {**dict.fromkeys(groups, 9.0), groups[0]: 30.0}  # best pooled, but only through set 0
    out = ev.loso([("a", a), ("b", b), ("c", c)])
    assert out[groups[0]] == 5.0  # mean of a and b, not c's 30 seen only on the held-out set
    assert all(out[g] == 9.0 for g in groups[1:])  # with set 0 in training, c's 30 there makes it best
    assert ev.best_pooled([("a", a), ("b", b), ("c", c)])[0] == "c"


def test_harness_scores_as_the_labels_test(ev: ModuleType) -> None:
    """Per set, the harness counts the same agreeing sections as tests/test_routing_labels.py."""
    data = ev.dataset()
    got = ev.score(data)
    for g in ev.GROUPS:
        exact, _, _ = agreement(g)
        assert got[g] == round(exact * len(data[g].gold))


def test_threshold_family_leaves_the_router_as_it_was(ev: ModuleType) -> None:
    """Refitting the router's thresholds on the module restores them afterwards."""
    import diplokb.stages.route as route_module

    before = {k: getattr(route_module, k) for k in ev.CURRENT}
    data = ev.dataset()
    small = {g: data[g] for g in ["holdout"]}
    fam = ev.current_family(small)
    assert len(fam) == 192
    assert len({s["holdout"] for _, s in fam}) > 1  # the thresholds do change what is filed
    assert {k: getattr(route_module, k) for k in ev.CURRENT} == before
