"""The GitHub Actions workflow: tests gate the --strict build, which gates publishing to Pages."""

from __future__ import annotations

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
