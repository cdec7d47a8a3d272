"""The type checker runs clean (issue 11): ``mypy --strict`` over every module of the package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "diplokb"


def _mypy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_mypy_strict_is_clean_on_the_package() -> None:
    """``python -m mypy`` with the project's configuration checks every module and finds nothing."""
    done = _mypy()
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    modules = len(list(PACKAGE.rglob("*.py")))
    assert f"no issues found in {modules} source files" in out, out


def test_the_configuration_is_strict(tmp_path: Path) -> None:
    """The same configuration rejects a function without annotations, so the clean run above means strict."""
    bad = tmp_path / "untyped.py"
    bad.write_text("def twice(x):\n    return x * 2\n", encoding="utf-8")
    done = _mypy(str(bad))
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "Function is missing a type annotation" in out, out
