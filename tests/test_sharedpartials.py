"""Partials rendered once for the pages that show them the same way (sitepages.share_partials) give what each page would render."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.utils.templates import url_filter

from diplokb.site.pages import NAV_TEMPLATE, share_partials

# Links relative to the page (MkDocs' url filter), its mark in the navigation, and a count of renders.
NAV = """{% set _ = renders.append(page.url) %}<nav>{% for p in nav.pages %}<a href="{{ p.url | url }}"{% if p == page %} class="active"{% endif %}>{{ p.title }}</a>{% endfor %}</nav>"""
BASE = '{% include "partials/nav.html" %}'


def env() -> jinja2.Environment:
    e = jinja2.Environment(loader=jinja2.DictLoader({NAV_TEMPLATE: NAV, "base.html": BASE}))
    e.filters["url"] = url_filter
    return e


def page(url: str) -> Any:
    return types.SimpleNamespace(url=url, title=url or "Home", parent=None, active=True)


def test_pages_outside_the_navigation_share_it_per_folder() -> None:
    listed = [page(u) for u in ("", "topics/", "topics/a/", "case-studies/", "essays/e/", "essays/e/deep/")]
    nav = types.SimpleNamespace(pages=listed)
    others = [page(u) for u in ("case-studies/x/", "case-studies/y/", "essays/f/", "essays/e/", "old/p.html", "old/q.html")]
    others[3] = page("essays/e/")  # not the listed page object, but a listed page lies under its folder
    plain, shared = env(), env()
    cache = share_partials(shared)
    renders: list[str] = []
    for p in listed + others:
        want = plain.get_template("base.html").render(page=p, nav=nav, base_url=".", renders=[])
        assert shared.get_template("base.html").render(page=p, nav=nav, base_url=".", renders=renders) == want, p.url
    # Listed pages, the page with a listed page under its folder and the first of each folder rendered it.
    assert renders == [p.url for p in listed] + ["case-studies/x/", "essays/f/", "essays/e/", "old/p.html"]
    assert sorted(cache) == ["case-studies/*/", "essays/*/", "old/"]


def test_a_page_in_a_section_is_not_shared() -> None:
    section = types.SimpleNamespace(title="S")
    p, q = page("case-studies/x/"), page("case-studies/y/")
    p.parent = section  # listed under a section (its ancestors are marked active)
    nav = types.SimpleNamespace(pages=[])
    e, renders = env(), []
    share_partials(e)
    for x in (p, q, p):
        e.get_template("base.html").render(page=x, nav=nav, base_url=".", renders=renders)
    assert renders == ["case-studies/x/", "case-studies/y/", "case-studies/x/"]


def test_a_theme_without_the_partial_is_left_alone() -> None:
    assert share_partials(jinja2.Environment(loader=jinja2.DictLoader({"base.html": "x"}))) == {}


def test_the_search_box_renders_once() -> None:
    e = jinja2.Environment(loader=jinja2.DictLoader({"partials/search.html": "{% set _ = renders.append(1) %}<form>{{ label }}</form>"}))
    share_partials(e)
    renders: list[int] = []
    out = {e.get_template("partials/search.html").render(renders=renders, label="Search") for _ in range(3)}
    assert out == {"<form>Search</form>"} and renders == [1]


def test_another_theme_folder_shares_nothing(tmp_path: Path) -> None:
    """A custom_dir may override a partial with one that reads the page: then every page renders it."""
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "search.html").write_text("{% set _ = renders.append(1) %}{{ page.title }}", encoding="utf-8")
    e = jinja2.Environment(loader=jinja2.FileSystemLoader([str(tmp_path)]))
    assert share_partials(e, ("/nowhere/",)) == {}
    renders: list[int] = []
    out = [e.get_template("partials/search.html").render(renders=renders, page=page(u)) for u in ("a/", "b/")]
    assert out == ["a/", "b/"] and renders == [1, 1]
    known = jinja2.Environment(loader=jinja2.FileSystemLoader([str(tmp_path)]))
    share_partials(known, (str(tmp_path) + "/",))  # a folder it knows: shared
    for u in ("a/", "b/"):
        known.get_template("partials/search.html").render(renders=renders, page=page(u))
    assert renders == [1, 1, 1]


def test_an_icon_logo_renders_once_an_image_logo_per_page() -> None:
    logo = "{% set _ = renders.append(1) %}{% if config.theme.logo %}<img src='{{ config.theme.logo | url }}'>{% else %}icon{% endif %}"
    for theme, want in (
        ({"logo": ""}, ["icon", "icon"]),
        ({"logo": "img/seal.svg"}, ["<img src='../img/seal.svg'>", "<img src='../../img/seal.svg'>"]),
    ):
        e = jinja2.Environment(loader=jinja2.DictLoader({"partials/logo.html": logo}))
        e.filters["url"] = url_filter
        share_partials(e)
        renders: list[int] = []
        config = types.SimpleNamespace(theme=theme)
        got = [
            e.get_template("partials/logo.html").render(renders=renders, config=config, page=page(u), base_url=".") for u in ("a/", "b/c/")
        ]
        assert got == want and len(renders) == (1 if not theme["logo"] else 2)
