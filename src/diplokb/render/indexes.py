"""Page builders for the site's own pages: home, the indexes, the timeline, actors and places, the graph.

Their wording comes from :mod:`diplokb.render.copy` templates and names whatever topics exist.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..text import without_markers
from ..urls import ACTORS, BROWSE, CASE_INDEX, ESSAY_INDEX, GRAPH, HOME, MAP, TIMELINE, TOPIC_INDEX, case_page, essay_page, topic_page
from . import entities, scale, summary
from .context import Context
from .copy import copy_text, count, series
from .graph import legend_html, matrix_html
from .markup import Block, Heading, Page, esc, nosearch_div, para, table, ul
from .timeline import timeline_html


def _first_sentence(text: str) -> str:
    m = re.search(r"(?<=[.!?])\s", text)
    return text[: m.start()] if m else text


def home(r: Context) -> Page:
    kb = r.kb
    p = HOME
    n_cases = len(kb.cases)
    intro = copy_text(
        "home_intro",
        topics=series([t.title for t in kb.topics]),
        essays=count(len(kb.essays), "essay", "essays"),
        cases=count(n_cases, "case study", "case studies"),
    )
    out: list[Block] = [Heading(1, r.site.name), para(esc(intro)), Heading(2, "Topics", "topics", nosearch=True)]
    items = []
    for t in kb.topics:
        counts = count(len(kb.cases_of[t.slug]), "case study", "case studies")
        items.append(
            f"<strong>{r.link(p, topic_page(t.slug), t.title)}</strong> ({counts}): {esc(_first_sentence(without_markers(t.summary)))}"
        )
    if items:
        out.append(ul(items))
    out += [
        para(f"All topics with their full summaries: {r.link(p, TOPIC_INDEX, 'Topics')}."),
        Heading(2, "Essays", "essays", nosearch=True),
    ]
    if scale.essays_are_many(kb):
        out.append(para(f"{esc(count(len(kb.essays), 'essay', 'essays'))}, by topic: {r.link(p, ESSAY_INDEX, 'Essays')}."))
    essays = [r.link(p, essay_page(e.slug), kb.essay_title(e)) for e in kb.essays]
    if essays and not scale.essays_are_many(kb):
        out.append(ul(essays))
    out.append(Heading(2, "Browse", "browse", nosearch=True))
    out.append(
        ul(
            [
                f"{r.link(p, ESSAY_INDEX, 'Essays')}: the essays in full, with the topics each passage discusses.",
                f"{r.link(p, CASE_INDEX, 'Case studies')}: every case study in one table, with years, places and topics.",
                f"{r.link(p, BROWSE, 'Browse case studies')}: every case study, narrowed down by topic, decade, place and actor.",
                f"{r.link(p, TIMELINE, 'Timeline of case studies')}: the case studies on one time axis, by topic.",
                f"{r.link(p, ACTORS, 'Actors and places')}: the states, organisations and places the case studies name.",
                f"{r.link(p, MAP, 'Map of places')}: where the case studies happened, on a world map.",
                f"{r.link(p, GRAPH, 'Knowledge graph')}: topics, case studies, essays and actors, and how they connect.",
            ]
        )
    )
    return Page.of(p, "Home", "A knowledge base of military diplomacy: topics, essays and case studies, cross-linked.", out)


def timeline(r: Context) -> Page:
    if scale.cases_are_many(r.kb):
        return summary.timeline(r)
    kb = r.kb
    p = TIMELINE
    groups, without = [], []
    for t in kb.topics:
        own = scale.own_cases(kb, t.slug)
        if own:
            groups.append((t.title, r.url(p, topic_page(t.slug)), r.colour(t.slug), r.timeline_rows(p, own)))
        else:
            without.append(r.link(p, topic_page(t.slug), t.title))
    out: list[Block] = [
        Heading(1, "Timeline of case studies"),
        para(
            "The years of every case study on one axis, grouped by each case's main topic, whose colour its bar takes. "
            "Cases still running reach the date they were last checked, or this year. Each row opens its case study."
        ),
        timeline_html(groups, "Timeline of case studies"),
    ]
    if without:
        # A topic with no case of its own is named, not silently left off the axis.
        out.append(para(f"Not on the timeline: {series(without)}, the main topic of no case study yet.", "kb-tl-without"))
    page = Page.of(p, "Timeline of case studies", "The case studies of the knowledge base on one time axis, by topic.", out)
    return replace(page, hide=("toc",))  # the axis takes the width the empty contents column would


def topic_index(r: Context) -> Page:
    kb = r.kb
    p = TOPIC_INDEX
    out: list[Block] = [Heading(1, "Topics"), para(esc(copy_text("topic_index_intro", count=count(len(kb.topics), "topic", "topics"))))]
    items = []
    for t in kb.topics:
        counts = count(len(kb.cases_of[t.slug]), "case study", "case studies")
        items.append(f"<strong>{r.link(p, topic_page(t.slug), t.title)}</strong> ({counts}): {esc(without_markers(t.summary))}")
    out.append(nosearch_div(ul(items)))
    return Page.of(
        p, "Topics", "The topics of the knowledge base, each with what it is, its case studies and what the essays say of it.", out
    )


def essay_index(r: Context) -> Page:
    if scale.essays_are_many(r.kb):
        return summary.essay_index(r)
    kb = r.kb
    p = ESSAY_INDEX
    out: list[Block] = [Heading(1, "Essays"), para(esc(copy_text("essay_index_intro", count=count(len(kb.essays), "essay", "essays"))))]
    rows = []
    for e in kb.essays:
        topics = sorted({t for f in kb.routing.filings[e.slug] for t in f.topics}, key=lambda s: r.topics[s].title.casefold())
        rows.append([r.link(p, essay_page(e.slug), kb.essay_title(e)), r.topic_chips(p, topics) or "–"])
    out.append(table(["Essay", "Topics"], rows, cls="kb-reflow"))
    return Page.of(p, "Essays", "The essays of the knowledge base, in full, with the topics each discusses.", out)


def case_index(r: Context) -> Page:
    if scale.cases_are_many(r.kb):
        return summary.case_index(r)
    kb = r.kb
    p = CASE_INDEX
    intro = esc(copy_text("case_index_intro", count=count(len(kb.cases), "case study", "case studies")))
    out: list[Block] = [
        Heading(1, "Case studies"),
        para(intro + f" The same, on one time axis: {r.link(p, TIMELINE, 'Timeline of case studies')}."),
    ]
    rows = [
        [r.link(p, case_page(c.id), c.name), esc(c.years) or "–", esc(", ".join(c.places)) or "–", r.topic_chips(p, c.topics)]
        for c in sorted(kb.cases.values(), key=lambda c: c.name.casefold())
    ]
    out.append(table(["Case study", "Years", "Places", "Topics"], rows, cls="kb-reflow"))
    return Page.of(p, "Case studies", "Every case study of the knowledge base: name, years, places and topics.", out)


def actors(r: Context) -> Page:
    return entities.index(r)  # one line per actor or place, each with its own page (render.entities)


def graph(r: Context) -> Page:
    if scale.graph_is_large(r.kb):
        return summary.graph(r)
    p = GRAPH
    out: list[Block] = [
        Heading(1, "Knowledge graph"),
        para(
            "How the knowledge base connects, as a table: one column per topic, one row per essay, case study, "
            "actor and place. A mark says the row connects to the topic, and a number how many times: "
            "passages of an essay that discuss it, or case studies of an actor or place. "
            "Rows with marks in several columns are what joins the topics. Every name is a link."
        ),
        legend_html(),
        matrix_html(r.kb, lambda key: r.url(p, key), r.colour),
    ]
    return Page.of(
        p,
        "Knowledge graph",
        "How topics, essays, case studies, actors and places connect: a table of topics against everything else.",
        out,
    )
