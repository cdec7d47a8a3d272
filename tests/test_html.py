"""Generated pages as HTML and a table of contents, made once: Python-Markdown is not run on them.

The export writes the same blocks as Markdown (headings with ``{#id}``, the rest raw HTML); what
Python-Markdown makes of that is, byte for byte, the HTML the plugin hands MkDocs."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import markdown
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown.extensions.toc import slugify_unicode

from diplokb.pipeline import run
from diplokb.render.markup import Heading, Page, esc, para, ul

from .conftest import CONTENT, SEEDS, copy_project


def convert(page: Page) -> tuple[str, list[tuple[int, str, str]]]:
    """The page's Markdown as the export's plain MkDocs build converts it (the project's extensions)."""
    md = markdown.Markdown(
        extensions=["attr_list", "md_in_html", "tables", "toc"],
        extension_configs={"toc": {"permalink": True, "slugify": slugify_unicode}},
    )
    body = page.markdown().split("\n---\n", 1)[1]
    out = md.convert(body)

    def flat(tokens: list[dict[str, Any]]) -> list[tuple[int, str, str]]:
        return [x for t in tokens for x in [(t["level"], t["id"], t["name"]), *flat(t["children"])]]

    return out, flat(md.toc_tokens)


def test_every_seed_page_is_what_markdown_makes_of_its_export() -> None:
    result = run(CONTENT, SEEDS)
    assert len(result.pages) > 30
    for path, page in result.pages.items():
        body, toc = convert(page)
        assert page.html() == body, path
        assert [(t.level, t.id, t.title) for t in page.toc()] == toc, path
        assert page.anchors() >= {t.id for t in page.toc()}


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(title=_TEXT, heading=_TEXT, text=_TEXT)
@example(title="0", heading="_0_", text="0")  # the id "_0_" written as {#_0_} read as emphasis
def test_hostile_text_same_in_html_and_markdown(title: str, heading: str, text: str) -> None:
    """Headings get the ids the toc extension gives them, and any text stays text, in both forms."""
    if not title.strip() or not heading.strip():
        return
    page = Page.of("p.md", title, text, [Heading(1, title), para(esc(text)), Heading(2, heading), ul([esc(text)]), Heading(2, heading)])
    body, toc = convert(page)
    assert page.html() == body
    assert [(t.level, t.id, t.title) for t in page.toc()] == toc
    visible = html.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<a class="headerlink"[^>]*>&para;</a>', "", body)))
    assert " ".join(text.split()) in visible


def test_plugin_build_runs_markdown_only_on_hand_written_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plugin build converts the hand-written pages; generated pages arrive as HTML with their toc."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = copy_project(tmp_path / "p")
    converted: list[str] = []
    real = markdown.Markdown.convert

    def spy(self: markdown.Markdown, source: str) -> str:
        converted.append(source)
        return real(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", spy)
    monkeypatch.chdir(project)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    cfg = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    hand_written = sorted((project / "content" / "pages").rglob("*.md"))
    assert len(converted) == len(hand_written) >= 1
    site = tmp_path / "site"
    topic = (site / "topics" / "peacekeeping" / "index.html").read_text(encoding="utf-8")
    assert '<h2 data-search-exclude id="case-studies">Case studies<a class="headerlink" href="#case-studies"' in topic
    assert '<a href="#case-studies" class="md-nav__link">' in topic  # the table of contents, from the pipeline
    assert "<title>Peacekeeping - " in topic


def test_links_resolve_without_directory_urls(tmp_path: Path) -> None:
    """With ``use_directory_urls: false`` (as the offline build has it) every link of a generated page
    reaches an existing file and id: the pipeline makes the URLs, MkDocs no longer rewrites them."""
    from .conftest import mkdocs

    project = copy_project(tmp_path / "p")
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "\nuse_directory_urls: false\n", encoding="utf-8")
    res = mkdocs(project, "build", "--strict", "-d", "site")
    assert res.returncode == 0, res.stderr
    site = project / "site"
    ids: dict[Path, set[str]] = {}
    checked = 0
    for page in sorted(site.glob("**/*.html")):
        if page.name == "404.html":  # MkDocs' own page, with site-absolute links
            continue
        text = page.read_text(encoding="utf-8")
        article = text[text.find("<article") : text.find("</article>")]
        for href in re.findall(r'href="([^"]+)"', article):
            if href.startswith(("http:", "https:", "mailto:", "data:")) or href == "#":
                continue
            path, _, anchor = href.partition("#")
            target = (page.parent / path).resolve() if path else page
            assert target.is_file(), f"{page.relative_to(site)}: {href}"
            if anchor:
                if target not in ids:
                    ids[target] = set(re.findall(r'\sid="([^"]+)"', target.read_text(encoding="utf-8")))
                assert anchor in ids[target], f"{page.relative_to(site)}: {href}"
            checked += 1
    assert checked > 500


@pytest.mark.parametrize("title", ["Plain", "𝔘nicode and 😀", 'Quotes " and \\ backslash', "é, ü and ß", "<script>x</script>"])
def test_export_front_matter_keeps_every_title(title: str) -> None:
    """The export's front matter gives MkDocs the page's title and description back, astral characters included."""
    from mkdocs.utils.meta import get_data

    page = Page.of("topics/x.md", title, f"About {title}", [para("text")])
    _, meta = get_data(page.markdown())
    assert meta == page.meta()
