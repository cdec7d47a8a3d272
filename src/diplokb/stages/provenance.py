"""Provenance: every case study's essay quote is found in its essay, every cross-reference resolves,
and every fact a quote does not state rests on a reference. Runs once every topic file is read.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, replace
from typing import Any

from ..content.essay import Essay
from ..content.schema import _YEAR, CaseStudy, Topic, did_you_mean
from ..content.yamlsafe import Node, pos
from ..errors import Report
from ..match import canonical
from ..text import fold, normalize_quote, slugify
from ..urls import section_ids, section_ref


@dataclass
class Refs:
    """Places that name other things, checked once every file is read."""

    topic_refs: list[tuple[str, Node, str, str]] = field(default_factory=list)  # (slug, node, path, field)
    sources: list[tuple[CaseStudy, Node, Node, str]] = field(default_factory=list)
    sections: list[tuple[str, Node, str, str]] = field(default_factory=list)  # pin and exclude: (entry, node, path, field)


def unstated_facts(cs: CaseStudy) -> list[tuple[str, str]]:
    """(field, value) of each year, place and actor the quoted sentence does not state itself."""
    quote = fold(normalize_quote(cs.source.quote)) if cs.source else ""
    out: list[tuple[str, str]] = []
    if cs.ongoing or any(y not in quote for y in _YEAR.findall(cs.years)):
        out.append(("years", cs.years))
    for fld in ("places", "actors"):
        out += [(fld, v) for v in getattr(cs, fld) if fold(normalize_quote(v)) not in quote]
    return out


QuoteIndex = tuple[Any, str, list[tuple[int, int, int]], dict[str, "tuple[int, int] | None"]]


def _quote_index(e: Essay, cache: dict[str, QuoteIndex] | None) -> QuoteIndex:
    """An essay's normalised full text, (offset, line, section) marks and the quotes located in it,
    reused while the parsed essay is the same."""
    hit = cache.get(e.path) if cache is not None else None
    if hit is not None and hit[0] is e:  # parsed essays come from the build cache: same object, same text
        return hit
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
    entry: QuoteIndex = (e, " ".join(parts), marks, {})
    if cache is not None:
        cache[e.path] = entry
    return entry


def locate_quote(e: Essay, quote: str, cache: dict[str, QuoteIndex] | None = None) -> tuple[int, int] | None:
    """(line, section index) where ``quote`` occurs in the essay, whitespace- and quote-style-insensitive; None if absent."""
    _, text, marks, found = _quote_index(e, cache)
    if quote in found:  # a serve rebuild checks every quote again: each is searched once per parsed essay
        return found[quote]
    q = normalize_quote(quote)
    at = text.find(q) if q else -1
    where = None
    if at >= 0:
        mark = marks[max(0, bisect_right(marks, (at, 1 << 60, 0)) - 1)]
        where = mark[1], mark[2]
    if cache is not None:
        found[quote] = where
    return where


def check_references(
    topics: list[Topic],
    essays: list[Essay],
    refs: Refs,
    report: Report,
    existing: set[str] | None = None,
    unreadable: set[str] | None = None,
    quotes: dict[str, QuoteIndex] | None = None,
) -> dict[int, dict[str, Any]]:
    """Check every cross-reference and quote; return, per case study (by ``id``), the resolved
    fields its returned copy takes: topics that exist, and the located source."""
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
    resolved: dict[int, dict[str, Any]] = {}  # id(case study) -> fields to set on the returned copy
    cases: dict[str, CaseStudy] = {}
    for t in topics:
        for cs in t.case_studies:
            resolved[id(cs)] = {"topics": [x for x in cs.topics if x in by_slug]}
            if cs.id in cases:
                o = cases[cs.id]
                report.error(
                    cs.path, cs.line, 1, "name", f"case study `{cs.id}` is defined twice: {o.path}:{o.line} and {cs.path}:{cs.line}"
                )
            else:
                cases[cs.id] = cs
    by_essay = {e.slug: e for e in essays}
    _check_sections(essays, refs, report, unreadable or set())
    for cs, enode, qnode, fld in refs.sources:
        assert cs.source is not None  # only case studies with a source are listed
        essay = cs.source.essay
        # An essay is named by its file name without .txt, or by its slug (the file name as the site spells it).
        if essay not in by_essay and slugify(essay) in by_essay:
            essay = slugify(essay)
        if essay not in by_essay and slugify(essay) in (unreadable or set()):
            continue  # the essay is there but could not be read: that is reported already
        if essay not in by_essay:
            line, col = pos(enode)
            report.error(cs.path, line, col, f"{fld}.essay", f"no essay named `{essay}`{did_you_mean(essay, set(by_essay))}")
            continue
        found = locate_quote(by_essay[essay], cs.source.quote, quotes)
        if found is None:
            line, col = pos(qnode)
            report.error(
                cs.path,
                line,
                col,
                f"{fld}.quote",
                f"case study `{cs.name}`: quoted text is not in essay `{essay}`; quote a sentence exactly as the essay has it",
            )
            continue
        resolved.setdefault(id(cs), {})["source"] = replace(cs.source, essay=essay, line=found[0], section=found[1])
    return resolved


def _check_sections(essays: list[Essay], refs: Refs, report: Report, unreadable: set[str]) -> None:
    """Warn of a ``pin`` or ``exclude`` entry that names no section: it would silently do nothing."""
    if not refs.sections:
        return
    headings = {canonical(s.heading): s.heading for e in essays for s in e.sections if s.heading}
    ids = {f"{e.slug}#{sid}" for e in essays for sid in section_ids(e)}
    for text, node, path, fld in refs.sections:
        ref = section_ref(text)
        if ref is not None and (ref in ids or ref.partition("#")[0] in unreadable):
            continue
        if ref is None and canonical(text) in headings:
            continue
        line, col = pos(node)
        hint = did_you_mean(ref, ids) if ref is not None else did_you_mean(text, set(headings.values()))
        report.warn(
            path,
            line,
            col,
            fld,
            f"`{text}` names no section of any essay: expected a heading as an essay writes it, or `essay#section`"
            f" as in the essay page's address (`diplokb route --explain` shows each section's){hint}",
        )
