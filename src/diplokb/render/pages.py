"""Page builders for what the knowledge base holds: a topic, an essay, a case study.

Each takes the :class:`~diplokb.render.renderer.Context` (which makes and records every link) and returns a
:class:`~diplokb.render.markup.Page`. All text from YAML or essays goes through :func:`~diplokb.render.markup.esc`.
"""

from __future__ import annotations

from ..content.schema import CaseStudy
from ..stages.link import excerpt_blocks, featured_sections
from ..text import without_markers
from ..urls import TIMELINE, case_page, essay_page, topic_page
from .context import Context
from .markup import Block, Heading, Page, esc, para, references, table, ul
from .timeline import timeline_html


def topic(r: Context, slug: str) -> Page:
    kb = r.kb
    t = r.topics[slug]
    p = topic_page(slug)
    cases = kb.cases_of[slug]
    filed = kb.routing.by_topic[slug]
    out: list[Block] = [Heading(1, t.title), para(r.cited(p, t.summary, len(t.references)))]
    essays_n = len({e for e, _ in filed})
    out.append(
        para(
            f"{len(filed)} essay section{'s' if len(filed) != 1 else ''} from {essays_n} "
            f"essay{'s' if essays_n != 1 else ''} · {len(cases)} case stud{'y' if len(cases) == 1 else 'ies'}",
            "kb-meta",
        )
    )
    out.append(Heading(2, "Case studies", "case-studies", nosearch=True))
    if cases:
        # This topic's case studies on the time axis (each a link), coloured by their main topic.
        rows = r.timeline_rows(p, cases)
        out.append(timeline_html([("", "", 0, rows)], f"Timeline of the case studies of {t.title}", details=False))
        out.append(para(f"All case studies on one axis: {r.link(p, TIMELINE, 'Timeline of case studies')}.", "kb-meta"))
    else:
        out.append(para(f"No case study is filed under {esc(t.title)} yet."))
    out.append(Heading(2, "Related topics", "related-topics", nosearch=True))
    related = [f"{r.link(p, topic_page(rel.slug), r.topics[rel.slug].title)}: {esc('; '.join(rel.reasons))}" for rel in kb.related[slug]]
    out.append(ul(related) if related else para("No related topic yet."))
    out.append(Heading(2, "From the essays", "from-the-essays", nosearch=True))
    if not filed:
        out.append(para("No essay section is filed under this topic yet."))
    featured = featured_sections(kb.routing, slug)
    for e_slug, i in featured:
        e = r.essays[e_slug]
        s = e.sections[i]
        out.append(Heading(3, kb.section_title(e, i), kb.topic_section_anchor[(e_slug, i)], nosearch=True))
        others = [x for x in kb.routing.topics_of(e_slug, i) if x != slug]
        # The heading names the section; the line under it names the essay (linking the section there).
        src = r.link(p, kb.section_key(e_slug, i), kb.essay_title(e), f"{e.path}:{s.line}")
        also = f" · also under {r.topic_chips(p, others)}" if others else ""
        out.append(para(f"In {src}{also}", "kb-from"))
        shown = excerpt_blocks(s)
        out += r.blocks(p, e, i, slug, shown)
        rest = len(s.blocks) - shown
        if rest > 0:
            more = f"Continue reading: {rest} more paragraph{'s' if rest != 1 else ''} in the essay"
            out.append(para(r.link(p, kb.section_key(e_slug, i), more), "kb-more"))
    unquoted = [key for key in filed if key not in featured]
    if unquoted:
        out.append(Heading(3, "More in the essays", "more-in-the-essays", nosearch=True))
        by_essay: dict[str, list[str]] = {}
        for e_slug, i in unquoted:
            # Each listed section keeps its anchor on this page, as the quoted ones do.
            link = r.link(p, kb.section_key(e_slug, i), kb.section_title(r.essays[e_slug], i))
            by_essay.setdefault(e_slug, []).append(f'<span id="{kb.topic_section_anchor[(e_slug, i)]}"></span>{link}')
        out.append(ul([f"In <em>{esc(kb.essay_title(r.essays[e]))}</em>: {', '.join(links)}" for e, links in by_essay.items()]))
    # Sections filed here are all on this page already; "Mentioned in" lists the others.
    out += r.backlinks(p, p, shown={kb.section_key(e, i) for e, i in filed})
    if t.references:
        out += [Heading(2, "References", "references", nosearch=True), references(t.references)]  # (the Bibliography page is indexed)
    return Page.of(p, t.title, without_markers(t.summary), out)


def essay(r: Context, slug: str) -> Page:
    kb = r.kb
    e = r.essays[slug]
    p = essay_page(slug)
    title = kb.essay_title(e)
    meta = kb.meta.get(slug)
    out: list[Block] = [Heading(1, title)]
    facts = [f"{len(e.sections)} sections"]
    if meta and meta.source:
        facts.append(f"first published: {esc(meta.source)}")
    if meta and meta.date:
        facts.append(esc(meta.date))
    out.append(para(" · ".join(facts), "kb-meta"))
    if not e.sections:
        out.append(para("This essay has no text yet."))
    for i, s in enumerate(e.sections):
        anchor = kb.section_anchor[(slug, i)]
        if s.heading is None:
            out.append(para(f'<span id="{anchor}"></span>'))
        else:
            out.append(Heading(s.level, s.heading, anchor))
        topics = kb.routing.topics_of(slug, i)
        notes = []
        if topics:
            notes.append(f"Filed under: {r.topic_chips(p, topics)}")
        cited = kb.cited_in.get((slug, i), [])
        if cited:
            notes.append("Case studies: " + ", ".join(r.link(p, case_page(c), kb.cases[c].name) for c in cited))
        if notes:
            out.append(para(" · ".join(notes), "kb-filed", nosearch=True))
        if not s.blocks:
            out.append(para("<em>(no text under this heading)</em>"))
        out += r.blocks(p, e, i, None)
    desc = next((b.plain() for s in e.sections for b in s.blocks), title)
    return Page.of(p, title, desc, out)


def case(r: Context, cid: str) -> Page:
    kb = r.kb
    c = kb.cases[cid]
    p = case_page(cid)
    out: list[Block] = [Heading(1, c.name), para(r.cited(p, c.summary, len(c.references)))]
    if c.note:
        # Where references contradict the essay: the essay stays as written, the reader is told.
        out.append(para(f"<strong>Editor's note.</strong> {r.cited(p, c.note, len(c.references))}", "kb-note"))

    def entities(names: list[str]) -> str:
        return ", ".join(r.link(p, kb.entity(x).page, x) for x in names) or "–"

    facts = [
        ["Years", esc(c.years) or "–"],
        ["Places", entities(c.places)],
        ["Actors", entities(c.actors)],
        ["Topics", r.topic_chips(p, c.topics)],
    ]
    out.append(table(["Fact", "Details"], facts))
    out += _sources(r, p, c)
    out.append(Heading(2, "In its topics", "in-its-topics", nosearch=True))
    items = []
    for slug in c.topics:
        siblings = kb.cases_of[slug]
        k = kb.case_position[(slug, cid)]
        prev = r.link(p, case_page(siblings[k - 1].id), f"← {siblings[k - 1].name}") if k > 0 else "(first)"
        nxt = r.link(p, case_page(siblings[k + 1].id), f"{siblings[k + 1].name} →") if k + 1 < len(siblings) else "(last)"
        items.append(f"{r.link(p, topic_page(slug), r.topics[slug].title)} ({k + 1} of {len(siblings)}): {prev} · {nxt}")
    if items:
        out.append(ul(items))
    source = {kb.section_key(c.source.essay, c.source.section or 0)} if c.source is not None else set()
    out += r.backlinks(p, p, shown=source)
    return Page.of(p, c.name, without_markers(c.summary), out)


def _sources(r: Context, p: str, c: CaseStudy) -> list[Block]:
    """The essay sentence that names the case (linked to its passage), then the numbered references."""
    kb = r.kb
    # The essay sentence is the essay's (indexed on the essay's page): the section stays out of search.
    out: list[Block] = [Heading(2, "Sources", "source", nosearch=True)]
    if c.source is not None:
        e = r.essays[c.source.essay]
        where = r.link(
            p,
            kb.section_key(e.slug, c.source.section or 0),
            f"{kb.essay_title(e)} › {kb.section_title(e, c.source.section or 0)}",
            f"{c.path}:{c.line}",
        )
        out += [f"<blockquote>\n{para(esc(c.source.quote))}\n</blockquote>", para(f"From the essay {where}.")]
    else:
        out.append(para("The essays do not name this case; it rests on the references below."))
    if c.references:
        out += [Heading(3, "References", "references"), references(c.references)]
    if c.as_of:
        out.append(para(f"Facts checked as of {esc(c.as_of)}."))
    return out
