"""The MkDocs navigation and the file behind each generated page (for "Edit this page")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..stages.link import KnowledgeBase
from ..urls import (
    ACTORS,
    BIBLIOGRAPHY,
    BROWSE,
    CASE_INDEX,
    ESSAY_INDEX,
    GRAPH,
    HOME,
    MAP,
    TIMELINE,
    TOPIC_INDEX,
    case_page,
    essay_page,
    topic_page,
)
from .markup import attr
from .scale import nav_section


def nav(kb: KnowledgeBase) -> list[Any]:
    """MkDocs ``nav`` with explicit, HTML-escaped titles (MkDocs templates do not escape them).

    Explicit titles also keep the navigation right in dirty rebuilds, where MkDocs does not read
    the pages it skips.
    """

    def item(page: str) -> dict[str, str]:
        return {attr(kb.targets[page].title): page}

    return [
        item(HOME),
        {"Topics": [item(x) for x in nav_section(TOPIC_INDEX, [topic_page(t.slug) for t in kb.topics])]},
        {"Essays": [item(x) for x in nav_section(ESSAY_INDEX, [essay_page(e.slug) for e in kb.essays])]},
        {"Case studies": [item(CASE_INDEX), item(BROWSE), item(TIMELINE), item(BIBLIOGRAPHY)]},
        item(ACTORS),
        item(MAP),
        item(GRAPH),
    ]


def reading_chains(kb: KnowledgeBase) -> list[list[str]]:
    """Pages read one after another that the navigation leaves out past ``NAV_ITEMS_MAX`` (the essays,
    the topics), each chain led by its index page: they get previous and next links of their own."""
    out = []
    for index, pages in ((TOPIC_INDEX, [topic_page(t.slug) for t in kb.topics]), (ESSAY_INDEX, [essay_page(e.slug) for e in kb.essays])):
        if nav_section(index, pages) == [index] and pages:
            out.append([index, *pages])
    return out


def listed(site_nav: list[Any]) -> set[str]:
    """Every page a navigation lists."""
    out: set[str] = set()
    for entry in site_nav:
        for v in entry.values() if isinstance(entry, dict) else [entry]:
            if isinstance(v, list):
                out |= listed(v)
            elif isinstance(v, str):
                out.add(v)
    return out


def hidden_pages(pages: Iterable[str], site_nav: list[Any] | None) -> list[str]:
    """Generated pages left out of the navigation on purpose, so MkDocs does not warn about them:
    case studies (reached from their topics) and, past ``NAV_ITEMS_MAX``, the essays and topics
    (reached from their index pages). ``site_nav`` is the plugin's navigation, None under another."""
    shown = listed(site_nav) if site_nav is not None else None
    return sorted(
        p
        for p in pages
        if p.endswith(".md")
        and not p.endswith("index.md")
        and (p not in shown if shown is not None else p.startswith(("case-studies/", "actors/", "places/")))
    )


def page_sources(kb: KnowledgeBase) -> dict[str, str]:
    """The file an editor changes to change each generated page: a topic's YAML file, an essay's text.

    A case study is written in the topic file that holds it. Index pages, the actors page and the
    graph are made from everything, so they have none."""
    out = {topic_page(t.slug): t.path for t in kb.topics}
    out.update({essay_page(e.slug): e.path for e in kb.essays})
    out.update({case_page(c.id): c.path for c in kb.cases.values()})
    out.update({e.page: e.info.path for e in kb.entities.values() if e.info is not None})  # described in the entities file
    return {k: v for k, v in out.items() if v}
