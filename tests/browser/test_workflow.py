"""The GitHub Actions workflow: tests gate the --strict build, which gates publishing to Pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "pages.yml"


def load() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def test_workflow_tests_then_builds_strict_then_publishes() -> None:
    """test runs .ci/test; build needs it and builds both versions with --strict; deploy needs build and publishes to Pages from main only."""
    wf = load()
    triggers = wf.get("on", wf.get(True))  # PyYAML reads the key `on` as True
    assert "main" in triggers["push"]["branches"] and "pull_request" in triggers
    jobs = wf["jobs"]
    assert "bash .ci/test" in runs(jobs["test"])
    assert jobs["build"]["needs"] == "test"
    build = runs(jobs["build"])
    assert "mkdocs build --strict" in build and "DIPLOKB_OFFLINE=true mkdocs build --strict" in build
    assert "actions/upload-pages-artifact" in uses(jobs["build"])
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build" and "actions/deploy-pages" in uses(deploy)
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "refs/heads/main" in deploy["if"] and "pull_request" in deploy["if"]
    assert wf["permissions"] == {"contents": "read"}, "only the deploy job may write"


def test_workflow_jobs_run_on_debian_for_chromium() -> None:
    """The test job runs where `apt-get install chromium` gives /usr/bin/chromium (Debian, not Ubuntu's snap stub)."""
    job = load()["jobs"]["test"]
    assert "bookworm" in job["container"] or "debian" in job["container"]


def test_build_takes_the_site_address_from_pages() -> None:
    """site_url is the address GitHub Pages gives (configure-pages' base_url), and REPO_URL the repository's."""
    job = load()["jobs"]["build"]
    pages = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/configure-pages"))
    builds = [step for step in job["steps"] if "mkdocs build" in step.get("run", "")]
    assert len(builds) == 2
    for step in builds:
        assert step["env"]["SITE_URL"] == "${{ steps." + pages["id"] + ".outputs.base_url }}/"
    assert job["env"]["REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    config = (WORKFLOW.parents[2] / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_url: !ENV [SITE_URL," in config and "repo_url: !ENV [REPO_URL," in config


def test_workflow_build_steps_run_as_written(tmp_path: Path) -> None:
    """The build job's own commands, run as the workflow runs them, build both copies with the Pages address in them."""
    import os
    import shutil
    import subprocess
    import sys

    from tests.conftest import copy_project

    project = copy_project(tmp_path / "kb")
    job = load()["jobs"]["build"]
    base = "https://owner.github.io/diplokb"
    env = {**os.environ, **{k: str(v) for k, v in job["env"].items() if "${{" not in str(v)}}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["REPO_URL"] = "https://github.com/owner/diplokb"
    for step in job["steps"]:
        if "mkdocs build" not in step.get("run", ""):
            continue
        step_env = {k: v.replace("${{ steps.pages.outputs.base_url }}", base) for k, v in step.get("env", {}).items()}
        res = subprocess.run(["bash", "-c", step["run"]], cwd=project, env={**env, **step_env}, capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr
    home = (project / "_site" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{base}/">' in home
    assert (project / "_offline" / "diplokb" / "index.html").is_file()
    shutil.rmtree(project)


def test_installed_package_carries_its_theme_and_copy(tmp_path: Path) -> None:
    """`pip install .` (as the workflow does, not editable) ships every module, the templates, stylesheet and site copy."""
    import subprocess
    import sys
    import zipfile

    root = WORKFLOW.parents[2]
    # From a clean copy: setuptools reuses a checkout's build/ folder, whose stale files would pass for packaged ones.
    clean = tmp_path / "src-copy"
    clean.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(root / name, clean / name)
    shutil.copytree(root / "src", clean / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    res = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(clean)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    (wheel,) = tmp_path.glob("diplokb-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(root / "src").as_posix() for p in (root / "src" / "diplokb").rglob("*.py")}
    data = {
        "diplokb/render/copy.yaml",
        "diplokb/render/world.json",
        "diplokb/theme/main.html",
        "diplokb/theme/assets/diplokb.css",
        "diplokb/theme/partials/toc.html",
    }
    assert modules - names == set() and data - names == set()
