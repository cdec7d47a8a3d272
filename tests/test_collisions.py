"""Red-team round: hand-written pages at a generated page's name or address, every generated output known to
check, a site name holding markup, and names that slugify alike but fold differently.

Each case runs the real ``diplokb`` command or ``mkdocs build`` in a private copy of the project.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from diplokb.pipeline import outputs, run
from diplokb.urls import replaced

from .conftest import CONTENT, SEEDS, diplokb, mkdocs


def _set_site_name(project: Path, name: str) -> None:
    cfg = project / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    cfg.write_text(text.replace("  - diplokb:\n", f'  - diplokb:\n      site_name: "{quoted}"\n', 1), encoding="utf-8")


@pytest.mark.parametrize("name", ["Arms <b>Review</b>", "Arms > Review", 'The "Arms" Review', "Arms &amp; Review"])
def test_site_name_with_markup_is_refused_by_build_check_and_render(project: Path, name: str) -> None:
    """A site_name holding <, >, " or & is a configuration error of the build, and an error of check and render."""
    _set_site_name(project, name)
    built = mkdocs(project, "build")
    assert built.returncode == 1 and "option 'site_name'" in built.stderr and "expected plain text" in built.stderr, built.stderr
    assert not (project / "site").exists()
    for args in (("check",), ("render", "--out", "build/export")):
        res = diplokb(project, *args)
        assert res.returncode == 1 and "site_name: expected plain text" in res.stderr, (args, res.stderr)
    assert not (project / "build/export").exists()


HAND_WRITTEN = [
    "map.md",
    "map/index.md",
    "timeline/index.md",
    "places/somalia/index.md",
    "topics/peacekeeping/index.md",
    "actors.md",
    "actors/nato.md",
    "exports/case-studies.csv",
    "knowledge.json",
]


@pytest.mark.parametrize("own", HAND_WRITTEN)
def test_hand_written_file_at_a_generated_name_or_address_warns_everywhere(project: Path, own: str) -> None:
    """check, the strict build and render --out all name a hand-written file the site would replace; strict ones fail."""
    (project / "content/pages" / own).parent.mkdir(parents=True, exist_ok=True)
    (project / "content/pages" / own).write_text("# Mine\n", encoding="utf-8")
    said = f"content/pages/{own}: is replaced by the generated"
    plain = diplokb(project, "check")
    assert plain.returncode == 0 and said in plain.stderr, plain.stderr
    strict = diplokb(project, "check", "--strict")
    assert strict.returncode == 1 and said in strict.stderr, strict.stderr
    built = mkdocs(project, "build", "--strict")
    assert built.returncode == 1 and said in built.stderr, built.stderr
    assert "'nav' configuration" not in built.stderr  # the replaced page is not left in the navigation either
    rendered = diplokb(project, "render", "--out", "build/export", "--strict")
    assert rendered.returncode == 1 and said in rendered.stderr and not (project / "build/export").exists(), rendered.stderr


def test_outputs_are_what_the_build_hands_mkdocs() -> None:
    """pipeline.outputs (check's list) is every file run() generates: its pages, the exports and knowledge.json."""
    res = run(CONTENT, SEEDS)
    assert outputs(res.kb) == [*res.pages, *res.downloads, "knowledge.json"]
    assert any(p.startswith("places/") for p in res.pages) and any(p.startswith("actors/") for p in res.pages)


@pytest.mark.parametrize(
    ("own", "generated", "directory_urls", "why"),
    [
        ("map.md", "map.md", True, "of the same name"),
        ("map/index.md", "map.md", True, "`map.md` of the same address (the site's `map/index.html`)"),
        ("map/README.md", "map.md", True, "`map.md` of the same address"),
        ("map.markdown", "map.md", True, "`map.md` of the same address"),
        ("actors.md", "actors/index.md", True, "`actors/index.md` of the same address (the site's `actors/index.html`)"),
        ("map.html", "map.md", False, "`map.md` of the same address (the site's `map.html`)"),
        ("knowledge.json", "knowledge.json", True, "generated file of the same name"),
        ("map/index.md", "map.md", False, None),
        ("actors.md", "actors/index.md", False, None),
        ("mapping.md", "map.md", True, None),
    ],
)
def test_replaced_compares_names_and_addresses(own: str, generated: str, directory_urls: bool, why: str | None) -> None:
    """urls.replaced: a hand-written file at a generated one's name, or at its address under the given URL style."""
    got = replaced([own, "about.md"], [generated, "index.md"], (directory_urls,))
    assert (got == []) if why is None else (len(got) == 1 and got[0][0] == own and why in got[0][1]), got
