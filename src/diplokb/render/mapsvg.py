"""The offline map: an SVG drawn at build time from Natural Earth's country outlines shipped in the package.

``world.json`` (made by ``make_world_map.py`` from Natural Earth 4.1.0's 1:110m countries,
public domain) holds each country's outline as an SVG path in an equirectangular projection, its
bounding box and a centre. No tiles, no script, no request: the map is part of the page. A place is
drawn as its country's outline when its name (or the entities file's ``country``) is a country of
the map, else as a labelled point where the entities file gives coordinates; a place with neither is
listed beside the map. Borders, and which territories are countries, are the data's own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from ..content.entities import fold_name
from ..stages.entities import Entity
from .markup import attr, esc


@cache  # package data that never changes while the program runs (not build state)
def world() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(files("diplokb.render").joinpath("world.json").read_text(encoding="utf-8"))
    data["by_name"] = {fold_name(n): c for c in data["countries"] for n in (c["name"], *c["also"])}
    return data


@dataclass(frozen=True)
class Spot:
    """Where an actor or place is on the map: a country's outline, or a point."""

    country: dict[str, Any] | None
    x: float
    y: float


def project(lat: float, lon: float) -> tuple[float, float]:
    w = world()
    lat = min(max(lat, w["south"]), w["north"])
    return round((lon + 180) * w["scale"], 1), round((w["north"] - lat) * w["scale"], 1)


def spot(ent: Entity) -> Spot | None:
    """The entity's place on the map: its point if the entities file gives one, else its country's outline."""
    info = ent.info
    if info is not None and info.point is not None:
        x, y = project(*info.point)
        return Spot(None, x, y)
    by_name = world()["by_name"]
    names = [info.country] if info is not None and info.country else [ent.name, *(info.aliases if info else ())]
    for n in names:
        c = by_name.get(fold_name(n))
        if c is not None:
            x, y = project(c["centre"][1], c["centre"][0])
            return Spot(c, x, y)
    return None


@dataclass(frozen=True)
class Mark:
    ent: Entity
    href: str
    label: str  # what the mark stands for ("Somalia: 2 case studies"); the list beside the map says it


def svg(marks: list[Mark], title: str, view: tuple[float, float, float, float] | None = None, labels: bool = True) -> str:
    """The world (or the part in ``view``: x, y, width, height) with every marked country shaded and linked
    and every marked point drawn and labelled. The SVG is hidden from screen readers, which get the list
    beside it; its links are out of the tab order for the same reason (the list has the same links). No
    ``<title>`` in it: the search indexer leaves a page holding one to Material's slower parser."""
    w = world()
    vx, vy, vw, vh = view if view is not None else (0, 0, w["width"], w["height"])
    shaded: dict[str, Mark] = {}
    points: list[tuple[Mark, Spot]] = []
    for m in marks:
        s = spot(m.ent)
        if s is None:
            continue
        if s.country is not None:
            shaded.setdefault(s.country["name"], m)
        else:
            points.append((m, s))

    def visible(c: dict[str, Any]) -> bool:
        x0, y0, x1, y1 = c["box"]
        return bool(x1 >= vx and x0 <= vx + vw and y1 >= vy and y0 <= vy + vh)

    land = "".join(c["d"] for c in w["countries"] if c["name"] not in shaded and visible(c))
    out = [
        f'<svg class="kb-map" viewBox="{vx:g} {vy:g} {vw:g} {vh:g}" xmlns="http://www.w3.org/2000/svg" '
        f'aria-hidden="true" focusable="false" preserveAspectRatio="xMidYMid meet">',
        f'<path class="kb-map-land" d="{land}"></path>',  # no "/>": the search indexer reads HTML, not XML
    ]
    for c in w["countries"]:
        on = shaded.get(c["name"])
        if on is not None and visible(c):
            out.append(f'<a href="{attr(on.href)}" tabindex="-1"><path class="kb-map-on" d="{c["d"]}"></path></a>')
    size = max(vw / 180, 1.2)
    for m, s in points:
        if not (vx <= s.x <= vx + vw and vy <= s.y <= vy + vh):
            continue
        label = (
            f'<text x="{s.x + size * 1.6:g}" y="{s.y + size * 1.2:g}" font-size="{size * 4:.1f}">{esc(m.ent.name)}</text>' if labels else ""
        )
        out.append(
            f'<a href="{attr(m.href)}" tabindex="-1" class="kb-map-point"><circle cx="{s.x:g}" cy="{s.y:g}" r="{size:.1f}"></circle>'
            f"{label}</a>"
        )
    out.append("</svg>")
    return "".join(out)


def around(s: Spot, min_width: float = 120) -> tuple[float, float, float, float]:
    """A view of the map around a spot: its country's box with a margin, at least ``min_width`` wide, 2:1."""
    w = world()
    if s.country is not None:
        x0, y0, x1, y1 = s.country["box"]
    else:
        x0 = x1 = s.x
        y0 = y1 = s.y
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    width = min(max((x1 - x0) * 1.6, (y1 - y0) * 3.2, min_width), w["width"])
    height = width / 2
    left = min(max(cx - width / 2, 0), w["width"] - width)
    top = min(max(cy - height / 2, 0), max(w["height"] - height, 0))
    return (round(left, 1), round(top, 1), round(width, 1), round(min(height, w["height"]), 1))


SOURCE_NOTE = (
    "Country outlines: Natural Earth (1:110m, public domain), drawn as the data draws them; "
    "borders and names on the map are the data's, not a statement of this site."
)
