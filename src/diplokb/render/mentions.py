"""Contextual backlinks: each essay passage that mentions a page, shown by the sentence that does.

A reader sees, per mention, the sentence with the mention highlighted (``<mark>``) and a link to
that place in the essay, grouped by essay: the first few of each essay in view, the rest one
click away (``<details>``). Topic pages, case studies and actor and place pages all use it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..stages.entities import Entity
from .context import Context
from .copy import count
from .markup import Block, attr, esc, nosearch_div, para
from .scale import MENTION_GROUPS_KEPT, MENTIONS_LISTED_MAX

PER_ESSAY = 3  # mentions of one essay in view; the others behind "more"
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]*[A-Z0-9])")


@dataclass(frozen=True)
class Said:
    """One essay passage mentioning the page: where, the sentence, and the mention's place in it."""

    essay: str
    section: int
    sentence: str = ""  # empty: the passage is listed by its title alone
    start: int = 0  # the mention, as offsets in ``sentence``
    end: int = 0
    anchor: str = ""  # an id the item keeps on its page (a topic page's id of a section it lists)


def sentence_at(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The sentence of ``text`` holding ``text[start:end]``, with that span's offsets in it."""
    a, b = 0, len(text)
    for m in _SENTENCE_END.finditer(text):
        if m.end() <= start:
            a = m.end()
        elif m.start() >= end:
            b = m.start()
            break
    lead = len(text[a:b]) - len(text[a:b].lstrip())
    sentence = text[a:b].strip()
    return sentence, start - a - lead, end - a - lead


def block_texts(r: Context, essay: str, section: int) -> list[str]:
    """The texts of a section's blocks, as term hits count them: (block, item) -> text."""
    return [t for b in r.essays[essay].sections[section].blocks for t in ([b.text] if b.kind == "paragraph" else b.items)]


def topic_said(r: Context, slug: str, essay: str, section: int, anchor: str = "") -> Said:
    """Where a section first names topic ``slug`` (its term hit), or just the section if it does not."""
    for h in r.kb.term_hits.get((essay, section), []):
        if h.topic == slug:
            b = r.essays[essay].sections[section].blocks[h.block]
            text = b.text if b.kind == "paragraph" else b.items[h.item]
            return Said(essay, section, *sentence_at(text, h.start, h.end), anchor=anchor)
    return Said(essay, section, anchor=anchor)


def entity_said(r: Context, ent: Entity, limit: int | None = None) -> list[Said]:
    """The first sentence naming the actor or place in each of the first ``limit`` sections that mention it."""
    matcher = r.entity_names()
    ents = r.kb.entities
    out = []
    for e_slug, i in ent.sections[:limit]:
        found = Said(e_slug, i)
        for text in block_texts(r, e_slug, i):
            hit = next((h for h in matcher.finditer(text) if ents.get(h.key) is ent), None)
            if hit is not None:
                found = Said(e_slug, i, *sentence_at(text, hit.start, hit.end))
                break
        out.append(found)
    return out


def _item(r: Context, p: str, s: Said) -> str:
    kb = r.kb
    e = r.essays[s.essay]
    where = r.link(p, kb.section_key(s.essay, s.section), kb.section_title(e, s.section))
    ident = f' id="{attr(s.anchor)}"' if s.anchor else ""
    if not s.sentence:
        return f"<li{ident}>{where}</li>"
    t = s.sentence
    said = f"{esc(t[: s.start])}<mark>{esc(t[s.start : s.end])}</mark>{esc(t[s.end :])}"
    return f'<li{ident}><q class="kb-said">{said}</q> <span class="kb-said-where">{where}</span></li>'


def trim_said(items: list[Said]) -> tuple[list[Said], int]:
    """The mentions shown, in their order, and the number of essays left out: past ``MENTIONS_LISTED_MAX``, only the
    essays that mention the page most."""
    if len(items) <= MENTIONS_LISTED_MAX:
        return items, 0
    n = Counter(s.essay for s in items)
    keep = {e for e, _ in sorted(n.items(), key=lambda kv: -kv[1])[:MENTION_GROUPS_KEPT]}
    return [s for s in items if s.essay in keep], len(n) - len(keep)


def said_blocks(r: Context, p: str, items: list[Said], per_essay: int = PER_ESSAY) -> list[Block]:
    """The mentions grouped by essay (in the knowledge base's essay order), a few each in view, the rest behind "more"."""
    kb = r.kb
    by_essay: dict[str, list[Said]] = {}
    for s in items:
        by_essay.setdefault(s.essay, []).append(s)
    out: list[str] = []
    for e in kb.essays:
        got = by_essay.get(e.slug)
        if not got:
            continue
        shown, rest = got[:per_essay], got[per_essay:]
        group = [f'<p class="kb-said-essay">In <cite>{esc(kb.essay_title(e))}</cite></p>']
        group.append('<ul class="kb-said-list">' + "".join(_item(r, p, s) for s in shown) + "</ul>")
        if rest:
            more = esc(count(len(rest), "more passage", "more passages"))
            group.append(
                f'<details class="kb-said-more"><summary>{more} in this essay</summary>'
                f'<ul class="kb-said-list">{"".join(_item(r, p, s) for s in rest)}</ul></details>'
            )
        out.append("".join(group))
    return [nosearch_div("\n".join(out), "kb-said-box")] if out else [para("No essay passage mentions it.")]
