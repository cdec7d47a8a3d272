"""Red-team round: hand-written pages at a generated page's name or address, every generated output known to
check, a site name holding markup, and names that slugify alike but fold differently.

Each case runs the real ``diplokb`` command or ``mkdocs build`` in a private copy of the project.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import diplokb, mkdocs


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
