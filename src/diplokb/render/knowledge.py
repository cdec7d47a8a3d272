"""``knowledge.json``: the knowledge base for machines, built from what the stages returned."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..cache import BuildCache
from ..stages.link import KnowledgeBase
from ..stages.route import Filing, confidence
from ..urls import case_page, essay_page, site_url, topic_page, url_of
from .markup import Page


def knowledge_json(
    kb: KnowledgeBase, pages: Sequence[Page], directory_urls: bool = True, cache: BuildCache | None = None
) -> dict[str, Any]:
    """The machine-readable export: what the stages returned, and the links the pages made.

    With a ``cache``, each part whose inputs are the same objects as last time (or equal) is reused."""
    cache = cache if cache is not None else BuildCache()
    d = directory_urls
    return {
        "essays": cache.stage("json essays", (kb.essays, kb.meta, kb.section_anchor, kb.routing, d), lambda: _essays(kb, d)),
        "topics": _topics(kb, d),
        "case_studies": cache.stage("json cases", (list(kb.cases.values()), d), lambda: _cases(kb, d)),
        "anchors": cache.stage("json anchors", (kb.targets, d), lambda: _anchors(kb, d)),
        "links": cache.stage("json links", ([(pg.path, pg.links) for pg in pages], d), lambda: _links(pages, d)),
    }


def _essays(kb: KnowledgeBase, directory_urls: bool) -> list[dict[str, Any]]:
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
                        **_filing(kb.routing.filings[e.slug][i]),
                        **({"inferred": True} if s.inferred else {}),
                    }
                    for i, s in enumerate(e.sections)
                ],
            }
        )
    return essays


def _filing(f: Filing) -> dict[str, Any]:
    """How sure the filing is: decided by an editor, the router's, or under review (then on its essay page only)."""
    return {
        "filing": f.state,
        "confidence": {t: {"decision": state, "reason": why} for t, (state, why) in confidence(f).items()},
    }


def _topics(kb: KnowledgeBase, directory_urls: bool) -> list[dict[str, Any]]:
    def u(page: str) -> str:
        return url_of(page, directory_urls)

    return [
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


def _cases(kb: KnowledgeBase, directory_urls: bool) -> list[dict[str, Any]]:
    def u(page: str) -> str:
        return url_of(page, directory_urls)

    return [
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


def _links(pages: Sequence[Page], directory_urls: bool) -> list[dict[str, str]]:
    def u(page: str) -> str:
        return url_of(page, directory_urls)

    links = []
    seen: set[tuple[str, str]] = set()
    for pg in pages:
        for key in pg.links:
            pair = (u(pg.path), site_url(key, directory_urls))
            if pair not in seen:
                seen.add(pair)
                links.append({"from": pair[0], "to": pair[1]})
    return links


def _anchors(kb: KnowledgeBase, directory_urls: bool) -> list[dict[str, str]]:
    def u(page: str) -> str:
        return url_of(page, directory_urls)

    return [{"url": u(t.page) + (f"#{t.anchor}" if t.anchor else ""), "title": t.title, "kind": t.kind} for t in kb.targets.values()]
