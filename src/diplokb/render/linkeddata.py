"""schema.org JSON-LD for every page: what the page is about, for search engines and reference managers.

A topic or an essay is an ``Article``; a case study a ``WebPage`` whose main entity is an ``Event``
(its years, places and actors); an actor's page an ``Organization`` (or a ``Country``), a place's a
``Place`` (with its coordinates where the entities file gives them); any other page a ``WebPage``.
References are ``citation``\\ s. The JSON is user text inside a ``<script>`` element, so
:func:`script_json` writes ``<``, ``>`` and ``&`` as ``\\u`` escapes: no text can close the element.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..content.schema import Reference
from ..stages.entities import Entity
from ..text import YEAR, without_markers
from ..urls import url_of
from .context import Context
from .markup import Page

_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(data: dict[str, Any]) -> str:
    """JSON safe inside ``<script type="application/ld+json">``: nothing in it can end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _UNSAFE[m.group(0)], text)


def _citation(ref: Reference) -> dict[str, Any]:
    return {
        "@type": "CreativeWork",
        "name": ref.title,
        "publisher": {"@type": "Organization", "name": ref.publisher},
        "datePublished": ref.date,
        "url": ref.url,
    }


def _years(years: str) -> tuple[str, str]:
    found = YEAR.findall(years)
    start = found[0] if found else ""
    end = "" if years.rstrip().lower().endswith("present") else (found[-1] if len(found) > 1 else start)
    return start, end


def _entity_ref(r: Context, ent: Entity, page_url: str) -> dict[str, Any]:
    kind = "Place" if ent.kind == "place" else "Organization"
    out: dict[str, Any] = {"@type": kind, "name": ent.name, "url": page_url}
    if ent.info is not None and ent.info.wikidata:
        out["sameAs"] = f"https://www.wikidata.org/wiki/{ent.info.wikidata}"
    return out


def for_page(r: Context, page: Page, refs: list[Reference]) -> dict[str, Any]:
    """The JSON-LD object of one page (a ``WebPage`` or ``Article``, with its main entity where it has one)."""
    site, kb, path = r.site, r.kb, page.path
    url = site.page_url(url_of(path, r.directory_urls))
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article" if path.startswith(("topics/", "essays/")) and not path.endswith("index.md") else "WebPage",
        "name": page.title,
        "description": page.description.strip()[:300],
        "url": url,
        "inLanguage": site.language,
        "dateModified": site.date.isoformat(),
        "isPartOf": {"@type": "WebSite", "name": site.name, **({"url": site.url} if site.url else {})},
    }
    if data["@type"] == "Article":
        data["headline"] = page.title[:110]
        data["publisher"] = {"@type": "Organization", "name": site.name}

    def ent_url(e: Entity) -> str:
        return site.page_url(url_of(e.page, r.directory_urls))

    if path.startswith("case-studies/") and not path.endswith("index.md"):
        c = kb.cases.get(path.removeprefix("case-studies/").removesuffix(".md"))
        if c is not None:
            start, end = _years(c.years)
            event: dict[str, Any] = {"@type": "Event", "name": c.name, "description": without_markers(c.summary)[:500]}
            if start:
                event["startDate"] = start
            if end:
                event["endDate"] = end
            if c.places:
                event["location"] = [_entity_ref(r, kb.entity(x), ent_url(kb.entity(x))) | {"@type": "Place"} for x in c.places]
            if c.actors:
                event["contributor"] = [_entity_ref(r, kb.entity(x), ent_url(kb.entity(x))) for x in c.actors]
            data["mainEntity"] = event
    elif path.startswith(("actors/", "places/")) and not path.endswith("index.md"):
        ent = kb.entity_at.get(path)
        if ent is not None:
            main = _entity_ref(r, ent, url)
            if ent.info is not None and ent.info.description:
                main["description"] = ent.info.description
            if ent.info is not None and ent.info.point is not None:
                lat, lon = ent.info.point
                main["geo"] = {"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}
            data["mainEntity"] = main
    if refs:
        data["citation"] = [_citation(ref) for ref in refs]
    return data
