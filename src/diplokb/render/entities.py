"""A page per actor and per place, the short Actors and places index, and the map of places.

An entity's page says what it is (the entities file's description and references, its Wikidata
item), shows its case studies on a timeline strip, the essay passages that mention it with the
sentence that does, the actors and places that share its cases, and for a place where it is on the
map. "In the essays" is built here from the link stage's mentions (:func:`passages`); the contextual
backlinks of topic pages are meant to share it once both exist (one function, two callers).
"""

from __future__ import annotations

import re
from collections import Counter

from ..stages.entities import Entity
from ..urls import ACTORS, MAP
from . import mapsvg
from .context import Context
from .copy import count
from .markup import Block, Heading, Page, attr, esc, nosearch_div, para, references, ul
from .timeline import timeline_html

PASSAGES_LISTED = 40  # essay passages an entity's page quotes; past it, how many more there are
RELATED_LISTED = 20
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]*[A-Z0-9])")


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` holding ``text[start:end]``."""
    a = 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() <= start:
            a = m.end()
        elif m.start() >= end:
            return text[a : m.start()].strip()
    return text[a:].strip()


def passages(r: Context, ent: Entity, limit: int | None = None) -> list[tuple[str, int, str]]:
    """(essay, section, sentence) for the first ``limit`` essay sections that mention the entity: the first sentence naming it."""
    matcher = r.entity_names()
    ents = r.kb.entities
    out = []
    for e_slug, i in ent.sections[:limit]:
        s = r.essays[e_slug].sections[i]
        found = ""
        for b in s.blocks:
            for text in [b.text] if b.kind == "paragraph" else b.items:
                hit = next((h for h in matcher.finditer(text) if ents.get(h.key) is ent), None)
                if hit is not None:
                    found = _sentence(text, hit.start, hit.end)
                    break
            if found:
                break
        out.append((e_slug, i, found))
    return out


def _kind_label(ent: Entity) -> str:
    return "Place" if ent.kind == "place" else "Actor"


def page(r: Context, key: str) -> Page:
    kb = r.kb
    ent = kb.entities[key]
    p = ent.page
    info = ent.info
    n_secs = len(ent.sections)
    facts = [_kind_label(ent), count(len(ent.cases), "case study", "case studies")]
    if n_secs:
        facts.append(f"mentioned in {count(n_secs, 'essay section', 'essay sections')}")
    out: list[Block] = [Heading(1, ent.name), para(esc(" · ".join(facts)), "kb-meta")]
    if info is not None and info.description:
        marks = "".join(f' <a href="#ref-{n}">[{n}]</a>' for n in range(1, len(info.references) + 1))
        out.append(para(esc(info.description) + marks))
    if info is not None and info.wikidata:
        url = f"https://www.wikidata.org/wiki/{info.wikidata}"
        out.append(para(f'Wikidata: <a href="{attr(url)}" rel="noopener">{esc(info.wikidata)}</a>', "kb-meta"))
    out.append(Heading(2, "Case studies", "case-studies", nosearch=True))
    cases = sorted((kb.cases[c] for c in ent.cases), key=lambda c: c.name.casefold())
    rows = r.timeline_rows(p, cases)
    out.append(timeline_html([("", "", 0, rows)], f"Timeline of the case studies of {ent.name}", details=False))
    spot = mapsvg.spot(ent)
    if spot is not None:
        out.append(Heading(2, "On the map", "on-the-map", nosearch=True))
        mark = mapsvg.Mark(ent, r.url(p, MAP), f"{ent.name} on the map of places")
        view = mapsvg.around(spot)
        out.append(f'<figure class="kb-map-box kb-map-locator">{mapsvg.svg([mark], ent.name, view)}</figure>')
        where = "outline of" if spot.country is not None else "point for"
        out.append(para(f"The map shows the {where} {esc(ent.name)}. All places: {r.link(p, MAP, 'Map of places')}.", "kb-meta"))
    out += _related(r, ent)
    out += _passages(r, ent)
    if info is not None and info.references:
        out += [Heading(2, "References", "references"), references(info.references)]
    role = "a place" if ent.kind == "place" else "an actor"
    named = "; ".join(c.name for c in cases[:3]) + ("; …" if len(cases) > 3 else "")
    desc = (
        info.description
        if info is not None and info.description
        else f"{ent.name}, {role} in {count(len(ent.cases), 'case study', 'case studies')} of military diplomacy: {named}."
    )
    return Page.of(p, ent.name, desc, out)


def _related(r: Context, ent: Entity) -> list[Block]:
    kb = r.kb
    shared: Counter[str] = Counter()
    for cid in ent.cases:
        c = kb.cases[cid]
        for n in {kb.entity_names.get(x, x) for x in (*c.actors, *c.places)}:
            if n in kb.entities and kb.entities[n] is not ent:
                shared[n] += 1
    if not shared:
        return []
    top = sorted(shared.items(), key=lambda kv: (-kv[1], kb.entities[kv[0]].name.casefold()))[:RELATED_LISTED]
    items = [f"{r.link(ent.page, kb.entities[k].page, kb.entities[k].name)} ({count(n, 'shared case', 'shared cases')})" for k, n in top]
    more = len(shared) - len(top)
    out: list[Block] = [Heading(2, "Related actors and places", "related", nosearch=True), nosearch_div(ul(items))]
    if more > 0:
        out.append(para(esc(f"And {count(more, 'other', 'others')} with fewer shared cases.")))
    return out


def _passages(r: Context, ent: Entity) -> list[Block]:
    kb = r.kb
    p = ent.page
    out: list[Block] = [Heading(2, "In the essays", "in-the-essays", nosearch=True)]
    found = passages(r, ent, PASSAGES_LISTED)
    if not found:
        return [*out, para("No essay names it.")]
    items = []
    for e_slug, i, sentence in found:
        e = r.essays[e_slug]
        where = r.link(p, kb.section_key(e_slug, i), f"{kb.essay_title(e)} › {kb.section_title(e, i)}")
        quote = f'<br><q class="kb-said">{esc(sentence)}</q>' if sentence else ""
        items.append(f"{where}{quote}")
    out.append(nosearch_div(ul(items)))
    if len(ent.sections) > PASSAGES_LISTED:
        more = len(ent.sections) - PASSAGES_LISTED
        out.append(para(esc(f"{count(more, 'more essay section names', 'more essay sections name')} it.")))
    return out


def index(r: Context) -> Page:
    """Actors and places: one line each, linking its page, with its counts; short at any size."""
    kb = r.kb
    p = ACTORS
    ents = sorted(kb.entities.values(), key=lambda x: x.name.casefold())
    out: list[Block] = [
        Heading(1, "Actors and places"),
        para(
            "Every state, organisation and place the case studies name. Each has a page with its case studies, "
            f"the essay passages that mention it and the actors and places it shares cases with. Places on a map: {r.link(p, MAP, 'Map of places')}."
        ),
    ]
    for kind, label in (("actor", "Actors"), ("place", "Places")):
        out.append(Heading(2, label, f"{kind}s"))
        items = [
            r.link(p, x.page, x.name) + f' <span class="kb-meta">({esc(count(len(x.cases), "case", "cases"))})</span>'
            for x in ents
            if x.kind == kind
        ]
        out.append(nosearch_div(ul(items), "kb-columns") if items else para(f"No {label.lower()} yet."))
    return Page.of(p, "Actors and places", "States, organisations and places named in the case studies, each with its own page.", out)


def map_page(r: Context) -> Page:
    kb = r.kb
    p = MAP
    marks, listed, unmapped = [], [], []
    for ent in sorted(kb.entities.values(), key=lambda x: x.name.casefold()):
        if not ent.as_place:
            continue
        n = count(len(ent.as_place), "case study", "case studies")
        s = mapsvg.spot(ent)
        line = f"{r.link(p, ent.page, ent.name)}: {esc(n)}"
        if s is None:
            unmapped.append(line)
            continue
        marks.append(mapsvg.Mark(ent, r.url(p, ent.page), f"{ent.name}: {n}"))
        listed.append(line + ("" if s.country is not None else " (a point on the map)"))
    out: list[Block] = [
        Heading(1, "Map of places"),
        para(
            "The places where the case studies happened: each country with cases is shaded, and places that are not "
            "countries are marked with a point. Every shaded country and point opens its page; the list below holds the same links."
        ),
        # Wider than a phone, the map scrolls sideways: the box takes the keyboard focus for that.
        f'<figure class="kb-map-box" data-search-exclude tabindex="0" aria-label="World map of the places (the list below has the same links)">'
        f"{mapsvg.svg(marks, 'Map of places')}<figcaption>{esc(mapsvg.SOURCE_NOTE)}</figcaption></figure>",
        Heading(2, "Places on the map", "places-on-the-map", nosearch=True),
        nosearch_div(ul(listed), "kb-columns") if listed else para("No place is on the map yet."),
    ]
    if unmapped:
        out += [
            Heading(2, "Not on the map", "not-on-the-map", nosearch=True),
            para("Regions and places the map has no outline or coordinates for."),
            nosearch_div(ul(unmapped), "kb-columns"),
        ]
    return Page.of(p, "Map of places", "The places of the case studies on a world map, each linking to its page.", out)
