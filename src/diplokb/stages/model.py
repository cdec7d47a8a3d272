"""Stage 2, model: topic YAML -> validated :class:`Topic` and :class:`CaseStudy` objects.

The fields are defined once, in :mod:`diplokb.content.schema`; this module walks a file's composed YAML
against them, :mod:`diplokb.stages.provenance` checks what points elsewhere (quotes, topics) and :mod:`diplokb.stages.plausible`
what cannot be true (dates). Every problem in a file is collected and reported as ``path:line:col: field: message``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ..cache import BuildCache
from ..content.dates import date_problem, years_problems
from ..content.inputs import optional_file, topic_files
from ..content.schema import (
    _COLOUR,
    _DATE,
    _URL,
    CASE_FIELDS,
    ESSAY_META_FIELDS,
    REFERENCE_FIELDS,
    RESERVED_PAGES,
    SOURCE_FIELDS,
    TODO_REFERENCE,
    TODO_SUMMARY,
    TOPIC_FIELDS,
    CaseStudy,
    EssayMeta,
    FieldSpec,
    Reference,
    Source,
    Topic,
    case_yaml,
    check_slug,
    did_you_mean,
    json_schema,
    unfit_text,
)
from ..content.yamlsafe import MappingNode, Node, ScalarNode, SequenceNode, kind_name, load_file, pos, read_text
from ..errors import ContentError, Problem, Report
from ..text import slugify
from .parse import Essay
from .plausible import dated, stale_meta
from .provenance import Refs, check_citations, check_references, check_sourced, locate_quote, unstated_facts


class _Walker:
    """Turns a composed node tree into plain values, recording every problem in ``report``."""

    def __init__(self, path: str, report: Report, require_references: bool = False, text: str = "", refs: Refs | None = None) -> None:
        self.path = path
        self.report = report
        self.require_references = require_references
        self.text, self.refs = text, refs if refs is not None else Refs()  # for citation markers

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
        problem = unfit_text(value)
        if problem:
            self.err(node, fld, problem)
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
        if date is not None and dated(w.report, w.path, fields["date"][1], f"{where}.date", [date_problem(date)]):
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
    elif cs.as_of:
        dated(w.report, w.path, nodes["as_of"], f"{where}.as_of", [date_problem(cs.as_of)])
    dated(w.report, w.path, nodes.get("years", node), f"{where}.years", years_problems(cs.years, cs.as_of if cs.ongoing else ""))
    if cs.ongoing and not cs.as_of:
        w.err(
            nodes.get("years", node), f"{where}.as_of", f"`{cs.years}` is ongoing: add `as_of:` with the date you checked it (YYYY-MM-DD)"
        )
    check_sourced(w.report, w.path, cs, node, nodes, where, w.require_references)
    texts = [(nodes[k], f"{where}.{k}", v) for k, v in (("summary", cs.summary), ("note", cs.note)) if v]
    check_citations(w.report, w.path, w.text, w.refs, texts, nodes.get("references"), f"{where}.references", "case study")
    for i, (_t, tnode) in enumerate(vals.get("topics", [])):
        nodes[f"topics[{i}]"] = tnode
    return cs, nodes


def load_topic(path: Path, report: Report, refs: Refs, require_references: bool = False) -> Topic | None:
    """Load one topic file, adding its problems to ``report``."""
    spath = str(path)
    slug = slugify(path.stem)
    why = check_slug(slug) or (None if slug == path.stem.lower() or slug else "is empty")
    if why:
        report.error(spath, 0, 0, "", f"topic file name {why}")
        return None
    try:
        text, root = load_file(path)  # (no node tree kept: while the text is the same, _topic replays what this returned)
    except ContentError as exc:
        report.problems.extend(exc.problems)
        return None
    if root is None:
        report.error(spath, 1, 1, "", "file is empty; expected a topic with title, summary and terms")
        return None
    w = _Walker(spath, report, require_references, text, refs)
    fields = w.mapping(root, TOPIC_FIELDS, "")
    if fields is None:
        return None
    vals: dict[str, Any] = {}
    for spec in TOPIC_FIELDS:
        if spec.name not in fields:
            continue
        _k, vnode = fields[spec.name]
        if spec.name == "colour" and not (isinstance(vnode, ScalarNode) and _COLOUR.fullmatch(str(vnode.value).strip())):
            # Unquoted, `colour: #1565c0` is a YAML comment: the value is empty.
            w.err(vnode, "colour", 'expected a colour in quotes, such as "#1565c0" (unquoted, # starts a comment)')
        elif spec.kind == "str":
            vals[spec.name] = w.string(vnode, spec.name)
        elif spec.kind == "list":
            vals[spec.name] = w.strings(vnode, spec.name)
        elif spec.kind == "refs":
            vals[spec.name] = _references(w, vnode, spec.name)
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
    cites = [(fields["summary"][1], "summary", vals["summary"])]
    check_citations(report, spath, w.text, refs, cites, fields["references"][1] if "references" in fields else None, "references", "topic")
    refs.topic_refs.extend((r, rnode, spath, f"related[{i}]") for i, (r, rnode) in enumerate(vals.get("related", [])))
    for name in ("pin", "exclude"):
        refs.sections.extend((h, hnode, spath, f"{name}[{i}]") for i, (h, hnode) in enumerate(vals.get(name, [])))
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
        references=vals.get("references") or [],
        colour=vals.get("colour") or "",
    )


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
    report, refs = Report() if report is None else report, Refs()
    files = topic_files(content_dir, report)
    topics = [t for path in files if (t := _topic(path, report, refs, require_references, cache)) is not None]
    # A topic whose file failed to load still exists: don't pile "no topic named" errors on top.
    resolved = check_references(topics, essays, refs, report, {slugify(p.stem) for p in files}, unreadable, cache.quotes if cache else None)
    report.raise_if_errors()
    # The objects handed on are new and frozen: each case study with its topics checked and its quote located.
    topics = [replace(t, case_studies=[replace(cs, **resolved.get(id(cs), {})) for cs in t.case_studies]) for t in topics]
    return sorted(topics, key=lambda t: t.title.casefold())


def _topic(path: Path, report: Report, refs: Refs, require_references: bool, cache: BuildCache | None) -> Topic | None:
    """:func:`load_topic`, or what it returned and reported last time while the file's text is the same."""
    try:
        text = read_text(path) if cache is not None else None
    except ContentError:
        text = None
    if cache is None or text is None:
        return load_topic(path, report, refs, require_references)
    make = lambda: load_topic(path, report, refs, require_references)  # noqa: E731
    return cache.replay(str(path), (text, require_references), make, report.problems, *refs.logs())


def load_essay_meta(
    path: Path, cache: BuildCache | None = None, warnings: Report | None = None, essays: tuple[list[Essay], frozenset[str]] | None = None
) -> dict[str, EssayMeta]:
    """Optional ``seeds/essays.yaml``: ``slug: {title, source, date}``; a key given twice is an error. Warnings (a link to
    nothing; with ``essays``, the essays read and those unreadable, an entry naming none of them) go to ``warnings``."""
    read, problem = optional_file(path, "essay metadata")
    Report([problem] if problem is not None else []).raise_if_errors()  # a link out, a loop, no permission
    if problem is not None and warnings is not None:
        warnings.problems.append(problem)
    if not read:
        return {}
    report = Report()
    _text, root = load_file(path, cache.composed if cache else None)
    if root is None:
        return {}
    w = _Walker(str(path), report)
    out: dict[str, EssayMeta] = {}
    if not isinstance(root, MappingNode):
        w.err(root, "(top level)", f"expected a mapping of essay file names to metadata, found {kind_name(root)}")
    else:
        keys: dict[str, Node] = {}
        for knode, vnode in root.value:
            key = slugify(str(knode.value)) or str(knode.value)
            if key in keys:  # as in a topic file: the last would silently win
                w.err(knode, str(knode.value), f"duplicate key `{knode.value}` (lines {pos(keys[key])[0]} and {pos(knode)[0]}); keep one")
                continue
            keys[key] = knode
            fields = w.mapping(vnode, ESSAY_META_FIELDS, str(knode.value))
            vals = {k: w.string(v, f"{knode.value}.{k}", required=False) or "" for k, (_kn, v) in (fields or {}).items()}
            out[key] = EssayMeta(**vals) if fields is not None else EssayMeta()
        if essays is not None and warnings is not None:
            stale_meta(warnings, str(path), keys, {k: m.title for k, m in out.items()}, *essays)
    report.raise_if_errors()
    return out


__all__ = [
    "CASE_FIELDS",
    "ESSAY_META_FIELDS",
    "REFERENCE_FIELDS",
    "RESERVED_PAGES",
    "SOURCE_FIELDS",
    "TODO_REFERENCE",
    "TODO_SUMMARY",
    "TOPIC_FIELDS",
    "CaseStudy",
    "EssayMeta",
    "FieldSpec",
    "Problem",
    "Reference",
    "Source",
    "Topic",
    "case_yaml",
    "check_slug",
    "did_you_mean",
    "json_schema",
    "load_essay_meta",
    "load_topics",
    "locate_quote",
    "unstated_facts",
]
