"""Provenance: every case study's essay quote is found in its essay, every cross-reference resolves,
and every fact a quote does not state rests on a reference. Runs once every topic file is read.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from typing import Any

from ..content.essay import Essay
from ..content.schema import _YEAR, CaseStudy, Nearest, Topic, did_you_mean
from ..content.yamlsafe import Node, SequenceNode, pos
from ..errors import Report
from ..match import canonical
from ..text import CITE_MARKER, fold, normalize_quote, slugify
from ..urls import section_ids, section_ref
from .plausible import quote_names_case


@dataclass
class Refs:
    """Places that name other things, checked once every file is read."""

    topic_refs: list[tuple[str, Node, str, str]] = field(default_factory=list)  # (slug, node, path, field)
    sources: list[tuple[CaseStudy, Node, Node, str]] = field(default_factory=list)
    sections: list[tuple[str, Node, str, str]] = field(default_factory=list)  # pin and exclude: (entry, node, path, field)
    passages: list[tuple[str, int, int, str, str]] = field(default_factory=list)  # [essay#section] markers: (id, line, col, path, field)

    def logs(self) -> tuple[list[Any], ...]:
        """What loading one file appends to (replayed by the build cache while the file is unchanged)."""
        return self.topic_refs, self.sources, self.sections, self.passages


def unstated_facts(cs: CaseStudy) -> list[tuple[str, str]]:
    """(field, value) of each year, place and actor the quoted sentence does not state itself."""
    quote = fold(normalize_quote(cs.source.quote)) if cs.source else ""
    out: list[tuple[str, str]] = []
    if cs.ongoing or any(y not in quote for y in _YEAR.findall(cs.years)):
        out.append(("years", cs.years))
    for fld in ("places", "actors"):
        out += [(fld, v) for v in getattr(cs, fld) if fold(normalize_quote(v)) not in quote]
    return out


_NUMBER = re.compile(r"[0-9]+")
_NUMBER_LIST = re.compile(r"\[\s*[0-9]{1,2}(?:\s*[,;\u2013-]\s*[0-9]{1,2})+\s*\]")  # [1, 2], [1-3]; not a year span


def _marker_pos(text: str, node: Node, needle: str, nth: int) -> tuple[int, int]:
    """(line, col) of the ``nth`` ``needle`` in the source of scalar ``node`` (``text``: the file's); the node's if not there."""
    at, end = node.start_mark.index - 1, node.end_mark.index
    for _ in range(nth + 1):
        at = text.find(needle, at + 1, end)
        if at < 0:
            return pos(node)
    return node.start_mark.line + 1 + text.count("\n", node.start_mark.index, at), at - text.rfind("\n", 0, at)


def check_citations(
    report: Report, path: str, text: str, refs: Refs, cites: list[tuple[Node, str, str]], references: Node | None, fld: str, whose: str
) -> None:
    """Check the markers of each (node, field, text) in ``cites`` (a summary, a note) against ``references``, the entry's
    `references:` list as written: a number that is not one of its items is an error at the marker, a reference no marker
    cites a warning. Passage markers go to ``refs.passages``, checked once the essays are known (:func:`check_references`)."""
    count = len(references.value) if isinstance(references, SequenceNode) else 0
    cited: set[int] = set()
    for node, where, value in cites:
        for m in _NUMBER_LIST.finditer(value):
            line, col = _marker_pos(text, node, m.group(0), 0)
            one_each = "".join(f"[{n}]" for n in _NUMBER.findall(m.group(0)))
            report.error(path, line, col, where, f"`{m.group(0)}`: write one marker per reference, as `{one_each}`")
        seen: dict[str, int] = {}
        for m in CITE_MARKER.finditer(value):
            marker, body = m.group(0), m.group(1)
            nth = seen[marker] = seen.get(marker, -1) + 1
            if _NUMBER.fullmatch(body) and 1 <= int(body) <= count:
                cited.add(int(body))
            elif _NUMBER.fullmatch(body) or "#" in body:
                line, col = _marker_pos(text, node, marker, nth)
                if "#" in body:
                    refs.passages.append((body, line, col, path, where))
                    continue
                has = f"has {count} reference{'s' * (count != 1)}" if count else "has no `references:`"
                report.error(
                    path,
                    line,
                    col,
                    where,
                    f"`{marker}` cites reference {int(body)}, but this {whose} {has}; [N] cites the Nth item of its `references:`",
                )
    for i, item in enumerate(references.value if isinstance(references, SequenceNode) else []):
        if i + 1 not in cited:
            line, col = pos(item)
            also = " or note" if whose == "case study" else ""
            report.warn(
                path,
                line,
                col,
                f"{fld}[{i}]",
                f"reference {i + 1} is cited by no marker: add `[{i + 1}]` after the fact it supports in the summary{also}, or remove it",
            )


def check_sourced(report: Report, path: str, cs: CaseStudy, node: Node, nodes: dict[str, Node], where: str, require: bool) -> None:
    """A case without references: a year, place or actor its quote does not state is an error; otherwise the missing
    references are a warning, or an error where the site requires references (``require``)."""
    if cs.references:
        return
    unstated = unstated_facts(cs)
    if unstated:
        fld, value = unstated[0]
        more = f" (and {len(unstated) - 1} more)" if len(unstated) > 1 else ""
        line, col = pos(nodes.get(fld, node))
        report.error(
            path, line, col, f"{where}.{fld}", f"`{value}`{more} is not stated in the quoted sentence; add `references:` that say so"
        )
    else:
        line, col = pos(node)
        (report.error if require else report.warn)(
            path, line, col, f"{where}.references", f"case study `{cs.name}` has no references; add a public source a reader can follow"
        )


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
    ids = _Sections(essays) if refs.sections or refs.passages else _Sections([])
    _check_sections(essays, ids, refs, report, unreadable or set())
    _check_passages(ids, refs, report, unreadable or set())
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
            report.error(cs.path, line, col, f"{fld}.essay", f"no essay named `{essay}`{_essay_hint(essays, cs.source.quote, quotes)}")
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
        if not quote_names_case(cs, cs.source.quote):
            line, col = pos(qnode)
            report.warn(
                cs.path,
                line,
                col,
                f"{fld}.quote",
                f"case study `{cs.name}`: the quote names none of its name's words, actors or places;"
                " quote the sentence that names the case (or leave `source:` out and rest it on references)",
            )
    return resolved


def _check_sections(essays: list[Essay], ids: _Sections, refs: Refs, report: Report, unreadable: set[str]) -> None:
    """Warn of a ``pin`` or ``exclude`` entry that names no section: it would silently do nothing."""
    if not refs.sections:
        return
    headings = {canonical(s.heading): s.heading for e in essays for s in e.sections if s.heading}
    nearest_heading = Nearest(set(headings.values()))
    for text, node, path, fld in refs.sections:
        ref = section_ref(text)
        if ref is None and canonical(text) in headings:
            continue
        hint = _unknown_section(ref, ids, unreadable) if ref is not None else nearest_heading(text)
        if hint is None:
            continue
        line, col = pos(node)
        report.warn(
            path,
            line,
            col,
            fld,
            f"`{text}` names no section of any essay: expected a heading as an essay writes it, or `essay#section`"
            f" as in the essay page's address (`diplokb route --explain` shows each section's){hint}",
        )


def _essay_hint(essays: list[Essay], quote: str, quotes: dict[str, QuoteIndex] | None) -> str:
    """ "did you mean" for a source naming no essay: the essay that holds the quote (a renamed essay keeps its
    text), never merely the closest name, which after a rename is the other essay."""
    holding = [e.slug for e in essays if locate_quote(e, quote, quotes) is not None]
    if len(holding) == 1:
        return f"; the quote is in essay `{holding[0]}`: did you mean `{holding[0]}`?"
    return f"; the quote is in {len(holding)} essays: {', '.join(f'`{h}`' for h in holding)}" if holding else "; the quote is in no essay"


class _Sections:
    """Every section's ``essay#section``, as ``pin``, ``exclude`` and passage markers name one section,
    with what "did you mean" needs: each essay's ids indexed (:class:`Nearest`), built once a check."""

    def __init__(self, essays: list[Essay]) -> None:
        self.of: dict[str, list[str]] = {e.slug: section_ids(e) for e in essays}
        self.ids = {f"{slug}#{sid}" for slug, sids in self.of.items() for sid in sids}
        self.essays = Nearest(set(self.of))
        self._near: dict[str, Nearest] = {}
        self._holding: dict[str, list[str]] | None = None
        self._all: Nearest | None = None

    def any_hint(self, text: str) -> str:
        """ "did you mean" among every ``essay#section`` (for a marker that is not one)."""
        if self._all is None:
            self._all = Nearest(self.ids)
        return self._all(text)

    def __contains__(self, ref: str) -> bool:
        return ref in self.ids

    def nearest(self, essay: str) -> Nearest:
        if essay not in self._near:
            self._near[essay] = Nearest(self.of[essay])
        return self._near[essay]

    def hint(self, ref: str) -> str:
        """ "did you mean" for an ``essay#section`` that names none: a section of that essay; for an essay
        not there (renamed, say), the essay that has a section of that very id, else the closest name."""
        essay, _, sid = ref.partition("#")
        if essay not in self.of:
            if self._holding is None:
                self._holding = {}
                for slug, sids in self.of.items():
                    for s in sids:
                        self._holding.setdefault(s, []).append(slug)
            holders = self._holding.get(sid, [])
            if len(holders) == 1:
                return f"; did you mean `{holders[0]}#{sid}`?"
            close = self.essays.closest(essay)
            if close is None:
                return ""
            essay = close
        near = self.nearest(essay).closest(sid)
        return f"; did you mean `{essay}#{near}`?" if near else ""


def _unknown_section(ref: str, ids: _Sections, unreadable: set[str]) -> str | None:
    """None if ``ref`` (canonical ``essay#section``) names a section, or one of an essay that could not be read
    (reported already); else the "did you mean" hint, empty when nothing is close."""
    if ref in ids or ref.partition("#")[0] in unreadable:
        return None
    return ids.hint(ref)


def _check_passages(ids: _Sections, refs: Refs, report: Report, unreadable: set[str]) -> None:
    """A passage marker ``[essay#section]`` that names no section is an error: it would cite nothing."""
    for text, line, col, path, fld in refs.passages:
        ref = section_ref(text)
        hint = _unknown_section(ref, ids, unreadable) if ref is not None else ids.any_hint(text)
        if hint is None:
            continue
        report.error(
            path,
            line,
            col,
            fld,
            f"`[{text}]` names no section of any essay: expected `[essay#section]` with the section's id as the essay"
            f" page's address has it (`diplokb route --explain` shows each section's){hint}",
        )
