"""Hardening, round two (issue 23), cases 8-14, 17 and 18: outputs never inside inputs, the site swap, the site's
permissions, symbolic link loops, dangling and unreadable inputs, serve after a folder is replaced, broken saves
shown in the browser, and check's warnings.

Each case runs the real ``diplokb`` command, ``mkdocs build`` or server in a private copy of the project.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from diplokb.content.outputs import Input, clash, project_inputs, setting

from .conftest import diplokb, mkdocs


def tree(project: Path) -> dict[str, bytes | str]:
    """Every file (its bytes) and symbolic link (its target) of the project, but the built site: what a command must not touch."""
    out: dict[str, bytes | str] = {}
    for dirpath, dirs, names in os.walk(project):
        rel = Path(dirpath).relative_to(project)
        if rel.parts[:1] in (("site",), (".cache",)):
            continue
        for name in dirs + names:
            p = Path(dirpath) / name
            if p.is_symlink():
                out[(rel / name).as_posix()] = os.readlink(p)
            elif p.is_file():
                out[(rel / name).as_posix()] = p.read_bytes()
    return out


# -- 8, 9: outputs never inside inputs -----------------------------------------------------------


def test_clash_sees_through_spellings_and_links(tmp_path: Path) -> None:
    """`..`, a symbolic link to an input, a folder not made yet inside one, and a folder holding one are all refused."""
    root = tmp_path / "kb"
    for d in ("content/topics", "content/pages", "seeds", "site"):
        (root / d).mkdir(parents=True)
    (root / "link").symlink_to("seeds")
    (tmp_path / "outside").mkdir()
    inputs = project_inputs(root, root / "content", root / "seeds", root / "content/pages")
    expected = {
        "seeds": "is the essays folder",
        "site/../seeds": "is the essays folder",
        "link": "is the essays folder",
        "link/new/deeper": "is inside the essays folder",
        "content/topics": "is the topic files folder",
        "content/pages/x": "is inside the hand-written pages folder",
        "content": "is the content folder",
        ".": "is the project folder",
        "..": "holds the project folder",
        "link/..": "is the project folder",
    }
    for spelt, why in expected.items():
        got = clash(root / spelt, inputs)
        assert got is not None and got.startswith(why), (spelt, got)
    for fine in ("site", "build/export", "../outside", "../outside/new"):
        assert clash(root / fine, inputs) is None, fine


def test_clash_through_a_link_out_and_back(tmp_path: Path) -> None:
    """`elsewhere/..` where `elsewhere` links into another folder is that folder's parent, as the system resolves it."""
    (tmp_path / "kb/seeds/deep").mkdir(parents=True)
    (tmp_path / "kb/hop").symlink_to(tmp_path / "kb/seeds/deep")
    inputs = [Input(tmp_path / "kb/seeds", "the essays folder")]
    assert clash(tmp_path / "kb/hop/..", inputs) == f"is the essays folder ({tmp_path / 'kb/seeds'})"


def test_setting_is_located_without_running_tags(tmp_path: Path) -> None:
    """The line of `site_dir` in mkdocs.yml, read without constructing `!ENV` or `!!python/name` tags."""
    cfg = tmp_path / "mkdocs.yml"
    cfg.write_text("site_name: x\nx: !!python/name:os.system\nsite_url: !ENV [SITE_URL, 'y']\n  \nsite_dir: seeds\n", encoding="utf-8")
    assert setting(cfg, "site_dir") == (5, 1, "seeds")
    assert setting(cfg, "docs_dir") == (0, 0, None)


def _docs_dir_default(p: Path) -> None:
    """The project with MkDocs' default docs_dir (docs/) for its hand-written pages."""
    (p / "content/pages").rename(p / "docs")
    cfg = p / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("docs_dir: content/pages", "docs_dir: docs"), encoding="utf-8")


RENDER_OUT = {  # --out -> what the message says it is
    ".": "is the project folder",
    "..": "holds the project folder",
    "content": "is the content folder",
    "content/topics": "is the topic files folder",
    "content/pages": "is the hand-written pages folder, docs_dir",
    "seeds": "is the essays folder",
    "seeds/export": "is inside the essays folder",
    "site/../seeds": "is the essays folder",
    "seeds-link": "is the essays folder",
}


@pytest.mark.parametrize("pages_only", [False, True], ids=["project", "pages-only"])
@pytest.mark.parametrize("out", sorted(RENDER_OUT))
def test_render_out_into_the_project_is_refused(project: Path, out: str, pages_only: bool) -> None:
    """Case 8: `render --out` into the project, over or into an input folder is refused before anything is written."""
    (project / "seeds-link").symlink_to("seeds")
    (project / "site").mkdir()
    before = tree(project)
    res = diplokb(project, "render", "--out", out, *(["--pages-only"] if pages_only else []))
    assert res.returncode == 1, res.stdout
    assert f"--out {out}: {RENDER_OUT[out]}" in res.stderr and "refused, nothing written" in res.stderr, res.stderr
    assert "Traceback" not in res.stderr
    assert tree(project) == before


def test_render_out_dot_with_default_docs_dir(project: Path) -> None:
    """Case 8 as reported: with docs_dir `docs`, `render --out .` would rewrite mkdocs.yml and delete every hand-written page."""
    _docs_dir_default(project)
    before = tree(project)
    res = diplokb(project, "render", "--out", ".")
    assert res.returncode == 1 and "--out .: is the project folder" in res.stderr, res.stderr
    assert tree(project) == before
    res = diplokb(project, "render", "--out", "build/export")  # a folder of its own inside the project is fine
    assert res.returncode == 0, res.stderr
    assert (project / "build/export/docs/about.md").is_file() and (project / "docs/about.md").is_file()


SITE_DIRS = {  # site_dir -> what the message says (MkDocs itself refuses a site_dir holding docs_dir first)
    "seeds": "`seeds` is the essays folder",
    "content/topics": "`content/topics` is the topic files folder",
    "seeds/site": "`seeds/site` is inside the essays folder",
    "seeds-link": "`seeds-link` is the essays folder",
    "site/../content/topics": "`site/../content/topics` is the topic files folder",
    "content": "`content` is the content folder",
    ".": "is the project folder",
    "..": "holds the project folder",
}


@pytest.mark.slow
@pytest.mark.parametrize("site_dir", sorted(SITE_DIRS))
def test_site_dir_over_an_input_is_refused(project: Path, site_dir: str) -> None:
    """Case 9: site_dir set to, inside or above an input folder: check and the build refuse it, naming mkdocs.yml's line,
    and nothing of the project is deleted."""
    (project / "seeds-link").symlink_to("seeds")
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("strict: false\n", f"strict: false\nsite_dir: {site_dir}\n"), encoding="utf-8")
    line = cfg.read_text(encoding="utf-8").splitlines().index(f"site_dir: {site_dir}") + 1
    before = tree(project)
    res = diplokb(project, "check")
    assert res.returncode == 1, res.stdout
    assert f"mkdocs.yml:{line}:1: site_dir: " in res.stderr and SITE_DIRS[site_dir] in res.stderr, res.stderr
    for args in (["build"], ["build", "--strict"]):
        res = mkdocs(project, *args)
        assert res.returncode == 1 and "site_dir" in res.stderr and "Traceback" not in res.stderr, res.stderr
    assert tree(project) == before


@pytest.mark.slow
def test_site_dir_from_the_command_line_is_refused(project: Path) -> None:
    """Case 9: `mkdocs build -d seeds` is refused too (no line to point at: mkdocs.yml does not say it)."""
    before = tree(project)
    res = mkdocs(project, "build", "-d", "seeds")
    assert res.returncode == 1
    assert "diplokb: mkdocs.yml: site_dir: `seeds` is the essays folder" in res.stderr, res.stderr
    assert tree(project) == before


def test_check_counts_warnings(project: Path) -> None:
    """Case 18: check prints how many warnings there are, and that a strict build refuses them; strict check exits 1."""
    (project / "seeds/empty.txt").write_bytes(b"")
    res = diplokb(project, "check")
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip().endswith("; 1 warning, which `mkdocs build --strict` refuses"), res.stdout
    res = diplokb(project, "check", "--strict")
    assert res.returncode == 1 and res.stdout == ""
    assert "1 warning: the build is strict" in res.stderr
    (project / "seeds/empty.txt").unlink()
    res = diplokb(project, "check")
    assert res.returncode == 0 and "warning" not in res.stdout + res.stderr, res.stdout
