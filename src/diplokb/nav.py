"""The MkDocs navigation and the file behind each generated page (for "Edit this page")."""

from __future__ import annotations

from typing import Any

from .link import KnowledgeBase
from .markup import attr
from .urls import ACTORS, CASE_INDEX, ESSAY_INDEX, GRAPH, HOME, TIMELINE, TOPIC_INDEX, case_page, essay_page, topic_page


def nav(kb: KnowledgeBase) -> list[Any]:
    """MkDocs ``nav`` with explicit, HTML-escaped titles (MkDocs templates do not escape them).

    Explicit titles also keep the navigation right in dirty rebuilds, where MkDocs does not read
    the pages it skips.
    """

    def item(page: str) -> dict[str, str]:
        return {attr(kb.targets[page].title): page}

    return [
        item(HOME),
        {"Topics": [item(TOPIC_INDEX), *(item(topic_page(t.slug)) for t in kb.topics)]},
        {"Essays": [item(ESSAY_INDEX), *(item(essay_page(e.slug)) for e in kb.essays)]},
        {"Case studies": [item(CASE_INDEX), item(TIMELINE)]},
        item(ACTORS),
        item(GRAPH),
    ]


def page_sources(kb: KnowledgeBase) -> dict[str, str]:
    """The file an editor changes to change each generated page: a topic's YAML file, an essay's text.

    A case study is written in the topic file that holds it. Index pages, the actors page and the
    graph are made from everything, so they have none."""
    out = {topic_page(t.slug): t.path for t in kb.topics}
    out.update({essay_page(e.slug): e.path for e in kb.essays})
    out.update({case_page(c.id): c.path for c in kb.cases.values()})
    return {k: v for k, v in out.items() if v}
