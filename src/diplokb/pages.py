"""Page builders for what the knowledge base holds: a topic, an essay, a case study.

Each takes the :class:`~diplokb.render.Renderer` (which makes and records every link) and returns a
:class:`~diplokb.markup.Page`. All text from YAML or essays goes through :func:`~diplokb.markup.esc`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .link import excerpt_blocks, featured_sections
from .markup import NOSEARCH, Page, attr, esc
from .schema import CaseStudy
from .text import slugify
from .timeline import timeline_html
from .urls import ACTORS, TIMELINE, case_page, essay_page, topic_page

if TYPE_CHECKING:
    from .render import Renderer


def _ek(name: str) -> str:
    return slugify(name) or name


def topic(r: Renderer, slug: str) -> Page:
    kb = r.kb
    t = r.topics[slug]
    p = topic_page(slug)
    cases = kb.cases_of[slug]
    filed = kb.routing.by_topic[slug]
    lines = [f"# {esc(t.title)}", "", esc(t.summary), ""]
    essays_n = len({e for e, _ in filed})
    lines.append(
        f"{len(filed)} essay section{'s' if len(filed) != 1 else ''} from {essays_n} "
        f"essay{'s' if essays_n != 1 else ''} · {len(cases)} case stud{'y' if len(cases) == 1 else 'ies'}\n{{: .kb-meta }}"
    )
    lines += ["", f"## Case studies {{#case-studies {NOSEARCH}}}", ""]
    if cases:
        # This topic's case studies on the time axis (each a link), coloured by their main topic.
        rows = r.timeline_rows(p, cases)
        lines.append(timeline_html([("", "", 0, rows)], f"Timeline of the case studies of {t.title}", details=False))
        lines += ["", f"All case studies on one axis: {r.link(p, TIMELINE, 'Timeline of case studies')}.", "{: .kb-meta }"]
    else:
        lines.append(f"No case study is filed under {esc(t.title)} yet.")
    lines += ["", f"## Related topics {{#related-topics {NOSEARCH}}}", ""]
    for rel in kb.related[slug]:
        lines.append(f"- {r.link(p, topic_page(rel.slug), r.topics[rel.slug].title)}: {esc('; '.join(rel.reasons))}")
    if not kb.related[slug]:
        lines.append("No related topic yet.")
    lines += ["", f"## From the essays {{#from-the-essays {NOSEARCH}}}", ""]
    if not filed:
        lines.append("No essay section is filed under this topic yet.")
    featured = featured_sections(kb.routing, slug)
    for e_slug, i in featured:
        e = r.essays[e_slug]
        s = e.sections[i]
        anchor = kb.topic_section_anchor[(e_slug, i)]
        lines.append(f"### {esc(kb.section_title(e, i))} {{#{anchor} {NOSEARCH}}}")
        lines.append("")
        others = [x for x in kb.routing.topics_of(e_slug, i) if x != slug]
        # The heading names the section; the line under it names the essay (linking the section there).
        src = r.link(p, kb.section_key(e_slug, i), kb.essay_title(e), f"{e.path}:{s.line}")
        also = f" · also under {r.topic_chips(p, others)}" if others else ""
        lines.append(f"In {src}{also}\n{{: .kb-from }}")
        lines.append("")
        shown = excerpt_blocks(s)
        for block in r.blocks(p, e, i, slug, shown):
            lines += [block, ""]
        rest = len(s.blocks) - shown
        if rest > 0:
            more = f"Continue reading: {rest} more paragraph{'s' if rest != 1 else ''} in the essay"
            lines += [f"{r.link(p, kb.section_key(e_slug, i), more)}\n{{: .kb-more }}", ""]
    unquoted = [key for key in filed if key not in featured]
    if unquoted:
        lines += [f"### More in the essays {{#more-in-the-essays {NOSEARCH}}}", ""]
        by_essay: dict[str, list[str]] = {}
        for e_slug, i in unquoted:
            # Each listed section keeps its anchor on this page, as the quoted ones do.
            link = r.link(p, kb.section_key(e_slug, i), kb.section_title(r.essays[e_slug], i))
            by_essay.setdefault(e_slug, []).append(f'<span id="{kb.topic_section_anchor[(e_slug, i)]}"></span>{link}')
        for e_slug, links in by_essay.items():
            lines.append(f"- In *{esc(kb.essay_title(r.essays[e_slug]))}*: {', '.join(links)}")
        lines.append("")
    # Sections filed here are all on this page already; "Mentioned in" lists the others.
    lines += r.backlinks(p, p, shown={kb.section_key(e, i) for e, i in filed})
    return Page(p, t.title, t.summary, "\n".join(lines))


def essay(r: Renderer, slug: str) -> Page:
    kb = r.kb
    e = r.essays[slug]
    p = essay_page(slug)
    title = kb.essay_title(e)
    meta = kb.meta.get(slug)
    lines = [f"# {esc(title)}", ""]
    facts = [f"{len(e.sections)} sections"]
    if meta and meta.source:
        facts.append(f"first published: {esc(meta.source)}")
    if meta and meta.date:
        facts.append(esc(meta.date))
    lines += [" · ".join(facts), "{: .kb-meta }", ""]
    if not e.sections:
        lines += ["This essay has no text yet.", ""]
    for i, s in enumerate(e.sections):
        anchor = kb.section_anchor[(slug, i)]
        if s.heading is None:
            lines += [f'<span id="{anchor}"></span>', ""]
        else:
            lines += [f"{'#' * s.level} {esc(s.heading)} {{#{anchor}}}", ""]
        topics = kb.routing.topics_of(slug, i)
        notes = []
        if topics:
            notes.append(f"Filed under: {r.topic_chips(p, topics)}")
        cited = kb.cited_in.get((slug, i), [])
        if cited:
            notes.append("Case studies: " + ", ".join(r.link(p, case_page(c), kb.cases[c].name) for c in cited))
        if notes:
            lines += [" · ".join(notes), f"{{: .kb-filed {NOSEARCH} }}", ""]
        if not s.blocks:
            lines += ["*(no text under this heading)*", ""]
        for block in r.blocks(p, e, i, None):
            lines += [block, ""]
    desc = next((b.plain() for s in e.sections for b in s.blocks), title)
    return Page(p, title, desc, "\n".join(lines))


def case(r: Renderer, cid: str) -> Page:
    kb = r.kb
    c = kb.cases[cid]
    p = case_page(cid)
    lines = [f"# {esc(c.name)}", "", esc(c.summary), ""]
    if c.note:
        # Where references contradict the essay: the essay stays as written, the reader is told.
        lines += [f"**Editor's note.** {esc(c.note)}", "{: .kb-note }", ""]
    lines += [f"<div {NOSEARCH} markdown>", "", "| Fact | Details |", "| --- | --- |"]
    lines.append(f"| Years | {esc(c.years) or '–'} |")
    lines.append(f"| Places | {', '.join(r.link(p, f'{ACTORS}#{kb.entities[_ek(x)].anchor}', x) for x in c.places) or '–'} |")
    lines.append(f"| Actors | {', '.join(r.link(p, f'{ACTORS}#{kb.entities[_ek(x)].anchor}', x) for x in c.actors) or '–'} |")
    lines.append(f"| Topics | {r.topic_chips(p, c.topics)} |")
    lines += ["", "</div>"]
    lines += _sources(r, p, c)
    lines += [f"## In its topics {{#in-its-topics {NOSEARCH}}}", ""]
    for slug in c.topics:
        siblings = kb.cases_of[slug]
        k = kb.case_position[(slug, cid)]
        prev = r.link(p, case_page(siblings[k - 1].id), f"← {siblings[k - 1].name}") if k > 0 else "(first)"
        nxt = r.link(p, case_page(siblings[k + 1].id), f"{siblings[k + 1].name} →") if k + 1 < len(siblings) else "(last)"
        lines.append(f"- {r.link(p, topic_page(slug), r.topics[slug].title)} ({k + 1} of {len(siblings)}): {prev} · {nxt}")
    source = {kb.section_key(c.source.essay, c.source.section or 0)} if c.source is not None else set()
    lines += r.backlinks(p, p, shown=source)
    return Page(p, c.name, c.summary, "\n".join(lines))


def _sources(r: Renderer, p: str, c: CaseStudy) -> list[str]:
    """The essay sentence that names the case (linked to its passage), then the numbered references."""
    kb = r.kb
    lines = ["", "## Sources {#source}", ""]
    if c.source is not None:
        e = r.essays[c.source.essay]
        where = r.link(
            p,
            kb.section_key(e.slug, c.source.section or 0),
            f"{kb.essay_title(e)} › {kb.section_title(e, c.source.section or 0)}",
            f"{c.path}:{c.line}",
        )
        lines += [f"> {esc(c.source.quote)}", "", f"From the essay {where}.", ""]
    else:
        lines += ["The essays do not name this case; it rests on the references below.", ""]
    if c.references:
        lines += ["### References {#references}", ""]
        for i, ref in enumerate(c.references, 1):
            # The URL was checked to be http(s) with no spaces; it goes into an attribute, escaped.
            link = f'<a href="{attr(ref.url)}" rel="noopener">{esc(ref.title)}</a>'
            lines.append(f"{i}. {esc(ref.publisher)}: {link} ({esc(ref.date)})")
        lines.append("")
    if c.as_of:
        lines += [f"Facts checked as of {esc(c.as_of)}.", ""]
    return lines
