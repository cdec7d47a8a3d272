"""What the built pages say to readers: no editor internals, an edit action for editors, a lean search index."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import copy_project

pytestmark = pytest.mark.slow

# What only an editor of the repository would understand: file paths, line numbers, YAML fields,
# pointers to the README, instructions to edit files.
INTERNALS = [
    (re.compile(r"\b(?:seeds|content|docs)/\S"), "a file path"),
    (re.compile(r"\.(?:ya?ml|txt|md|json)\b"), "a file name"),
    (re.compile(r"\blines? \d+", re.I), "a line number"),
    (re.compile(r"\bREADME\b"), "a pointer to the README"),
    (re.compile(r"\b[a-z]+_[a-z_]+\b|`"), "a YAML field or code"),
    (re.compile(r"\btopic file|\bYAML\b|\bfront matter\b", re.I), "an editor's word"),
    (re.compile(r"\b(?:add one|edit the|in the file|scrape)", re.I), "an editing instruction"),
]


class _ArticleText(HTMLParser):
    """The text a reader sees in a page's <article> (not in attributes, scripts or the SVG's hidden titles)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <article>
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        elif self.depth and tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1
        elif self.depth and tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.parts.append(data)


def article_text(html: str) -> str:
    p = _ArticleText()
    p.feed(html)
    return " ".join(" ".join(p.parts).split())


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def test_no_editor_internals_on_any_page(seed_site: Path) -> None:
    """No built page shows a reader file paths, line numbers, YAML fields or editing instructions."""
    pages = html_pages(seed_site)
    assert len(pages) > 20
    found = []
    for p in pages:
        html = p.read_text(encoding="utf-8")
        text = article_text(html)
        assert text, f"{p}: no article text"
        meta = " ".join(re.findall(r'<meta name="description" content="([^"]*)"', html))
        for pattern, what in INTERNALS:
            for where, t in (("text", text), ("description", meta)):
                m = pattern.search(t)
                if m:
                    found.append(f"{p.relative_to(seed_site)} ({where}): {what}: …{t[max(0, m.start() - 40) : m.end() + 40]}…")
    assert not found, "editor internals on public pages:\n  " + "\n  ".join(found)


def test_internals_pattern_catches_what_the_issue_saw() -> None:
    """The patterns above flag the sentences readers complained about (so the test above can fail)."""
    seen = [
        "No case study yet. Add one under `case_studies:` in `content/topics/attaches.yaml`.",
        "To add one, see the README: it is a few lines in a topic file.",
        "source file `seeds/military-diplomacy-and-foreign-relations.txt`",
        "3 scrape-debris lines left out (lines 41, 85, 131)",
        "From Essay › Section, line 44.",
        "Peacekeeping: listed in the topic file; 2 shared case studies",
    ]
    for s in seen:
        assert any(p.search(s) for p, _ in INTERNALS), s


# Editor-speak (issue 18): how the site was put together, said to a reader who came for its subject.
EDITOR_SPEAK = [
    (re.compile(r"\bfiled\b", re.I), "filing"),
    (re.compile(r"\b(?:chosen|arranged|picked) by (?:the|its) editors\b", re.I), "the editors' choices"),
    (re.compile(r"\btopic files?\b", re.I), "a topic file"),
    (re.compile(r"\bessay sections?\b|\b\d+ sections?\b", re.I), "a count of essay sections"),
    (re.compile(r"(?<!/)\bdiplokb\b(?!/)"), "the tool's name outside the footer credit"),
]


class _PageText(HTMLParser):
    """What a reader sees or hears: the text of <title> and <body> (not scripts, styles or drawings) and alt and aria-label texts."""

    SKIP = ("script", "style", "svg")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.credit: list[str] = []  # open elements of the footer's credit, which names the tool on purpose
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in self.SKIP:
            self.skip += 1
        if self.credit or "kb-credit" in (a.get("class") or "").split():
            self.credit.append(tag)
        elif not self.skip:
            self.parts += [str(a[k]) for k in ("alt", "aria-label") if a.get(k)]

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skip -= 1
        if self.credit and self.credit[-1] == tag:
            self.credit.pop()

    def handle_data(self, data: str) -> None:
        if not self.skip and not self.credit:
            self.parts.append(data)


def page_text(html: str) -> str:
    p = _PageText()
    p.feed(html)
    return " ".join(" ".join(p.parts).split())


def test_no_editor_speak_on_any_page(seed_site: Path) -> None:
    """No built page tells a reader what was filed where, what the editors chose, or how many essay sections there are."""
    found = []
    for p in html_pages(seed_site):
        html = p.read_text(encoding="utf-8")
        meta = " ".join(re.findall(r'<meta (?:name|property)="[^"]*description" content="([^"]*)"', html))
        for pattern, what in EDITOR_SPEAK:
            for where, t in (("text", page_text(html)), ("description", meta)):
                for m in pattern.finditer(t):
                    found.append(f"{p.relative_to(seed_site)} ({where}): {what}: …{t[max(0, m.start() - 50) : m.end() + 30]}…")
    assert not found, f"{len(found)} editor-speak on public pages:\n  " + "\n  ".join(found[:60])


@pytest.mark.parametrize(
    "seen",
    [
        "Every page here is built from 2 essays and arranged by its editors: essay sections are filed under topics",
        "Peacekeeping: chosen by the editors; 1 shared case study; 3 essay sections filed under both",
        "chosen by the editors of Soft power",
        "Filed under: Alliances",
        "18 sections",
        "diplokb · Military diplomacy",
    ],
)
def test_editor_speak_patterns_catch_what_the_issue_saw(seen: str) -> None:
    """Each phrase the issue quoted is caught (so the scan above can fail)."""
    assert any(p.search(seen) for p, _ in EDITOR_SPEAK)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as the Pages workflow builds it: SITE_URL and REPO_URL from the environment."""
    proj = copy_project(tmp_path_factory.mktemp("pub") / "kb")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "https://owner.github.io/kb/", "REPO_URL": "https://github.com/owner/kb"}
    env.pop("DIPLOKB_OFFLINE", None)
    res = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=proj, env=env, capture_output=True, text=True, timeout=300
    )
    assert res.returncode == 0, res.stderr
    return proj / "site"


def _edit_link(html: str) -> str | None:
    m = re.search(r'<a href="([^"]*)" title="Edit this page"', html)
    return m.group(1) if m else None


def test_edit_action_opens_the_file_behind_the_page(published: Path) -> None:
    """A topic page edits its YAML file, an essay its text, a case study the topic file holding it, About its Markdown."""
    k = json.loads((published / "knowledge.json").read_text(encoding="utf-8"))
    base = "https://github.com/owner/kb/edit/main/"
    want = {"about/": base + "content/pages/about.md"}
    for t in k["topics"]:
        want[t["url"]] = f"{base}content/topics/{t['slug']}.yaml"
    for e in k["essays"]:
        want[e["url"]] = f"{base}seeds/{e['slug']}.txt"
    for c in k["case_studies"]:
        home = next(t["slug"] for t in k["topics"] if any(x["url"] == c["url"] for x in t["case_studies"]) and t["slug"] == c["topics"][0])
        want[c["url"]] = f"{base}content/topics/{home}.yaml"
    for url, edit in want.items():
        html = (published / url / "index.html").read_text(encoding="utf-8")
        assert _edit_link(html) == edit, url
    proj = published.parent
    for edit in want.values():
        assert (proj / edit.removeprefix(base)).is_file(), edit
    for url in ("", "topics/", "essays/", "case-studies/", "actors/", "graph/"):
        assert _edit_link((published / url / "index.html").read_text(encoding="utf-8")) is None, f"{url}: made from everything, no one file"


def test_site_url_from_the_environment(published: Path, seed_site: Path) -> None:
    """Canonical links and the sitemap use the address the Pages workflow passes; a local build the serve address."""
    html = (published / "topics" / "peacekeeping" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://owner.github.io/kb/topics/peacekeeping/">' in html
    assert '<meta property="og:url" content="https://owner.github.io/kb/topics/peacekeeping/">' in html
    assert "<loc>https://owner.github.io/kb/</loc>" in (published / "sitemap.xml").read_text(encoding="utf-8")
    local = (seed_site / "topics" / "peacekeeping" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="http://127.0.0.1:8000/diplokb/topics/peacekeeping/">' in local
    assert _edit_link(local) is None, "no repository, no edit link"


def test_readme_offline_command_runs_as_written(project: Path) -> None:
    """The README's offline-copy command works in a checkout set up as the README says (mkdocs from .venv, not PATH)."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    m = re.search(r"`(DIPLOKB_OFFLINE=true [^`]+)`", readme)
    assert m, "no offline command in the README"
    cmd = m.group(1)
    assert cmd.split()[1] == ".venv/bin/mkdocs", "bare `mkdocs` is not on PATH after the README's setup"
    # The README's setup makes .venv with diplokb installed; here .venv/bin/mkdocs is this interpreter's MkDocs.
    venv_bin = project / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "mkdocs").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m mkdocs "$@"\n', encoding="utf-8")
    (venv_bin / "mkdocs").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("DIPLOKB_OFFLINE", "SITE_URL", "REPO_URL")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PATH"] = "/usr/bin:/bin"  # no mkdocs on the path
    res = subprocess.run(["sh", "-c", cmd], cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    out = project / cmd.split("-d", 1)[1].split()[0]
    assert (out / "index.html").is_file() and (out / "topics" / "peacekeeping.html").is_file(), "an offline copy with .html links"
