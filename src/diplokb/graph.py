"""The knowledge graph, drawn at build time as inline SVG (no script, nothing fetched).

Nodes sit on concentric rings (essays, topics, case studies, actors and places) ordered so that
case studies sit near their topic and actors near their case studies; the rings widen with the
node count, so the drawing stays legible at ten times the seed size (it then scrolls).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass

from .link import ACTORS, KnowledgeBase, case_page, essay_page, topic_page

GAP = 26.0  # minimum distance between neighbours on a ring
LABEL_LIMIT = 120
FIT_LIMIT = 150  # graphs with more nodes than this keep their natural size inside a scrolling box  # rings with more nodes than this show names on hover only


@dataclass
class _Node:
    key: str
    label: str
    kind: str
    x: float = 0.0
    y: float = 0.0
    angle: float = 0.0


def _ring(nodes: list[_Node], radius: float) -> None:
    n = len(nodes)
    for i, node in enumerate(nodes):
        a = 2 * math.pi * i / max(n, 1) - math.pi / 2
        node.angle, node.x, node.y = a, radius * math.cos(a), radius * math.sin(a)


def _radius(n: int, base: float) -> float:
    return max(base, n * GAP / (2 * math.pi))


_R = {"topic": 9.0, "essay": 8.0, "case": 5.0, "actor": 4.0, "place": 4.0}


def _svg(nodes: list[_Node], edges: list[tuple[str, str]], url: Callable[[str], str], title: str, labels: dict[str, bool]) -> str:
    by = {n.key: n for n in nodes}
    pad = 150.0
    xs = [n.x for n in nodes] or [0.0]
    ys = [n.y for n in nodes] or [0.0]
    minx, maxx, miny, maxy = min(xs) - pad, max(xs) + pad, min(ys) - 40, max(ys) + 40
    w, h = maxx - minx, maxy - miny
    parts = [
        # Small graphs scale to the column; big ones keep their size and scroll, so labels stay readable.
        f'<div class="kb-graph"><svg xmlns="http://www.w3.org/2000/svg" viewBox="{minx:.0f} {miny:.0f} {w:.0f} {h:.0f}" '
        + (f'width="{w:.0f}" height="{h:.0f}"' if len(nodes) > FIT_LIMIT else 'width="100%"')
        + f' aria-label="{html.escape(title)}">',
        '<g class="kb-edges">',
    ]
    for a, b in edges:
        if a in by and b in by:
            parts.append(f'<line x1="{by[a].x:.1f}" y1="{by[a].y:.1f}" x2="{by[b].x:.1f}" y2="{by[b].y:.1f}"/>')
    parts.append("</g>")
    for n in nodes:
        label = html.escape(n.label)
        r = _R.get(n.kind, 4.0)
        parts.append(
            f'<a href="{html.escape(url(n.key))}" class="kb-node kb-{n.kind}" aria-label="{label} ({n.kind})">'
            f'<circle cx="{n.x:.1f}" cy="{n.y:.1f}" r="{r}"><title>{label}</title></circle>'
        )
        if labels.get(n.kind, True):
            right = math.cos(n.angle) >= -1e-9 if (n.x or n.y) else True
            anchor = "start" if right else "end"
            dx = r + 3 if right else -(r + 3)
            parts.append(f'<text x="{n.x + dx:.1f}" y="{n.y + 4:.1f}" text-anchor="{anchor}">{label}</text>')
        parts.append("</a>")
    parts.append("</svg></div>")
    return "".join(parts)


def site_graph_svg(kb: KnowledgeBase, url: Callable[[str], str]) -> str:
    """The whole knowledge base as one SVG."""
    topics = [_Node(topic_page(t.slug), t.title, "topic") for t in kb.topics]
    order = {t.slug: i for i, t in enumerate(kb.topics)}
    essays = [_Node(essay_page(e.slug), kb.essay_title(e), "essay") for e in kb.essays]
    cases_sorted = sorted(kb.cases.values(), key=lambda c: (order.get(c.topics[0], 0), c.name.casefold()))
    cases = [_Node(case_page(c.id), c.name, "case") for c in cases_sorted]
    r_essay = _radius(len(essays), 70)
    r_topic = _radius(len(topics), r_essay + 110)
    r_case = _radius(len(cases), r_topic + 120)
    _ring(essays, r_essay)
    _ring(topics, r_topic)
    _ring(cases, r_case)
    case_angle = {n.key: n.angle for n in cases}

    ents = []
    for k, ent in kb.entities.items():
        angles = [case_angle[case_page(c)] for c in ent.cases if case_page(c) in case_angle]
        mean = math.atan2(sum(math.sin(a) for a in angles), sum(math.cos(a) for a in angles)) if angles else 0.0
        ents.append((mean, _Node(f"{ACTORS}#{ent.anchor}", ent.name, ent.kind), k))
    ents.sort(key=lambda x: x[0])
    ent_nodes = [n for _a, n, _k in ents]
    _ring(ent_nodes, _radius(len(ent_nodes), r_case + 130))

    edges: list[tuple[str, str]] = []
    for e in kb.essays:
        for t in {t for f in kb.routing.filings[e.slug] for t in f.topics}:
            edges.append((essay_page(e.slug), topic_page(t)))
    for c in kb.cases.values():
        for t in c.topics:
            edges.append((case_page(c.id), topic_page(t)))
        if c.source is not None:
            edges.append((case_page(c.id), essay_page(c.source.essay)))
    for _a, n, k in ents:
        for c in kb.entities[k].cases:
            edges.append((n.key, case_page(c)))
    labels = {"case": len(cases) <= LABEL_LIMIT, "actor": len(ent_nodes) <= LABEL_LIMIT, "place": len(ent_nodes) <= LABEL_LIMIT}
    return _svg([*essays, *topics, *cases, *ent_nodes], edges, url, "Knowledge graph", labels)


def neighbourhood_svg(kb: KnowledgeBase, slug: str, url: Callable[[str], str]) -> str:
    """One topic, its related topics and its case studies."""
    t = kb.topic[slug]
    centre = _Node(topic_page(slug), t.title, "topic")
    related = [_Node(topic_page(r.slug), kb.topic[r.slug].title, "topic") for r in kb.related[slug]]
    cases = [_Node(case_page(c.id), c.name, "case") for c in kb.cases_of[slug]]
    _ring(related, _radius(len(related), 90))
    _ring(cases, _radius(len(cases), 190))
    for n in cases:  # offset half a step so case labels do not sit on topic labels
        n.angle += math.pi / max(len(cases), 1)
        r = math.hypot(n.x, n.y)
        n.x, n.y = r * math.cos(n.angle), r * math.sin(n.angle)
    edges = [(centre.key, n.key) for n in related + cases]
    return _svg([centre, *related, *cases], edges, url, f"Neighbourhood of {t.title}", {"case": len(cases) <= 40})
