"""``knowledge.json``: the knowledge base for machines, built from what the stages returned."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .link import KnowledgeBase
from .markup import Page
from .urls import case_page, essay_page, site_url, topic_page, url_of


def knowledge_json(kb: KnowledgeBase, pages: Sequence[Page], directory_urls: bool = True) -> dict[str, Any]:
    """The machine-readable export: what the stages returned, and the links the pages made."""

    def u(page: str) -> str:
        return url_of(page, directory_urls)

    essays = []
    for e in kb.essays:
        essays.append(
            {
                "slug": e.slug,
                "title": kb.essay_title(e),
                "url": u(essay_page(e.slug)),
                "sections": [
                    {
                        "heading": s.heading,
                        "level": s.level,
                        "anchor": kb.section_anchor[(e.slug, i)],
                        "line": s.line,
                        "topics": kb.routing.topics_of(e.slug, i),
                        **({"inferred": True} if s.inferred else {}),
                    }
                    for i, s in enumerate(e.sections)
                ],
            }
        )
    topics = [
        {
            "slug": t.slug,
            "title": t.title,
            "url": u(topic_page(t.slug)),
            "summary": t.summary,
            "related": [{"slug": r.slug, "reasons": r.reasons} for r in kb.related[t.slug]],
            "case_studies": [{"name": c.name, "url": u(case_page(c.id))} for c in kb.cases_of[t.slug]],
        }
        for t in kb.topics
    ]
    cases = [
        {
            "id": c.id,
            "name": c.name,
            "url": u(case_page(c.id)),
            "years": c.years,
            "places": c.places,
            "actors": c.actors,
            "topics": c.topics,
            "as_of": c.as_of,
            "note": c.note,
            "source": {"essay": c.source.essay, "quote": c.source.quote, "line": c.source.line} if c.source else None,
            "references": [{"title": r.title, "publisher": r.publisher, "date": r.date, "url": r.url} for r in c.references],
        }
        for c in kb.cases.values()
    ]
    links = []
    seen: set[tuple[str, str]] = set()
    for pg in pages:
        for key in pg.links:
            pair = (u(pg.path), site_url(key, directory_urls))
            if pair not in seen:
                seen.add(pair)
                links.append({"from": pair[0], "to": pair[1]})
    anchors = [{"url": u(t.page) + (f"#{t.anchor}" if t.anchor else ""), "title": t.title, "kind": t.kind} for t in kb.targets.values()]
    return {"essays": essays, "topics": topics, "case_studies": cases, "anchors": anchors, "links": links}
