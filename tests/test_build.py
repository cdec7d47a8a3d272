"""The real MkDocs + Material build with the diplokb plugin."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import DATA, mkdocs

pytestmark = pytest.mark.slow

TOPICS = ["alliances", "attaches", "nation-building", "peacekeeping", "soft-power"]
ESSAYS = ["military-diplomacy-and-foreign-relations", "military-diplomacy-and-nation-building"]


class _Attrs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(tag, name) for name, _ in attrs]


def attributes(html: str) -> list[tuple[str, str]]:
    """(tag, attribute name) of every real attribute in the document."""
    p = _Attrs()
    p.feed(html)
    return p.found


def live_scripts(html: str) -> list[str]:
    """The body of every script a browser would run. A JSON-LD block is data, not code: it counts as
    live only if it is not JSON or holds a `<` (with which its text could end the element)."""
    found = []
    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        if re.search(r"""type=["']?application/ld\+json""", attrs):
            try:
                json.loads(body)
            except ValueError:
                found.append(body)
                continue
            if "<" not in body:
                continue
        found.append(body)
    return found


def page(site: Path, rel: str) -> str:
    return (site / rel / "index.html").read_text(encoding="utf-8")


def test_seed_site_pages(seed_site: Path) -> None:
    """The strict build makes home, five topic pages, two essay pages, the case-study index and knowledge.json."""
    assert (seed_site / "index.html").is_file()
    for t in TOPICS:
        assert (seed_site / "topics" / t / "index.html").is_file()
    for e in ESSAYS:
        assert (seed_site / "essays" / e / "index.html").is_file()
    assert (seed_site / "case-studies" / "index.html").is_file()
    assert (seed_site / "actors" / "index.html").is_file()
    assert (seed_site / "graph" / "index.html").is_file()
    assert "<title>Attachés - " in page(seed_site, "topics/attaches")


def test_knowledge_json(seed_site: Path) -> None:
    """knowledge.json exports essays with anchored sections, topics with case studies, and links."""
    k = json.loads((seed_site / "knowledge.json").read_text(encoding="utf-8"))
    assert [e["slug"] for e in k["essays"]] == ESSAYS
    sec = k["essays"][0]["sections"][2]
    assert set(sec) >= {"heading", "level", "anchor", "line", "topics"}
    html = page(seed_site, "essays/" + ESSAYS[0])
    for s in k["essays"][0]["sections"]:
        assert f'id="{s["anchor"]}"' in html
    assert sorted(t["slug"] for t in k["topics"]) == TOPICS
    peace = next(t for t in k["topics"] if t["slug"] == "peacekeeping")
    assert {"name", "url"} <= set(peace["case_studies"][0])
    assert any(c["name"] == "KFOR in Kosovo" for c in peace["case_studies"])
    assert all(set(lk) == {"from", "to"} for lk in k["links"])
    assert {"from": "topics/peacekeeping/", "to": "case-studies/kfor-in-kosovo/"} in k["links"]


def test_topic_page_content(seed_site: Path) -> None:
    """A topic page has its summary, filed sections linking back to the exact essay place, case studies, related topics."""
    html = page(seed_site, "topics/peacekeeping")
    assert "Peacekeeping sends military forces to help countries move away from conflict" in html
    assert 'href="../../essays/military-diplomacy-and-foreign-relations/#military-diplomacy-and-peacekeeping-operations"' in html
    assert re.search(r'<p class="kb-from">In <a href="../../essays/[^"]+#[^"]+">', html), (
        "each excerpt names its essay, linking the section"
    )
    assert 'href="../../case-studies/kfor-in-kosovo/"' in html
    assert 'id="related-topics"' in html and 'href="../nation-building/"' in html
    assert '<meta name="description" content="Peacekeeping sends' in html


def test_essay_page_keeps_structure(seed_site: Path) -> None:
    """An essay page holds the full text with its headings, sub-sections, lists and filing notes."""
    html = page(seed_site, "essays/military-diplomacy-and-nation-building")
    assert re.search(r"<h2[^>]*>Tools of Military Diplomacy", html)
    assert re.search(r"<h3[^>]*>Defense Attachés", html)
    assert "<ol>" in html and "<li>Building Trust with Local Populations:" in html
    assert "Filed under:" in html
    for slug in ("military-diplomacy-and-nation-building", "military-diplomacy-and-foreign-relations"):  # the latter has 3 debris lines
        article = page(seed_site, f"essays/{slug}").split("<article", 1)[1].split("</article>", 1)[0]
        assert "See also" not in article and "peacekeeping" in article.lower()  # no dropped debris line anywhere in the essay


def test_docs_folder_untouched(seed_site: Path) -> None:
    """Generated pages live in memory: the docs folder holds only what people wrote."""
    docs = seed_site.parent / "content" / "pages"
    assert sorted(p.name for p in docs.rglob("*")) == ["about.md"]


def test_new_essay_appears(project: Path) -> None:
    """A third essay dropped into seeds/ appears parsed, routed and linked, with no code change."""
    for src in (DATA / "essays").glob("*.txt"):
        shutil.copy(src, project / "seeds" / src.name)
    res = mkdocs(project, "build", "--strict")
    assert res.returncode == 0, res.stderr
    site = project / "site"
    html = page(site, "essays/stabilisation-in-the-caribbean")
    assert "Stabilisation and Military Diplomacy in the Caribbean" in html
    assert 'id="lessons-from-haiti"' in html
    peace = page(site, "topics/peacekeeping")
    assert "essays/stabilisation-in-the-caribbean/#lessons-from-haiti" in peace
    assert "essays/defence-cooperation-in-the-pacific/#lessons-from-bougainville" in peace
    home = page(site, "")
    assert 'href="essays/defence-cooperation-in-the-pacific/"' in home


def test_new_topic_is_a_file(project: Path) -> None:
    """A new topic is a new YAML file: it gets a page, sections and navigation, no code or config change."""
    (project / "content/topics/training.yaml").write_text(
        "title: Military training\nsummary: Training partner forces. It builds capacity.\nterms: [joint exercise, training program, military training]\n"
        "related: [alliances, nation-building]\n",
        encoding="utf-8",
    )
    res = mkdocs(project, "build", "--strict")
    assert res.returncode == 0, res.stderr
    html = page(project / "site", "topics/training")
    assert "Military Training and Joint Exercises" in html
    assert 'href="../training/"' in page(project / "site", "topics/alliances")


def test_content_error_fails_before_site_is_touched(project: Path) -> None:
    """A broken topic file fails `mkdocs build` (strict or not) with file:line, and the last good site survives."""
    assert mkdocs(project, "build").returncode == 0
    marker = project / "site" / "index.html"
    before = marker.read_bytes()
    (project / "content/topics/alliances.yaml").write_text("title: A\nsummry: B\nterms: [x]\n", encoding="utf-8")
    for args in (["build"], ["build", "--strict"]):
        res = mkdocs(project, *args)
        assert res.returncode == 1
        assert "content/topics/alliances.yaml:2:1: summry: unknown field `summry`; did you mean `summary`?" in res.stderr
        assert "Traceback" not in res.stderr
    assert marker.read_bytes() == before


def test_hostile_yaml_is_text(project: Path) -> None:
    """A <script>, event handlers and Markdown link syntax in YAML fields reach the site as text only."""
    path = project / "content/topics/soft-power.yaml"
    text = path.read_text(encoding="utf-8")
    evil_title = "Soft </title><script>alert(1)</script> power"
    evil_summary = "<script>alert(1)</script><img src=x onerror=alert(1)> and [x](javascript:alert(1)) {: onclick=x } | #"
    text = text.replace("title: Soft power", f"title: {json.dumps(evil_title)}")
    text = text.replace("  - name: EUTM Mali", f"  - name: {json.dumps('EUTM ](javascript:alert(1)) [x] ]: | Mali')}", 1)
    text = re.sub(r"summary: >-\n(  .*\n)+?terms:", f"summary: {json.dumps(evil_summary)}\nterms:", text, count=1)
    path.write_text(text, encoding="utf-8")
    res = mkdocs(project, "build", "--strict")
    assert res.returncode == 0, res.stderr
    site = project / "site"
    for html_path in site.rglob("*.html"):
        html = html_path.read_text(encoding="utf-8")
        assert not any("alert(1)" in s for s in live_scripts(html)), html_path
        assert not [a for a in attributes(html) if a[1].startswith("on")], html_path
        assert "javascript:" not in " ".join(re.findall(r'href="([^"]*)"', html)), html_path
    topic = page(site, "topics/soft-power")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in topic
    case = page(site, "case-studies")
    assert "EUTM ](javascript:alert(1)) [x] ]: | Mali" in re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), case.replace("&amp;", "&"))
    rows = re.findall(r"<tr>(.*?)</tr>", case, flags=re.S)
    assert all(r.count("<td") in (0, 4) for r in rows)  # the '|' did not split a table cell


def test_odd_essays_warn_and_say_so(project: Path) -> None:
    """20/8. Empty and headings-only essays build with a clear warning and a page that says so; non-UTF-8 is an error."""
    seeds = project / "seeds"
    (seeds / "empty-essay.txt").write_text("", encoding="utf-8")
    (seeds / "only-headings.txt").write_text("A Title\n\nFirst Heading\n\nSecond Heading\n", encoding="utf-8")
    res = mkdocs(project, "build")
    assert res.returncode == 0, res.stderr
    assert "seeds/empty-essay.txt:1:1: essay has no paragraphs" in res.stderr
    assert "seeds/only-headings.txt:1:1: essay has no paragraphs" in res.stderr
    site = project / "site"
    assert "This essay has no text yet." in page(site, "essays/empty-essay")
    assert "(no text under this heading)" in page(site, "essays/only-headings")
    strict = mkdocs(project, "build", "--strict")
    assert strict.returncode == 1 and "essay has no paragraphs" in strict.stderr
    (seeds / "latin-one.txt").write_bytes(b"A Title\n\nSome caf\xe9 prose about peacekeeping missions.\n")
    res = mkdocs(project, "build")
    assert res.returncode == 1
    assert "seeds/latin-one.txt:3:9: byte 0xe9 at byte offset 17 is not UTF-8; save the essay as UTF-8" in res.stderr


def test_build_and_commands_never_rewrite_curated_files(project: Path, tmp_path: Path) -> None:
    """No build or read-only command changes a byte of content/ or seeds/."""
    from .conftest import diplokb

    def snapshot() -> dict[str, bytes]:
        return {
            p.relative_to(project).as_posix(): p.read_bytes() for d in ("content", "seeds") for p in (project / d).rglob("*") if p.is_file()
        }

    before = snapshot()
    assert mkdocs(project, "build", "--strict").returncode == 0
    for args in (
        ["check"],
        ["suggest"],
        ["render", "--out", str(tmp_path / "r")],
        ["parse", "seeds/military-diplomacy-and-nation-building.txt", "--json"],
    ):
        assert diplokb(project, *args).returncode == 0, args
    assert snapshot() == before


def test_compiled_templates_are_kept_between_builds_and_follow_edits(project: Path) -> None:
    """A build keeps compiled templates under .cache/diplokb; an edited template is compiled afresh."""
    overrides = project / "overrides"
    overrides.mkdir()
    marker = overrides / "main.html"
    marker.write_text('{% extends "base.html" %}{% block announce %}first version{% endblock %}', encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n  custom_dir: overrides\n", 1))
    assert mkdocs(project, "build", "--strict").returncode == 0
    kept = list((project / ".cache" / "diplokb").iterdir())
    assert len(kept) > 10, "the theme's compiled templates are kept"
    assert "first version" in page(project / "site", "topics/alliances")
    marker.write_text('{% extends "base.html" %}{% block announce %}second version{% endblock %}', encoding="utf-8")
    assert mkdocs(project, "build", "--strict").returncode == 0
    html = page(project / "site", "topics/alliances")
    assert "second version" in html and "first version" not in html


def test_an_unwritable_template_cache_costs_only_time(project: Path) -> None:
    """Where the template cache cannot be made, the build succeeds and writes the same site."""
    (project / ".cache").write_text("not a folder", encoding="utf-8")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "Alliances" in page(project / "site", "topics/alliances")


def test_a_build_reuses_the_compiled_theme(project: Path) -> None:
    """Templates compiled by one `mkdocs build` are read by the next from .cache/diplokb, and the site is the same."""
    cache = project / ".cache" / "diplokb"

    def build(site: str) -> dict[str, float]:
        res = mkdocs(project, "build", "--strict", "-d", site)
        assert res.returncode == 0, res.stderr
        return {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}

    first = build("one")
    assert len(first) > 20  # base.html, main.html, the partials...
    assert build("two") == first  # nothing compiled (or written) again
    one, two = project / "one", project / "two"
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files if f.suffix == ".html")
