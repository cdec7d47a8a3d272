"""Make ``src/diplokb/render/world.json``, the map's country outlines, from Natural Earth's 1:110m countries.

Run once when the geometry is updated, not at build time::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m diplokb.render.make_world_map package/countries-110m.json

``world-atlas`` 2.0.2 (npm, ISC licence) is Natural Earth 4.1.0's Admin 0 countries at 1:110m (public
domain) as TopoJSON. This script decodes its arcs, projects them equirectangularly (longitude and
latitude as x and y: no library, and a place's coordinates land where a reader expects), rounds them to
a grid of ``1 / SCALE`` degrees and writes each country as an SVG path with relative moves, so the whole
map stays well under 150 kB. Antarctica is left out (no case study is set there; it would take a fifth
of the height). Borders, and which territories count as countries, are Natural Earth's.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path
from typing import Any

SCALE = 3  # SVG units per degree
NORTH, SOUTH = 84.0, -57.0  # latitudes kept: the inhabited world, without Antarctica
OUT = Path(__file__).resolve().parent / "world.json"

# Natural Earth abbreviates some names; these are the names case studies write.
ALSO = {
    "United States of America": ["United States", "USA", "U.S.", "US"],
    "Dem. Rep. Congo": ["Democratic Republic of the Congo", "DR Congo", "DRC", "Congo-Kinshasa"],
    "Congo": ["Republic of the Congo", "Congo-Brazzaville"],
    "Central African Rep.": ["Central African Republic"],
    "S. Sudan": ["South Sudan"],
    "Bosnia and Herz.": ["Bosnia and Herzegovina", "Bosnia"],
    "Dominican Rep.": ["Dominican Republic"],
    "Eq. Guinea": ["Equatorial Guinea"],
    "Solomon Is.": ["Solomon Islands"],
    "Falkland Is.": ["Falkland Islands"],
    "W. Sahara": ["Western Sahara"],
    "N. Cyprus": ["Northern Cyprus"],
    "Macedonia": ["North Macedonia"],
    "Côte d'Ivoire": ["Ivory Coast", "Cote d'Ivoire"],
    "eSwatini": ["Eswatini", "Swaziland"],
    "Czechia": ["Czech Republic"],
    "Timor-Leste": ["East Timor"],
    "Myanmar": ["Burma"],
    "Russia": ["Russian Federation"],
    "South Korea": ["Republic of Korea"],
    "North Korea": ["Democratic People's Republic of Korea", "DPRK"],
    "United Kingdom": ["UK", "Britain", "Great Britain"],
    "Fr. S. Antarctic Lands": ["French Southern and Antarctic Lands"],
}


def arcs_of(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:  # delta-encoded, quantised
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def ring(arcs: list[list[tuple[float, float]]], ids: list[int]) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for i in ids:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(arc if not pts else arc[1:])  # each arc starts where the last ended
    return pts


def project(lon: float, lat: float) -> tuple[int, int]:
    lat = min(max(lat, SOUTH), NORTH)
    return round((lon + 180) * SCALE), round((NORTH - lat) * SCALE)


def label_point(rings: list[list[tuple[float, float]]]) -> list[float]:
    """The area centroid of the largest ring, in degrees [longitude, latitude]: where a point or label goes."""

    def area_centroid(r: list[tuple[float, float]]) -> tuple[float, float, float]:
        a = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(r, r[1:] + r[:1], strict=True):
            f = x0 * y1 - x1 * y0
            a, cx, cy = a + f, cx + (x0 + x1) * f, cy + (y0 + y1) * f
        return (abs(a) / 2, cx / (3 * a), cy / (3 * a)) if a else (0.0, r[0][0], r[0][1])

    # A ring crossing the antimeridian (Russia, Fiji): its centroid with the western longitudes moved past 180.
    _a, lon, lat = max((area_centroid(unwrap(r)) for r in rings), key=lambda t: t[0])
    lon = lon - 360 if lon > 180 else lon
    return [round(lon, 2), round(lat, 2)]


def unwrap(r: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring that crosses the antimeridian (Russia's east, Fiji) with its western longitudes moved past 180."""
    xs = [x for x, _y in r]
    return [(x + 360 if x < 0 else x, y) for x, y in r] if max(xs) - min(xs) > 180 else r


def split_rings(rings: list[list[tuple[float, float]]]) -> list[list[tuple[float, float]]]:
    """Each ring once; one crossing the antimeridian drawn twice, unwrapped and moved 360 degrees west, so that
    the map's edges (the SVG's view box) cut it at 180 on both sides."""
    out = []
    for r in rings:
        u = unwrap(r)
        out.append(u)
        if u is not r:
            out.append([(x - 360, y) for x, y in u])
    return out


def path(rings: list[list[tuple[float, float]]]) -> tuple[str, list[int]]:
    parts = []
    xs, ys = [], []
    for r in split_rings(rings):
        pts = [project(*p) for p in r]
        pts = [p for n, p in enumerate(pts) if n == 0 or p != pts[n - 1]]  # drop repeats the grid made
        if len(pts) < 4 and len(set(pts)) < 3:
            continue  # a speck smaller than the grid
        x0, y0 = pts[0]
        moves = [f"M{x0} {y0}"]
        rel = []
        for (ax, ay), (bx, by) in itertools.pairwise(pts):
            rel.append(f"{bx - ax} {by - ay}")
        moves.append("l" + " ".join(rel) + "z")
        parts.append("".join(moves).replace(" -", "-"))
        xs += [p[0] for p in pts]
        ys += [p[1] for p in pts]
    box = [max(min(xs), 0), min(ys), min(max(xs), 360 * SCALE), max(ys)] if xs else []
    return "".join(parts), box


def main(src: str) -> None:
    topo = json.loads(Path(src).read_text(encoding="utf-8"))
    arcs = arcs_of(topo)
    countries = []
    for g in topo["objects"]["countries"]["geometries"]:
        name = g["properties"]["name"]
        if name == "Antarctica":
            continue
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        rings = [ring(arcs, r) for poly in polys for r in poly]
        d, box = path(rings)
        if d:
            countries.append({"name": name, "also": ALSO.get(name, []), "d": d, "box": box, "centre": label_point(rings)})
    countries.sort(key=lambda c: c["name"])
    data = {
        "source": "Natural Earth 4.1.0, Admin 0 countries, 1:110m (public domain), from the npm package world-atlas 2.0.2",
        "projection": "equirectangular",
        "scale": SCALE,
        "north": NORTH,
        "south": SOUTH,
        "width": 360 * SCALE,
        "height": round((NORTH - SOUTH) * SCALE),
        "countries": countries,
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {OUT.stat().st_size} bytes, {len(countries)} countries")


if __name__ == "__main__":
    main(sys.argv[1])
