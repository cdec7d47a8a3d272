"""What every page builder is handed: the linked knowledge base, read-only, and the means to link into it.

:class:`Context` makes every link (phase two of the two-phase resolution: each checked against
the link stage's index and recorded for the page being built), essay text with its term links
and "Mentioned in" lists. The page builders (:mod:`~diplokb.render.pages`,
:mod:`~diplokb.render.indexes`, :mod:`~diplokb.render.summary`) receive it; the render stage
(:mod:`~diplokb.render.renderer`) makes it and calls them, so no builder imports the renderer.
"""

from __future__ import annotations

from typing import Any

from ..content.essay import Block, Essay
from ..content.schema import CaseStudy
from ..errors import Problem
from ..match import TermMatcher
from ..stages.link import KnowledgeBase, TermHit
from ..text import CITE_MARKER
from ..urls import case_page, essay_page, html_href, section_ref, topic_page
from .cite import Citer, SiteInfo
from .copy import count
from .markup import Block as PageBlock
from .markup import Heading, attr, esc, para, ul
from .scale import trim_mentions
from .timeline import PALETTE, rows_of


class Context:
    """The linked knowledge base, which page builders only read, and the links they make.

    Every link goes through :meth:`href`, which checks it against the link stage's index (phase
    two of the two-phase resolution) and records it for the page being built. Builders read the
    knowledge base through ``kb``, ``topics`` and ``essays`` only: the render stage swaps them for
    views that note each read (see :func:`~diplokb.render.renderer.render`)."""

    def __init__(self, kb: KnowledgeBase, directory_urls: bool = True, site: SiteInfo | None = None) -> None:
        self.kb = kb
        self.directory_urls = directory_urls
        self.site = site if site is not None else SiteInfo("diplokb")
        self._citer: Citer | None = None
        self._names: TermMatcher | None = None
        self.topics = kb.topic
        self.essays = kb.essay
        self.problems: list[Problem] = []
        self._made: list[str] = []  # links of the page being built
        self._hrefs: dict[tuple[str, str], str] = {}  # (from page, key) -> relative URL

    @property
    def citer(self) -> Citer:
        """The build's citation templates (each CSL style formatted once), made when a page is first cited."""
        if self._citer is None:
            self._citer = Citer(self.site)
        return self._citer

    def entity_names(self) -> TermMatcher:
        """One matcher of every actor's and place's names and aliases (keys: the entities' keys), for this build."""
        if self._names is None:
            ents = self.kb.entities
            self._names = TermMatcher((n, k) for k, e in ents.items() for n in (e.name, *(e.info.aliases if e.info else ())))
        return self._names

    def href(self, page: str, key: str, origin: str = "") -> str:
        """The final relative URL of ``key`` from ``page`` (``use_directory_urls`` either way), checked and recorded."""
        target = key.partition("#")[0]
        if key not in self.kb.targets and target not in self.kb.targets:
            self.problems.append(Problem(origin or page, 0, 0, "link", f"link to unknown target `{key}`", "warning"))
        elif key != target and key not in self.kb.targets:
            self.problems.append(Problem(origin or page, 0, 0, "link", f"link to unknown anchor `{key}`", "warning"))
        self._made.append(key)
        got = self._hrefs.get((page, key))
        if got is None:
            got = self._hrefs[(page, key)] = html_href(page, key, self.directory_urls)
        return got

    def link(self, page: str, key: str, text: str, origin: str = "") -> str:
        return f'<a href="{self.href(page, key, origin)}">{esc(text)}</a>'

    def cited(self, page: str, text: str, references: int) -> str:
        """``text`` (a summary or note) as HTML, its citation markers made links: ``[2]`` to the page's second
        reference (``#ref-2``), ``[essay#section]`` to that passage of the essay. The check stage has
        refused markers that cite nothing; any left here stay as the text they are."""
        out, at = [], 0
        for m in CITE_MARKER.finditer(text):
            body = m.group(1)
            key = section_ref(body) if "#" in body else None
            if key is not None:
                essay, _, sid = key.partition("#")
                key = f"{essay_page(essay)}#{sid}"
            if body.isdigit() and 1 <= int(body) <= references:
                link = f'<a href="#ref-{body}" title="Reference {body}">[{body}]</a>'
            elif key is not None and key in self.kb.targets:
                where = self.kb.targets[key]
                label = f"From the essay {self.kb.targets[where.page].title}, section {where.title}"
                link = f'<a href="{self.href(page, key)}" title="{attr(label)}">[essay]</a>'
            else:
                continue
            out += [esc(text[at : m.start()].rstrip()), f'<sup class="kb-cite">{link}</sup>']
            at = m.end()
        return "".join(out) + esc(text[at:]) if out else esc(text)

    def url(self, page: str, key: str) -> str:
        """Final relative URL, for HTML drawn elsewhere (timeline, graph)."""
        return self.href(page, key)

    def text_with_terms(self, page: str, text: str, hits: list[TermHit], skip: str | None, origin: str) -> str:
        out, prev = [], 0
        for hit in hits:
            if hit.topic == skip or hit.start < prev:
                continue
            out.append(esc(text[prev : hit.start]) if prev < hit.start else "")
            out.append(self.link(page, topic_page(hit.topic), text[hit.start : hit.end], origin))
            prev = hit.end
        out.append(esc(text[prev:]))
        return "".join(out)

    def blocks(self, page: str, e: Essay, i: int, skip: str | None, limit: int | None = None) -> list[str]:
        s = e.sections[i]
        hits = self.kb.term_hits.get((e.slug, i), [])
        out: list[str] = []
        for bi, b in enumerate(s.blocks[:limit]):
            origin = f"{e.path}:{b.line}"
            here = [h for h in hits if h.block == bi]
            if b.kind == "paragraph":
                out.append(para(self.text_with_terms(page, b.text, here, skip, origin)))
            else:
                out.append(self.list_block(page, b, here, skip, origin))
        return out

    def list_block(self, page: str, b: Block, hits: list[TermHit], skip: str | None, origin: str) -> str:
        items = []
        for n, item in enumerate(b.items):
            h = [x for x in hits if x.item == n]
            items.append(self.text_with_terms(page, item, h, skip, origin))
        return ul(items, b.ordered)

    def topic_chips(self, page: str, slugs: list[str]) -> str:
        return ", ".join(self.link(page, topic_page(s), self.topics[s].title) for s in slugs)

    def timeline_rows(self, p: str, cases: list[CaseStudy]) -> list[Any]:
        number = self.kb.topic_number
        return rows_of(cases, lambda c: self.url(p, case_page(c.id)), lambda c: number.get(c.topics[0], 0) % PALETTE)

    def backlinks(self, p: str, key: str, shown: set[str] | frozenset[str] = frozenset()) -> list[PageBlock]:
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
        ms, more = trim_mentions(ms)
        lines: list[PageBlock] = [Heading(2, "Mentioned in", "mentioned-in", nosearch=True)]
        if not ms:
            return [*lines, para("No other essay section mentions it." if shown else "No essay section mentions it yet.")]
        groups: dict[str, list[str]] = {}
        seen: set[str] = set()
        for m in ms:
            k = f"{m.src_page}#{m.src_anchor}" if m.src_anchor else m.src_page
            if k in seen:
                continue
            seen.add(k)
            groups.setdefault(m.group, []).append(self.link(p, k, m.label.split(" › ", 1)[-1]))
        lines.append(ul([f"<strong>{esc(g)}</strong>: {', '.join(links)}" for g, links in groups.items()]))
        if more:
            lines.append(para(esc(f"{count(more, 'other essay mentions', 'other essays mention')} it as well.")))
        return lines
