"""Topic colours (issue 18): each depends on its topic alone, every pair tells apart, each meets WCAG contrast."""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import pytest
from coloraide import Color

from diplokb.errors import ContentError
from diplokb.pipeline import run
from diplokb.render.colours import DARK_BG, LIGHT_BG, topic_colour

from .conftest import CONTENT, SEEDS

DISTINCT = 20.0  # CIEDE2000: categories told apart at a glance (2.3 is a just-noticeable difference)
RESULT = run(CONTENT, SEEDS)


def swatches(html: str) -> dict[str, tuple[str, str]]:
    """Topic title -> (light, dark) from the graph's column headers, as the page carries them."""
    found = re.findall(r'<span class="kb-swatch kb-c" style="--kb-cl:(#\w{6});--kb-cd:(#\w{6})"></span>([^<]+)</a></th>', html)
    return {title: (light, dark) for light, dark, title in found}


SEED = swatches(RESULT.pages["graph.md"].html())


def test_every_topic_has_a_swatch() -> None:
    """The graph names each topic with its colour."""
    assert set(SEED) == {t.title for t in RESULT.kb.topics}


@pytest.mark.parametrize("scheme", [0, 1], ids=["light", "dark"])
def test_every_pair_is_distinguishable(scheme: int) -> None:
    """Every two topics differ by at least DISTINCT (CIEDE2000), in light and in dark mode."""
    close = []
    for (a, ca), (b, cb) in itertools.combinations(SEED.items(), 2):
        d = Color(ca[scheme]).delta_e(cb[scheme], method="2000")
        if d < DISTINCT:
            close.append((a, b, round(d, 1)))
    assert not close


@pytest.mark.parametrize(("scheme", "background", "text"), [(0, LIGHT_BG, "#ffffff"), (1, DARK_BG, "#000000")], ids=["light", "dark"])
def test_each_colour_meets_contrast(scheme: int, background: str, text: str) -> None:
    """Each colour is 3:1 or more on its page (a mark) and 4.5:1 with the numbers written on it."""
    for title, pair in SEED.items():
        c = Color(pair[scheme])
        assert c.contrast(background, method="wcag21") >= 3.0, title
        assert c.contrast(text, method="wcag21") >= 4.5, title


def test_dark_background_is_materials() -> None:
    """DARK_BG is Material's slate background, hsl(225deg 15% 14%)."""
    assert Color("hsl", [225, 0.15, 0.14]).convert("srgb").to_string(hex=True) == DARK_BG


@pytest.mark.parametrize("slug", ["aaa-first", "naval", "zzz-last"])
def test_adding_a_topic_changes_no_other_colour(tmp_path: Path, slug: str) -> None:
    """A sixth topic, wherever its name sorts, leaves the five colours as they were."""
    other = tmp_path / "content"
    shutil.copytree(CONTENT, other)
    (other / "topics" / f"{slug}.yaml").write_text(
        "title: Naval diplomacy\nsummary: Navies as envoys. Port visits show the flag.\nterms: [port visit]\n", encoding="utf-8"
    )
    got = swatches(run(other, SEEDS).pages["graph.md"].html())
    assert "Naval diplomacy" in got
    assert {k: v for k, v in got.items() if k != "Naval diplomacy"} == SEED


def test_colour_from_the_topic_file() -> None:
    """A topic's `colour:` keeps its hue (in both schemes); without one, the slug decides, the same every time."""
    given = Color("#c25e00").convert("oklch")["hue"]
    nb = topic_colour("nation-building", "#c25e00")
    for value in (nb.light, nb.dark):
        assert abs(Color(value).convert("oklch")["hue"] - given) < 8
    assert SEED["Nation-building"] == (nb.light, nb.dark)
    assert topic_colour("peacekeeping") == topic_colour("peacekeeping") != topic_colour("peacekeepers")


@pytest.mark.parametrize("line", ["colour: #1565c0", "colour: blue", 'colour: "#15c0"', "colour: [1, 2]"])
def test_a_bad_colour_is_a_located_error(tmp_path: Path, line: str) -> None:
    """An unquoted or malformed colour is an error at its line, saying how to write one."""
    other = tmp_path / "content"
    shutil.copytree(CONTENT, other)
    path = other / "topics" / "attaches.yaml"
    text = path.read_text(encoding="utf-8").splitlines()
    text.insert(2, line)
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        run(other, SEEDS)
    (p,) = [p for p in exc.value.problems if p.field == "colour"]
    assert p.line == 3 and p.path.endswith("attaches.yaml") and '"#1565c0"' in p.message
