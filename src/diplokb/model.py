"""Stage 2, model: topic YAML -> validated :class:`Topic` and :class:`CaseStudy` objects.

The fields are defined once, in :data:`TOPIC_FIELDS`, :data:`CASE_FIELDS` and
:data:`ESSAY_META_FIELDS`; validation and the JSON Schema (``diplokb schema``) both come from
them. Every problem in a file is collected and reported as ``path:line:col: field: message``.
"""

from __future__ import annotations

import difflib
import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import BuildCache
from .errors import ContentError, Problem, Report
from .inputs import listing
from .parse import Essay
from .text import MAX_SLUG_BYTES, fold, normalize_quote, slugify
from .yamlsafe import MappingNode, Node, ScalarNode, SequenceNode, kind_name, load_file, pos


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # "str" | "list" (of strings) | "source" | "refs" | "cases"
    required: bool
    doc: str
    example: Any = None


CASE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "str", True, "Name of the case study, as readers know it.", "KFOR in Kosovo"),
    FieldSpec("id", "str", False, "Stable identifier used in URLs; defaults to the name as a slug.", "kfor-kosovo"),
    FieldSpec("years", "str", False, "Span of the case itself, as text (e.g. '2003-2014'; '1999-present' needs as_of).", "1999-present"),
    FieldSpec(
        "as_of", "str", False, "For an ongoing case (years ending in 'present'): the date its facts were checked, YYYY-MM-DD.", "2026-12-02"
    ),
    FieldSpec("places", "list", False, "Where it happened: countries, regions or places (a contributing country is an actor).", ["Kosovo"]),
    FieldSpec("actors", "list", False, "States, alliances and organisations that took part.", ["NATO"]),
    FieldSpec("summary", "str", True, "Two or three sentences: what the essay says, attributed, and only what references support.", "..."),
    FieldSpec(
        "note",
        "str",
        False,
        "Editor's note, shown with the case: where references contradict the essay, what each says. The essay is never edited.",
        "...",
    ),
    FieldSpec("topics", "list", False, "Further topics (by file name) this case study belongs to.", ["peacekeeping"]),
    FieldSpec(
        "source",
        "source",
        False,
        "Where the essays name it: the essay's file name (without .txt) and a sentence quoted from it. "
        "A case needs a source, references, or both.",
        {"essay": "military-diplomacy-and-foreign-relations", "quote": "..."},
    ),
    FieldSpec(
        "references",
        "refs",
        False,
        "Public references a reader can follow; every year, place and actor the quote does not state rests on one.",
        [],
    ),
)
REFERENCE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "str", True, "Title of the page, report or article."),
    FieldSpec("publisher", "str", True, "Who published it (e.g. United Nations, NATO, Reuters)."),
    FieldSpec("date", "str", True, "Date of the source: YYYY, YYYY-MM or YYYY-MM-DD."),
    FieldSpec("url", "str", True, "Web address of the source (http or https)."),
)
SOURCE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("essay", "str", True, "File name of the essay in seeds/, without .txt."),
    FieldSpec("quote", "str", True, "A sentence from that essay, as written there (quotes and spacing may differ)."),
)
TOPIC_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "str", True, "Title of the topic page.", "Peacekeeping"),
    FieldSpec("summary", "str", True, "Two to four sentences introducing the topic, written for this site.", "..."),
    FieldSpec(
        "terms",
        "list",
        True,
        "Words and phrases that file essay sections under this topic and link mentions to it "
        "(singular; plurals and accents are matched automatically).",
        ["peacekeeping"],
    ),
    FieldSpec("related", "list", False, "Related topics, by file name.", ["alliances"]),
    FieldSpec("pin", "list", False, "Essay headings always filed under this topic, whatever their text says.", []),
    FieldSpec("exclude", "list", False, "Essay headings never filed under this topic.", []),
    FieldSpec("case_studies", "cases", False, "Case studies filed under this topic.", []),
)
ESSAY_META_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "str", False, "Title to show when the essay has no title line."),
    FieldSpec("source", "str", False, "Where the essay was first published."),
    FieldSpec("date", "str", False, "When it was published or collected."),
)

_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
# Names the site's own pages take in each folder (topics/index.md, essays/index.md, case-studies/index.md).
RESERVED_PAGES = {"index"}
_SAFE_SLUG = re.compile(r"^[^\W_][\w-]*$", re.UNICODE)
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+[^\s]*$", re.IGNORECASE)
# Left in by an editor (or by `diplokb new case-study`): never published.
_PLACEHOLDER = re.compile(r"\b(TODO|TBD|FIXME|XXX)\b|lorem ipsum", re.IGNORECASE)
_YEAR = re.compile(r"\b(\d{4})\b")


@dataclass
class Source:
    essay: str
    quote: str
    line: int = 0  # line of the quoted sentence in the essay, once found
    section: int | None = None  # index of the essay section holding it


@dataclass(frozen=True)
class Reference:
    title: str
    publisher: str
    date: str
    url: str


@dataclass
class CaseStudy:
    id: str
    name: str
    summary: str
    source: Source | None  # the essay sentence naming it; None for a case resting on references alone
    years: str = ""
    places: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)  # home topic first
    path: str = ""
    line: int = 0
    as_of: str = ""
    note: str = ""
    references: list[Reference] = field(default_factory=list)

    @property
    def ongoing(self) -> bool:
        return self.years.rstrip().lower().endswith("present")


@dataclass
class Topic:
    slug: str
    title: str
    summary: str
    terms: list[str]
    related: list[str] = field(default_factory=list)
    pin: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    case_studies: list[CaseStudy] = field(default_factory=list)
    path: str = ""


@dataclass
class EssayMeta:
    title: str = ""
    source: str = ""
    date: str = ""


def check_slug(value: str) -> str | None:
    """Why ``value`` cannot be a file or URL name, or ``None`` if it can."""
    if not value:
        return "must not be empty"
    if "/" in value or "\\" in value or ".." in value or value.startswith("."):
        return f"must be a plain name, not a path ({value!r})"
    if value.lower() in _RESERVED:
        return f"{value!r} is a reserved device name"
    if value.lower() in RESERVED_PAGES:
        return f"{value!r} is reserved: the site's own index page of that folder has this name; choose another"
    if len(value.encode("utf-8")) > MAX_SLUG_BYTES:
        return f"is {len(value.encode('utf-8'))} bytes long; at most {MAX_SLUG_BYTES} bytes (it becomes a file name and a URL)"
    if not _SAFE_SLUG.match(value):
        return f"may hold only letters, digits and hyphens ({value!r})"
    return None


def did_you_mean(word: str, choices: list[str] | set[str]) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


class _Walker:
    """Turns a composed node tree into plain values, recording every problem in ``report``."""

    def __init__(self, path: str, report: Report, require_references: bool = False) -> None:
        self.path = path
        self.report = report
        self.require_references = require_references

    def err(self, node: Node | None, fld: str, msg: str) -> None:
        line, col = pos(node) if node is not None else (0, 0)
        self.report.error(self.path, line, col, fld, msg)

    def mapping(self, node: Node, specs: tuple[FieldSpec, ...], where: str) -> dict[str, tuple[Node, Node]] | None:
        if not isinstance(node, MappingNode):
            self.err(node, where or "(top level)", f"expected a mapping of fields, found {kind_name(node)}")
            return None
        known = {s.name for s in specs}
        seen: dict[str, tuple[Node, Node]] = {}
        for knode, vnode in node.value:
            fld = f"{where}.{knode.value}" if where else str(knode.value)
            if not isinstance(knode, ScalarNode):
                self.err(knode, where or "(top level)", f"expected a field name, found {kind_name(knode)}")
                continue
            key = knode.value
            if key in seen:
                first = pos(seen[key][0])[0]
                self.err(knode, fld, f"duplicate key `{key}` (lines {first} and {pos(knode)[0]}); keep one")
                continue
            if key not in known:
                self.err(knode, fld, f"unknown field `{key}`{did_you_mean(key, known)} (expected one of: {', '.join(sorted(known))})")
                continue
            seen[key] = (knode, vnode)
        for s in specs:
            if s.required and s.name not in seen:
                self.err(node, f"{where}.{s.name}" if where else s.name, f"missing required field `{s.name}`")
        return seen

    def string(self, node: Node, fld: str, required: bool = True) -> str | None:
        if not isinstance(node, ScalarNode):
            self.err(node, fld, f"expected text, found {kind_name(node)}")
            return None
        value = str(node.value).strip()
        if required and not value:
            self.err(node, fld, "expected text, found an empty value")
            return None
        placeholder = _PLACEHOLDER.search(value)
        if placeholder:
            self.err(node, fld, f"placeholder `{placeholder.group(0)}` left in; replace it with the real text")
            return None
        return value

    def strings(self, node: Node, fld: str) -> list[tuple[str, Node]]:
        if isinstance(node, ScalarNode) and node.value == "":
            return []
        if not isinstance(node, SequenceNode):
            self.err(node, fld, f"expected a list of text items, found {kind_name(node)}")
            return []
        out = []
        for i, item in enumerate(node.value):
            if isinstance(item, ScalarNode) and not item.style and item.start_mark.line != item.end_mark.line and " - " in item.value:
                # `   - b` indented under `  - a` continues a's plain text: YAML reads one item "a - b".
                self.err(
                    item,
                    f"{fld}[{i}]",
                    f"`{item.value}` runs over several lines, so YAML reads it as one item; "
                    "if these are separate items, start each `- ` in the same column as the others",
                )
                continue
            v = self.string(item, f"{fld}[{i}]")
            if v is not None:
                out.append((v, item))
        return out


def _references(w: _Walker, node: Node, fld: str) -> list[Reference]:
    if isinstance(node, ScalarNode) and node.value == "":
        return []
    if not isinstance(node, SequenceNode):
        w.err(node, fld, f"expected a list of references (title, publisher, date, url), found {kind_name(node)}")
        return []
    out: list[Reference] = []
    for i, item in enumerate(node.value):
        where = f"{fld}[{i}]"
        fields = w.mapping(item, REFERENCE_FIELDS, where)
        if fields is None:
            continue
        vals = {k: w.string(v, f"{where}.{k}") for k, (_kn, v) in fields.items()}
        date, url = vals.get("date"), vals.get("url")
        if date is not None and not _DATE.match(date):
            w.err(fields["date"][1], f"{where}.date", f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, found `{date}`")
            continue
        if url is not None and not _URL.match(url):
            w.err(fields["url"][1], f"{where}.url", f"expected a web address starting with https:// or http://, found `{url}`")
            continue
        if all(vals.get(s.name) for s in REFERENCE_FIELDS):
            out.append(Reference(vals["title"], vals["publisher"], vals["date"], vals["url"]))  # type: ignore[arg-type]
    return out


def _case_study(w: _Walker, node: Node, where: str, home: str) -> tuple[CaseStudy, dict[str, Node]] | None:
    fields = w.mapping(node, CASE_FIELDS, where)
    if fields is None:
        return None
    vals: dict[str, Any] = {}
    nodes: dict[str, Node] = {}
    for spec in CASE_FIELDS:
        if spec.name not in fields:
            continue
        _knode, vnode = fields[spec.name]
        nodes[spec.name] = vnode
        fld = f"{where}.{spec.name}"
        if spec.kind == "str":
            vals[spec.name] = w.string(vnode, fld, required=spec.required)
        elif spec.kind == "list":
            vals[spec.name] = w.strings(vnode, fld)
        elif spec.kind == "refs":
            vals[spec.name] = _references(w, vnode, fld)
        elif spec.kind == "source":
            src = w.mapping(vnode, SOURCE_FIELDS, fld)
            vals["source"] = None
            if src is not None:
                essay = w.string(src["essay"][1], f"{fld}.essay") if "essay" in src else None
                quote = w.string(src["quote"][1], f"{fld}.quote") if "quote" in src else None
                nodes["source.essay"] = src["essay"][1] if "essay" in src else vnode
                nodes["source.quote"] = src["quote"][1] if "quote" in src else vnode
                if essay is not None and quote is not None:
                    vals["source"] = Source(essay, quote)
    if vals.get("name") is None or vals.get("summary") is None:
        return None
    if "source" in fields and vals["source"] is None:
        return None  # its problems are reported already
    if "source" not in fields and "references" not in fields:
        w.err(node, f"{where}.references", "a case study needs a source: an essay quote (`source:`), `references:`, or both")
        return None
    cid = vals.get("id") or slugify(vals["name"])
    why = check_slug(cid)
    if why:
        w.err(nodes.get("id", node), f"{where}.id", f"case study id {why}")
        return None
    extra = [t for t, _ in vals.get("topics", []) if t != home]
    cs = CaseStudy(
        id=cid,
        name=vals["name"],
        summary=vals["summary"],
        source=vals.get("source"),
        years=vals.get("years") or "",
        places=[v for v, _ in vals.get("places", [])],
        actors=[v for v, _ in vals.get("actors", [])],
        topics=[home, *dict.fromkeys(extra)],
        path=w.path,
        line=pos(node)[0],
        as_of=vals.get("as_of") or "",
        note=vals.get("note") or "",
        references=vals.get("references") or [],
    )
    if cs.as_of and not _DATE.match(cs.as_of):
        w.err(nodes["as_of"], f"{where}.as_of", f"expected the date the facts were checked, as YYYY-MM-DD, found `{cs.as_of}`")
    if cs.ongoing and not cs.as_of:
        w.err(
            nodes.get("years", node), f"{where}.as_of", f"`{cs.years}` is ongoing: add `as_of:` with the date you checked it (YYYY-MM-DD)"
        )
    if not cs.references:
        unstated = unstated_facts(cs)
        if unstated:
            fld, value = unstated[0]
            more = f" (and {len(unstated) - 1} more)" if len(unstated) > 1 else ""
            w.err(
                nodes.get(fld, node),
                f"{where}.{fld}",
                f"`{value}`{more} is not stated in the quoted sentence; add `references:` that say so",
            )
        else:
            line, col = pos(node)
            (w.report.error if w.require_references else w.report.warn)(
                w.path,
                line,
                col,
                f"{where}.references",
                f"case study `{cs.name}` has no references; add a public source a reader can follow",
            )
    for i, (_t, tnode) in enumerate(vals.get("topics", [])):
        nodes[f"topics[{i}]"] = tnode
    return cs, nodes


def unstated_facts(cs: CaseStudy) -> list[tuple[str, str]]:
    """(field, value) of each year, place and actor the quoted sentence does not state itself."""
    quote = fold(normalize_quote(cs.source.quote)) if cs.source else ""
    out: list[tuple[str, str]] = []
    if cs.ongoing or any(y not in quote for y in _YEAR.findall(cs.years)):
        out.append(("years", cs.years))
    for fld in ("places", "actors"):
        out += [(fld, v) for v in getattr(cs, fld) if fold(normalize_quote(v)) not in quote]
    return out


@dataclass
class _Refs:
    """Places that name other things, checked once every file is read."""

    topic_refs: list[tuple[str, Node, str, str]] = field(default_factory=list)  # (slug, node, path, field)
    sources: list[tuple[CaseStudy, Node, Node, str]] = field(default_factory=list)


def load_topic(path: Path, report: Report, refs: _Refs, require_references: bool = False, cache: BuildCache | None = None) -> Topic | None:
    """Load one topic file, adding its problems to ``report``."""
    spath = str(path)
    slug = slugify(path.stem)
    why = check_slug(slug) or (None if slug == path.stem.lower() or slug else "is empty")
    if why:
        report.error(spath, 0, 0, "", f"topic file name {why}")
        return None
    try:
        _text, root = load_file(path, cache.composed if cache else None)
    except ContentError as exc:
        report.problems.extend(exc.problems)
        return None
    if root is None:
        report.error(spath, 1, 1, "", "file is empty; expected a topic with title, summary and terms")
        return None
    w = _Walker(spath, report, require_references)
    fields = w.mapping(root, TOPIC_FIELDS, "")
    if fields is None:
        return None
    vals: dict[str, Any] = {}
    for spec in TOPIC_FIELDS:
        if spec.name not in fields:
            continue
        _k, vnode = fields[spec.name]
        if spec.kind == "str":
            vals[spec.name] = w.string(vnode, spec.name)
        elif spec.kind == "list":
            vals[spec.name] = w.strings(vnode, spec.name)
        elif spec.kind == "cases":
            cases: list[CaseStudy] = []
            if isinstance(vnode, ScalarNode) and vnode.value == "":
                pass
            elif not isinstance(vnode, SequenceNode):
                w.err(vnode, "case_studies", f"expected a list of case studies, found {kind_name(vnode)}")
            else:
                for i, item in enumerate(vnode.value):
                    got = _case_study(w, item, f"case_studies[{i}]", slug)
                    if got is None:
                        continue
                    cs, nodes = got
                    cases.append(cs)
                    for j, t in enumerate(cs.topics[1:]):
                        tnode = next((n for k, n in nodes.items() if k.startswith("topics[") and n.value == t), item)
                        refs.topic_refs.append((t, tnode, spath, f"case_studies[{i}].topics[{j}]"))
                    if cs.source is not None:
                        refs.sources.append((cs, nodes["source.essay"], nodes["source.quote"], f"case_studies[{i}].source"))
            vals["case_studies"] = cases
    if vals.get("title") is None or vals.get("summary") is None or "terms" not in vals:
        return None
    terms_node = fields["terms"][1]
    if not vals["terms"] and not (isinstance(terms_node, SequenceNode) and terms_node.value):  # else its items are reported
        w.err(fields["terms"][1], "terms", "expected at least one term")
    for i, (r, rnode) in enumerate(vals.get("related", [])):
        refs.topic_refs.append((r, rnode, spath, f"related[{i}]"))
    return Topic(
        slug=slug,
        title=vals["title"],
        summary=vals["summary"],
        terms=[t for t, _ in vals["terms"]],
        related=[r for r, _ in vals.get("related", []) if r != slug],
        pin=[p for p, _ in vals.get("pin", [])],
        exclude=[p for p, _ in vals.get("exclude", [])],
        case_studies=vals.get("case_studies", []),
        path=spath,
    )


def topic_files(content_dir: Path, report: Report | None = None) -> list[Path]:
    """The topic files in ``content_dir/topics``; links out of the folder and the like go to ``report``."""
    files, problems = listing(content_dir / "topics", (".yaml", ".yml"), "a topic file")
    if report is not None:
        report.problems.extend(problems)
    return files


def _quote_index(e: Essay, cache: dict[str, tuple[Any, str, list[tuple[int, int, int]]]] | None) -> tuple[str, list[tuple[int, int, int]]]:
    """An essay's normalised full text and (offset, line, section) marks, reused while the parsed essay is the same."""
    hit = cache.get(e.path) if cache is not None else None
    if hit is not None and hit[0] is e:  # parsed essays come from the build cache: same object, same text
        return hit[1], hit[2]
    parts: list[str] = []
    marks: list[tuple[int, int, int]] = []
    offset = 0
    for si, s in enumerate(e.sections):
        for b in s.blocks:
            for line, text in b.source:
                t = normalize_quote(text)
                marks.append((offset, line, si))
                parts.append(t)
                offset += len(t) + 1
    text = " ".join(parts)
    if cache is not None:
        cache[e.path] = (e, text, marks)
    return text, marks


def locate_quote(
    e: Essay, quote: str, cache: dict[str, tuple[Any, str, list[tuple[int, int, int]]]] | None = None
) -> tuple[int, int] | None:
    """(line, section index) where ``quote`` occurs in the essay, whitespace- and quote-style-insensitive; None if absent."""
    text, marks = _quote_index(e, cache)
    q = normalize_quote(quote)
    at = text.find(q) if q else -1
    if at < 0:
        return None
    mark = marks[max(0, bisect_right(marks, (at, 1 << 60, 0)) - 1)]
    return mark[1], mark[2]


def load_topics(
    content_dir: Path,
    essays: list[Essay],
    unreadable: set[str] | None = None,
    require_references: bool = False,
    report: Report | None = None,
    cache: BuildCache | None = None,
) -> list[Topic]:
    """Load and cross-check every topic file; raise :class:`ContentError` listing every error.

    ``unreadable``: slugs of essays that exist but failed to load (already reported); no "no essay named" for them.
    Warnings (such as a case study without references, unless ``require_references``) are left in ``report``.
    """
    report = Report() if report is None else report
    refs = _Refs()
    topics: list[Topic] = []
    files = topic_files(content_dir, report)
    for path in files:
        t = load_topic(path, report, refs, require_references, cache)
        if t is not None:
            topics.append(t)
    # A topic whose file failed to load still exists: don't pile "no topic named" errors on top.
    check_references(topics, essays, refs, report, {slugify(p.stem) for p in files}, unreadable, cache.quotes if cache else None)
    report.raise_if_errors()
    return sorted(topics, key=lambda t: t.title.casefold())


def check_references(
    topics: list[Topic],
    essays: list[Essay],
    refs: _Refs,
    report: Report,
    existing: set[str] | None = None,
    unreadable: set[str] | None = None,
    quotes: dict[str, tuple[Any, str, list[tuple[int, int, int]]]] | None = None,
) -> None:
    by_slug: dict[str, Topic] = {}
    for t in topics:
        if t.slug in by_slug:
            other = by_slug[t.slug]
            report.error(t.path, 1, 1, "", f"topic slug `{t.slug}` collides with {other.path}; rename one of the files")
        else:
            by_slug[t.slug] = t
    names = set(by_slug) | (existing or set())
    for slug, node, path, fld in refs.topic_refs:
        if slug not in names:
            line, col = pos(node)
            report.error(path, line, col, fld, f"no topic named `{slug}`{did_you_mean(slug, names)}")
    cases: dict[str, CaseStudy] = {}
    for t in topics:
        for cs in t.case_studies:
            cs.topics = [x for x in cs.topics if x in by_slug]
            if cs.id in cases:
                o = cases[cs.id]
                report.error(
                    cs.path, cs.line, 1, "name", f"case study `{cs.id}` is defined twice: {o.path}:{o.line} and {cs.path}:{cs.line}"
                )
            else:
                cases[cs.id] = cs
    by_essay = {e.slug: e for e in essays}
    for cs, enode, qnode, fld in refs.sources:
        # An essay is named by its file name without .txt, or by its slug (the file name as the site spells it).
        if cs.source.essay not in by_essay and slugify(cs.source.essay) in by_essay:
            cs.source.essay = slugify(cs.source.essay)
        if cs.source.essay not in by_essay and slugify(cs.source.essay) in (unreadable or set()):
            continue  # the essay is there but could not be read: that is reported already
        if cs.source.essay not in by_essay:
            line, col = pos(enode)
            report.error(
                cs.path, line, col, f"{fld}.essay", f"no essay named `{cs.source.essay}`{did_you_mean(cs.source.essay, set(by_essay))}"
            )
            continue
        found = locate_quote(by_essay[cs.source.essay], cs.source.quote, quotes)
        if found is None:
            line, col = pos(qnode)
            report.error(
                cs.path,
                line,
                col,
                f"{fld}.quote",
                f"case study `{cs.name}`: quoted text is not in essay `{cs.source.essay}`; quote a sentence exactly as the essay has it",
            )
            continue
        cs.source.line, cs.source.section = found


def load_essay_meta(path: Path, cache: BuildCache | None = None) -> dict[str, EssayMeta]:
    """Optional ``seeds/essays.yaml``: ``slug: {title, source, date}``."""
    if not path.is_file():
        return {}
    if path.is_symlink() and not path.resolve().is_relative_to(path.parent.resolve()):
        raise ContentError(
            Problem(str(path), 0, 0, "", f"symbolic link to a file outside {path.parent}: refused; copy the file in instead")
        )
    report = Report()
    _text, root = load_file(path, cache.composed if cache else None)
    if root is None:
        return {}
    w = _Walker(str(path), report)
    out: dict[str, EssayMeta] = {}
    if not isinstance(root, MappingNode):
        w.err(root, "(top level)", f"expected a mapping of essay file names to metadata, found {kind_name(root)}")
    else:
        for knode, vnode in root.value:
            fields = w.mapping(vnode, ESSAY_META_FIELDS, str(knode.value))
            if fields is None:
                continue
            vals = {k: w.string(v, f"{knode.value}.{k}", required=False) or "" for k, (_kn, v) in fields.items()}
            out[slugify(str(knode.value)) or str(knode.value)] = EssayMeta(**vals)
    report.raise_if_errors()
    return out


def _yaml_value(spec: FieldSpec, value: Any, indent: int) -> str:
    pad = " " * indent
    if spec.kind == "str":
        return " " + json.dumps(str(value), ensure_ascii=False)  # a JSON string is a YAML string, nothing coerced
    if spec.kind == "list":
        return " " + json.dumps([str(v) for v in value], ensure_ascii=False)
    if spec.kind == "source":
        return "\n" + _yaml_fields(SOURCE_FIELDS, value, indent + 2)
    items = [_yaml_fields(REFERENCE_FIELDS, v, indent + 4) for v in value]
    return "".join(f"\n{pad}  - " + item.lstrip() for item in items) if items else " []"


def _yaml_fields(specs: tuple[FieldSpec, ...], values: dict[str, Any], indent: int) -> str:
    pad = " " * indent
    return "\n".join(f"{pad}{s.name}:{_yaml_value(s, values[s.name], indent)}" for s in specs if s.name in values)


def case_yaml(values: dict[str, Any]) -> str:
    """A case study as a YAML list item, fields in the order :data:`CASE_FIELDS` defines (for pasting or inserting)."""
    unknown = set(values) - {s.name for s in CASE_FIELDS}
    if unknown:
        raise ValueError(f"not case-study fields: {sorted(unknown)}")
    return "- " + _yaml_fields(CASE_FIELDS, values, 2).lstrip() + "\n"


# What `new case-study` and `suggest` leave for the editor: `check` refuses it until it is replaced.
TODO_SUMMARY = 'TODO: two or three sentences: what the sources say, attributed ("The essay credits ...").'
TODO_REFERENCE = {"title": "TODO: title of the page", "publisher": "TODO: who published it", "date": "TODO", "url": "https://TODO.example"}


def _schema_for(specs: tuple[FieldSpec, ...]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for s in specs:
        if s.kind == "str":
            p: dict[str, Any] = {"type": "string", "minLength": 1}
        elif s.kind == "list":
            p = {"type": "array", "items": {"type": "string", "minLength": 1}}
        elif s.kind == "source":
            p = _schema_for(SOURCE_FIELDS)
        elif s.kind == "refs":
            item = _schema_for(REFERENCE_FIELDS)
            item["properties"]["date"]["pattern"] = _DATE.pattern
            item["properties"]["url"]["pattern"] = _URL.pattern
            p = {"type": "array", "items": item}
        else:
            p = {"type": "array", "items": _schema_for(CASE_FIELDS)}
        p["description"] = s.doc
        if s.example is not None and s.kind in ("str", "list") and s.example != "...":
            p["examples"] = [s.example]
        props[s.name] = p
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [s.name for s in specs if s.required],
        "properties": props,
    }


def json_schema() -> dict[str, Any]:
    """JSON Schema of a topic file, generated from :data:`TOPIC_FIELDS` (``diplokb schema``)."""
    schema = _schema_for(TOPIC_FIELDS)
    case = schema["properties"]["case_studies"]["items"]
    case["anyOf"] = [{"required": ["source"]}, {"required": ["references"]}]  # a case needs a source
    case["properties"]["as_of"]["pattern"] = _DATE.pattern
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://diplokb.invalid/schema/topic.schema.json",
        "title": "diplokb topic",
        "description": "A topic of the diplokb knowledge base: one file per topic in content/topics/.",
        **schema,
    }


__all__ = [
    "CaseStudy",
    "EssayMeta",
    "Problem",
    "Reference",
    "Source",
    "Topic",
    "did_you_mean",
    "json_schema",
    "load_essay_meta",
    "load_topics",
]
