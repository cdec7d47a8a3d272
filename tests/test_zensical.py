"""Issue 21: the export (`diplokb render --out DIR`) builds with Zensical as well as with MkDocs 1.6 and
Material 9.8, from the same folder, and the two sites' pages hold the same text, links and anchors."""

from __future__ import annotations

import json
import os
import posixpath
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html  # a real HTML parser (lxml comes with citeproc-py)
import pytest

from diplokb.commands.export import ZENSICAL_CONFIG, address_file, read_mkdocs_yml, relink

from .conftest import ROOT, copy_project, diplokb, mkdocs

# A hand-written page in a sub-folder linking generated pages as editors do (to the file the plugin
# generates): inline, with an anchor, and by a reference definition.
GUIDE = """# Reading guide

Start with [peacekeeping](../topics/peacekeeping.md), then the essay's
[opening passage](../essays/military-diplomacy-and-nation-building.md#opening) and the
[case studies][cases].

[cases]: ../case-studies/index.md
"""
GUIDE_LINKS = {
    "topics/peacekeeping/index.html": "",
    "essays/military-diplomacy-and-nation-building/index.html": "opening",
    "case-studies/index.html": "",
}


def zensical(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the real ``zensical`` in ``folder``."""
    return subprocess.run(
        [sys.executable, "-m", "zensical", *args], cwd=folder, capture_output=True, text=True, timeout=300, env=dict(os.environ)
    )


def export_and_build(root: Path, *render_args: str) -> tuple[Path, Path, Path]:
    """A copy of the project with :data:`GUIDE`, exported, built by MkDocs and by Zensical, both strict:
    (export folder, MkDocs site, Zensical site)."""
    project = copy_project(root / "project")
    (project / "content/pages/guide").mkdir()
    (project / "content/pages/guide/reading.md").write_text(GUIDE, encoding="utf-8")
    out = root / "exported"
    res = diplokb(project, "render", "--out", str(out), *render_args)
    assert res.returncode == 0 and "warning" not in res.stderr, res.stderr
    res = zensical(out, "build", "--strict", "-f", ZENSICAL_CONFIG)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "No issues found" in res.stderr, res.stdout + res.stderr  # its link and anchor checks found nothing
    shutil.move(out / "site", out / "site-zensical")
    res = mkdocs(out, "build", "--strict", "-f", "mkdocs.yml", "-d", "site-mkdocs")
    assert res.returncode == 0, res.stderr
    return out, out / "site-mkdocs", out / "site-zensical"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    return export_and_build(tmp_path_factory.mktemp("zensical"))


def html_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def main_part(path: Path) -> tuple[str, list[str], list[str]]:
    """A page's ``<article>``, its theme's chrome set aside: the text (spaces collapsed), every link's
    href and every id, in order. Each theme adds its own skip-link target (ids starting ``__``)."""
    tree = lxml.html.parse(str(path)).getroot()
    found = tree.xpath("//article")
    assert len(found) == 1, path
    art = found[0]
    text = " ".join(art.text_content().split())
    links = [a.get("href") for a in art.iter("a") if a.get("href") is not None]
    ids = [e.get("id") for e in art.iter() if e.get("id") and not e.get("id").startswith("__")]
    return text, links, ids


def ids_of(path: Path) -> set[str]:
    return {e.get("id") for e in lxml.html.parse(str(path)).getroot().iter() if e.get("id")}


def resolve(site: Path, page: str, href: str) -> tuple[Path, str]:
    """The file and anchor a relative link on ``page`` leads to (a folder's ``index.html``)."""
    parts = urlsplit(href)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path))) if parts.path else page
    path = site / target
    if parts.path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, parts.fragment


@pytest.mark.slow
def test_every_page_has_the_same_text_links_and_anchors(builds: tuple[Path, Path, Path]) -> None:
    """Zensical's build of the export has the MkDocs build's pages, each with the same main text, links and anchors."""
    out, mk, zs = builds
    pages = html_pages(mk)
    assert pages == html_pages(zs)
    generated = [p for p in sorted(pages) if p not in ("404.html", "about/index.html", "guide/reading/index.html")]
    assert len(generated) > 70 and "topics/peacekeeping/index.html" in generated
    different = []
    for page in sorted(pages - {"404.html"}):  # each theme's own not-found page
        a, b = main_part(mk / page), main_part(zs / page)
        assert len(a[0]) > 50 and a[1] and a[2], page
        if a != b:
            different.append(page)
    assert different == []
    # The generated pages' links work in the Zensical build: every relative link reaches a page and its anchor.
    broken = []
    for page in generated:
        for href in main_part(zs / page)[1]:
            if urlsplit(href).scheme or href.startswith(("mailto:", "#")):
                continue
            path, anchor = resolve(zs, page, href)
            if not path.is_file() or (anchor and path.suffix == ".html" and anchor not in ids_of(path)):
                broken.append(f"{page}: {href}")
    assert broken == []
    # And the comparison can fail: the essays' text is there, in both.
    assert "peacekeeping" in main_part(zs / "topics/peacekeeping/index.html")[0].lower()
    assert (out / "theme-zensical/main.html").is_file() and not (out / "theme-zensical/base.html").exists()


@pytest.mark.slow
@pytest.mark.parametrize("site", ["site-mkdocs", "site-zensical"])
def test_hand_written_links_to_generated_pages_work(builds: tuple[Path, Path, Path], site: str) -> None:
    """A hand-written page's Markdown links to generated pages (inline, with an anchor, by reference) reach them in both builds."""
    out = builds[0]
    page = "guide/reading/index.html"
    links = [h for h in main_part(out / site / page)[1] if not h.startswith("#")]
    reached = {}
    for href in links:
        path, anchor = resolve(out / site, page, href)
        assert path.is_file(), href
        assert not anchor or anchor in ids_of(path), href
        reached[path.relative_to(out / site).as_posix()] = anchor
    assert reached == GUIDE_LINKS
    # The About page's link to the Bibliography too, and the export's copies name the pages' moved files.
    about = [h for h in main_part(out / site / "about/index.html")[1] if "bibliography" in h]
    assert about and all(resolve(out / site, "about/index.html", h)[0].is_file() for h in about)
    assert "(../topics/peacekeeping/index.md)" in (out / "docs/guide/reading.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_search_holds_the_pages_in_both(builds: tuple[Path, Path, Path]) -> None:
    """Both builds' search indexes hold every page (Zensical's search.json, Material's search_index.json), with its text."""
    _out, mk, zs = builds
    pages = {p.removesuffix("index.html") for p in html_pages(mk) if p != "404.html"}
    material = json.loads((mk / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    own = json.loads((zs / "search.json").read_text(encoding="utf-8"))["items"]
    for index in (material, own):
        located = {d["location"].split("#")[0] for d in index}
        assert pages <= located
        # A phrase from a topic page's summary is found in that page's entries.
        texts = " ".join(d["text"] for d in index if d["location"].startswith("topics/peacekeeping/"))
        assert "peacekeeping" in texts.lower()


@pytest.mark.slow
def test_offline_zensical_build(tmp_path: Path) -> None:
    """An export without directory URLs builds with Zensical's offline plugin: .html links, the search index
    beside the pages for file://, the vendored iframe-worker shim, no link previews, and the same text as MkDocs builds."""
    out, mk, zs = export_and_build(tmp_path, "--no-directory-urls")
    cfg = read_mkdocs_yml(out / ZENSICAL_CONFIG)
    assert cfg is not None and cfg["plugins"] == [{"offline": {"enabled": True}}]
    base = read_mkdocs_yml(out / "mkdocs.yml")
    assert base is not None and "navigation.instant.preview" not in base["theme"]["features"]  # no fetches from disk
    assert "navigation.instant.preview" in (read_mkdocs_yml(ROOT / "mkdocs.yml") or {})["theme"]["features"]
    assert (zs / "topics/peacekeeping.html").is_file() and (zs / "search.js").is_file()
    home = (zs / "index.html").read_text(encoding="utf-8")
    assert "assets/iframe-worker/shim.js" in home and "unpkg.com" not in home
    assert main_part(zs / "topics/peacekeeping.html") == main_part(mk / "topics/peacekeeping.html")
    href = "../essays/military-diplomacy-and-nation-building.html#opening"
    assert href in main_part(zs / "guide/reading.html")[1]
    path, anchor = resolve(zs, "guide/reading.html", href)
    assert path.is_file() and anchor in ids_of(path)


@pytest.mark.parametrize(
    ("rel", "file"),
    [
        ("topics/alliances.md", "topics/alliances/index.md"),
        ("bibliography.md", "bibliography/index.md"),
        ("index.md", "index.md"),
        ("case-studies/index.md", "case-studies/index.md"),
        ("knowledge.json", "knowledge.json"),
        ("exports/case-studies.csv", "exports/case-studies.csv"),
    ],
)
def test_address_file(rel: str, file: str) -> None:
    """A generated page's file in its address folder; indexes and other files stay where they are."""
    assert address_file(rel) == file


MOVED = {"topics/peacekeeping.md": "topics/peacekeeping/index.md", "bibliography.md": "bibliography/index.md"}


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        ("about.md", "See [it](bibliography.md).", "See [it](bibliography/index.md)."),
        ("about.md", "[p](topics/peacekeeping.md#opening)", "[p](topics/peacekeeping/index.md#opening)"),
        ("guide/a.md", "[p](../topics/peacekeeping.md)", "[p](../topics/peacekeeping/index.md)"),
        ("guide/a.md", "[p]( <../bibliography.md> )", "[p]( <../bibliography/index.md> )"),
        ("about.md", "[b]: bibliography.md\n", "[b]: bibliography/index.md\n"),
        ("about.md", "   [b]: bibliography.md#x\n", "   [b]: bibliography/index.md#x\n"),
        ("about.md", "[own](other.md) [csv](exports/case-studies.csv)", "[own](other.md) [csv](exports/case-studies.csv)"),
        ("guide/a.md", "[not it](bibliography.md)", "[not it](bibliography.md)"),  # guide/bibliography.md: not generated
        (
            "about.md",
            "bibliography.md in prose, [x](https://example.org/bibliography.md)",
            "bibliography.md in prose, [x](https://example.org/bibliography.md)",
        ),
    ],
)
def test_relink(rel: str, text: str, expected: str) -> None:
    """A hand-written page's Markdown links to moved generated pages, and only those, name the moved files."""
    assert relink(text, rel, MOVED) == expected
