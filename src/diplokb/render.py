"""Stage 5, render: the linked knowledge base -> Markdown pages and ``knowledge.json``.

All text that comes from YAML or essays goes through :func:`esc`, so it reaches the page as
text: HTML is escaped and every character Markdown could read as syntax becomes a numeric
entity (backslash escapes are not enough, see BAD_INPUTS.md). Page titles are written
explicitly, HTML-escaped, in front matter.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from dataclasses import dataclass
from typing import Any

from .graph import neighbourhood_svg, site_graph_svg
from .link import (
    ACTORS,
    CASE_INDEX,
    ESSAY_INDEX,
    GRAPH,
    HOME,
    TOPIC_INDEX,
    KnowledgeBase,
    case_page,
    essay_page,
    excerpt_blocks,
    relpath,
    topic_page,
)
from .parse import Block, Essay

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


def url_of(page: str, directory_urls: bool = True) -> str:
    """Site URL of a source page, as MkDocs computes it."""
    if not page.endswith(".md"):
        return page
    stem = page[:-3]
    if directory_urls:
        if stem == "index":
            return ""
        if stem.endswith("/index"):
            return stem[: -len("index")]
        return stem + "/"
    return stem + ".html"


def _rel_url(from_page: str, key: str, directory_urls: bool) -> str:
    page, _, anchor = key.partition("#")
    a, b = url_of(from_page, directory_urls), url_of(page, directory_urls)
    base = posixpath.dirname(a) if not a.endswith("/") else a.rstrip("/")
    rel = relpath(b, base) if b != a else ""
    if b.endswith("/") and rel and not rel.endswith("/") and rel != ".":
        rel += "/"
    if rel == ".":
        rel = "./"
    return f"{rel}#{anchor}" if anchor else (rel or "./")


@dataclass
class Page:
    path: str
    title: str
    description: str
    body: str

    def markdown(self) -> str:
        desc = self.description.strip()
        if len(desc) > 300:
            desc = desc[:297].rsplit(" ", 1)[0] + "…"
        return f"---\ntitle: {json.dumps(attr(self.title))}\ndescription: {json.dumps(attr(desc))}\n---\n\n{self.body.rstrip()}\n"


class Renderer:
    def __init__(self, kb: KnowledgeBase, directory_urls: bool = True) -> None:
        self.kb = kb
        self.directory_urls = directory_urls
        self.topics = kb.topic
        self.essays = kb.essay

    # -- helpers -----------------------------------------------------------------------------
    def link(self, page: str, key: str, text: str, origin: str = "") -> str:
        return f"[{esc(text)}]({self.kb.href(page, key, origin)})"

    def url(self, page: str, key: str) -> str:
        """Final relative URL, for raw HTML (SVG) where MkDocs does not rewrite links."""
        self.kb.href(page, key)  # resolve and record
        return _rel_url(page, key, self.directory_urls)

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
            f"{len(kb.essays)} essay{'s' if len(kb.essays) != 1 else ''} and from topic files "
            "curated by people: essay sections are filed under topics by what they say, and "
            f"{n_cases} case stud{'y' if n_cases == 1 else 'ies'} link each topic back to the "
            "passage of the essay that names them.",
            "",
            "## Topics",
            "",
            "| Topic | Case studies | Essay sections | Summary |",
            "| --- | ---: | ---: | --- |",
        ]
        for t in kb.topics:
            n = len(kb.cases_of[t.slug])
            lines.append(
                f"| {self.link(p, topic_page(t.slug), t.title)} | {n} | {len(kb.routing.by_topic[t.slug])} | {esc(_first_sentence(t.summary))} |"
            )
        lines += ["", f"All topics with their full summaries: {self.link(p, TOPIC_INDEX, 'Topics')}.", "", "## Essays", ""]
        for e in kb.essays:
            lines.append(f"- {self.link(p, essay_page(e.slug), kb.essay_title(e))}: {len(e.sections)} sections")
        lines += [
            "",
            "## Browse",
            "",
            f"- {self.link(p, ESSAY_INDEX, 'Essays')}: the essays in full, with the topics of their sections.",
            f"- {self.link(p, CASE_INDEX, 'Case studies')}: every case study in one table, with years, places and topics.",
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
        lines += ["", "## Case studies {#case-studies}", ""]
        if cases:
            lines += ["| Case study | Years | Places |", "| --- | --- | --- |"]
            for c in cases:
                lines.append(f"| {self.link(p, case_page(c.id), c.name)} | {esc(c.years) or '–'} | {esc(', '.join(c.places)) or '–'} |")
        else:
            lines.append(
                f"No case study is filed under {esc(t.title)} yet. Add one under `case_studies:` in `content/topics/{esc(slug)}.yaml`."
            )
        lines += ["", "## Related topics {#related-topics}", ""]
        for r in kb.related[slug]:
            lines.append(f"- {self.link(p, topic_page(r.slug), self.topics[r.slug].title)}: {esc('; '.join(r.reasons))}")
        if not kb.related[slug]:
            lines.append("No related topic yet.")
        lines += ["", "## From the essays {#from-the-essays}", ""]
        if not filed:
            lines.append("No essay section is filed under this topic yet.")
        for e_slug, i in filed:
            e = self.essays[e_slug]
            s = e.sections[i]
            anchor = kb.topic_section_anchor[(e_slug, i)]
            lines.append(f"### {esc(kb.section_title(e, i))} {{#{anchor}}}")
            lines.append("")
            others = [x for x in kb.routing.topics_of(e_slug, i) if x != slug]
            src = self.link(p, kb.section_key(e_slug, i), f"{kb.essay_title(e)} › {kb.section_title(e, i)}", f"{e.path}:{s.line}")
            also = f" · also in: {self._topic_chips(p, others)}" if others else ""
            lines.append(f"from: {src}{also}\n{{: .kb-from }}")
            lines.append("")
            shown = excerpt_blocks(s)
            for block in self._blocks(p, e, i, slug, shown):
                lines += [block, ""]
            rest = len(s.blocks) - shown
            if rest > 0:
                more = f"Continue reading: {rest} more paragraph{'s' if rest != 1 else ''} in the essay"
                lines += [f"{self.link(p, kb.section_key(e_slug, i), more)}\n{{: .kb-more }}", ""]
        lines += self._neighbourhood(p, slug)
        lines += self._backlinks(p, p)
        return Page(p, t.title, t.summary, "\n".join(lines))

    def _neighbourhood(self, p: str, slug: str) -> list[str]:
        svg = neighbourhood_svg(self.kb, slug, lambda key: self.url(p, key))
        return ["", "## Neighbourhood {#neighbourhood}", "", svg, ""]

    def _backlinks(self, p: str, key: str) -> list[str]:
        """ "Mentioned in": every section that mentions the target, grouped by essay or topic page."""
        ms = [m for m in self.kb.backlinks.get(key, []) if m.kind in ("term", "source", "actor") and m.src_page != p]
        lines = ["", "## Mentioned in {#mentioned-in}", ""]
        if not ms:
            return [*lines, "Nothing links here yet.", ""]
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
        facts = [f"{len(e.sections)} sections", f"source file {esc(posixpath.basename(e.path) or slug + '.txt')}"]
        if meta and meta.source:
            facts.append(f"first published: {esc(meta.source)}")
        if meta and meta.date:
            facts.append(esc(meta.date))
        if e.dropped:
            facts.append(
                f"{len(e.dropped)} scrape-debris line{'s' if len(e.dropped) != 1 else ''} left out (lines {', '.join(str(d.line) for d in e.dropped)})"
            )
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
                lines += [" · ".join(notes), "{: .kb-filed }", ""]
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
        lines = [f"# {esc(c.name)}", "", esc(c.summary), "", "| Fact | Details |", "| --- | --- |"]
        lines.append(f"| Years | {esc(c.years) or '–'} |")
        lines.append(f"| Places | {', '.join(self.link(p, f'{ACTORS}#{kb.entities[_ek(x)].anchor}', x) for x in c.places) or '–'} |")
        lines.append(f"| Actors | {', '.join(self.link(p, f'{ACTORS}#{kb.entities[_ek(x)].anchor}', x) for x in c.actors) or '–'} |")
        lines.append(f"| Topics | {self._topic_chips(p, c.topics)} |")
        lines += ["", "## Source {#source}", ""]
        e = self.essays[c.source.essay]
        where = self.link(
            p,
            kb.section_key(e.slug, c.source.section or 0),
            f"{kb.essay_title(e)} › {kb.section_title(e, c.source.section or 0)}",
            f"{c.path}:{c.line}",
        )
        lines += [f"> {esc(c.source.quote)}", "", f"From {where}, line {c.source.line}.", ""]
        lines += ["## In its topics {#in-its-topics}", ""]
        for slug in c.topics:
            siblings = kb.cases_of[slug]
            k = kb.case_position[(slug, cid)]
            prev = self.link(p, case_page(siblings[k - 1].id), f"← {siblings[k - 1].name}") if k > 0 else "(first)"
            nxt = self.link(p, case_page(siblings[k + 1].id), f"{siblings[k + 1].name} →") if k + 1 < len(siblings) else "(last)"
            lines.append(f"- {self.link(p, topic_page(slug), self.topics[slug].title)} ({k + 1} of {len(siblings)}): {prev} · {nxt}")
        lines += self._backlinks(p, p)
        return Page(p, c.name, c.summary, "\n".join(lines))

    def topic_index(self) -> Page:
        kb = self.kb
        p = TOPIC_INDEX
        lines = ["# Topics", "", f"{len(kb.topics)} topics. Each gathers the essay sections that discuss it and its case studies.", ""]
        for t in kb.topics:
            n_cases, n_secs = len(kb.cases_of[t.slug]), len(kb.routing.by_topic[t.slug])
            counts = f"{n_secs} essay section{'s' if n_secs != 1 else ''}, {n_cases} case stud{'y' if n_cases == 1 else 'ies'}"
            lines.append(f"- **{self.link(p, topic_page(t.slug), t.title)}** ({counts}): {esc(t.summary)}")
        return Page(
            p, "Topics", "The topics of the knowledge base, each with its summary, essay sections and case studies.", "\n".join(lines)
        )

    def essay_index(self) -> Page:
        kb = self.kb
        p = ESSAY_INDEX
        lines = ["# Essays", "", f"The {len(kb.essays)} essays this knowledge base is built from, in full, with each section's topics.", ""]
        lines += ["| Essay | Sections | Topics |", "| --- | ---: | --- |"]
        for e in kb.essays:
            topics = sorted({t for f in kb.routing.filings[e.slug] for t in f.topics}, key=lambda s: self.topics[s].title.casefold())
            lines.append(
                f"| {self.link(p, essay_page(e.slug), kb.essay_title(e))} | {len(e.sections)} | {self._topic_chips(p, topics) or '–'} |"
            )
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
            "To add one, see the README: it is a few lines in a topic file.",
            "",
            "| Case study | Years | Places | Topics |",
            "| --- | --- | --- | --- |",
        ]
        for c in sorted(kb.cases.values(), key=lambda c: c.name.casefold()):
            lines.append(
                f"| {self.link(p, case_page(c.id), c.name)} | {esc(c.years) or '–'} | {esc(', '.join(c.places)) or '–'} | {self._topic_chips(p, c.topics)} |"
            )
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
                    secs = [
                        self.link(p, kb.section_key(e, i), f"{kb.essay_title(self.essays[e])} › {kb.section_title(self.essays[e], i)}")
                        for e, i in x.sections
                    ]
                    lines += ["Mentioned in: " + ", ".join(secs), ""]
        return Page(
            p,
            "Actors and places",
            "States, organisations and places named in the case studies, with where they are mentioned.",
            "\n".join(lines),
        )

    def graph(self) -> Page:
        p = GRAPH
        svg = site_graph_svg(self.kb, lambda key: self.url(p, key))
        lines = [
            "# Knowledge graph",
            "",
            "Topics (large), essays, case studies and actors or places (small), joined where one links to "
            "the other. Every node is a link; hover for its name.",
            "",
            svg,
        ]
        return Page(
            p,
            "Knowledge graph",
            "The knowledge graph: topics, case studies, essays, actors and places, and the links between them.",
            "\n".join(lines),
        )

    def all_pages(self) -> list[Page]:
        pages = [self.home(), self.topic_index(), self.essay_index()]
        pages += [self.topic(t.slug) for t in self.kb.topics]
        pages += [self.essay(e.slug) for e in self.kb.essays]
        pages.append(self.case_index())
        pages += [self.case(c) for c in sorted(self.kb.cases)]
        pages.append(self.actors())
        pages.append(self.graph())
        return pages


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
        {"Case studies": [item(CASE_INDEX)]},
        item(ACTORS),
        item(GRAPH),
    ]


def knowledge_json(kb: KnowledgeBase, directory_urls: bool = True) -> dict[str, Any]:
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
            "source": {"essay": c.source.essay, "quote": c.source.quote, "line": c.source.line},
        }
        for c in kb.cases.values()
    ]
    links = []
    seen: set[tuple[str, str]] = set()
    for frm, key in kb.emitted:
        page, _, anchor = key.partition("#")
        pair = (u(frm), u(page) + (f"#{anchor}" if anchor else ""))
        if pair not in seen:
            seen.add(pair)
            links.append({"from": pair[0], "to": pair[1]})
    anchors = [{"url": u(t.page) + (f"#{t.anchor}" if t.anchor else ""), "title": t.title, "kind": t.kind} for t in kb.targets.values()]
    return {"essays": essays, "topics": topics, "case_studies": cases, "anchors": anchors, "links": links}


def render(kb: KnowledgeBase, directory_urls: bool = True) -> tuple[dict[str, str], dict[str, Any]]:
    """All pages as ``{path: markdown}``, and the ``knowledge.json`` export."""
    r = Renderer(kb, directory_urls)
    pages = {pg.path: pg.markdown() for pg in r.all_pages()}
    return pages, knowledge_json(kb, directory_urls)
