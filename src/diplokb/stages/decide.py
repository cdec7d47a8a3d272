"""Stage 3b, decide: the editors' decisions (``content/filings.yaml``) settle what the router proposed.

:func:`load_decisions` reads and checks the file like a topic file (every problem as
``path:line:col: field: message``; an entry naming no essay or section is a warning with the
closest real one). :func:`settle` returns a new :class:`Routing` whose topics are what the site
files: an editor's decision where there is one (it wins over any later change to terms or rules),
nothing for a section under review (it stays on its essay page until an editor decides), and the
router's answer elsewhere. A decided section keeps its decision while its text is mostly the same
(a MinHash fingerprint of its word triples, recorded with the decision); a rewrite asks again.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import Literal

from ..cache import BuildCache
from ..content.decisions import DECISIONS_FILE, Decision, Decisions
from ..content.schema import FieldSpec, did_you_mean
from ..content.yamlsafe import MappingNode, Node, ScalarNode, kind_name, load_file, pos
from ..errors import ContentError, Problem, Report
from ..text import fold
from ..urls import section_ids
from .model import Topic, _Walker
from .parse import Essay, Section
from .route import Filing, Routing

KEEP = 0.5  # a decided section whose text fingerprint is at least this alike keeps its decision
_HASHES = 16  # minimum hashes in a fingerprint, 4 hex digits each
_FP = re.compile(r"^[0-9a-f]{64}$")
_P = (1 << 61) - 1  # a Mersenne prime for the hash family
_WORD = re.compile(r"\w+")
TOP = (FieldSpec("decisions", "list", True, "Per essay#section, the topics an editor filed it under."),)
ENTRY = (
    FieldSpec("topics", "list", True, "The topics the section is filed under; [] keeps it on its essay page."),
    FieldSpec("router", "list", False, "What the router proposed when the editor decided."),
    FieldSpec("text", "str", False, "A fingerprint of the section's text when it was decided."),
)


def fingerprint(section: Section) -> str:
    """MinHash of the section's word triples: equal hashes estimate the share of triples two texts share."""
    words = _WORD.findall(fold(" ".join(b.plain() for b in section.blocks)))
    shingles = {" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))} or {""}
    base = [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big") for s in shingles]
    out = []
    for k in range(_HASHES):
        a, b = 2 * k + 1 + (k << 32), k * 0x9E3779B97F4A7C15 % _P
        out.append(f"{min((a * h + b) % _P for h in base) & 0xFFFF:04x}")
    return "".join(out)


def similarity(a: str, b: str) -> float:
    """Estimated share of word triples two fingerprints' texts share (1.0 for the same text)."""
    pa, pb = [a[i : i + 4] for i in range(0, len(a), 4)], [b[i : i + 4] for i in range(0, len(b), 4)]
    return sum(x == y for x, y in zip(pa, pb, strict=False)) / max(1, len(pa))


def load_decisions(
    content_dir: Path, essays: list[Essay], topics: list[Topic], cache: BuildCache | None = None
) -> tuple[Decisions, list[Problem]]:
    """``content/filings.yaml`` read and checked; (no decisions, no warnings) when there is no file."""
    path = content_dir / DECISIONS_FILE
    if not path.is_file():
        return Decisions(), []
    if path.is_symlink() and not path.resolve().is_relative_to(content_dir.resolve()):
        raise ContentError(
            Problem(str(path), 0, 0, "", f"symbolic link to a file outside {content_dir}: refused; copy the file in instead")
        )
    report = Report()
    _text, root = load_file(path, cache.composed if cache else None)
    if root is None:
        return Decisions(str(path)), []
    w = _Walker(str(path), report)
    fields = w.mapping(root, TOP, "")
    body: Node | None = fields["decisions"][1] if fields and "decisions" in fields else None
    out: dict[str, Decision] = {}
    if body is not None and not (isinstance(body, ScalarNode) and body.value == ""):
        if not isinstance(body, MappingNode):
            w.err(body, "decisions", f"expected essay#section entries, one a line, found {kind_name(body)}")
        else:
            _entries(w, body, essays, {t.slug for t in topics}, out)
    report.raise_if_errors()
    return Decisions(str(path), tuple(out.items())), report.warnings


def _entries(w: _Walker, body: MappingNode, essays: list[Essay], slugs: set[str], out: dict[str, Decision]) -> None:
    ids = {e.slug: section_ids(e) for e in essays}
    refs = [f"{e}#{s}" for e, ss in ids.items() for s in ss]
    for knode, vnode in body.value:
        if not isinstance(knode, ScalarNode):
            w.err(knode, "decisions", f"expected essay#section, found {kind_name(knode)}")
            continue
        ref = str(knode.value)
        line, col = pos(knode)
        if ref in out:
            w.err(knode, f"decisions.{ref}", f"duplicate entry (lines {out[ref].line} and {line}); keep one")
            continue
        essay, _, sid = ref.partition("#")
        if essay not in ids:
            w.report.warn(
                w.path, line, col, f"decisions.{ref}", f"names no essay{did_you_mean(essay, set(ids))}; the decision changes nothing"
            )
        elif sid not in ids[essay]:
            hint = did_you_mean(ref, [r for r in refs if r.startswith(essay + "#")])
            w.report.warn(
                w.path,
                line,
                col,
                f"decisions.{ref}",
                f"names no section of {essay} (a heading renamed?){hint}; the decision changes nothing",
            )
        fields = w.mapping(vnode, ENTRY, f"decisions.{ref}")
        if not fields or "topics" not in fields:
            continue
        chosen = _topics(w, fields["topics"][1], f"decisions.{ref}.topics", slugs)
        router = tuple(_topics(w, fields["router"][1], f"decisions.{ref}.router", slugs)) if "router" in fields else None
        fp = ""
        if "text" in fields:
            fp = w.string(fields["text"][1], f"decisions.{ref}.text") or ""
            if fp and not _FP.match(fp):
                w.err(
                    fields["text"][1],
                    f"decisions.{ref}.text",
                    "expected the 64-digit fingerprint `diplokb route --review` writes (or no text: field)",
                )
                fp = ""
        out[ref] = Decision(ref, tuple(chosen), router, fp, line, col)


def _topics(w: _Walker, node: Node, fld: str, slugs: set[str]) -> list[str]:
    chosen = []
    for t, tnode in w.strings(node, fld):
        if t not in slugs:
            w.err(tnode, fld, f"no topic named `{t}`{did_you_mean(t, slugs)}")
        else:
            chosen.append(t)
    return chosen


def settle(routing: Routing, essays: list[Essay], decisions: Decisions) -> Routing:
    """The routing the site files: decisions first, then the router where it is sure; nothing on review.

    Every returned :class:`Filing` keeps the router's own answer as ``proposed``, and says in
    ``state`` whether its topics were decided, held for review or the router's; a decided section
    the router (or its changed text) would now treat otherwise says so in ``changed``.
    """
    by_ref = dict(decisions.by_ref)
    filings: dict[str, list[Filing]] = {}
    by_topic: dict[str, list[tuple[str, int]]] = {t: [] for t in routing.by_topic}
    for e in essays:
        ids = section_ids(e) if by_ref else [""] * len(e.sections)
        out = []
        for i, f in enumerate(routing.filings[e.slug]):
            d = by_ref.get(f"{e.slug}#{ids[i]}") if by_ref else None
            out.append(_settle_one(f, d, e.sections[i]))
        filings[e.slug] = out
        for i, f in enumerate(out):
            for slug in f.topics:
                by_topic.setdefault(slug, []).append((e.slug, i))
    return Routing(filings, by_topic)


def _settle_one(f: Filing, d: Decision | None, section: Section) -> Filing:
    proposed = list(f.topics)
    if d is None:
        if f.review:
            return replace(f, topics=[], proposed=proposed, state="review")
        return replace(f, proposed=proposed, state="router")
    if d.text:
        alike = similarity(d.text, fingerprint(section))
        if alike < KEEP:
            why = f"its text changed since the decision ({alike:.0%} of it alike); the decision was {_names(d.topics)}"
            return replace(f, topics=[], proposed=proposed, state="review", changed=why, review={**f.review, **{t: why for t in d.topics}})
    changed = ""
    then = d.router if d.router is not None else d.topics  # an entry without router: compare with the decision
    if set(proposed) != set(then):
        was = f", where it proposed {_names(then)} when decided" if d.router is not None else ""
        changed = f"decided {_names(d.topics)}; the router would now file it under {_names(tuple(proposed))}{was}"
    return replace(f, topics=list(d.topics), proposed=proposed, state="decided", changed=changed, review={})


def _names(topics: tuple[str, ...] | list[str]) -> str:
    return ", ".join(topics) if topics else "nothing (its essay page only)"


def review_refs(essays: list[Essay], routing: Routing) -> list[tuple[Essay, int, str]]:
    """Every section under review, essay by essay: (essay, section index, ``essay#section``)."""
    out = []
    for e in essays:
        ids = section_ids(e)
        out += [(e, i, f"{e.slug}#{ids[i]}") for i, f in enumerate(routing.filings[e.slug]) if f.state == "review"]
    return out


def filing_problems(essays: list[Essay], routing: Routing, decisions: Decisions, require: bool = False) -> list[Problem]:
    """What ``diplokb check`` says of the filings: sections under review (errors when ``require``), and decided
    sections the router (or a changed text) would now treat otherwise, with the decision and the router's answer."""
    out = []
    severity: Literal["error", "warning"] = "error" if require else "warning"
    by_ref = dict(decisions.by_ref)
    for e, i, ref in review_refs(essays, routing):
        f = routing.filings[e.slug][i]
        s = e.sections[i]
        line = s.line if s.heading is not None else (s.blocks[0].line if s.blocks else s.line)
        why = f.changed or "; ".join(f"{t}: {r}" for t, r in sorted(f.review.items()))
        out.append(
            Problem(
                e.path,
                line,
                0,
                ref,
                f"under review, shown on its essay page only until an editor decides ({why}); run `diplokb route --review`",
                severity,
            )
        )
    for e in essays:
        ids = section_ids(e) if by_ref else []
        for i, f in enumerate(routing.filings[e.slug]):
            if f.state == "decided" and f.changed:
                d = by_ref[f"{e.slug}#{ids[i]}"]
                out.append(
                    Problem(
                        decisions.path,
                        d.line,
                        d.col,
                        f"decisions.{d.ref}",
                        f"{f.changed}; the decision stands until an editor changes it",
                        "warning",
                    )
                )
    return out
