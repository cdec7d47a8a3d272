"""Stage 5, render: the linked knowledge base -> Markdown pages and ``knowledge.json``.

All text that comes from YAML or essays goes through :func:`esc`, so it reaches the page as
text: HTML is escaped and every character Markdown could read as syntax becomes a numeric
entity (backslash escapes are not enough, see BAD_INPUTS.md). Page titles are written
explicitly, HTML-escaped, in front matter.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from .errors import Problem
from .graph import matrix_html
from .link import KnowledgeBase, excerpt_blocks, featured_sections
from .model import CaseStudy
from .parse import Block, Essay
from .timeline import PALETTE, rows_of, timeline_html
from .urls import (
    ACTORS,
    CASE_INDEX,
    ESSAY_INDEX,
    GRAPH,
    HOME,
    TIMELINE,
    TOPIC_INDEX,
    case_page,
    essay_page,
    html_href,
    md_href,
    site_url,
    topic_page,
    url_of,
)

# Python-Markdown's ESCAPED_CHARS plus what tables, attr_list and raw HTML need.
_ALWAYS = set("\\`*_{}[]()#|!<>&~^=$")
_ENTITIES = {ord(c): f"&#{ord(c)};" for c in _ALWAYS}
_WS = re.compile(r"\s+")
_BLOCK_START = re.compile(r"^(\s*)(\d+)([.)])|^(\s*)([-+>:])")


def esc(text: str) -> str:
    """Plain text -> Markdown that renders exactly that text, with no markup of its own."""
    s = _WS.sub(" ", text).translate(_ENTITIES)
    m = _BLOCK_START.match(s)
    if m:  # "1999. ...", "- ...", "> ..." at the start of a line would start a block
        i = m.end() - 1
        s = s[:i] + f"&#{ord(s[i])};" + s[i + 1 :]
    return s


def attr(text: str) -> str:
    """Text for an HTML attribute or a page title (which MkDocs templates do not escape)."""
    return html.escape(" ".join(text.split()), quote=True)


# Material's search leaves out a heading's section, or an element, marked data-search-exclude:
# lists of links, tables of facts, graphs and copies of essay passages stay out of the index, so
# a search finds the page about a thing, and the essay passage itself, first.
NOSEARCH = "data-search-exclude"


def nosearch(markdown: str, cls: str = "") -> str:
    """Markdown (a table, a list) in a block that Material's search does not index.

    ``kb-reflow`` makes a table's rows into short paragraphs on a phone (see diplokb.css), for
    tables whose cells hold more than a word or two."""
    c = f' class="{cls}"' if cls else ""
    return f"<div{c} {NOSEARCH} markdown>\n\n{markdown}\n\n</div>"


@dataclass(frozen=True)
class Page:
    """A generated page, and the links it makes (``page#anchor`` keys), for ``knowledge.json``."""

    path: str
    title: str
    description: str
    body: str
    links: tuple[str, ...] = ()

    def markdown(self) -> str:
        desc = self.description.strip()
        if len(desc) > 300:
            desc = desc[:297].rsplit(" ", 1)[0] + "…"
        return f"---\ntitle: {json.dumps(attr(self.title))}\ndescription: {json.dumps(attr(desc))}\n---\n\n{self.body.rstrip()}\n"


class Renderer:
    """Builds the pages from the linked knowledge base, which it only reads.

    Every link goes through :meth:`href`, which checks it against the link stage's index (phase
    two of the two-phase resolution) and records it for the page being built."""

    def __init__(self, kb: KnowledgeBase, directory_urls: bool = True) -> None:
        self.kb = kb
        self.directory_urls = directory_urls
        self.topics = kb.topic
        self.essays = kb.essay
        self.problems: list[Problem] = []
        self._made: list[str] = []  # links of the page being built

    # -- helpers -----------------------------------------------------------------------------
    def href(self, page: str, key: str, origin: str = "") -> str:
        target = key.partition("#")[0]
        if key not in self.kb.targets and target not in self.kb.targets:
            self.problems.append(Problem(origin or page, 0, 0, "link", f"link to unknown target `{key}`", "warning"))
        elif key != target and key not in self.kb.targets:
            self.problems.append(Problem(origin or page, 0, 0, "link", f"link to unknown anchor `{key}`", "warning"))
        self._made.append(key)
        return md_href(page, key)

    def link(self, page: str, key: str, text: str, origin: str = "") -> str:
        return f"[{esc(text)}]({self.href(page, key, origin)})"

    def url(self, page: str, key: str) -> str:
        """Final relative URL, for raw HTML where MkDocs does not rewrite links."""
        self.href(page, key)  # resolve and record
        return html_href(page, key, self.directory_urls)

    def _text_with_terms(self, page: str, text: str, hits: list[tuple[int, int, str]], skip: str | None, origin: str) -> str:
        out, prev = [], 0
        for start, end, topic in hits:
            if topic == skip or start < prev:
                continue
            out.append(esc(text[prev:start]) if prev < start else "")
            out.append(self.link(page, topic_page(topic), text[start:end], origin))
            prev = end
        out.append(esc(text[prev:]))
        return "".join(out)

    def _blocks(self, page: str, e: Essay, i: int, skip: str | None, limit: int | None = None) -> list[str]:
        s = e.sections[i]
        hits = self.kb.term_hits.get((e.slug, i), [])
        out: list[str] = []
        for bi, b in enumerate(s.blocks[:limit]):
            origin = f"{e.path}:{b.line}"
            if b.kind == "paragraph":
                h = [(st, en, t) for (hb, _ii, st, en, t) in hits if hb == bi]
                out.append(self._text_with_terms(page, b.text, h, skip, origin))
            else:
                out.append(self._list(page, b, [(hi, st, en, t) for (hb, hi, st, en, t) in hits if hb == bi], skip, origin))
        return out

    def _list(self, page: str, b: Block, hits: list[tuple[int, int, int, str]], skip: str | None, origin: str) -> str:
        lines = []
        for n, item in enumerate(b.items, 1):
            h = [(st, en, t) for (ii, st, en, t) in hits if ii == n - 1]
            marker = f"{n}." if b.ordered else "-"
            lines.append(f"{marker} {self._text_with_terms(page, item, h, skip, origin)}")
        return "\n".join(lines)

    def _topic_chips(self, page: str, slugs: list[str]) -> str:
        return ", ".join(self.link(page, topic_page(s), self.topics[s].title) for s in slugs)

    # -- pages -------------------------------------------------------------------------------
    def home(self) -> Page:
        kb = self.kb
        p = HOME
        n_cases = len(kb.cases)
        lines = [
            "# Military diplomacy knowledge base",
            "",
            "How states use their armed forces to build relations with other states: alliances, "
            "attachés, peacekeeping, nation-building and soft power. Every page here is built from "
            f"{len(kb.essays)} essay{'s' if len(kb.essays) != 1 else ''} and arranged by its editors: "
            "essay sections are filed under topics by what they say, and "
            f"{n_cases} case stud{'y' if n_cases == 1 else 'ies'} link each topic back to the "
            "passage of the essay that names them.",
            "",
            f"## Topics {{#topics {NOSEARCH}}}",
            "",
        ]
        for t in kb.topics:
            n, m = len(kb.cases_of[t.slug]), len(kb.routing.by_topic[t.slug])
            counts = f"{n} case stud{'y' if n == 1 else 'ies'}, {m} essay section{'' if m == 1 else 's'}"
            lines.append(f"- **{self.link(p, topic_page(t.slug), t.title)}** ({counts}): {esc(_first_sentence(t.summary))}")
        lines += [
            "",
            f"All topics with their full summaries: {self.link(p, TOPIC_INDEX, 'Topics')}.",
            "",
            f"## Essays {{#essays {NOSEARCH}}}",
            "",
        ]
        for e in kb.essays:
            lines.append(f"- {self.link(p, essay_page(e.slug), kb.essay_title(e))}: {len(e.sections)} sections")
        lines += [
            "",
            f"## Browse {{#browse {NOSEARCH}}}",
            "",
            f"- {self.link(p, ESSAY_INDEX, 'Essays')}: the essays in full, with the topics of their sections.",
            f"- {self.link(p, CASE_INDEX, 'Case studies')}: every case study in one table, with years, places and topics.",
            f"- {self.link(p, TIMELINE, 'Timeline of case studies')}: the case studies on one time axis, by topic.",
            f"- {self.link(p, ACTORS, 'Actors and places')}: the states, organisations and places the case studies name.",
            f"- {self.link(p, GRAPH, 'Knowledge graph')}: topics, case studies, essays and actors, and how they connect.",
        ]
        return Page(p, "Home", "A knowledge base of military diplomacy: topics, essays and case studies, cross-linked.", "\n".join(lines))

    def topic(self, slug: str) -> Page:
        kb = self.kb
        t = self.topics[slug]
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
            rows = self._timeline_rows(p, cases)
            lines.append(timeline_html([("", "", 0, rows)], f"Timeline of the case studies of {t.title}", details=False))
            lines += ["", f"All case studies on one axis: {self.link(p, TIMELINE, 'Timeline of case studies')}.", "{: .kb-meta }"]
        else:
            lines.append(f"No case study is filed under {esc(t.title)} yet.")
        lines += ["", f"## Related topics {{#related-topics {NOSEARCH}}}", ""]
        for r in kb.related[slug]:
            lines.append(f"- {self.link(p, topic_page(r.slug), self.topics[r.slug].title)}: {esc('; '.join(r.reasons))}")
        if not kb.related[slug]:
            lines.append("No related topic yet.")
        lines += ["", f"## From the essays {{#from-the-essays {NOSEARCH}}}", ""]
        if not filed:
            lines.append("No essay section is filed under this topic yet.")
        featured = featured_sections(kb.routing, slug)
        for e_slug, i in featured:
            e = self.essays[e_slug]
            s = e.sections[i]
            anchor = kb.topic_section_anchor[(e_slug, i)]
            lines.append(f"### {esc(kb.section_title(e, i))} {{#{anchor} {NOSEARCH}}}")
            lines.append("")
            others = [x for x in kb.routing.topics_of(e_slug, i) if x != slug]
            # The heading names the section; the line under it names the essay (linking the section there).
            src = self.link(p, kb.section_key(e_slug, i), kb.essay_title(e), f"{e.path}:{s.line}")
            also = f" · also under {self._topic_chips(p, others)}" if others else ""
            lines.append(f"In {src}{also}\n{{: .kb-from }}")
            lines.append("")
            shown = excerpt_blocks(s)
            for block in self._blocks(p, e, i, slug, shown):
                lines += [block, ""]
            rest = len(s.blocks) - shown
            if rest > 0:
                more = f"Continue reading: {rest} more paragraph{'s' if rest != 1 else ''} in the essay"
                lines += [f"{self.link(p, kb.section_key(e_slug, i), more)}\n{{: .kb-more }}", ""]
        rest = [key for key in filed if key not in featured]
        if rest:
            lines += [f"### More in the essays {{#more-in-the-essays {NOSEARCH}}}", ""]
            by_essay: dict[str, list[str]] = {}
            for e_slug, i in rest:
                # Each listed section keeps its anchor on this page, as the quoted ones do.
                link = self.link(p, kb.section_key(e_slug, i), kb.section_title(self.essays[e_slug], i))
                by_essay.setdefault(e_slug, []).append(f'<span id="{kb.topic_section_anchor[(e_slug, i)]}"></span>{link}')
            for e_slug, links in by_essay.items():
                lines.append(f"- In *{esc(kb.essay_title(self.essays[e_slug]))}*: {', '.join(links)}")
            lines.append("")
        # Sections filed here are all on this page already; "Mentioned in" lists the others.
        lines += self._backlinks(p, p, shown={kb.section_key(e, i) for e, i in filed})
        return Page(p, t.title, t.summary, "\n".join(lines))

    def _timeline_rows(self, p: str, cases: list[CaseStudy]) -> list[Any]:
        colour = {t.slug: n % PALETTE for n, t in enumerate(self.kb.topics)}
        return rows_of(cases, lambda c: self.url(p, case_page(c.id)), lambda c: colour.get(c.topics[0], 0))

    def timeline(self) -> Page:
        kb = self.kb
        p = TIMELINE
        colour = {t.slug: n % PALETTE for n, t in enumerate(kb.topics)}
        groups = []
        for t in kb.topics:
            own = [c for c in kb.cases_of[t.slug] if c.topics[0] == t.slug]
            if own:
                groups.append((t.title, self.url(p, topic_page(t.slug)), colour[t.slug], self._timeline_rows(p, own)))
        lines = [
            "# Timeline of case studies",
            "",
            "The years of every case study on one axis, grouped by each case's main topic, whose colour its bar takes. "
            "Cases still running reach the date they were last checked, or this year. Each row opens its case study.",
            "",
            timeline_html(groups, "Timeline of case studies"),
        ]
        return Page(p, "Timeline of case studies", "The case studies of the knowledge base on one time axis, by topic.", "\n".join(lines))

    def _backlinks(self, p: str, key: str, shown: set[str] | frozenset[str] = frozenset()) -> list[str]:
        """ "Mentioned in": every essay section that mentions the target, grouped by essay.

        A topic page's copy of an essay section is the same passage, so only the essay's own
        section is listed; sections in ``shown`` (already linked on the page) are left out."""
        ms = [
            m
            for m in self.kb.backlinks.get(key, [])
            if m.kind in ("term", "source", "actor")
            and m.src_page != p
            and not m.src_page.startswith("topics/")
            and f"{m.src_page}#{m.src_anchor}" not in shown
        ]
        lines = ["", f"## Mentioned in {{#mentioned-in {NOSEARCH}}}", ""]
        if not ms:
            return [*lines, "No other essay section mentions it." if shown else "No essay section mentions it yet.", ""]
        groups: dict[str, list[str]] = {}
        seen: set[str] = set()
        for m in ms:
            k = f"{m.src_page}#{m.src_anchor}" if m.src_anchor else m.src_page
            if k in seen:
                continue
            seen.add(k)
            groups.setdefault(m.group, []).append(self.link(p, k, m.label.split(" › ", 1)[-1]))
        for g, links in groups.items():
            lines.append(f"- **{esc(g)}**: {', '.join(links)}")
        return [*lines, ""]

    def essay(self, slug: str) -> Page:
        kb = self.kb
        e = self.essays[slug]
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
                notes.append(f"Filed under: {self._topic_chips(p, topics)}")
            cited = kb.cited_in.get((slug, i), [])
            if cited:
                notes.append("Case studies: " + ", ".join(self.link(p, case_page(c), kb.cases[c].name) for c in cited))
            if notes:
                lines += [" · ".join(notes), f"{{: .kb-filed {NOSEARCH} }}", ""]
            if not s.blocks:
                lines += ["*(no text under this heading)*", ""]
            for block in self._blocks(p, e, i, None):
                lines += [block, ""]
        desc = next((b.plain() for s in e.sections for b in s.blocks), title)
        return Page(p, title, desc, "\n".join(lines))

    def case(self, cid: str) -> Page:
        kb = self.kb
        c = kb.cases[cid]
        p = case_page(cid)
        lines = [f"# {esc(c.name)}", "", esc(c.summary), ""]
        if c.note:
            # Where references contradict the essay: the essay stays as written, the reader is told.
            lines += [f"**Editor's note.** {esc(c.note)}", "{: .kb-note }", ""]
        lines += [f"<div {NOSEARCH} markdown>", "", "| Fact | Details |", "| --- | --- |"]
        lines.append(f"| Years | {esc(c.years) or '–'} |")
        lines.append(f"| Places | {', '.join(self.link(p, f'{ACTORS}#{kb.entities[_ek(x)].anchor}', x) for x in c.places) or '–'} |")
        lines.append(f"| Actors | {', '.join(self.link(p, f'{ACTORS}#{kb.entities[_ek(x)].anchor}', x) for x in c.actors) or '–'} |")
        lines.append(f"| Topics | {self._topic_chips(p, c.topics)} |")
        lines += ["", "</div>"]
        lines += self._sources(p, c)
        lines += [f"## In its topics {{#in-its-topics {NOSEARCH}}}", ""]
        for slug in c.topics:
            siblings = kb.cases_of[slug]
            k = kb.case_position[(slug, cid)]
            prev = self.link(p, case_page(siblings[k - 1].id), f"← {siblings[k - 1].name}") if k > 0 else "(first)"
            nxt = self.link(p, case_page(siblings[k + 1].id), f"{siblings[k + 1].name} →") if k + 1 < len(siblings) else "(last)"
            lines.append(f"- {self.link(p, topic_page(slug), self.topics[slug].title)} ({k + 1} of {len(siblings)}): {prev} · {nxt}")
        source = {kb.section_key(c.source.essay, c.source.section or 0)} if c.source is not None else set()
        lines += self._backlinks(p, p, shown=source)
        return Page(p, c.name, c.summary, "\n".join(lines))

    def _sources(self, p: str, c: CaseStudy) -> list[str]:
        """The essay sentence that names the case (linked to its passage), then the numbered references."""
        kb = self.kb
        lines = ["", "## Sources {#source}", ""]
        if c.source is not None:
            e = self.essays[c.source.essay]
            where = self.link(
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
            for i, r in enumerate(c.references, 1):
                # The URL was checked to be http(s) with no spaces; it goes into an attribute, escaped.
                link = f'<a href="{attr(r.url)}" rel="noopener">{esc(r.title)}</a>'
                lines.append(f"{i}. {esc(r.publisher)}: {link} ({esc(r.date)})")
            lines.append("")
        if c.as_of:
            lines += [f"Facts checked as of {esc(c.as_of)}.", ""]
        return lines

    def topic_index(self) -> Page:
        kb = self.kb
        p = TOPIC_INDEX
        lines = ["# Topics", "", f"{len(kb.topics)} topics. Each gathers the essay sections that discuss it and its case studies.", ""]
        items = []
        for t in kb.topics:
            n_cases, n_secs = len(kb.cases_of[t.slug]), len(kb.routing.by_topic[t.slug])
            counts = f"{n_secs} essay section{'s' if n_secs != 1 else ''}, {n_cases} case stud{'y' if n_cases == 1 else 'ies'}"
            items.append(f"- **{self.link(p, topic_page(t.slug), t.title)}** ({counts}): {esc(t.summary)}")
        lines.append(nosearch("\n".join(items)))
        return Page(
            p, "Topics", "The topics of the knowledge base, each with its summary, essay sections and case studies.", "\n".join(lines)
        )

    def essay_index(self) -> Page:
        kb = self.kb
        p = ESSAY_INDEX
        lines = ["# Essays", "", f"The {len(kb.essays)} essays this knowledge base is built from, in full, with each section's topics.", ""]
        rows = ["| Essay | Sections | Topics |", "| --- | ---: | --- |"]
        for e in kb.essays:
            topics = sorted({t for f in kb.routing.filings[e.slug] for t in f.topics}, key=lambda s: self.topics[s].title.casefold())
            rows.append(
                f"| {self.link(p, essay_page(e.slug), kb.essay_title(e))} | {len(e.sections)} | {self._topic_chips(p, topics) or '–'} |"
            )
        lines.append(nosearch("\n".join(rows), "kb-reflow"))
        return Page(
            p, "Essays", "The essays of the knowledge base, in full, with the topics their sections are filed under.", "\n".join(lines)
        )

    def case_index(self) -> Page:
        kb = self.kb
        p = CASE_INDEX
        lines = [
            "# Case studies",
            "",
            f"{len(kb.cases)} case studies named in the essays, each filed under one or more topics. "
            f"The same, on one time axis: {self.link(p, TIMELINE, 'Timeline of case studies')}.",
            "",
            f'<div class="kb-reflow" {NOSEARCH} markdown>',
            "",
            "| Case study | Years | Places | Topics |",
            "| --- | --- | --- | --- |",
        ]
        for c in sorted(kb.cases.values(), key=lambda c: c.name.casefold()):
            lines.append(
                f"| {self.link(p, case_page(c.id), c.name)} | {esc(c.years) or '–'} | {esc(', '.join(c.places)) or '–'} | {self._topic_chips(p, c.topics)} |"
            )
        lines += ["", "</div>"]
        return Page(p, "Case studies", "Every case study of the knowledge base: name, years, places and topics.", "\n".join(lines))

    def actors(self) -> Page:
        kb = self.kb
        p = ACTORS
        ents = sorted(kb.entities.values(), key=lambda x: x.name.casefold())
        lines = [
            "# Actors and places",
            "",
            "Every state, organisation and place the case studies name, with the case studies and the essay sections that mention it.",
            "",
        ]
        for kind, label in (("actor", "Actors"), ("place", "Places")):
            group = [x for x in ents if x.kind == kind]
            lines += [f"## {label} {{#{kind}s}}", ""]
            for x in group:
                lines += [f"### {esc(x.name)} {{#{x.anchor}}}", ""]
                lines.append("Case studies: " + ", ".join(self.link(p, case_page(c), kb.cases[c].name) for c in x.cases))
                lines.append("")
                if x.sections:
                    by_essay: dict[str, list[str]] = {}  # each essay's title once, then its sections
                    for e, i in x.sections:
                        by_essay.setdefault(e, []).append(self.link(p, kb.section_key(e, i), kb.section_title(self.essays[e], i)))
                    groups = [f"*{esc(kb.essay_title(self.essays[e]))}*: {', '.join(secs)}" for e, secs in by_essay.items()]
                    lines += ["Mentioned in " + "; ".join(groups), f"{{: {NOSEARCH} }}", ""]
        return Page(
            p,
            "Actors and places",
            "States, organisations and places named in the case studies, with where they are mentioned.",
            "\n".join(lines),
        )

    def graph(self) -> Page:
        p = GRAPH
        lines = [
            "# Knowledge graph",
            "",
            "How the knowledge base connects, as a table: one column per topic, one row per essay, case study, "
            "actor and place. A mark says the row connects to the topic, and a number how many times: "
            "sections of an essay filed under it, or case studies of an actor or place. "
            "Rows with marks in several columns are what joins the topics. Every name is a link.",
            "",
            matrix_html(self.kb, lambda key: self.url(p, key)),
        ]
        return Page(
            p,
            "Knowledge graph",
            "How topics, essays, case studies, actors and places connect: a table of topics against everything else.",
            "\n".join(lines),
        )

    def build(self, make: Callable[[], Page]) -> Page:
        """One page, with the links it made."""
        self._made = []
        page = make()
        return replace(page, links=tuple(self._made))

    def all_pages(self) -> list[Page]:
        kb = self.kb
        makers: list[Callable[[], Page]] = [self.home, self.topic_index, self.essay_index]
        makers += [partial(self.topic, t.slug) for t in kb.topics]
        makers += [partial(self.essay, e.slug) for e in kb.essays]
        makers.append(self.case_index)
        makers += [partial(self.case, c) for c in sorted(kb.cases)]
        makers += [self.timeline, self.actors, self.graph]
        return [self.build(m) for m in makers]


def _ek(name: str) -> str:
    from .text import slugify

    return slugify(name) or name


def _first_sentence(text: str) -> str:
    m = re.search(r"(?<=[.!?])\s", text)
    return text[: m.start()] if m else text


def nav(kb: KnowledgeBase) -> list[Any]:
    """MkDocs ``nav`` with explicit, HTML-escaped titles (MkDocs templates do not escape them).

    Explicit titles also keep the navigation right in dirty rebuilds, where MkDocs does not read
    the pages it skips.
    """

    def item(page: str) -> dict[str, str]:
        return {attr(kb.targets[page].title): page}

    return [
        item(HOME),
        {"Topics": [item(TOPIC_INDEX), *(item(topic_page(t.slug)) for t in kb.topics)]},
        {"Essays": [item(ESSAY_INDEX), *(item(essay_page(e.slug)) for e in kb.essays)]},
        {"Case studies": [item(CASE_INDEX), item(TIMELINE)]},
        item(ACTORS),
        item(GRAPH),
    ]


def page_sources(kb: KnowledgeBase) -> dict[str, str]:
    """The file an editor changes to change each generated page: a topic's YAML file, an essay's text.

    A case study is written in the topic file that holds it. Index pages, the actors page and the
    graph are made from everything, so they have none."""
    out = {topic_page(t.slug): t.path for t in kb.topics}
    out.update({essay_page(e.slug): e.path for e in kb.essays})
    out.update({case_page(c.id): c.path for c in kb.cases.values()})
    return {k: v for k, v in out.items() if v}


def knowledge_json(kb: KnowledgeBase, pages: Sequence[Page], directory_urls: bool = True) -> dict[str, Any]:
    """The machine-readable export: what the stages returned, and the links the pages made."""
    u = lambda page: url_of(page, directory_urls)  # noqa: E731
    essays = []
    for e in kb.essays:
        essays.append(
            {
                "slug": e.slug,
                "title": kb.essay_title(e),
                "url": u(essay_page(e.slug)),
                "sections": [
                    {
                        "heading": s.heading,
                        "level": s.level,
                        "anchor": kb.section_anchor[(e.slug, i)],
                        "line": s.line,
                        "topics": kb.routing.topics_of(e.slug, i),
                        **({"inferred": True} if s.inferred else {}),
                    }
                    for i, s in enumerate(e.sections)
                ],
            }
        )
    topics = [
        {
            "slug": t.slug,
            "title": t.title,
            "url": u(topic_page(t.slug)),
            "summary": t.summary,
            "related": [{"slug": r.slug, "reasons": r.reasons} for r in kb.related[t.slug]],
            "case_studies": [{"name": c.name, "url": u(case_page(c.id))} for c in kb.cases_of[t.slug]],
        }
        for t in kb.topics
    ]
    cases = [
        {
            "id": c.id,
            "name": c.name,
            "url": u(case_page(c.id)),
            "years": c.years,
            "places": c.places,
            "actors": c.actors,
            "topics": c.topics,
            "as_of": c.as_of,
            "note": c.note,
            "source": {"essay": c.source.essay, "quote": c.source.quote, "line": c.source.line} if c.source else None,
            "references": [{"title": r.title, "publisher": r.publisher, "date": r.date, "url": r.url} for r in c.references],
        }
        for c in kb.cases.values()
    ]
    links = []
    seen: set[tuple[str, str]] = set()
    for pg in pages:
        for key in pg.links:
            pair = (u(pg.path), site_url(key, directory_urls))
            if pair not in seen:
                seen.add(pair)
                links.append({"from": pair[0], "to": pair[1]})
    anchors = [{"url": u(t.page) + (f"#{t.anchor}" if t.anchor else ""), "title": t.title, "kind": t.kind} for t in kb.targets.values()]
    return {"essays": essays, "topics": topics, "case_studies": cases, "anchors": anchors, "links": links}


@dataclass(frozen=True)
class Rendered:
    pages: tuple[Page, ...]
    problems: tuple[Problem, ...]  # links to targets the link stage never registered


def render(kb: KnowledgeBase, directory_urls: bool = True) -> Rendered:
    """Every page of the site, each with the links it made; nothing of ``kb`` is changed."""
    r = Renderer(kb, directory_urls)
    pages = tuple(r.all_pages())
    return Rendered(pages, tuple(r.problems))
