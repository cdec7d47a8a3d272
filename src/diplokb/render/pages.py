"""Page builders for what the knowledge base holds: a topic, an essay, a case study.

Each takes the :class:`~diplokb.render.renderer.Context` (which makes and records every link) and returns a
:class:`~diplokb.render.markup.Page`. All text from YAML or essays goes through :func:`~diplokb.render.markup.esc`.
"""

from __future__ import annotations

from ..content.schema import CaseStudy, Reference
from ..stages.link import Related, excerpt_blocks, featured_sections
from ..text import without_markers
from ..urls import TIMELINE, case_page, essay_page, topic_page
from .context import Context
from .copy import copy_text, count, series
from .infobox import case_box, topic_box
from .markup import NOSEARCH, Block, Heading, Page, esc, para, ul
from .markup import references as reference_list
from .mentions import said_blocks, topic_said, trim_said
from .timeline import by_date, timeline_html


def topic(r: Context, slug: str) -> Page:
    kb = r.kb
    t = r.topics[slug]
    p = topic_page(slug)
    cases = kb.cases_of[slug]
    filed = kb.routing.by_topic[slug]
    out: list[Block] = [Heading(1, t.title), topic_box(r, p, slug), para(r.cited(p, t.summary, len(t.references)))]
    out.append(Heading(2, "Case studies", "case-studies", nosearch=True))
    if cases:
        # This topic's case studies on the time axis (each a link), coloured by their main topic.
        rows = r.timeline_rows(p, cases)
        out.append(timeline_html([("", "", "", rows)], f"Timeline of the case studies of {t.title}", details=False))
        out.append(para(f"All case studies on one axis: {r.link(p, TIMELINE, 'Timeline of case studies')}.", "kb-meta"))
    else:
        out.append(para(esc(copy_text("no_topic_cases", topic=t.title))))
    out.append(Heading(2, "Related topics", "related-topics", nosearch=True))
    related = [f"{r.link(p, topic_page(rel.slug), r.topics[rel.slug].title)}: {esc(related_why(rel))}" for rel in kb.related[slug]]
    out.append(ul(related) if related else para("No related topic yet."))
    out.append(Heading(2, "From the essays", "from-the-essays", nosearch=True))
    if not filed:
        out.append(para(esc(copy_text("no_topic_passages"))))
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
    out += _elsewhere(r, slug, filed, featured)
    out += references(t.references, nosearch=True)  # a list of links: search finds the topic by its summary
    return Page.of(p, t.title, without_markers(t.summary), out)


def _elsewhere(r: Context, slug: str, filed: list[tuple[str, int]], featured: list[tuple[str, int]]) -> list[Block]:
    """One section for the rest: the passages about the topic not quoted above, then those that mention it in
    passing, each by the sentence naming it (the former keep their ids on this page, as quoted ones do)."""
    kb = r.kb
    p = topic_page(slug)
    t = r.topics[slug]
    about = [topic_said(r, slug, e, i, kb.topic_section_anchor[(e, i)]) for e, i in filed if (e, i) not in featured]
    where = {(essay_page(e.slug), a): (e.slug, i) for (e_slug, i), a in kb.section_anchor.items() for e in [r.essays[e_slug]]}
    seen = set(filed)
    passing = []
    for m in kb.backlinks.get(p, []):
        key = where.get((m.src_page, m.src_anchor))
        if m.kind == "term" and key is not None and key not in seen:
            seen.add(key)
            passing.append(topic_said(r, slug, *key))
    items, left_out = trim_said(about + passing)
    out: list[Block] = [Heading(2, "More in the essays", "mentioned-in", nosearch=True)]
    if not items:
        return [*out, para(esc(copy_text("no_other_mention" if filed else "no_mention")))]
    out.append(para(esc(copy_text("topic_elsewhere", topic=t.title))))
    out += said_blocks(r, p, items)
    if left_out:
        out.append(para(esc(f"{count(left_out, 'other essay mentions', 'other essays mention')} it as well.")))
    return out


def related_why(rel: Related) -> str:
    """Why a topic is related to another, in a reader's words."""
    why = [copy_text("related_chosen")] if rel.chosen else []
    if rel.shared:
        why.append(copy_text("related_cases", count=count(rel.shared, "case study", "case studies")))
    if rel.together:
        why.append(copy_text("related_passages", count=count(rel.together, "essay passage", "essay passages")))
    return series(why)


CONTENTS_FROM = 6  # headed sections from which an essay's page lists them at its top on a phone


def essay(r: Context, slug: str) -> Page:
    kb = r.kb
    e = r.essays[slug]
    p = essay_page(slug)
    title = kb.essay_title(e)
    meta = kb.meta.get(slug)
    out: list[Block] = [Heading(1, title)]
    facts = []
    if meta and meta.source:
        facts.append(f"first published: {esc(meta.source)}")
    if meta and meta.date:
        facts.append(esc(meta.date))
    if facts:
        out.append(para(" · ".join(facts), "kb-meta"))
    headed = [(i, s) for i, s in enumerate(e.sections) if s.heading is not None]
    if len(headed) >= CONTENTS_FROM:
        # A phone shows no contents column: a long essay gets its own list (the stylesheet hides it where the column is).
        items = "".join(f'<li class="kb-contents-l{s.level}">{r.link(p, kb.section_key(slug, i), s.heading or "")}</li>' for i, s in headed)
        out.append(
            f'<nav class="kb-contents" aria-label="Contents of the essay" {NOSEARCH}><details class="abstract">'
            f"<summary>Contents</summary><ol>{items}</ol></details></nav>"
        )
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
            notes.append(f"Topics: {r.topic_chips(p, topics)}")
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
    out: list[Block] = [Heading(1, c.name), case_box(r, p, c), para(r.cited(p, c.summary, len(c.references)))]
    if c.note:
        # Where references contradict the essay: the essay stays as written, the reader is told.
        out.append(para(f"<strong>Editor's note.</strong> {r.cited(p, c.note, len(c.references))}", "kb-note"))
    out += _sources(r, p, c)
    out.append(Heading(2, "In its topics", "in-its-topics", nosearch=True))
    items = []
    for slug in c.topics:
        # In the order its topic page shows them, on the time axis.
        siblings = by_date(kb.cases_of[slug], r.site.date.year)
        k = next(n for n, x in enumerate(siblings) if x.id == cid)
        prev = r.link(p, case_page(siblings[k - 1].id), f"← {siblings[k - 1].name}") if k > 0 else "(first)"
        nxt = r.link(p, case_page(siblings[k + 1].id), f"{siblings[k + 1].name} →") if k + 1 < len(siblings) else "(last)"
        items.append(f"{r.link(p, topic_page(slug), r.topics[slug].title)} ({k + 1} of {len(siblings)}): {prev} · {nxt}")
    if items:
        out.append(ul(items))
    # No "Mentioned in": the one essay passage that names a case is its source, quoted above.
    return Page.of(p, c.name, without_markers(c.summary), out)


def references(refs: list[Reference], level: int = 2, nosearch: bool = False) -> list[Block]:
    """The numbered references the page's ``[n]`` markers link to (``#ref-n``)."""
    return [Heading(level, "References", "references", nosearch=nosearch), reference_list(refs)] if refs else []


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
    out += references(c.references, level=3)
    if c.as_of:
        out.append(para(f"Facts checked as of {esc(c.as_of)}."))
    return out
