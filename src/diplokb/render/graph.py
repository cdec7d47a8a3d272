"""The knowledge graph, drawn at build time as an HTML matrix (no script, nothing fetched).

A drawing of every node and edge becomes a tangle with small labels long before the knowledge
base is large. The graph here is its adjacency matrix against the topics instead: one column per
topic, one row per essay, case study, actor and place (each thing once, each a link), and in each
cell how that thing connects to that topic. Text stays at body size, rows wrap on a phone, and
what connects to several topics shows as a row with several marks.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from ..stages.link import KnowledgeBase
from ..urls import case_page, essay_page, topic_page

_SR = '<span class="kb-sr">{}</span>'


def _count_cell(n: int, what: str, colour: str) -> str:
    if not n:
        return "<td></td>"
    level = 1 if n == 1 else 2 if n <= 3 else 3
    return f'<td><span class="kb-m kb-m{level} kb-c" style="{colour}">{n}</span>{_SR.format(html.escape(what))}</td>'


# The legend's marks take a grey of their own: no topic's colour, the same contrast rules (render.colours).
_LEGEND_COLOUR = "--kb-cl:#5f6368;--kb-cd:#9aa0a6"


def legend_html() -> str:
    """What the matrix's marks mean, each shown as it looks there."""

    def mark(level: int, text: str) -> str:
        return f'<span class="kb-m kb-m{level} kb-c" style="{_LEGEND_COLOUR}" aria-hidden="true">{text}</span>'

    items = [
        f"{mark(3, '●')} the case study's main topic; {mark(1, '○')} another of its topics",
        f"{mark(1, '1')} one passage of the essay, or one case study of the actor or place, under the topic",
        f"{mark(2, '3')} more than one: the number says how many",
    ]
    return '<ul class="kb-legend" aria-label="What the marks mean" data-search-exclude>' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def matrix_html(kb: KnowledgeBase, url: Callable[[str], str], colour_of: Callable[[str], str]) -> str:
    """The topics (columns) against the essays, case studies, actors and places (rows)."""
    e = html.escape
    topics = kb.topics
    colour = {t.slug: colour_of(t.slug) for t in topics}
    n = len(topics) + 1
    out = [
        f'<div class="kb-matrix-box" data-search-exclude><table class="kb-matrix"><caption>{e("Topics and what connects to them")}</caption>'
    ]
    head = "".join(
        f'<th scope="col"><a href="{e(url(topic_page(t.slug)))}"><span class="kb-swatch kb-c" style="{colour[t.slug]}"></span>{e(t.title)}</a></th>'
        for t in topics
    )
    out.append(f'<thead><tr><td class="kb-matrix-corner"></td>{head}</tr></thead>')

    def group(title: str, rows: list[str]) -> None:
        if rows:
            out.append(f'<tbody><tr class="kb-matrix-group"><th colspan="{n}" scope="colgroup">{e(title)}</th></tr>{"".join(rows)}</tbody>')

    rows: list[str] = []
    for es in kb.essays:
        filed = {t.slug: 0 for t in topics}
        for f in kb.routing.filings[es.slug]:
            for s in f.topics:
                filed[s] += 1
        cells = "".join(_count_cell(filed[t.slug], f"{filed[t.slug]} passages on {t.title}", colour[t.slug]) for t in topics)
        rows.append(f'<tr><th scope="row"><a href="{e(url(essay_page(es.slug)))}">{e(kb.essay_title(es))}</a></th>{cells}</tr>')
    group("Essays: passages on each topic", rows)

    rows = []
    for c in sorted(kb.cases.values(), key=lambda c: (list(colour).index(c.topics[0]), c.name.casefold())):
        marks = []
        for t in topics:
            if t.slug not in c.topics:
                marks.append("<td></td>")
            elif t.slug == c.topics[0]:
                marks.append(
                    f'<td><span class="kb-m kb-m3 kb-c" style="{colour[t.slug]}" aria-hidden="true">●</span>{_SR.format("main topic")}</td>'
                )
            else:
                marks.append(
                    f'<td><span class="kb-m kb-m1 kb-c" style="{colour[t.slug]}" aria-hidden="true">○</span>{_SR.format("also under this topic")}</td>'
                )
        rows.append(f'<tr><th scope="row"><a href="{e(url(case_page(c.id)))}">{e(c.name)}</a></th>{"".join(marks)}</tr>')
    group("Case studies: ● main topic, ○ also under the topic", rows)

    for kind, title in (("actor", "Actors"), ("place", "Places")):
        rows = []
        for ent in sorted((x for x in kb.entities.values() if x.kind == kind), key=lambda x: x.name.casefold()):
            per = {t.slug: sum(1 for cid in ent.cases if t.slug in kb.cases[cid].topics) for t in topics}
            cells = "".join(_count_cell(per[t.slug], f"{per[t.slug]} case studies under {t.title}", colour[t.slug]) for t in topics)
            rows.append(f'<tr><th scope="row"><a href="{e(url(ent.page))}">{e(ent.name)}</a></th>{cells}</tr>')
        group(f"{title}: case studies under each topic", rows)
    out.append("</table></div>")
    return "".join(out)
