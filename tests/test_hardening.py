"""Hostile and accidental input (issue 13): names are data, the last good site survives, inputs stay inside.

Each test is one case of the issue run in a private copy of the project, through the real
``mkdocs build`` or ``diplokb`` command: a clear ``path:line:col`` message, no traceback, no live
markup, nothing outside the project read, and the last good site intact.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from diplokb.errors import ContentError
from diplokb.match import TermMatcher
from diplokb.text import MAX_SLUG_BYTES, slugify

from .conftest import diplokb, mkdocs
from .test_build import attributes, live_scripts

pytestmark = pytest.mark.slow

NB = "military-diplomacy-and-nation-building"
FR = "military-diplomacy-and-foreign-relations"
KFOR_QUOTE = "NATO's involvement in Kosovo through the KFOR mission"


def live_markup(site: Path) -> list[str]:
    """Every event-handler attribute, and every live script holding an `alert(`, in the built HTML."""
    found = []
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found += [f"{path}: {tag} {name}" for tag, name in attributes(text) if name.lower().startswith("on")]
        for script in live_scripts(text):
            if "alert(" in script:
                found.append(f"{path}: script {script[:80]}")
    return found


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


REFERENCE = (
    "    references:\n"
    "      - {title: NATO's role in Kosovo, publisher: NATO, date: 2023-11-20, url: 'https://www.nato.int/cps/en/natohq/topics_48818.htm'}\n"
)


def add_case(project: Path, name: str, *, actors: list[str] | None = None, topic: str = "peacekeeping") -> None:
    """Append a case study quoting the KFOR sentence (set in Kosovo, whatever its name and actors) to a topic file."""
    path = project / "content/topics" / f"{topic}.yaml"
    entry = (
        f"  - name: {json.dumps(name, ensure_ascii=False)}\n"
        f"    actors: {json.dumps(actors or ['NATO'], ensure_ascii=False)}\n"
        "    places: [Kosovo]\n"  # named in the quote, so the case's quote names it (check warns of one that does not)
        f"    summary: A case study added by a test.\n"
        f"    note: It rests on its reference [1].\n"
        f"    source:\n      essay: {FR}\n      quote: {json.dumps(KFOR_QUOTE)}\n" + REFERENCE
    )
    text = path.read_text(encoding="utf-8")
    assert "case_studies:\n" in text
    path.write_text(text.rstrip("\n") + "\n" + entry, encoding="utf-8")


def built_ok(project: Path) -> Path:
    res = mkdocs(project, "build", "--strict")
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    return project / "site"


# -- 1. Names are data, never syntax ------------------------------------------------------------


def test_file_name_with_event_handler_is_text(project: Path) -> None:
    """Issue case 1: an essay named `x onmouseover=alert(1) y.txt` builds strictly with no live handler anywhere."""
    shutil.copy(project / "seeds" / f"{FR}.txt", project / "seeds" / "x onmouseover=alert(1) y.txt")
    site = built_ok(project)
    assert live_markup(site) == []
    page = (site / "essays" / slugify("x onmouseover=alert(1) y") / "index.html").read_text(encoding="utf-8")
    assert "<title>X onmouseover=alert(1) y - " in page  # the name, shown as text in the title


@pytest.mark.parametrize(
    ("name", "title"), [("Étude sur l'OTAN", "Étude sur l'OTAN"), ("C#-and-50%", "C# and 50%"), ("日本語の論文", "日本語の論文")]
)
def test_ordinary_odd_file_names_keep_links_and_anchors(project: Path, name: str, title: str) -> None:
    """Spaces, apostrophes, accents, `#` and `%` in an essay's file name: strict build (anchors checked), linked pages."""
    shutil.copy(project / "seeds" / f"{FR}.txt", project / "seeds" / f"{name}.txt")
    site = built_ok(project)
    slug = slugify(name)
    assert re.fullmatch(r"[\w-]+", slug) and "#" not in slug and "%" not in slug
    page = (site / "essays" / slug / "index.html").read_text(encoding="utf-8")
    assert f"<title>{html.escape(title)} - " in page
    index = (site / "essays" / "index.html").read_text(encoding="utf-8")
    assert f'href="{urllib.parse.quote(slug)}/"' in index
    k = json.loads((site / "knowledge.json").read_text(encoding="utf-8"))
    assert any(e["slug"] == slug for e in k["essays"])


# What the Pages workflow sets: every generated page then has an "Edit this page" link built from its file's name.
PAGES_ENV = {"REPO_URL": "https://github.com/example/kb", "SITE_URL": "https://example.github.io/kb/"}
EDIT_BASE = "https://github.com/example/kb/edit/main/"


def edit_links(site: Path) -> dict[str, list[str]]:
    """Page -> the href of each "Edit this page" link (rel=edit), as a browser reads it (entities decoded)."""
    found: dict[str, list[str]] = {}
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        hrefs = [html.unescape(h) for h in re.findall(r'<a href="([^"]*)"[^>]*rel="edit"', text)]
        if hrefs:
            found[path.relative_to(site).as_posix()] = hrefs
    return found


HOSTILE_FILE_NAMES = ['x"><img src=x onerror=alert(document.domain)>', "a#b?c=1&d%20e", "50% 'quoted' <b>"]


@pytest.mark.parametrize("name", HOSTILE_FILE_NAMES)
@pytest.mark.parametrize("role", ["essay", "topic", "page"])
def test_edit_links_from_hostile_file_names(project: Path, role: str, name: str) -> None:
    """Round 2, case 1: a file name in any role, built as the Pages workflow builds it (REPO_URL set), gives an
    "Edit this page" link that is one attribute, percent-encoded, opening exactly that file; no live markup."""
    if role == "essay":
        rel = f"seeds/{name}.txt"
        shutil.copy(project / "seeds" / f"{FR}.txt", project / rel)
    elif role == "topic":
        rel = f"content/topics/{name}.yaml"
        text = "title: Strange topic\nsummary: A topic with an odd file name.\nterms: [strange topic words]\n"
        (project / rel).write_text(text, encoding="utf-8")
    else:
        rel = f"content/pages/{name}.md"
        (project / rel).write_text("# A hand-written page\n\nSome text.\n", encoding="utf-8")
    res = mkdocs(project, "build", "--strict", env=PAGES_ENV)
    assert res.returncode == 0, res.stderr
    site = project / "site"
    assert live_markup(site) == []
    links = edit_links(site)
    assert links, "the Pages build has edit links"
    opened = {urllib.parse.unquote(urllib.parse.urlsplit(h).path) for hrefs in links.values() for h in hrefs}
    assert "/example/kb/edit/main/" + rel in opened  # the very file, its #, ? and % kept as part of the path
    for hrefs in links.values():
        for h in hrefs:
            parts = urllib.parse.urlsplit(h)
            assert h.startswith(EDIT_BASE) and not parts.query and not parts.fragment, h


def test_case_study_may_name_essay_by_file_name(project: Path) -> None:
    """A case study's `source.essay` may be the file name as written (`Étude sur l'OTAN`), not only its slug."""
    shutil.copy(project / "seeds" / f"{FR}.txt", project / "seeds" / "Étude sur l'OTAN.txt")
    path = project / "content/topics/peacekeeping.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").rstrip("\n")
        + f'\n  - name: KFOR again\n    summary: S [1].\n    source:\n      essay: "Étude sur l\'OTAN"\n      quote: "{KFOR_QUOTE}"\n'
        + REFERENCE,
        encoding="utf-8",
    )
    site = built_ok(project)
    case = (site / "case-studies" / "kfor-again" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../essays/etude-sur-lotan/#' in case


@pytest.mark.parametrize("name", ["中" * 87, "a" * 5000, "Kosovo " * 300])
def test_long_case_study_names_build(project: Path, name: str) -> None:
    """Issue case 4: 87 Chinese characters (261 bytes) or 5,000 letters: check and build pass, file names stay short."""
    add_case(project, name)
    res = diplokb(project, "check")
    assert res.returncode == 0, res.stderr
    site = built_ok(project)
    slug = slugify(name)
    assert len(slug.encode("utf-8")) <= MAX_SLUG_BYTES
    assert re.search(r"-[0-9a-f]{8}$", slug)  # cut, with a stable hash of the whole name
    assert (site / "case-studies" / slug / "index.html").is_file()
    # the index and the case browser, then one folder a case study
    assert len(list((site / "case-studies").iterdir())) == 2 + len(json.loads((site / "knowledge.json").read_text())["case_studies"])


def test_long_slugs_are_stable_and_distinct() -> None:
    """Two long names that differ only at the end get different slugs; the same name always the same one."""
    a, b = "x" * 300 + "a", "x" * 300 + "b"
    assert slugify(a) != slugify(b)
    assert slugify(a) == slugify(a) and slugify(slugify(a)) == slugify(a)
    assert len(slugify("é" * 1000).encode("utf-8")) <= MAX_SLUG_BYTES


def test_long_terms_and_actors_build(project: Path) -> None:
    """Issue case 5: a 1,000-character term and actor name pass check and build (no RecursionError)."""
    long_term = " ".join(["peacekeeping"] * 80)[:1000]
    path = project / "content/topics/alliances.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("terms:\n", f"terms:\n  - {json.dumps(long_term)}\n", 1), encoding="utf-8")
    add_case(project, "Long actor", actors=["NATO " * 200 + "Force"])
    res = diplokb(project, "check")
    assert res.returncode == 0, res.stderr
    built_ok(project)


def test_matcher_handles_deep_prefix_trees() -> None:
    """The term matcher takes terms thousands of characters long, and terms nested one in another hundreds deep."""
    m = TermMatcher([("x" * 3000, "long"), ("peace", "p")])
    assert [h.key for h in m.finditer("a " + "x" * 3000 + " peace")] == ["long", "p"]
    nested = TermMatcher([("a" * i, f"k{i}") for i in range(1, 600)])
    assert [h.key for h in nested.finditer("aaa " + "a" * 500)] == ["k3", "k500"]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: add_case(p, "Index"), "case study id 'index' is reserved"),
        (
            lambda p: (p / "content/topics/index.yaml").write_text("title: Index\nsummary: S.\nterms: [index]\n", encoding="utf-8"),
            "topic file name 'index' is reserved",
        ),
        (lambda p: shutil.copy(p / "seeds" / f"{FR}.txt", p / "seeds" / "index.txt"), "essay file name 'index' is reserved"),
        (lambda p: shutil.copy(p / "seeds" / f"{FR}.txt", p / "seeds" / "INDEX.txt"), "essay file name 'index' is reserved"),
    ],
    ids=["case-study", "topic", "essay", "essay-upper"],
)
def test_reserved_names_are_errors(project: Path, setup, message: str) -> None:  # type: ignore[no-untyped-def]
    """Issue case 6: "Index" as a case study, topic or essay would replace a site index page: check and build fail, site kept."""
    site = built_ok(project)
    before = snapshot(site)
    setup(project)
    res = diplokb(project, "check")
    assert res.returncode == 1 and message in res.stderr, res.stderr
    assert "Traceback" not in res.stderr
    for args in (["build"], ["build", "--strict"]):
        res = mkdocs(project, *args)
        assert res.returncode == 1 and message in res.stderr, res.stderr
        assert "Traceback" not in res.stderr
    assert snapshot(site) == before


def test_colliding_essay_names_are_errors(project: Path) -> None:
    """Two essay files that make the same page name (`Foo Bar.txt`, `foo-bar.txt`) are an error naming both."""
    for name in ("Foo Bar.txt", "foo-bar.txt"):
        shutil.copy(project / "seeds" / f"{FR}.txt", project / "seeds" / name)
    res = diplokb(project, "check")
    assert res.returncode == 1
    assert "seeds/foo-bar.txt" in res.stderr and "seeds/Foo Bar.txt" in res.stderr and "`foo-bar`" in res.stderr


def test_actor_named_like_a_section_keeps_anchors_unique(project: Path) -> None:
    """An actor called "Actors" or "Places" does not take the anchor of the page's own section headings."""
    add_case(project, "Anchor clash", actors=["Actors", "Places"])
    site = built_ok(project)
    text = (site / "actors" / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids))


# -- 2. The last good site survives every failure -----------------------------------------------


def _move_topics(p: Path) -> None:
    (p / "content/topics").rename(p / "topics-elsewhere")


def _content_dir_nowhere(p: Path) -> None:
    cfg = p / "mkdocs.yml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace("  - diplokb:\n", "  - diplokb:\n      content_dir: nowhere\n"), encoding="utf-8"
    )


FAILURES = {
    "topics-moved-away": (_move_topics, "content/topics: folder not found"),
    "content-dir-missing": (_content_dir_nowhere, "nowhere: content_dir: folder not found"),
    "empty-essay": (lambda p: (p / "seeds/empty.txt").write_bytes(b""), "seeds/empty.txt:1:1: essay has no paragraphs"),
    "binary-essay": (lambda p: (p / "seeds/blob.txt").write_bytes(bytes(range(256)) * 40), "seeds/blob.txt"),
    "utf16-essay": (
        lambda p: (p / "seeds/wide.txt").write_bytes("A Title\n\nPeacekeeping prose.\n".encode("utf-16-le")),
        "seeds/wide.txt",
    ),
}


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_failed_strict_build_keeps_last_good_site(project: Path, case: str) -> None:
    """Issue case 2: whatever fails a strict build (errors or warnings), site/ stays byte for byte the last good site."""
    site = built_ok(project)
    (site / ".git").mkdir()
    before = snapshot(site)
    assert len([p for p in before if p.endswith(".html")]) >= 30
    breakage, message = FAILURES[case]
    breakage(project)
    res = mkdocs(project, "build", "--strict")
    assert res.returncode == 1
    assert message in res.stderr, res.stderr
    assert "Traceback" not in res.stderr
    assert snapshot(site) == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []  # no staging folder left


def test_crash_midway_keeps_last_good_site(project: Path) -> None:
    """A build that dies after pages were written (here a hook raising on one page) leaves site/ as it was."""
    site = built_ok(project)
    before = snapshot(site)
    (project / "crash.py").write_text(
        "def on_post_page(output, page, config):\n    if 'graph' in page.file.src_uri:\n        raise RuntimeError('boom')\n    return output\n",
        encoding="utf-8",
    )
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "\nhooks:\n  - crash.py\n", encoding="utf-8")
    res = mkdocs(project, "build")
    assert res.returncode == 1 and "boom" in res.stderr
    assert snapshot(site) == before


def test_successful_build_replaces_site_and_keeps_hidden_entries(project: Path) -> None:
    """A good build swaps the new site in: stale pages go, a `.git` kept in site/ (gh-pages checkout) stays."""
    site = built_ok(project)
    (site / ".git").mkdir()
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (site / "stale.html").write_text("old", encoding="utf-8")
    (project / "content/topics/training.yaml").write_text("title: Training\nsummary: S.\nterms: [training]\n", encoding="utf-8")
    built_ok(project)
    assert (site / "topics" / "training" / "index.html").is_file()
    assert not (site / "stale.html").exists()
    assert (site / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/gh-pages\n"
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def test_quiet_strict_build_fails_on_warnings(project: Path) -> None:
    """Issue case 9: `mkdocs build -q --strict` fails where `mkdocs build --strict` does, and says why."""
    built_ok(project)
    (project / "seeds/empty.txt").write_bytes(b"")
    res = mkdocs(project, "build", "-q", "--strict")
    assert res.returncode == 1
    assert "essay has no paragraphs" in res.stderr
    assert "Aborted with 1 warnings in strict mode" in res.stdout + res.stderr
    clean = mkdocs(project, "build", "-q")  # quiet without strict still builds
    assert clean.returncode == 0


def test_browser_tests_build_without_quiet() -> None:
    """The browser tests' strict build is not quiet, so its warnings are seen (and fail it)."""
    from .browser import kbweb

    src = Path(kbweb.__file__).read_text(encoding="utf-8")
    assert '"--strict"' in src and '"-q"' not in src and "--quiet" not in src


# -- 3. Inputs stay inside the project ----------------------------------------------------------


def test_symlinked_essay_outside_seeds_is_refused(project: Path, tmp_path: Path) -> None:
    """Issue case 3: `ln -s /etc/passwd seeds/leak.txt`: check and build refuse it, and nothing of it is published."""
    secret = tmp_path / "secret.txt"
    secret.write_text("Top secret\n\nTOKEN-1234 peacekeeping alliance credentials.\n", encoding="utf-8")
    site = built_ok(project)
    before = snapshot(site)
    (project / "seeds/leak.txt").symlink_to(secret)
    (project / "seeds/passwd.txt").symlink_to("/etc/passwd")
    res = diplokb(project, "check")
    assert res.returncode == 1
    assert "seeds/leak.txt: symbolic link to a file outside seeds: refused" in res.stderr
    assert "seeds/passwd.txt: symbolic link" in res.stderr
    res = mkdocs(project, "build")
    assert res.returncode == 1 and "symbolic link" in res.stderr and "Traceback" not in res.stderr
    assert snapshot(site) == before
    assert "TOKEN-1234" not in res.stdout + res.stderr


def test_symlinked_topic_outside_content_is_refused(project: Path, tmp_path: Path) -> None:
    """A topic file that links out of content/topics is refused too; a link inside the folder is fine."""
    outside = tmp_path / "outside.yaml"
    outside.write_text("title: Outside\nsummary: S.\nterms: [outside]\n", encoding="utf-8")
    (project / "content/topics/outside.yaml").symlink_to(outside)
    res = diplokb(project, "check")
    assert res.returncode == 1 and "content/topics/outside.yaml: symbolic link to a file outside content/topics" in res.stderr
    (project / "content/topics/outside.yaml").unlink()
    (project / "content/topics/also-alliances.yml").symlink_to("alliances.yaml")
    res = diplokb(project, "check")
    assert "symbolic link" not in res.stderr


@pytest.mark.parametrize("target", ["/etc/passwd", "/proc/self/environ", "secret", "folder", "/etc"])
def test_symlinks_out_of_the_pages_folder_are_refused(project: Path, tmp_path: Path, target: str) -> None:
    """Round 2, case 2: a link in content/pages/ to a file or folder outside it (/etc/passwd, the environment, a
    file of the project such as .git/config) is refused by check, the build and render --out; nothing of it is
    published or copied, and the last good site stays. A link inside the folder is fine."""
    secret = project / ".git-config"
    secret.write_text("[http] extraheader = AUTHORIZATION: basic TOKEN-5678\n", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "leak.txt").write_text("TOKEN-5678\n", encoding="utf-8")
    pointed = {"secret": secret, "folder": tmp_path / "outside"}.get(target, Path(target))
    site = built_ok(project)
    before = snapshot(site)
    link = project / "content/pages" / ("leak" if pointed.is_dir() else "leak.txt")
    link.symlink_to(pointed)
    res = diplokb(project, "check")
    assert res.returncode == 1, res.stdout
    assert (
        f"content/pages/{link.name}: symbolic link to a {'folder' if pointed.is_dir() else 'file'} outside content/pages: refused"
        in res.stderr
    )
    res = mkdocs(project, "build")
    assert res.returncode == 1 and "symbolic link" in res.stderr and "Traceback" not in res.stderr
    assert snapshot(site) == before
    res = diplokb(project, "render", "--out", str(tmp_path / "export"))
    assert res.returncode == 1 and "symbolic link" in res.stderr and "Traceback" not in res.stderr
    copied = [p for p in (tmp_path / "export").rglob("*") if p.is_file() and "TOKEN-5678" in p.read_text(errors="replace")]
    assert copied == []
    link.unlink()
    (project / "content/pages/about-again.md").symlink_to("about.md")
    assert diplokb(project, "check").returncode == 0
    assert "TOKEN-5678" not in "".join(p.read_text(errors="replace") for p in built_ok(project).rglob("*") if p.is_file())


def test_symlinked_essay_metadata_outside_seeds_is_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "essays.yaml"
    outside.write_text((project / "seeds/essays.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (project / "seeds/essays.yaml").unlink()
    (project / "seeds/essays.yaml").symlink_to(outside)
    res = diplokb(project, "check")
    assert res.returncode == 1 and "seeds/essays.yaml: symbolic link to a file outside seeds: refused" in res.stderr


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("blob.txt", bytes(range(256)) * 100, "seeds/blob.txt:1:1: NUL byte at byte offset 0: a binary file"),
        ("wide.txt", "A Title\n\nPeace.\n".encode("utf-16-le"), "seeds/wide.txt:1:2: NUL byte at byte offset 1"),
        ("latin.txt", b"A Title\n\nCaf\xe9.\n", "seeds/latin.txt:3:4: byte 0xe9 at byte offset 12 is not UTF-8"),
    ],
    ids=["binary", "utf16-no-bom", "latin-1"],
)
def test_essays_must_be_utf8_text(project: Path, name: str, data: bytes, message: str) -> None:
    """Issue case 8: binary and non-UTF-8 essays are errors (check and build), not pages of garbage; the site is kept."""
    site = built_ok(project)
    before = snapshot(site)
    (project / "seeds" / name).write_bytes(data)
    res = diplokb(project, "check")
    assert res.returncode == 1 and message in res.stderr, res.stderr
    res = mkdocs(project, "build")
    assert res.returncode == 1 and message in res.stderr and "Traceback" not in res.stderr
    assert snapshot(site) == before


def test_utf16_essay_with_bom_is_decoded_and_said_so(project: Path) -> None:
    """A UTF-16 essay with a byte-order mark is read, with a warning saying so (so a strict build asks for UTF-8)."""
    shutil.copy(project / "seeds" / f"{FR}.txt", project / "seeds" / "wide.txt")
    text = (project / "seeds/wide.txt").read_text(encoding="utf-8")
    (project / "seeds/wide.txt").write_bytes(text.encode("utf-16"))  # with a BOM
    res = mkdocs(project, "build")
    assert res.returncode == 0, res.stderr
    assert "seeds/wide.txt:1:1: decoded as UTF-16" in res.stderr
    html = (project / "site/essays/wide/index.html").read_text(encoding="utf-8")
    assert "KFOR mission" in html and "\x00" not in html
    assert mkdocs(project, "build", "--strict").returncode == 1


def test_macos_metadata_files_are_skipped(project: Path) -> None:
    """`._essay.txt` (macOS metadata) is skipped with a warning, not published; editor files (`.#x.txt`) are ignored."""
    (project / "seeds/._military-diplomacy-and-nation-building.txt").write_bytes(b"\x00\x05\x16\x07Mac OS X        \x00\x02" * 50)
    (project / "seeds/.#essay.txt").symlink_to("root@host.1234")  # an Emacs lock: a dangling link
    res = mkdocs(project, "build")
    assert res.returncode == 0, res.stderr
    assert "seeds/._military-diplomacy-and-nation-building.txt: macOS metadata file, not an essay: skipped" in res.stderr
    site = project / "site"
    assert sorted(p.name for p in (site / "essays").iterdir() if p.is_dir()) == [FR, NB]
    for path in site.rglob("*.html"):
        assert "Mac OS X" not in path.read_text(encoding="utf-8")


def test_size_limits(project: Path) -> None:
    """An essay over 5 MB and a topic file over 2 MB are refused before they are read, with the limit in the message."""
    with (project / "seeds/huge.txt").open("wb") as f:
        f.truncate(6 * 1024 * 1024)  # sparse: no time spent writing it
    path = project / "content/topics/alliances.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# pad\n" * 400_000, encoding="utf-8")
    res = diplokb(project, "check")
    assert res.returncode == 1
    assert "seeds/huge.txt: the essay is 6291456 bytes (6 MB), over the 5242880-byte limit (5 MB)" in res.stderr
    assert "content/topics/alliances.yaml: the file is" in res.stderr and "over the 2097152-byte limit (2 MB)" in res.stderr


def test_unreadable_files_are_messages(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """A file that cannot be read (OSError) is a message naming it, from check and the build, not a traceback."""
    from diplokb.commands import cli
    from diplokb.content import inputs

    real_open = Path.open

    def deny(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.name in ("alliances.yaml", f"{NB}.txt"):
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.chdir(project)
    monkeypatch.setattr(inputs.Path, "open", deny)
    assert cli.main(["check"]) == 1
    err = capsys.readouterr().err
    assert "content/topics/alliances.yaml: cannot read: Permission denied" in err
    assert f"seeds/{NB}.txt: cannot read: Permission denied" in err
    # The build (the plugin, in this process) stops with the same message and no traceback.
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    cfg = load_config(str(project / "mkdocs.yml"))
    cfg.plugins.on_startup(command="build", dirty=False)
    with pytest.raises(Abort), caplog.at_level(logging.ERROR):
        build(cfg)
    assert "content/topics/alliances.yaml: cannot read: Permission denied" in caplog.text
    assert "no essay named" not in err + caplog.text  # the unreadable essay is not reported a second time
    assert not (project / "site").exists()


# -- 4. Safe writes in `diplokb new case-study` ---------------------------------------------------


def new_template(project: Path, topic: str = "peacekeeping") -> subprocess.CompletedProcess[str]:
    return diplokb(project, "new", "case-study", "--topic", topic)


def test_new_case_study_refuses_read_only_file(project: Path) -> None:
    """Issue case 7: a read-only (0444) topic file is not rewritten; the refusal is a message, not a traceback."""
    path = project / "content/topics/peacekeeping.yaml"
    before = path.read_bytes()
    path.chmod(0o444)
    res = new_template(project)
    assert res.returncode == 1
    assert "content/topics/peacekeeping.yaml: the file is read-only: not changed" in res.stderr
    assert "Traceback" not in res.stderr
    assert path.read_bytes() == before and stat.S_IMODE(path.stat().st_mode) == 0o444


def test_new_case_study_writes_through_symlink(project: Path) -> None:
    """A symlinked topic file stays a symlink: the entry lands in its target."""
    topics = project / "content/topics"
    real = topics / "peacekeeping.yaml"
    shared = topics / "shared-peacekeeping.yml"  # the real file, under another name in the same folder
    real.rename(shared)
    real.symlink_to(shared.name)
    before = shared.read_bytes()
    res = new_template(project)
    assert res.returncode == 0, res.stderr
    assert real.is_symlink() and os.readlink(real) == shared.name
    after = shared.read_bytes()
    assert after.startswith(before) and b"# --- new case study" in after


def test_new_case_study_refuses_symlink_out_of_topics(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "peacekeeping.yaml"
    path = project / "content/topics/peacekeeping.yaml"
    shutil.copy(path, outside)
    path.unlink()
    path.symlink_to(outside)
    before = outside.read_bytes()
    res = new_template(project)
    assert res.returncode == 1 and "symbolic link to a file outside" in res.stderr and "Traceback" not in res.stderr
    assert outside.read_bytes() == before


def test_new_case_study_keeps_hard_links(project: Path, tmp_path: Path) -> None:
    """A hard-linked topic file is written in place: both names still show the same, new text."""
    path = project / "content/topics/peacekeeping.yaml"
    twin = tmp_path / "twin.yaml"
    os.link(path, twin)
    inode = path.stat().st_ino
    res = new_template(project)
    assert res.returncode == 0, res.stderr
    assert path.stat().st_ino == inode and path.stat().st_nlink == 2
    assert twin.read_bytes() == path.read_bytes() and b"# --- new case study" in twin.read_bytes()


def test_new_case_study_write_error_is_a_message(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Where the file cannot be written (PermissionError), `new case-study` says so and exits 1, no traceback."""
    from diplokb.commands import cli
    from diplokb.content import write

    def denied(path: Path, data: bytes) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.chdir(project)
    monkeypatch.setattr(write, "atomic_write", denied)
    before = (project / "content/topics/peacekeeping.yaml").read_bytes()
    assert cli.main(["new", "case-study", "--topic", "peacekeeping"]) == 1
    err = capsys.readouterr().err
    assert "content/topics/peacekeeping.yaml: cannot write: Permission denied; the file is unchanged" in err
    assert (project / "content/topics/peacekeeping.yaml").read_bytes() == before


# -- 5. `diplokb check` and the build agree -------------------------------------------------------


def _docs_page_collision(p: Path) -> None:
    (p / "content/pages/topics").mkdir(parents=True)
    (p / "content/pages/topics/alliances.md").write_text("# Mine\n", encoding="utf-8")


def _moved_content(p: Path) -> None:
    (p / "content").rename(p / "kb-content")
    cfg = p / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8").replace("docs_dir: content/pages", "docs_dir: kb-content/pages")
    cfg.write_text(text.replace("  - diplokb:\n", "  - diplokb:\n      content_dir: kb-content\n"), encoding="utf-8")


def _misspelt_pin(p: Path) -> None:
    path = p / "content/topics/alliances.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("terms:\n", "pin:\n  - Nonexistent Heading\nterms:\n", 1), encoding="utf-8")


def _site_dir(p: Path) -> None:
    cfg = p / "mkdocs.yml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace("strict: false\n", "strict: false\nsite_dir: content/topics\n"), encoding="utf-8"
    )


AGREE = {  # breakage -> what both must say (None: both pass)
    **FAILURES,
    # Round 2, case 18 (with cases 9, 12, 13): warnings only a strict build refuses, and the new refusals.
    "misspelt-pin": (_misspelt_pin, "pin[0]: `Nonexistent Heading` names no section of any essay"),
    "dangling-essay": (lambda p: (p / "seeds/gone.txt").symlink_to("renamed.txt"), "seeds/gone.txt: symbolic link to nothing"),
    "essay-loop": (lambda p: (p / "seeds/loop.txt").symlink_to("loop.txt"), "seeds/loop.txt: cannot read: a loop of symbolic links"),
    "site-dir-over-topics": (_site_dir, "site_dir: `content/topics` is the topic files folder"),
    "reserved-case": (lambda p: add_case(p, "Index"), "case study id 'index' is reserved"),
    "long-name": (lambda p: add_case(p, "中" * 87), None),
    "docs-page-collision": (_docs_page_collision, "content/pages/topics/alliances.md"),
    "configured-content-dir": (_moved_content, None),
    "nothing-wrong": (lambda p: None, None),
}


@pytest.mark.parametrize("case", sorted(AGREE))
def test_check_and_strict_build_agree(project: Path, case: str) -> None:
    """`diplokb check --strict` fails exactly when `mkdocs build --strict` does, reading the same mkdocs.yml settings."""
    breakage, message = AGREE[case]
    breakage(project)
    chk = diplokb(project, "check", "--strict")
    build = mkdocs(project, "build", "--strict")
    assert "Traceback" not in chk.stderr + build.stderr
    if message is None:
        assert chk.returncode == 0 and build.returncode == 0, (chk.stderr, build.stderr)
    else:
        assert chk.returncode == 1 and build.returncode == 1, (chk.stderr, build.stderr)
        assert message in chk.stderr and message in build.stderr, (chk.stderr, build.stderr)


def test_check_reads_content_dir_from_mkdocs_yml(project: Path) -> None:
    """`diplokb check` validates the folder the build reads (the plugin's content_dir), not a default."""
    _content_dir_nowhere(project)
    res = diplokb(project, "check")
    assert res.returncode == 1 and "nowhere: content_dir: folder not found" in res.stderr
    assert diplokb(project, "--content", "content", "check").returncode == 0  # an explicit folder wins


def test_check_is_strict_when_mkdocs_yml_is(project: Path) -> None:
    (project / "seeds/empty.txt").write_bytes(b"")
    assert diplokb(project, "check").returncode == 0  # mkdocs.yml ships strict: false
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("strict: false", "strict: true"), encoding="utf-8")
    res = diplokb(project, "check")
    assert res.returncode == 1 and "essay has no paragraphs" in res.stderr and "strict" in res.stderr


# -- 6. Serve: flat memory, a clear message for a busy port, files coming and going --------------


def test_memory_stays_flat_over_many_saves(project: Path) -> None:
    """Issue case 10: rebuilds after many saves keep one cached version per file; traced memory does not grow."""
    import gc
    import tracemalloc

    from diplokb import pipeline
    from diplokb.cache import BuildCache

    cache = BuildCache()  # what the plugin keeps for a serve session
    content, seeds = project / "content", project / "seeds"
    topic = content / "topics/peacekeeping.yaml"
    essay = seeds / f"{NB}.txt"
    t0, e0 = topic.read_text(encoding="utf-8"), essay.read_text(encoding="utf-8")

    def save(i: int) -> None:
        topic.write_text(t0.replace("Peacekeeping sends", f"Peacekeeping ({i}) sends"), encoding="utf-8")
        essay.write_text(e0 + f"\nSave number {i} about peacekeeping missions.\n", encoding="utf-8")
        pipeline.run(content, seeds, cache=cache)

    tracemalloc.start()
    try:
        for i in range(10):
            save(i)
        gc.collect()
        base = tracemalloc.get_traced_memory()[0]
        for i in range(10, 40):
            save(i)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    # one version per file: essays.yaml, entities.yaml, filings.yaml (a topic file's loaded topic is kept, not its node tree)
    assert len(cache.composed) == 3 and len(cache.loaded) == len(list((content / "topics").glob("*.yaml")))
    assert len(cache.parsed) == 2 and len(cache.quotes) == 2 and len(cache.scans) == 4 and len(cache.matchers) <= 4
    assert grown < 300_000, grown  # 30 saves; before, each kept about 120 KB


def test_deleted_essay_leaves_the_cache(project: Path) -> None:
    """An essay deleted under serve leaves every cache of the session."""
    from diplokb import pipeline
    from diplokb.cache import BuildCache

    cache = BuildCache()
    extra = project / "seeds/extra.txt"
    shutil.copy(project / "seeds" / f"{FR}.txt", extra)
    pipeline.run(project / "content", project / "seeds", cache=cache)
    assert str(extra) in cache.parsed and ("topics", str(extra)) in cache.scans
    extra.unlink()
    pipeline.run(project / "content", project / "seeds", cache=cache)
    assert str(extra) not in cache.parsed and ("topics", str(extra)) not in cache.scans


def test_file_vanishing_during_a_rebuild_is_a_message(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An essay or topic file deleted between listing and reading is reported, not a traceback."""
    from diplokb.content import inputs
    from diplokb.pipeline import check as pipeline_check
    from diplokb.stages import sources

    real = inputs.listing

    def listing_then_delete(folder: Path, suffixes, what: str):  # type: ignore[no-untyped-def]
        files, problems = real(folder, suffixes, what)
        files[0].unlink()  # gone right after it was listed
        return files, problems

    monkeypatch.setattr(sources, "listing", listing_then_delete)
    monkeypatch.setattr(inputs, "listing", listing_then_delete)  # topic_files lists with it
    with pytest.raises(ContentError) as info:
        pipeline_check(project / "content", project / "seeds")
    text = "\n".join(map(str, info.value.problems))
    assert f"seeds/{FR}.txt: cannot read: No such file or directory" in text
    assert "content/topics/alliances.yaml: cannot read: No such file or directory" in text


def test_port_in_use_is_a_message(project: Path) -> None:
    """`diplokb serve` on a port already in use says so and exits, with no traceback."""
    with socket.socket() as busy:
        busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        res = subprocess.run(
            [sys.executable, "-m", "diplokb", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    assert res.returncode != 0
    assert f"127.0.0.1:{port} is already in use" in res.stderr
    assert "Traceback" not in res.stderr


# -- 7. Fuzz: random names and texts through a real strict build ----------------------------------

HOSTILE = [
    "x onmouseover=alert(1) y",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{: onclick=alert(1) }",
    "](javascript:alert(1)) [x] ]: | #",
    "Index",
    "日本語 Привет Attachés",
    "C#-and-50% l'OTAN",
]
_NAME_CHARS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\")
NAMES = st.one_of(st.sampled_from(HOSTILE), st.text(_NAME_CHARS, min_size=1, max_size=50), st.just("中" * 90))
TEXTS = st.one_of(
    st.sampled_from(HOSTILE).map(lambda h: f"A Title\n\nPeacekeeping and {h} in one paragraph.\n"),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=400),
)


def _site_digest(site: Path) -> str:
    import hashlib

    h = hashlib.blake2b()
    for path in sorted(site.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def fuzz_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .conftest import copy_project

    base = copy_project(tmp_path_factory.mktemp("fuzz") / "kb")
    built_ok(base)
    return base


def _file_name(name: str, fallback: str) -> str:
    """What a file system holds: no "/", at most 255 bytes, not hidden."""
    return name.replace("/", "_").encode("utf-8")[:200].decode("utf-8", "ignore").strip().lstrip(".") or fallback


@settings(max_examples=12, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(essay_name=NAMES, essay_text=TEXTS, case_name=NAMES, summary=NAMES, actor=NAMES, topic_name=NAMES, page_name=NAMES)
def test_fuzz_names_and_texts_through_strict_build(
    fuzz_base: Path,
    tmp_path_factory: pytest.TempPathFactory,
    essay_name: str,
    essay_text: str,
    case_name: str,
    summary: str,
    actor: str,
    topic_name: str,
    page_name: str,
) -> None:
    """Random and hostile names and texts, file names in every role (essay, topic, hand-written page), built as the
    Pages workflow builds (REPO_URL set, so edit links are made from file names): the strict build either succeeds
    with no live markup and edit links that stay one URL, or fails cleanly (a message, no traceback) and leaves the
    last good site byte for byte."""
    project = tmp_path_factory.mktemp("fuzz-case") / "kb"
    shutil.copytree(fuzz_base, project, symlinks=True)
    before = _site_digest(project / "site")
    (project / "seeds" / f"{_file_name(essay_name, 'essay')}.txt").write_text(essay_text, encoding="utf-8", errors="surrogatepass")
    topic = project / "content/topics" / f"{_file_name(topic_name, 'topic')}.yaml"
    if not topic.exists():
        topic.write_text("title: A fuzzed topic\nsummary: Its file name is fuzzed.\nterms: [fuzzed topic words]\n", encoding="utf-8")
    hand = project / "content/pages" / f"{_file_name(page_name, 'page')}.md"
    if not hand.exists():
        hand.write_text("# A fuzzed page\n\nIts file name is fuzzed.\n", encoding="utf-8")
    add_case(project, case_name, actors=[actor])
    path = project / "content/topics/peacekeeping.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("A case study added by a test.", json.dumps(summary)), encoding="utf-8")
    res = mkdocs(project, "build", "--strict", env=PAGES_ENV)
    event(f"strict build exit {res.returncode}")
    assert "Traceback" not in res.stderr, res.stderr
    site = project / "site"
    if res.returncode == 0:
        assert live_markup(site) == []
        for page in site.rglob("*.html"):
            assert "javascript:" not in " ".join(re.findall(r'href="([^"]*)"', page.read_text(encoding="utf-8"))), page
        for hrefs in edit_links(site).values():
            for h in hrefs:
                parts = urllib.parse.urlsplit(h)
                assert h.startswith(EDIT_BASE) and not parts.query and not parts.fragment, h
    else:
        assert "diplokb" in res.stderr or "strict mode" in res.stdout + res.stderr, res.stderr
        assert _site_digest(site) == before
    shutil.rmtree(project.parent)


@pytest.mark.browser
@pytest.mark.parametrize("command", ["diplokb-serve", "mkdocs-serve"])
def test_serve_keeps_last_good_site_when_a_rebuild_crashes(project: Path, tmp_path: Path, command: str) -> None:
    """Under serve (dirty or not), a rebuild that dies after writing pages leaves the served site whole; the next good save shows."""
    from .test_serve import COMMANDS, Server, fetch, free_port, wait_for

    (project / "crash.py").write_text(
        "from pathlib import Path\n\n"
        "def on_post_page(output, page, config):\n"
        "    if Path('CRASH').exists() and 'peacekeeping' in page.file.src_uri:\n"
        "        raise RuntimeError('boom')\n"
        "    return output\n",
        encoding="utf-8",
    )
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "\nhooks:\n  - crash.py\n", encoding="utf-8")
    server = Server(project, free_port(), tmp_path / "serve.log", COMMANDS[command])
    try:
        wait_for(server.served_url, 60, "the server to start")
        wait_for(lambda: "Peacekeeping" in fetch(server.url + "topics/peacekeeping/"), 30, "the first page")
        (site,) = server.tmp.glob("mkdocs_*")
        before = snapshot(site)
        (project / "CRASH").write_text("", encoding="utf-8")
        topic = project / "content/topics/peacekeeping.yaml"
        original = topic.read_text(encoding="utf-8")
        topic.write_text(original.replace("Peacekeeping sends military forces", "CRASHED-EDIT sends military forces"), encoding="utf-8")
        wait_for(lambda: "boom" in server.output(), 30, "the failed rebuild")
        time.sleep(1)
        assert snapshot(site) == before  # every page as it was, none half-written
        # (MkDocs' server holds requests while the last rebuild failed; the files it will serve are the last good ones.)
        (project / "CRASH").unlink()
        topic.write_text(original.replace("Peacekeeping sends military forces", "GOOD-EDIT sends military forces"), encoding="utf-8")
        wait_for(lambda: "GOOD-EDIT" in fetch(server.url + "topics/peacekeeping/"), 30, "the good rebuild")
        assert "Knowledge graph" in fetch(server.url + "graph/")
        assert server.proc.poll() is None
        assert [p.name for p in server.tmp.iterdir() if p.name.startswith(".")] == []  # no staging folder left
    finally:
        server.close()


def test_topic_page_anchors_stay_unique(project: Path) -> None:
    """Essay `related` with a section "Topics", and essays `a-b`/`a` with sections `c`/`b-c`: every id on a topic page is unique."""
    peace = "Peacekeeping missions and peacekeeping forces keep the peace; peacekeeping operations last."
    (project / "seeds/related.txt").write_text(f"Related Essay\n\nTopics\n\n{peace}\n", encoding="utf-8")
    (project / "seeds/a-b.txt").write_text(f"First Essay\n\nC\n\n{peace}\n", encoding="utf-8")
    (project / "seeds/a.txt").write_text(f"Second Essay\n\nB C\n\n{peace}\n", encoding="utf-8")
    site = built_ok(project)
    text = (site / "topics/peacekeeping/index.html").read_text(encoding="utf-8")
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert "related-topics-2" in ids or "related-topics" in ids


def test_symlinked_seeds_folder_outside_is_refused(project: Path, tmp_path: Path) -> None:
    """`seeds` itself a link to a folder elsewhere (say `/etc`): refused, nothing in it read."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_text("Secret\n\nTOKEN-5678 about peacekeeping.\n", encoding="utf-8")
    shutil.rmtree(project / "seeds")
    (project / "seeds").symlink_to(elsewhere)
    res = diplokb(project, "check")
    assert res.returncode == 1 and "seeds: symbolic link to a folder outside the project: refused" in res.stderr
    assert "TOKEN-5678" not in res.stdout + res.stderr


def test_symlinked_content_folder_outside_is_refused(project: Path, tmp_path: Path) -> None:
    shutil.copytree(project / "content", tmp_path / "elsewhere")
    shutil.rmtree(project / "content")
    (project / "content").symlink_to(tmp_path / "elsewhere")
    res = diplokb(project, "check")
    assert res.returncode == 1 and "content: symbolic link to a folder outside the project: refused" in res.stderr
    assert "Traceback" not in res.stderr
