"""Part of stage 2, model: the optional entities file -> an :class:`EntityBook`, and likely duplicate names.

The file is walked like a topic file (the same walker, every problem as ``path:line:col: field:
message``). :func:`likely_duplicates` reads the case studies' actors and places and warns of names
that are probably one entity written two ways ("US", "U.S.", "United States"), unless the entities
file already merges them with ``aliases``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..cache import BuildCache
from ..content.entities import ENTITIES_FILE, ENTITY_FIELDS, WIKIDATA, EntityBook, EntityInfo, fold_name
from ..content.schema import CaseStudy, FieldSpec
from ..content.yamlsafe import Node, ScalarNode, SequenceNode, kind_name, load_file, pos
from ..errors import ContentError, Problem, Report
from ..text import UniqueSlugs, slugify
from ..urls import entity_page
from .model import _references, _Walker

EntityKind = Literal["actor", "place"]


@dataclass
class Entity:
    """An actor or place named by the case studies."""

    name: str
    kind: EntityKind
    anchor: str  # its page's name (the page is ``page``)
    cases: list[str] = field(default_factory=list)
    sections: list[tuple[str, int]] = field(default_factory=list)
    page: str = ""
    as_place: list[str] = field(default_factory=list)  # the cases naming it among their places
    info: EntityInfo | None = None  # what the entities file says of it


TOP = FieldSpec("entities", "list", True, "The actors and places described, one entry each.")


def load_entities(content_dir: Path, cache: BuildCache | None = None) -> EntityBook:
    """``content/entities.yaml`` read and checked; an empty book when there is no such file."""
    path = content_dir / ENTITIES_FILE
    if not path.is_file():
        return EntityBook()
    if path.is_symlink() and not path.resolve().is_relative_to(content_dir.resolve()):
        raise ContentError(
            Problem(str(path), 0, 0, "", f"symbolic link to a file outside {content_dir}: refused; copy the file in instead")
        )
    report = Report()
    _text, root = load_file(path, cache.composed if cache else None)
    if root is None:
        return EntityBook()
    w = _Walker(str(path), report, require_references=False)
    items = _entries(w, root)
    book = _book(w, items)
    report.raise_if_errors()
    return book


def _entries(w: _Walker, root: Node) -> list[Node]:
    fields = w.mapping(root, (TOP,), "")
    if not fields:
        return []
    node = fields["entities"][1]
    if isinstance(node, ScalarNode) and node.value == "":
        return []
    if not isinstance(node, SequenceNode):
        w.err(node, "entities", f"expected a list of entities (name, description, ...), found {kind_name(node)}")
        return []
    return list(node.value)


_DEGREES = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)


def _number(w: _Walker, node: Node, fld: str, limit: float) -> float | None:
    text = w.string(node, fld)
    if text is None:
        return None  # reported
    value = float(text) if _DEGREES.fullmatch(text) else None  # not nan, inf, 1e5, 1_0
    if value is None or not -limit <= value <= limit:
        w.err(node, fld, f"expected a number of degrees between -{limit:g} and {limit:g}, found `{text}`")
        return None
    return value


def _entry(w: _Walker, node: Node, where: str) -> tuple[EntityInfo, list[Node]] | None:
    """The entry, and the nodes of its name and of each alias (where a clash with another entry is reported)."""
    fields = w.mapping(node, ENTITY_FIELDS, where)
    if fields is None or "name" not in fields:
        return None
    vals = {k: w.string(v, f"{where}.{k}") for k, (_kn, v) in fields.items() if k in ("name", "kind", "description", "wikidata", "country")}
    name = vals.get("name")
    if not name:
        return None
    written_kind = vals.get("kind")
    kind: Literal["actor", "place"] | None = "actor" if written_kind == "actor" else "place" if written_kind == "place" else None
    if written_kind is not None and kind is None:
        w.err(fields["kind"][1], f"{where}.kind", f"expected `actor` or `place`, found `{written_kind}`")
    qid = vals.get("wikidata") or ""
    if qid and not WIKIDATA.fullmatch(qid):
        w.err(fields["wikidata"][1], f"{where}.wikidata", f"expected a Wikidata id such as Q30 (Q and digits), found `{qid}`")
        qid = ""
    refs = _references(w, fields["references"][1], f"{where}.references") if "references" in fields else []
    description = vals.get("description") or ""
    if description and not refs:
        w.err(
            fields["description"][1],
            f"{where}.description",
            "a description needs references (title, publisher, date, url), as every fact does",
        )
    point = None
    if ("latitude" in fields) != ("longitude" in fields):
        w.err(node, where, "give both `latitude` and `longitude`, or neither")
    elif "latitude" in fields:
        lat = _number(w, fields["latitude"][1], f"{where}.latitude", 90)
        lon = _number(w, fields["longitude"][1], f"{where}.longitude", 180)
        point = (lat, lon) if lat is not None and lon is not None else None
    written = w.strings(fields["aliases"][1], f"{where}.aliases") if "aliases" in fields else []
    line = pos(node)[0]
    info = EntityInfo(
        name, kind, tuple(a for a, _n in written), description, qid, vals.get("country") or "", point, tuple(refs), w.path, line
    )
    return info, [fields["name"][1], *(n for _a, n in written)]


def _book(w: _Walker, items: list[Node]) -> EntityBook:
    entries: dict[str, EntityInfo] = {}
    canonical: dict[str, str] = {}
    where_named: dict[str, tuple[str, int]] = {}  # folded name -> (entry name, line)
    for i, node in enumerate(items):
        got = _entry(w, node, f"entities[{i}]")
        if got is None:
            continue
        info, nodes = got
        if info.name in entries:
            w.err(nodes[0], f"entities[{i}].name", f"`{info.name}` has an entry already (line {entries[info.name].line}); keep one")
            continue
        for n, written in enumerate((info.name, *info.aliases)):
            key = fold_name(written)
            fld = f"entities[{i}].name" if n == 0 else f"entities[{i}].aliases[{n - 1}]"
            if key in where_named and where_named[key][0] != info.name:
                other, line = where_named[key]
                w.err(nodes[n], fld, f"`{written}` is already the name or an alias of `{other}` (line {line}); keep it in one entry")
                continue
            where_named[key] = (info.name, info.line)
            canonical[key] = info.name
        entries[info.name] = info
    return EntityBook(entries, canonical)


def _initials(name: str) -> str:
    words = [x for x in fold_name(name).replace("-", " ").split() if x not in ("of", "the", "and", "for")]
    return "".join(x[0] for x in words) if len(words) > 1 else ""


def likely_duplicates(cases: Iterable[CaseStudy], book: EntityBook) -> list[Problem]:
    """Warnings for names that are probably one actor or place written differently, each with where both are written.

    Two names are taken for one when they are equal without case, dots and spacing ("U.S." and "US"),
    or when one is the other's initials ("US" and "United States"). Names the entities file merges are left out."""
    first: dict[str, tuple[str, CaseStudy]] = {}  # each name as written (after aliases) -> where first written
    for c in cases:
        for written in (*c.actors, *c.places):
            name = book.name_of(written)
            first.setdefault(name, (written, c))
    by_fold: dict[str, list[str]] = {}
    by_initials: dict[str, list[str]] = {}
    by_slug: dict[str, list[str]] = {}  # names that get one page (register_entities keys them by slug)
    for name in first:
        by_fold.setdefault(fold_name(name).replace(" ", ""), []).append(name)
        by_slug.setdefault(slugify(name) or name, []).append(name)
        ini = _initials(name)
        if ini:
            by_initials.setdefault(ini, []).append(name)
    pairs: list[tuple[str, str]] = []
    for names in by_fold.values():
        pairs += [(names[0], n) for n in names[1:]]
    for short, names in by_fold.items():
        for long in by_initials.get(short, []):
            pairs += [(n, long) for n in names if n != long]
    merged = {(names[0], n) for names in by_slug.values() for n in names[1:]}  # "Côte d'Ivoire", "Cote d'Ivoire"
    out = []
    for a, b in sorted(set(pairs) | merged):
        (wa, ca), (wb, cb) = first[a], first[b]
        same = "share one page, spelt two ways" if (a, b) in merged else "look like one entity"
        out.append(
            Problem(
                cb.path,
                cb.line,
                0,
                "actors/places",
                f"`{wb}` ({cb.name}) and `{wa}` ({ca.name}, {ca.path}:{ca.line}) {same}; "
                f"write one name, or list the other under `aliases:` in {ENTITIES_FILE}",
                "warning",
            )
        )
    return out


def matched_aliases(e: Entity) -> tuple[str, ...]:
    """Aliases that also find mentions in the essays: not short capitals ("US" would find the word "us")."""
    return tuple(a for a in (e.info.aliases if e.info else ()) if len(a.replace(".", "")) > 3 or not a.replace(".", "").isupper())


def register_entities(cases: dict[str, CaseStudy], book: EntityBook) -> tuple[dict[str, Entity], dict[str, str]]:
    """One entity per actor or place the case studies name (aliases merged), with its page; and each name as written -> its key."""
    entities: dict[str, Entity] = {}
    names: dict[str, str] = {}
    uniq = UniqueSlugs({"index"})  # the folder's own index page
    for cs in sorted(cases.values(), key=lambda c: c.name.casefold()):
        named: tuple[tuple[EntityKind, list[str]], ...] = (("actor", cs.actors), ("place", cs.places))
        for kind, written in named:
            for w in written:
                n = book.name_of(w)
                ekey = slugify(n) or n
                names[w] = ekey
                if ekey not in entities:
                    entities[ekey] = Entity(n, kind, uniq(n, fallback="entity"), info=book.entries.get(n))
                ent = entities[ekey]
                if cs.id not in ent.cases:
                    ent.cases.append(cs.id)
                if kind == "place" and cs.id not in ent.as_place:
                    ent.as_place.append(cs.id)
    for ent in entities.values():
        # An entity is an actor if any case names it as one, unless the entities file says otherwise.
        ent.kind = ent.info.kind if ent.info and ent.info.kind else ("place" if len(ent.as_place) == len(ent.cases) else "actor")
        ent.page = entity_page(ent.kind, ent.anchor)
    return entities, names
