"""Stage 5, render: the linked knowledge base -> the site's pages, each with the links it made.

The stage makes a :class:`~diplokb.render.context.Context` (what every page builder shares: links
checked against the link stage's index and recorded per page, essay text with its term links,
"Mentioned in" lists) and hands it to the builders in :mod:`diplokb.render.pages` (topics, essays,
case studies) and :mod:`diplokb.render.indexes` (home, indexes, timeline, actors, graph). Nothing
of the knowledge base is changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from ..cache import BuildCache
from ..content.schema import Topic
from ..errors import Problem
from ..stages.link import KnowledgeBase
from ..stages.route import Routing
from ..urls import (
    ACTORS,
    BIBLIOGRAPHY,
    BROWSE,
    CASE_INDEX,
    ESSAY_INDEX,
    GRAPH,
    HOME,
    MAP,
    TIMELINE,
    TOPIC_INDEX,
    case_page,
    essay_page,
    topic_page,
)
from . import browse, entities, indexes, pagemeta, pages
from .cite import SiteInfo
from .context import Context
from .copy import copy_text
from .markup import Page
from .track import Tracker, unchanged

__all__ = ["Page", "Rendered", "render"]


def _build(r: Context, make: Callable[[], Page]) -> Page:
    """One page, with the links it made."""
    r._made = []
    page = pagemeta.finish(r, make())
    return replace(page, links=tuple(r._made))


def _makers(r: Context) -> list[tuple[str, partial[Page]]]:
    """Every page the stage makes, in order: its path and the builder that makes it. The one list of them
    (:func:`page_paths` reads it; :func:`_all_pages` checks each page is at the path said here)."""
    kb = r.kb
    makers: list[tuple[str, partial[Page]]] = [
        (HOME, partial(indexes.home, r)),
        (TOPIC_INDEX, partial(indexes.topic_index, r)),
        (ESSAY_INDEX, partial(indexes.essay_index, r)),
    ]
    makers += [(topic_page(t.slug), partial(pages.topic, r, t.slug)) for t in kb.topics]
    makers += [(essay_page(e.slug), partial(pages.essay, r, e.slug)) for e in kb.essays]
    makers.append((CASE_INDEX, partial(indexes.case_index, r)))
    makers += [(case_page(c), partial(pages.case, r, c)) for c in sorted(kb.cases)]
    makers += [(TIMELINE, partial(indexes.timeline, r)), (ACTORS, partial(indexes.actors, r)), (GRAPH, partial(indexes.graph, r))]
    makers += [(kb.entities[k].page, partial(entities.page, r, k)) for k in sorted(kb.entities)]
    makers += [(MAP, partial(entities.map_page, r)), (BROWSE, partial(browse.page, r)), (BIBLIOGRAPHY, partial(browse.bibliography, r))]
    return makers


def page_paths(kb: KnowledgeBase) -> list[str]:
    """The path of every page :func:`render` makes of ``kb``, in its order, without making any."""
    return [path for path, _make in _makers(Context(kb))]


def _all_pages(r: Context, cache: BuildCache | None = None) -> list[Page]:
    planned = _makers(r)
    makers = [m for _path, m in planned]
    if cache is None:
        out = [_build(r, m) for m in makers]
    else:
        keys = [(m.func.__module__, m.func.__qualname__, m.args[1:], r.directory_urls, r.site) for m in makers]
        out = [_reuse(r, key, m, cache) for key, m in zip(keys, makers, strict=True)]
        for gone in cache.pages.keys() - set(keys):
            del cache.pages[gone]
    for (path, _m), page in zip(planned, out, strict=True):
        if page.path != path:
            raise RuntimeError(f"renderer._makers says {path}, its builder made {page.path}")
    return out


def _reuse(r: Context, key: Any, make: Callable[[], Page], cache: BuildCache) -> Page:
    """The page as last built if everything it read then reads the same now; else built, noting its reads.

    Page builders must read the knowledge base through ``r.kb`` (or ``r.topics`` / ``r.essays``,
    swapped for views here): anything else kept on the context would be read unnoted, and a page
    depending on it would not be built again when it changed."""
    allowed = {"kb", "directory_urls", "site", "_citer", "_names", "topics", "essays", "problems", "_made", "_hrefs", "_colours"}
    # _hrefs: paths only; site is in the key; _citer is made from site alone; _names is dropped below (it reads kb);
    # _colours is keyed by the slug and `colour:` each page reads through the topics view
    if vars(r).keys() - allowed:
        raise RuntimeError(f"Context state outside the tracked reads: {sorted(vars(r))}; see renderer._reuse")
    hit = cache.pages.get(key)
    if hit is not None and unchanged(r.kb, hit[0]):
        r.problems.extend(hit[2])
        return hit[1]  # type: ignore[no-any-return]
    r._names = None  # made again from this page's own (tracked) reads
    kb, tracker = r.kb, Tracker(r.kb, (KnowledgeBase, Routing, Topic))
    view = tracker.view()
    r.kb, r.topics, r.essays = view, view.topic, view.essay
    n = len(r.problems)
    try:
        page = _build(r, make)
    finally:
        r.kb, r.topics, r.essays = kb, kb.topic, kb.essay
    cache.pages[key] = (tracker.root, page, tuple(r.problems[n:]))
    return page


@dataclass(frozen=True)
class Rendered:
    pages: tuple[Page, ...]
    problems: tuple[Problem, ...]  # links to targets the link stage never registered
    site: SiteInfo = field(default_factory=lambda: SiteInfo(copy_text("site_name")))  # the site the pages cite


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


def render(kb: KnowledgeBase, directory_urls: bool = True, cache: BuildCache | None = None, site: SiteInfo | None = None) -> Rendered:
    """Every page of the site, each with the links it made, checked; nothing of ``kb`` is changed.

    With a ``cache`` that keeps pages (``mkdocs serve``), a page whose reads of ``kb`` all give what
    they gave when it was last built is not built again (see :mod:`diplokb.render.track`)."""
    r = Context(kb, directory_urls, site)
    pages = tuple(_all_pages(r, cache if cache is not None and cache.keep else None))
    return Rendered(pages, tuple(r.problems + check_links(pages)), r.site)
