"""The stages wired together: parse -> model -> route -> decide -> link -> render.

Each stage is a function of what the ones before it returned. What a rebuild can reuse (parsed
essays, composed YAML, term scans) sits in a :class:`~diplokb.cache.BuildCache` that the caller
owns and passes in: the plugin keeps one for a serve session, each CLI run makes its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .cache import BuildCache
from .content.decisions import DECISIONS_FILE, Decisions
from .content.entities import ENTITIES_FILE, EntityBook
from .content.inputs import folder_problem, links_out
from .content.schema import CaseStudy
from .errors import ContentError, Problem, Report
from .match import TermMatcher
from .render.cite import SiteInfo
from .render.exports import DOWNLOADS, downloads
from .render.knowledge import knowledge_json
from .render.markup import Page
from .render.renderer import page_paths, render
from .stages.decide import filing_problems, load_decisions, settle
from .stages.entities import likely_duplicates, load_entities
from .stages.link import KnowledgeBase, build
from .stages.model import EssayMeta, Topic, load_essay_meta, load_topics
from .stages.parse import Essay
from .stages.route import SectionHits, route, section_hits, topic_matcher
from .stages.sources import load_essays
from .text import name_slug


@dataclass
class Result:
    kb: KnowledgeBase
    pages: dict[str, Page]  # generated page path -> its blocks (HTML and headings), toc and links
    knowledge: dict[str, Any]
    warnings: list[Problem] = field(default_factory=list)
    downloads: dict[str, str] = field(default_factory=dict)  # exports beside knowledge.json: path -> text


@dataclass
class Loaded:
    essays: list[Essay]
    topics: list[Topic]
    meta: dict[str, EssayMeta]
    warnings: list[Problem]
    entities: EntityBook = field(default_factory=EntityBook)
    decisions: Decisions = field(default_factory=Decisions)


def check(
    content_dir: Path,
    seeds_dir: Path,
    require_references: bool = False,
    cache: BuildCache | None = None,
    pages_dir: Path | None = None,
) -> Loaded:
    """Load and validate everything; raises :class:`ContentError` listing every error.

    ``require_references``: a case study without references is an error rather than a warning.
    ``pages_dir``: the hand-written pages (MkDocs' ``docs_dir``), published as they are: only
    checked for symbolic links leading out of it.
    """
    essays, found = load_essays(seeds_dir, cache)
    if pages_dir is not None:
        found += links_out(pages_dir)
    problems = [p for p in found if p.severity == "error"]
    warnings = [p for p in found if p.severity != "error"]
    content_bad = folder_problem(content_dir)  # a link out of the project, a loop, no permission
    seeds_bad = folder_problem(seeds_dir)  # (listing reported it)
    if content_bad is not None:
        problems.append(content_bad)
    elif not content_dir.is_dir():
        problems.append(
            Problem(str(content_dir), 0, 0, "content_dir", "folder not found; create it (with topics/ inside) or fix content_dir")
        )
    elif folder_problem(content_dir / "topics") is None and not (content_dir / "topics").is_dir():  # (listing reports the former)
        problems.append(Problem(str(content_dir / "topics"), 0, 0, "", "folder not found; the topic files (*.yaml) live there"))
    meta: dict[str, EssayMeta] = {}
    report = Report()
    failed = {name_slug(Path(p.path).stem, "essay") for p in problems if p.path.endswith(".txt")}
    try:
        if seeds_bad is None:  # nothing is read from a folder outside the project or that cannot be read
            meta = load_essay_meta(seeds_dir / "essays.yaml", cache, report, (essays, frozenset(failed)))
    except ContentError as exc:
        problems += exc.problems
    topics: list[Topic] = []
    try:
        if content_bad is None and seeds_bad is None:  # (without the essays, every quote would be "no essay named")
            topics = load_topics(content_dir, essays, failed, require_references, report, cache)
    except ContentError as exc:
        problems += exc.problems
    warnings += report.warnings
    book = EntityBook()
    try:
        if content_bad is None and content_dir.is_dir():  # (entities.yaml is optional)
            book = load_entities(content_dir, cache)
    except ContentError as exc:
        problems += exc.problems
    decisions = Decisions()
    try:
        if content_bad is None and content_dir.is_dir() and not problems:  # (filings.yaml is optional; it names essays and topics)
            decisions, found = load_decisions(content_dir, essays, topics, cache)
            warnings += found
    except ContentError as exc:
        problems += exc.problems
    if problems:
        raise ContentError(problems)
    warnings += likely_duplicates((c for t in topics for c in t.case_studies), book)
    if not topics:
        warnings.append(Problem(str(content_dir / "topics"), 0, 0, "", "no topic files found", "warning"))
    return Loaded(essays, topics, meta, warnings, book, decisions)


def scan(essays: list[Essay], topics: list[Topic], cache: BuildCache) -> tuple[TermMatcher, dict[tuple[str, int], SectionHits]]:
    """Every topic-term mention in every section, in one matcher pass: routing weighs them, linking links them.

    Reused per essay while the essay and the term lists are unchanged (an edit to a summary or a
    case study scans no text again)."""
    terms = tuple((t.slug, t.title, *t.terms) for t in topics)
    matcher = cache.matcher(("topics", terms), lambda: topic_matcher(topics))
    hits: dict[tuple[str, int], SectionHits] = {}
    for e in essays:
        per_section = cache.per_section("topics", terms, e, lambda s: section_hits(matcher, s))
        hits.update({(e.slug, i): h for i, h in enumerate(per_section)})
    return matcher, hits


def run(
    content_dir: Path,
    seeds_dir: Path,
    directory_urls: bool = True,
    require_references: bool = False,
    cache: BuildCache | None = None,
    pages_dir: Path | None = None,
    site: SiteInfo | None = None,
    require_decisions: bool = False,
) -> Result:
    """parse -> model -> route -> decide -> link -> render, each stage fed what the ones before returned.

    ``require_decisions``: a section under review (undecided, the router unsure) is an error."""
    cache = cache if cache is not None else BuildCache()
    loaded = check(content_dir, seeds_dir, require_references, cache, pages_dir)  # parse, model
    kb = link(loaded, cache, require_decisions)  # route, decide, link
    rendered = render(kb, directory_urls, cache, site)  # render
    pages = {pg.path: pg for pg in rendered.pages}  # a page reused under serve is the very object it was
    kept = {str(seeds_dir / "essays.yaml"), str(content_dir / ENTITIES_FILE), str(content_dir / DECISIONS_FILE)}
    cache.forget({e.path for e in loaded.essays} | {t.path for t in loaded.topics} | kept)
    knowledge = knowledge_json(kb, rendered.pages, directory_urls, cache)
    files = downloads(kb, rendered.site, directory_urls)
    return Result(kb, pages, knowledge, loaded.warnings + list(rendered.problems), files)


def link(loaded: Loaded, cache: BuildCache | None = None, require_decisions: bool = False) -> KnowledgeBase:
    """route -> decide -> link of what :func:`check` loaded (``require_decisions``: a section under review is an error)."""
    cache = cache if cache is not None else BuildCache()
    matcher, hits = scan(loaded.essays, loaded.topics, cache)
    essays, topics = tuple(loaded.essays), _as_before(loaded.topics, cache)
    routing = cache.stage(
        "route", (essays, loaded.meta, _for_route(topics)), lambda: route(loaded.essays, topics, matcher, hits, loaded.meta)
    )  # route
    routing = cache.stage("decide", (essays, routing, loaded.decisions), lambda: settle(routing, loaded.essays, loaded.decisions))
    if require_decisions:  # the site asks that no section wait for review (mkdocs.yml: require_decisions)
        held = [p for p in filing_problems(loaded.essays, routing, loaded.decisions, True) if p.severity == "error"]
        if held:
            raise ContentError(held)
    kb = cache.stage(
        "link",
        (essays, loaded.meta, routing, _for_link(topics), loaded.entities),
        lambda: build(loaded.essays, topics, loaded.meta, routing, hits, cache, loaded.entities),
    )
    return _with_topics(kb, topics)  # (an edit that changes no link reuses the links, with the new topics)


def outputs(kb: KnowledgeBase, knowledge: str = "knowledge.json") -> list[str]:
    """Every file the site generates of ``kb``: the render stage's pages, the exports and ``knowledge`` (the
    plugin's ``knowledge_json``; "" for none), as the plugin hands them to MkDocs."""
    return page_paths(kb) + list(DOWNLOADS) + ([knowledge] if knowledge else [])


# What the route and link stages do not read, blanked out of the keys that decide whether a rebuild
# can reuse their last result: an edit to these fields (a summary, a case study's years or
# references...) reuses routing and links. Every other field, present or future, is in the key.
# tests/test_serve.py checks that changing these fields changes neither stage's result.
ROUTE_IGNORES = ("summary", "related", "case_studies", "path")
LINK_IGNORES = ("summary", "path")
LINK_IGNORES_CASE = ("summary", "years", "path", "line", "as_of", "note", "references")


def _blank(obj: Any, names: tuple[str, ...]) -> Any:
    return replace(obj, **{n: type(getattr(obj, n))() for n in names})


def _for_route(topics: list[Topic]) -> list[Topic]:
    return [_blank(t, ROUTE_IGNORES) for t in topics]


def _for_link(topics: list[Topic]) -> list[Topic]:
    return [replace(_blank(t, LINK_IGNORES), case_studies=[_blank(c, LINK_IGNORES_CASE) for c in t.case_studies]) for t in topics]


def _as_before(topics: list[Topic], cache: BuildCache) -> list[Topic]:
    """The topics, each topic and case study equal to one of the last build replaced by that object.

    What did not change is then the very object it was, which every later comparison (stage keys,
    the reads of reused pages) settles at once."""
    if not cache.keep:
        return topics
    before = {t.slug: t for t in cache.stages.get("topics", (None, []))[1]}
    cases = {c.id: c for t in before.values() for c in t.case_studies}
    out = []
    for t in topics:
        old = before.get(t.slug)
        if old is not None and old == t:
            out.append(old)
        else:
            same = [cases[c.id] if cases.get(c.id) == c else c for c in t.case_studies]
            out.append(replace(t, case_studies=same))
    cache.stages["topics"] = (None, out)
    return out


def _with_topics(kb: KnowledgeBase, topics: list[Topic]) -> KnowledgeBase:
    """``kb`` holding these topics and their case studies (the same but for the fields the link stage ignores)."""
    if kb.topics is topics or (len(kb.topics) == len(topics) and all(a is b for a, b in zip(kb.topics, topics, strict=True))):
        return kb
    cases: dict[str, CaseStudy] = {cs.id: cs for t in topics for cs in t.case_studies}
    return replace(kb, topics=topics, cases=cases)
