"""The site's own pages once the knowledge base is large (see :mod:`diplokb.render.scale`): summaries by topic.

Each builder here stands in for the one in :mod:`diplokb.render.indexes` past a limit, keeps that page's
path, title and link targets, and lists one row per topic (or per actor and place) instead of one
per essay or case study. The detail is on the topic pages, which list their own case studies and
essay sections.
"""

from __future__ import annotations

import datetime
import html
from dataclasses import replace

from ..urls import ACTORS, CASE_INDEX, ESSAY_INDEX, GRAPH, TIMELINE, essay_page, topic_page
from .context import Context
from .copy import count
from .markup import NOSEARCH, Block, Heading, Page, esc, nosearch_div, para, table, ul
from .scale import main_topic, own_cases, topic_summaries, years_of
from .timeline import Row, timeline_html


def graph(r: Context) -> Page:
    """One row per topic: what is filed under it and the topics it shares most with."""
    kb = r.kb
    p = GRAPH
    e = html.escape

    def a(slug: str) -> str:
        return f'<a href="{e(r.url(p, topic_page(slug)))}">{e(r.topics[slug].title)}</a>'

    rows = []
    for s in topic_summaries(kb):
        linked = ", ".join(f"{a(o)} ({n})" for o, n in s.links) or "–"
        rows.append(
            f'<tr><th scope="row"><span class="kb-swatch kb-c" style="{r.colour(s.slug)}"></span>{a(s.slug)}</th>'
            f"<td>{s.sections} in {s.essays}</td><td>{s.cases}</td><td>{s.entities}</td><td>{linked}</td></tr>"
        )
    grid = (
        f'<div class="kb-reflow" {NOSEARCH}><table><caption>{e("Topics and what connects them")}</caption>'
        '<thead><tr><th scope="col">Topic</th><th scope="col">Essay passages (in essays)</th><th scope="col">Case studies</th>'
        '<th scope="col">Actors and places</th><th scope="col">Most connected topics (shared case studies and essay passages)</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    out: list[Block] = [
        Heading(1, "Knowledge graph"),
        para(
            f"How the knowledge base connects, topic by topic: {esc(count(len(kb.essays), 'essay', 'essays'))}, "
            f"{esc(count(len(kb.cases), 'case study', 'case studies'))} and {esc(count(len(kb.entities), 'actor or place', 'actors and places'))} "
            "are too many for one table with a row each, so each row here is a topic: how many essay passages discuss it and how many "
            "case studies it has, how many actors and places its case studies name, and the topics it shares most with. "
            "Each topic's page has the rest: its case studies on a time axis, its essay passages and its related topics."
        ),
        para(
            f"Every essay: {r.link(p, ESSAY_INDEX, 'Essays')}. Every actor and place: {r.link(p, ACTORS, 'Actors and places')}. "
            f"Case studies by topic: {r.link(p, CASE_INDEX, 'Case studies')}."
        ),
        grid,
    ]
    return Page.of(p, "Knowledge graph", "How the topics of the knowledge base connect, with what belongs to each.", out)


def timeline(r: Context) -> Page:
    """One bar per topic, from its first case study to its last, each opening the topic's own timeline."""
    kb = r.kb
    p = TIMELINE
    this_year = datetime.date.today().year
    rows = []
    for t in kb.topics:
        own = own_cases(kb, t.slug)
        years = years_of(own, this_year)
        if own and years:
            bar = replace(own[0], name=f"{t.title}: {count(len(own), 'case study', 'case studies')}", years=years, places=[], as_of="")
            rows.append(Row(bar, r.url(p, topic_page(t.slug)), r.colour(t.slug)))
    out: list[Block] = [
        Heading(1, "Timeline of case studies"),
        para(
            f"The years of the {esc(count(len(kb.cases), 'case study', 'case studies'))} on one axis, one bar per topic "
            "from its first case study to its last (by each case's main topic). Each row opens the topic, "
            "whose page has its case studies on their own time axis."
        ),
        timeline_html([("", "", "", rows)], "Timeline of case studies by topic", this_year, details=False),
    ]
    return Page.of(p, "Timeline of case studies", "The case studies of the knowledge base on one time axis, by topic.", out)


def case_index(r: Context) -> Page:
    """The case studies counted by main topic; each topic's page lists its own."""
    kb = r.kb
    p = CASE_INDEX
    this_year = datetime.date.today().year
    rows = []
    for t in kb.topics:
        own = own_cases(kb, t.slug)
        rows.append([r.link(p, topic_page(t.slug), t.title), str(len(own)), esc(years_of(own, this_year)) or "–"])
    out: list[Block] = [
        Heading(1, "Case studies"),
        para(
            f"The knowledge base holds {esc(count(len(kb.cases), 'case study', 'case studies'))}, counted here by main topic. "
            f"Each topic's page lists its case studies on a time axis; all of them on one axis: {r.link(p, TIMELINE, 'Timeline of case studies')}."
        ),
        table(["Topic", "Case studies", "Years"], rows, right=frozenset({1}), cls="kb-reflow"),
    ]
    return Page.of(p, "Case studies", "The case studies of the knowledge base, by topic.", out)


def essay_index(r: Context) -> Page:
    """The essays grouped by the topic most of their sections are filed under."""
    kb = r.kb
    p = ESSAY_INDEX
    groups: dict[str | None, list[str]] = {}
    for e in kb.essays:
        link = r.link(p, essay_page(e.slug), kb.essay_title(e))
        groups.setdefault(main_topic(kb, e.slug), []).append(link)
    items = [
        f"<strong>{r.link(p, topic_page(t.slug), t.title)}</strong>: {', '.join(groups[t.slug])}" for t in kb.topics if t.slug in groups
    ]
    if None in groups:
        items.append(f"<strong>On no single topic</strong>: {', '.join(groups[None])}")
    out: list[Block] = [
        Heading(1, "Essays"),
        para(
            f"The {esc(count(len(kb.essays), 'essay', 'essays'))} of the knowledge base, in full, grouped by the topic most of "
            "their passages discuss. Each essay's page names the topics of every passage."
        ),
        nosearch_div(ul(items)),
    ]
    return Page.of(p, "Essays", "The essays of the knowledge base, grouped by topic.", out)
