"""Stage 5, render: the linked knowledge base -> the site's pages, each with the links it made.

:class:`Renderer` holds what every page builder shares: links checked against the link stage's
index (phase two of the two-phase resolution) and recorded per page, essay text with its term
links, "Mentioned in" lists. The builders are in :mod:`diplokb.pages` (topics, essays, case
studies) and :mod:`diplokb.indexes` (home, indexes, timeline, actors, graph). Nothing of the
knowledge base is changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from . import indexes, pages
from .cache import BuildCache
from .copy import count
from .errors import Problem
from .link import KnowledgeBase, TermHit
from .markup import Block as PageBlock
from .markup import Heading, Page, esc, para, ul
from .parse import Block, Essay
from .route import Routing
from .scale import trim_mentions
from .schema import CaseStudy, Topic
from .timeline import PALETTE, rows_of
from .track import Tracker, unchanged
from .urls import case_page, html_href, topic_page

__all__ = ["Page", "Rendered", "Renderer", "render"]


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
        self._hrefs: dict[tuple[str, str], str] = {}  # (from page, key) -> relative URL

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

    def build(self, make: Callable[[], Page]) -> Page:
        """One page, with the links it made."""
        self._made = []
        page = make()
        return replace(page, links=tuple(self._made))

    def all_pages(self, cache: BuildCache | None = None) -> list[Page]:
        kb = self.kb
        makers: list[partial[Page]] = [partial(f, self) for f in (indexes.home, indexes.topic_index, indexes.essay_index)]
        makers += [partial(pages.topic, self, t.slug) for t in kb.topics]
        makers += [partial(pages.essay, self, e.slug) for e in kb.essays]
        makers.append(partial(indexes.case_index, self))
        makers += [partial(pages.case, self, c) for c in sorted(kb.cases)]
        makers += [partial(f, self) for f in (indexes.timeline, indexes.actors, indexes.graph)]
        if cache is None:
            return [self.build(m) for m in makers]
        keys = [(m.func.__module__, m.func.__qualname__, m.args[1:], self.directory_urls) for m in makers]
        out = [self.reuse(key, m, cache) for key, m in zip(keys, makers, strict=True)]
        for gone in cache.pages.keys() - set(keys):
            del cache.pages[gone]
        return out

    def reuse(self, key: Any, make: Callable[[], Page], cache: BuildCache) -> Page:
        """The page as last built if everything it read then reads the same now; else built, noting its reads.

        Page builders must read the knowledge base through ``self.kb`` (or ``self.topics`` /
        ``self.essays``, swapped for views here): anything else kept on the renderer would be read
        unnoted, and a page depending on it would not be built again when it changed."""
        if vars(self).keys() - {"kb", "directory_urls", "topics", "essays", "problems", "_made", "_hrefs"}:  # _hrefs: paths only
            raise RuntimeError(f"Renderer state outside the tracked reads: {sorted(vars(self))}; see Renderer.reuse")
        hit = cache.pages.get(key)
        if hit is not None and unchanged(self.kb, hit[0]):
            self.problems.extend(hit[2])
            return hit[1]  # type: ignore[no-any-return]
        kb, tracker = self.kb, Tracker(self.kb, (KnowledgeBase, Routing, Topic))
        view = tracker.view()
        self.kb, self.topics, self.essays = view, view.topic, view.essay
        n = len(self.problems)
        try:
            page = self.build(make)
        finally:
            self.kb, self.topics, self.essays = kb, kb.topic, kb.essay
        cache.pages[key] = (tracker.root, page, tuple(self.problems[n:]))
        return page


@dataclass(frozen=True)
class Rendered:
    pages: tuple[Page, ...]
    problems: tuple[Problem, ...]  # links to targets the link stage never registered


def check_links(pages: tuple[Page, ...]) -> list[Problem]:
    """Every link a page made points at a page of the site and an id on it (phase one: every page's
    anchors; phase two: each link resolved against them). MkDocs does not check generated pages' links."""
    anchors = {p.path: p.anchors() for p in pages}
    problems = []
    for p in pages:
        for key in dict.fromkeys(p.links):
            target, _, anchor = key.partition("#")
            if target not in anchors:
                problems.append(Problem(p.path, 0, 0, "link", f"link to `{key}`: no such page", "warning"))
            elif anchor and anchor not in anchors[target]:
                problems.append(Problem(p.path, 0, 0, "link", f"link to `{key}`: no such anchor on the page", "warning"))
    return problems


def render(kb: KnowledgeBase, directory_urls: bool = True, cache: BuildCache | None = None) -> Rendered:
    """Every page of the site, each with the links it made, checked; nothing of ``kb`` is changed.

    With a ``cache`` that keeps pages (``mkdocs serve``), a page whose reads of ``kb`` all give what
    they gave when it was last built is not built again (see :mod:`diplokb.track`)."""
    r = Renderer(kb, directory_urls)
    pages = tuple(r.all_pages(cache if cache is not None and cache.keep else None))
    return Rendered(pages, tuple(r.problems + check_links(pages)))
