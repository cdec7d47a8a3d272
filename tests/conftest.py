"""Shared fixtures: the repository's paths and a way to build a real site from a copy of it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CONTENT = ROOT / "content"
DATA = Path(__file__).resolve().parent / "data"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def copy_project(dest: Path) -> Path:
    """A private copy of what a build reads (config, content, seeds), so tests can edit it freely."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(CONTENT, dest / "content", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(SEEDS, dest / "seeds")
    return dest


def mkdocs(project: Path, *args: str, timeout: int = 180, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real ``mkdocs`` in ``project`` (``env``: variables to set, such as the Pages workflow's)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def diplokb(project: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the ``diplokb`` command line in ``project``."""
    return subprocess.run(
        [sys.executable, "-m", "diplokb", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        input=stdin,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "kb")


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed site, built once with ``mkdocs build --strict``."""
    proj = copy_project(tmp_path_factory.mktemp("seed") / "kb")
    res = mkdocs(proj, "build", "--strict")
    assert res.returncode == 0, res.stderr
    return proj / "site"
