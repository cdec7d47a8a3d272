"""The exports beside ``knowledge.json``: case studies as CSV and places as GeoJSON, all references as CSL-JSON.

Each is made from what the stages returned and written with the standard library's ``csv`` and
``json``; README.md lists their columns and fields.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..stages.link import KnowledgeBase
from ..urls import case_page, url_of
from . import mapsvg
from .browse import EXPORT_REFERENCES
from .cite import SiteInfo, reference_item

EXPORT_CASES = "exports/case-studies.csv"
EXPORT_PLACES = "exports/places.geojson"
CASE_COLUMNS = ("id", "name", "url", "years", "ongoing", "as_of", "places", "actors", "topics", "essay", "references")


DOWNLOADS = (EXPORT_CASES, EXPORT_PLACES, EXPORT_REFERENCES)  # the files :func:`downloads` makes


def downloads(kb: KnowledgeBase, site: SiteInfo, directory_urls: bool = True) -> dict[str, str]:
    """The export files (:data:`DOWNLOADS`): site path -> text."""
    made = {
        EXPORT_CASES: cases_csv(kb, site, directory_urls),
        EXPORT_PLACES: json.dumps(places_geojson(kb, site, directory_urls), ensure_ascii=False, indent=1) + "\n",
        EXPORT_REFERENCES: json.dumps(references_csl(kb), ensure_ascii=False, indent=1) + "\n",
    }
    return {path: made[path] for path in DOWNLOADS}


# A cell a spreadsheet would read as a formula (OWASP, "CSV Injection"): it starts with one of these.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(text: str) -> str:
    """A cell no spreadsheet runs: one starting with ``=``, ``+``, ``-``, ``@``, a tab or a line break gets a leading ``'``."""
    return "'" + text if text.startswith(FORMULA_START) else text


def cases_csv(kb: KnowledgeBase, site: SiteInfo, directory_urls: bool = True) -> str:
    """One row a case study; lists (places, actors, topics, reference addresses) joined with "; ". Cells go through
    :func:`csv_cell`, so a name written as a formula stays text in a spreadsheet."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CASE_COLUMNS)
    for c in sorted(kb.cases.values(), key=lambda c: c.id):
        w.writerow(
            csv_cell(cell)
            for cell in [
                c.id,
                c.name,
                site.page_url(url_of(case_page(c.id), directory_urls)),
                c.years,
                "yes" if c.ongoing else "no",
                c.as_of,
                "; ".join(c.places),
                "; ".join(c.actors),
                "; ".join(c.topics),
                c.source.essay if c.source else "",
                "; ".join(ref.url for ref in c.references),
            ]
        )
    return buf.getvalue()


def places_geojson(kb: KnowledgeBase, site: SiteInfo, directory_urls: bool = True) -> dict[str, Any]:
    """A FeatureCollection of Points: each place with coordinates (the entities file's, or its country's centre on the map)."""
    features = []
    for ent in sorted(kb.entities.values(), key=lambda e: e.name.casefold()):
        if not ent.as_place:
            continue
        if ent.info is not None and ent.info.point is not None:
            lat, lon = ent.info.point
            how = "given"
        else:
            s = mapsvg.spot(ent)
            if s is None or s.country is None:
                continue
            lon, lat = s.country["centre"]
            how = "country centre"
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "name": ent.name,
                    "url": site.page_url(url_of(ent.page, directory_urls)),
                    "position": how,
                    "case_studies": sorted(ent.as_place),
                    **({"wikidata": ent.info.wikidata} if ent.info is not None and ent.info.wikidata else {}),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def references_csl(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """Every reference once (same address and title) as CSL-JSON, with the case studies citing it in ``note``."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for c in sorted(kb.cases.values(), key=lambda c: c.id):
        for ref in c.references:
            item = seen.get((ref.url, ref.title))
            if item is None:
                item = seen[(ref.url, ref.title)] = reference_item(ref, f"ref-{len(seen) + 1}")
                item["note"] = ""
            item["note"] = "; ".join(x for x in (item["note"], f"cited in: {c.name}") if x)
    return list(seen.values())
