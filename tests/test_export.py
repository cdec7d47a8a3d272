"""`diplokb render --out DIR`: the site as a plain MkDocs project that builds the same pages without the plugin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from diplokb.commands.export import CSS, JS, THEME_DIR, PythonName, dump_config, read_mkdocs_yml

from .conftest import copy_project, diplokb, mkdocs


class _Article(HTMLParser):
    """The text inside a page's ``<article>``."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += tag == "article"

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag == "article"

    def handle_data(self, data: str) -> None:
        if self.depth > 0:
            self.text.append(data)


def article(path: Path) -> str:
    p = _Article()
    p.feed(path.read_text(encoding="utf-8"))
    return " ".join(" ".join(p.text).split())


def html_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A copy of the project (with an image beside the hand-written pages), built with the plugin, and
    its export built with plain MkDocs: (project, plugin site, export folder)."""
    project = copy_project(tmp_path_factory.mktemp("export") / "project")
    (project / "content/pages/img").mkdir(parents=True, exist_ok=True)
    (project / "content/pages/img/seal.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    res = mkdocs(project, "build", "--strict", "-d", "plugin-site")
    assert res.returncode == 0, res.stderr
    out = project.parent / "exported"
    res = diplokb(project, "render", "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert "warning" not in res.stderr, res.stderr
    # Plain MkDocs: the export names no diplokb plugin, so none is loaded (and none could be: see the config test).
    res = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(out / "mkdocs.yml")],
        cwd=out.parent,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert res.returncode == 0, res.stderr
    assert "diplokb" not in res.stderr
    return project, project / "plugin-site", out


@pytest.mark.slow
def test_export_builds_the_same_pages(built: tuple[Path, Path, Path]) -> None:
    """Plain `mkdocs build --strict` of the export gives the plugin build's HTML pages, with the same article text."""
    _project, site, out = built
    plain = out / "site"
    pages = html_pages(site)
    assert pages == html_pages(plain)
    samples = {
        "home": "index.html",
        "topic": "topics/peacekeeping/index.html",
        "essay": "essays/military-diplomacy-and-nation-building/index.html",
        "case study": "case-studies/unamsil-in-sierra-leone/index.html",
        "hand-written": "about/index.html",
    }
    for kind, page in samples.items():
        assert page in pages, kind
        text = article(site / page)
        assert len(text) > 200, kind
        assert article(plain / page) == text, kind
        # The whole page, too: same theme templates, navigation, table of contents and links.
        assert (plain / page).read_bytes() == (site / page).read_bytes(), kind
    # And every other page too: nothing of the plugin's work is missing from the export.
    assert [p for p in sorted(pages) if article(site / p) != article(plain / p)] == []
    assert (plain / "knowledge.json").read_bytes() == (site / "knowledge.json").read_bytes()
    # Search reads only what it indexes of a generated page in the plugin build, the whole page here: the same
    # index (its entries in the order MkDocs lists the files, which puts generated pages last in the plugin build).
    index = [json.loads((s / "search/search_index.json").read_text(encoding="utf-8")) for s in (site, plain)]
    assert index[0]["config"] == index[1]["config"]
    assert sorted(map(json.dumps, index[0]["docs"])) == sorted(map(json.dumps, index[1]["docs"]))
    assert len(index[0]["docs"]) > 100
    assert (plain / "img/seal.svg").is_file() and (plain / CSS).is_file() and (plain / JS).is_file()
    # The plugin's templates are in use: its search partial and its stylesheet link are on the page.
    home = (plain / "index.html").read_text(encoding="utf-8")
    assert CSS in home and JS in home


@pytest.mark.slow
def test_export_config(built: tuple[Path, Path, Path]) -> None:
    """The exported mkdocs.yml is the project's with the plugin's part written out and the plugin gone."""
    project, _site, out = built
    text = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "!!python/name:markdown.extensions.toc.slugify_unicode" in text
    assert "!ENV" not in text and "diplokb:" not in text
    cfg = read_mkdocs_yml(out / "mkdocs.yml")
    src = read_mkdocs_yml(project / "mkdocs.yml")
    assert cfg is not None and src is not None
    # Search alone, with the project's settings (lunr's stemmer, which the theme's search worker relies on).
    search = [p for p in src["plugins"] if p == "search" or (isinstance(p, dict) and "search" in p)]
    assert cfg["plugins"] == search and search != ["search"]
    assert cfg["docs_dir"] == "docs" and cfg["site_url"] == "http://127.0.0.1:8000/diplokb/"
    for key in ("site_name", "site_description", "markdown_extensions", "validation"):
        assert cfg[key] == src[key], key
    # What the plugin would add: the footer's credit (the site's name is the plugin's, here mkdocs.yml's too).
    assert cfg["extra"] == {**src["extra"], "kb_credit": "Made with diplokb, MkDocs and Material for MkDocs"}
    theme = dict(cfg["theme"])
    assert theme.pop("custom_dir") == "theme" and theme == src["theme"]
    copied = sorted(p.relative_to(out / "theme").as_posix() for p in (out / "theme").rglob("*") if p.is_file())
    assert copied == sorted(
        p.relative_to(THEME_DIR).as_posix() for p in THEME_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )
    assert cfg["extra_css"] == [CSS] and cfg["extra_javascript"] == [JS]
    nav = cfg["nav"]
    assert nav[0] == {"Home": "index.md"} and nav[-1] == "about.md"
    hidden = cfg["not_in_nav"].split()
    # Generated pages sit in their address folders (what Zensical needs of their links; tests/test_zensical.py).
    assert "/case-studies/unamsil-in-sierra-leone/index.md" in hidden and "/case-studies/index.md" not in hidden
    assert "repo_url" not in cfg and "edit_uri" not in cfg  # no repository set: no edit links, as in the plugin build


def test_read_mkdocs_yml_env_and_python_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """!ENV takes the first variable set (as a YAML scalar) or the default; !!python/name is kept, never imported."""
    path = tmp_path / "mkdocs.yml"
    path.write_text(
        "site_url: !ENV [KB_TEST_URL, 'http://x/']\n"
        "strict: !ENV [KB_TEST_A, KB_TEST_B, false]\n"
        "repo: !ENV KB_TEST_NONE\n"
        "slug: !!python/name:kb_no_such_module.func\n"
        "other: !relative $config_dir\n",
        encoding="utf-8",
    )
    monkeypatch.delenv("KB_TEST_URL", raising=False)
    monkeypatch.delenv("KB_TEST_A", raising=False)
    monkeypatch.delenv("KB_TEST_NONE", raising=False)
    monkeypatch.setenv("KB_TEST_B", "true")
    cfg = read_mkdocs_yml(path)
    assert cfg == {"site_url": "http://x/", "strict": True, "repo": None, "slug": PythonName("kb_no_such_module.func"), "other": None}
    monkeypatch.setenv("KB_TEST_URL", "https://example.org/kb/")
    cfg = read_mkdocs_yml(path)
    assert cfg is not None and cfg["site_url"] == "https://example.org/kb/"
    dumped = dump_config({"slug": PythonName("markdown.extensions.toc.slugify_unicode"), "hidden": "/a.md\n/b.md\n"})
    assert "slug: !!python/name:markdown.extensions.toc.slugify_unicode" in dumped
    assert yaml.load(dumped, Loader=yaml.UnsafeLoader)["hidden"] == "/a.md\n/b.md\n"
    (tmp_path / "bad.yml").write_text("a: [", encoding="utf-8")
    assert read_mkdocs_yml(tmp_path / "bad.yml") is None and read_mkdocs_yml(tmp_path / "none.yml") is None


def test_export_takes_env_and_repository(tmp_path: Path) -> None:
    """SITE_URL and REPO_URL from the environment reach the export; with a repository, edit links are off
    (the plugin points generated pages at their topic files, which plain MkDocs cannot)."""
    project = copy_project(tmp_path / "p")
    out = tmp_path / "out"
    env = {**os.environ, "SITE_URL": "https://example.org/kb/", "REPO_URL": "https://github.com/example/kb"}
    res = subprocess.run(
        [sys.executable, "-m", "diplokb", "render", "--out", str(out)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    cfg = read_mkdocs_yml(out / "mkdocs.yml")
    assert cfg is not None
    assert cfg["site_url"] == "https://example.org/kb/" and cfg["repo_url"] == "https://github.com/example/kb" and cfg["edit_uri"] == ""
    # Rendering again replaces docs/ (no page of an earlier export lingers).
    (out / "docs/stale.md").write_text("# old\n", encoding="utf-8")
    assert diplokb(project, "render", "--out", str(out)).returncode == 0
    assert not (out / "docs/stale.md").exists() and (out / "docs/index.md").is_file()
    assert read_mkdocs_yml(out / "mkdocs.yml").get("use_directory_urls") is None  # type: ignore[union-attr]
    # Pages rendered with page.html links are built that way.
    assert diplokb(project, "render", "--no-directory-urls", "--out", str(out)).returncode == 0
    cfg = read_mkdocs_yml(out / "mkdocs.yml")
    assert cfg is not None and cfg["use_directory_urls"] is False
    assert 'href="topics/peacekeeping.html"' in (out / "docs/graph.md").read_text(encoding="utf-8")
    res = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(out / "mkdocs.yml")],
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert res.returncode == 0, res.stderr
    assert (out / "site/topics/peacekeeping.html").is_file() and (out / "site/graph.html").is_file()
