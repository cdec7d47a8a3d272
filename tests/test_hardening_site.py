"""Hardening, round two (issue 23), cases 8-14, 17 and 18: outputs never inside inputs, the site swap, the site's
permissions, symbolic link loops, dangling and unreadable inputs, serve after a folder is replaced, broken saves
shown in the browser, and check's warnings.

Each case runs the real ``diplokb`` command, ``mkdocs build`` or server in a private copy of the project.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
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


# -- 12, 13: symbolic link loops, links to nothing, folders that cannot be read -------------------


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def built_ok(project: Path) -> Path:
    res = mkdocs(project, "build", "--strict")
    assert res.returncode == 0, res.stderr
    return project / "site"


def _swap_for_link(path: Path, target: str) -> None:
    """Replace ``path`` (a file or folder) by a symbolic link to ``target``, keeping the original beside it."""
    if path.exists():
        path.rename(path.with_name(path.name + ".orig"))
    path.symlink_to(target)


LOOPS = {  # what is made a loop -> the message check and the build give
    "essay": (lambda p: (p / "seeds/loop.txt").symlink_to("loop.txt"), "seeds/loop.txt: cannot read: a loop of symbolic links"),
    "topic": (
        lambda p: (p / "content/topics/a.yaml").symlink_to("b.yaml") or (p / "content/topics/b.yaml").symlink_to("a.yaml"),
        "content/topics/a.yaml: cannot read: a loop of symbolic links",
    ),
    "essays-yaml": (
        lambda p: _swap_for_link(p / "seeds/essays.yaml", "essays.yaml"),
        "seeds/essays.yaml: cannot read: a loop of symbolic links",
    ),
    "seeds-folder": (lambda p: _swap_for_link(p / "seeds", "seeds"), "seeds: cannot read the folder: a loop of symbolic links"),
    "topics-folder": (
        lambda p: _swap_for_link(p / "content/topics", "topics"),
        "content/topics: cannot read the folder: a loop of symbolic links",
    ),
    "page": (
        lambda p: (p / "content/pages/loop.md").symlink_to("loop.md"),
        "content/pages/loop.md: symbolic link that cannot be followed (a loop",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(LOOPS))
def test_symlink_loops_are_messages(project: Path, case: str) -> None:
    """Case 12: `ln -s loop.txt seeds/loop.txt` (or a loop as a topic, essays.yaml, a folder, a page): check and the build
    name it, with no RuntimeError traceback, and the last good site stays (looked at for one case: builds are slow)."""
    site = built_ok(project) if case == "essay" else project / "site"
    before = snapshot(site) if site.exists() else {}
    make, message = LOOPS[case]
    make(project)
    res = diplokb(project, "check")
    assert res.returncode == 1 and message in res.stderr, res.stderr
    assert "Traceback" not in res.stderr
    res = mkdocs(project, "build")
    assert res.returncode == 1 and message in res.stderr, res.stderr
    assert "Traceback" not in res.stderr
    assert (snapshot(site) if site.exists() else {}) == before


DANGLING = {  # a link to nothing inside its folder -> the warning naming it
    "essay": (
        lambda p: (p / "seeds/gone.txt").symlink_to("renamed.txt"),
        "seeds/gone.txt: symbolic link to nothing (`renamed.txt` is not there), so not an essay",
    ),
    "topic": (
        lambda p: (p / "content/topics/gone.yaml").symlink_to("renamed.yaml"),
        "content/topics/gone.yaml: symbolic link to nothing (`renamed.yaml` is not there), so not a topic file",
    ),
    "essays-yaml": (
        lambda p: _swap_for_link(p / "seeds/essays.yaml", "meta.yaml"),
        "seeds/essays.yaml: symbolic link to nothing (`meta.yaml` is not there)",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(DANGLING))
def test_dangling_links_are_warnings(project: Path, case: str) -> None:
    """Case 13: a link to nothing in its folder is a warning naming it (it used to vanish from the site without a word):
    check says so and passes, a strict check and a strict build fail on it, a plain build passes with the warning."""
    make, message = DANGLING[case]
    make(project)
    res = diplokb(project, "check")
    assert res.returncode == 0 and f"warning: {message}" in res.stderr, res.stderr
    assert "1 warning" in res.stdout
    res = diplokb(project, "check", "--strict")
    assert res.returncode == 1 and message in res.stderr
    res = mkdocs(project, "build", "--strict")
    assert res.returncode == 1 and message in res.stderr and "Traceback" not in res.stderr, res.stderr
    res = mkdocs(project, "build")
    assert res.returncode == 0 and message in res.stderr, res.stderr


def without_root_powers(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a command in ``project`` as permissions apply to a user: as root, with the capabilities that bypass them dropped."""
    prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([*prefix, sys.executable, "-m", *args], cwd=project, env=env, capture_output=True, text=True, timeout=180)


UNREADABLE = {  # chmod 000 on -> the message
    "seeds": "seeds: cannot read the folder: Permission denied",
    "content/topics": "content/topics: cannot read the folder: Permission denied",
    "content/pages": "content/pages: cannot read the folder: Permission denied",
    "seeds/essays.yaml": "seeds/essays.yaml: cannot read: Permission denied",
}


@pytest.mark.slow
@pytest.mark.parametrize("what", sorted(UNREADABLE))
def test_unreadable_folders_are_messages(project: Path, what: str) -> None:
    """Case 12: an unreadable seeds/ (or topics, pages folder, essays.yaml), for real (chmod 000): a message naming it
    from check and the build, not a PermissionError traceback, and not a pile of "no essay named" errors."""
    if os.geteuid() == 0 and subprocess.run(["setpriv", "--bounding-set=-dac_override", "true"], capture_output=True).returncode != 0:
        pytest.skip("root without a way to drop its file-permission powers (setpriv)")
    site = built_ok(project) if what == "seeds" else project / "site"
    before = snapshot(site) if site.exists() else {}
    (project / what).chmod(0)
    try:
        for args in (["diplokb", "check"], ["mkdocs", "build"]):
            res = without_root_powers(project, *args)
            assert res.returncode == 1 and UNREADABLE[what] in res.stderr, res.stderr
            assert "Traceback" not in res.stderr and "no essay named" not in res.stderr, res.stderr
    finally:
        (project / what).chmod(0o755)
    assert (snapshot(site) if site.exists() else {}) == before


# -- 10, 11: the site swap, killed at any point; the site's permissions ---------------------------

KILLER = """
import os, signal, sys
from diplokb.site import swap

mode = sys.argv[1]
real_exchange, real_rename = swap.exchange, os.rename


def die():
    os.kill(os.getpid(), signal.SIGKILL)


def exchange(a, b):
    if mode == "before-exchange":
        die()
    if mode == "between-renames":
        return False  # as where the system cannot exchange: the swap is two renames
    assert real_exchange(a, b), "this system exchanges folders in one step"
    die()


def rename(a, b, **kwargs):
    real_rename(a, b, **kwargs)
    if ".site.old-" in os.fspath(b):  # the last site moved aside, the new one not yet in place
        die()


swap.exchange = exchange
os.rename = rename
sys.argv = ["mkdocs", "build"]
from mkdocs.__main__ import cli

cli()
"""


def _edit_summary(project: Path, marker: str) -> None:
    topic = project / "content/topics/peacekeeping.yaml"
    topic.write_text(topic.read_text(encoding="utf-8").replace("Peacekeeping sends", f"{marker} sends", 1), encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["before-exchange", "after-exchange", "between-renames"])
def test_build_killed_at_the_swap(project: Path, moment: str) -> None:
    """Case 10: a build SIGKILLed at the swap (before or after the one-step exchange; between the two renames where
    the system cannot exchange) leaves a whole site/ (the old or the new one); where it cannot (between renames),
    the next build, even one that fails, puts the last good site back first; leftovers are cleaned, .git kept."""
    site = built_ok(project)
    (site / ".git").mkdir()
    (site / ".git/HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    before = snapshot(site)
    _edit_summary(project, "SWAP-EDIT")
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, moment],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert killed.returncode == -9, killed.stderr
    left = sorted(p.name for p in project.iterdir() if p.name.startswith(".site."))
    assert left, "the killed build left its folders"
    if moment == "between-renames":
        assert not site.exists() and any(n.startswith(".site.old-") for n in left)  # the one gap the fallback has
    else:
        assert site.is_dir()
        topic = (site / "topics/peacekeeping/index.html").read_text(encoding="utf-8")
        assert ("SWAP-EDIT" in topic) == (moment == "after-exchange")
    pages = {k: v for k, v in (snapshot(site) if site.exists() else {}).items() if not k.startswith(".git/")}
    (project / "seeds/empty.txt").write_bytes(b"")  # the next build fails (strict: a warning)
    res = mkdocs(project, "build", "--strict")
    assert res.returncode == 1 and "Traceback" not in res.stderr, res.stderr
    if moment == "after-exchange":  # the new site, and the .git the killed swap had not moved into it yet
        assert snapshot(site) == {**pages, ".git/HEAD": before[".git/HEAD"]}
    else:
        assert snapshot(site) == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site.")] == []
    (project / "seeds/empty.txt").unlink()
    site = built_ok(project)
    assert "SWAP-EDIT" in (site / "topics/peacekeeping/index.html").read_text(encoding="utf-8")
    assert (site / ".git/HEAD").read_text(encoding="utf-8") == "ref: refs/heads/gh-pages\n"
    assert [p.name for p in project.iterdir() if p.name.startswith(".site.")] == []


def modes(site: Path) -> set[tuple[str, int]]:
    """The (kind, permission bits) found in the site: the folder itself, every folder and file in it."""
    found = {("dir", site.stat().st_mode & 0o7777)}
    for p in site.rglob("*"):
        found.add(("dir" if p.is_dir() else "file", p.stat().st_mode & 0o7777))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002], ids=["umask-022", "umask-027", "umask-002"])
def test_site_has_the_modes_of_a_plain_build(project: Path, umask: int) -> None:
    """Case 11: site/ and everything in it get what a plain `mkdir` and file write give under the umask (0755 and
    0644 under the usual 022), as plain MkDocs gives, not a temporary folder's 0700; on a first build and a swap."""
    expected = {("dir", 0o777 & ~umask), ("file", 0o666 & ~umask)}
    cmd = f"umask {umask:03o} && exec {sys.executable} -m mkdocs build --strict"
    for _ in range(2):  # a fresh site/, then one swapped over the last
        res = subprocess.run(
            ["sh", "-c", cmd], cwd=project, capture_output=True, text=True, timeout=180, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        )
        assert res.returncode == 0, res.stderr
        assert modes(project / "site") == expected


# -- 12, 14, 17 under serve: a loop, a replaced folder, a broken save shown in the browser --------

ESSAY = "military-diplomacy-and-nation-building"


@pytest.fixture
def serving(project: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """`diplokb serve` on the project, started and answering."""
    from .test_serve import COMMANDS, Server, fetch, free_port, wait_for

    server = Server(project, free_port(), tmp_path / "serve.log", COMMANDS["diplokb-serve"])
    try:
        wait_for(server.served_url, 60, "the server to start")
        wait_for(lambda: "Peacekeeping" in fetch(server.url + "topics/peacekeeping/"), 30, "the first page")
        yield server
    finally:
        server.close()


def _move_away_and_back(folder: Path) -> None:
    folder.rename(folder.with_name(folder.name + "-away"))
    time.sleep(1)  # the watcher polls every 0.1 s: it sees the folder gone
    folder.with_name(folder.name + "-away").rename(folder)


def _delete_and_copy_back(folder: Path) -> None:
    kept = folder.with_name(folder.name + "-kept")
    shutil.copytree(folder, kept, symlinks=True)
    shutil.rmtree(folder)
    time.sleep(1)
    shutil.copytree(kept, folder, symlinks=True)


REPLACED = {
    "seeds-moved-back": ("seeds", _move_away_and_back),
    "seeds-copied-back": ("seeds", _delete_and_copy_back),
    "content-moved-back": ("content", _move_away_and_back),
    "topics-copied-back": ("content/topics", _delete_and_copy_back),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(REPLACED))
def test_serve_sees_edits_after_a_folder_is_replaced(project: Path, serving, case: str) -> None:  # type: ignore[no-untyped-def]
    """Case 14: after `mv seeds x && mv x seeds` (or the folder deleted and copied back) under `diplokb serve`,
    later edits and new essays still show."""
    from .test_serve import fetch, wait_for

    folder, replace = REPLACED[case]
    replace(project / folder)
    time.sleep(1.5)
    if folder == "seeds":
        essay = project / "seeds" / f"{ESSAY}.txt"
        essay.write_text(
            # A heading no summary cites: renaming a cited one would make the content fail its passage check.
            essay.read_text(encoding="utf-8").replace("Navigating Power Dynamics\n", "Navigating Power Dynamics Revisited\n", 1),
            encoding="utf-8",
        )
        wait_for(lambda: "navigating-power-dynamics-revisited" in fetch(serving.url + f"essays/{ESSAY}/"), 30, "the edited essay")
        shutil.copy(essay, project / "seeds/a-new-essay.txt")
        wait_for(lambda: "Navigating Power Dynamics Revisited" in fetch(serving.url + "essays/a-new-essay/"), 30, "the new essay")
    else:
        _edit_summary(project, "AFTER-REPLACE")
        wait_for(lambda: "AFTER-REPLACE" in fetch(serving.url + "topics/peacekeeping/"), 30, "the edited topic")
    assert serving.proc.poll() is None and "Traceback" not in serving.output()


BANNER = "[data-diplokb-serve-error]"


@pytest.mark.slow
def test_serve_keeps_answering_through_a_symlink_loop(project: Path, serving) -> None:  # type: ignore[no-untyped-def]
    """Case 12 under serve: `ln -s loop.txt seeds/loop.txt` is reported (on the served pages too), the server keeps
    serving the last good pages, and removing the link brings it back to normal."""
    from .test_serve import fetch, wait_for

    essay = project / "seeds" / f"{ESSAY}.txt"
    text = essay.read_text(encoding="utf-8")
    (project / "seeds/loop.txt").symlink_to("loop.txt")
    essay.write_text(text + "\nA saved line.\n", encoding="utf-8")  # (the watcher cannot stat a loop: a save rebuilds)
    wait_for(lambda: "seeds/loop.txt: cannot read: a loop of symbolic links" in serving.output(), 30, "the message")
    page = fetch(serving.url + "topics/peacekeeping/")
    assert "Peacekeeping sends" in page and "data-diplokb-serve-error" in page and "seeds/loop.txt</code> cannot read: a loop" in page
    (project / "seeds/loop.txt").unlink()
    essay.write_text(text, encoding="utf-8")
    wait_for(lambda: "data-diplokb-serve-error" not in fetch(serving.url + "topics/peacekeeping/"), 30, "the message gone")
    assert "Traceback" not in serving.output()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("command", ["diplokb-serve", "mkdocs-serve"])
def test_broken_save_shows_in_the_open_tab(project: Path, tmp_path: Path, command: str) -> None:
    """Case 17: a save that fails validation shows its problems (file, line, field; escaped as text) at the top of
    the open tab, over the last good page; the next good save takes the message away and shows the new content.
    Only the server shows it: no file of the served site holds it, and a build of the broken project fails."""
    from playwright.sync_api import sync_playwright

    from .conftest import CHROMIUM, CHROMIUM_ARGS
    from .test_serve import COMMANDS, Server, free_port, wait_for

    server = Server(project, free_port(), tmp_path / "serve.log", COMMANDS[command])
    topic = project / "content/topics/peacekeeping.yaml"
    original = topic.read_text(encoding="utf-8")
    try:
        wait_for(server.served_url, 60, "the server to start")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.goto(server.url + "topics/peacekeeping/")
                assert page.locator(BANNER).count() == 0
                hostile = '"<img src=x onerror=window.pwned=1>"'
                topic.write_text(
                    original.replace("title: Peacekeeping", f"title: Peacekeeping\nsummry: oops\n{hostile}: x"), encoding="utf-8"
                )
                banner = page.locator(BANNER)
                banner.wait_for(timeout=20_000)  # the tab reloads by itself
                text = banner.inner_text()
                assert "The last save could not be built (2 problems)" in text
                assert "content/topics/peacekeeping.yaml:3:1 summry: unknown field `summry`; did you mean `summary`?" in text
                assert "<img src=x onerror=window.pwned=1>" in text  # the key, as text
                assert banner.locator("img").count() == 0 and page.evaluate("window.pwned") is None
                assert banner.get_attribute("role") == "alert"
                assert "Peacekeeping sends military forces" in page.locator("article").inner_text()  # the last good page below
                (site,) = server.tmp.glob("mkdocs_*")
                assert not [f for f in site.rglob("*.html") if "data-diplokb-serve-error" in f.read_text(encoding="utf-8")]
                topic.write_text(
                    original.replace("Peacekeeping sends military forces", "FIXED-EDIT sends military forces"), encoding="utf-8"
                )
                page.wait_for_selector("text=FIXED-EDIT", timeout=20_000)
                assert page.locator(BANNER).count() == 0
                assert server.proc.poll() is None
            finally:
                browser.close()
    finally:
        server.close()
    topic.write_text(original.replace("title: Peacekeeping", "title: Peacekeeping\nsummry: oops"), encoding="utf-8")
    res = mkdocs(project, "build")
    assert res.returncode == 1 and not (project / "site").exists()
