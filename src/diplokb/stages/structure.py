"""The structure an essay's text implies: which sections hold the ones that follow, and where an
unheaded closing begins. Both read only what the parser made, so they work on any essay.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from ..content.essay import Section
from ..text import YEAR, content_words


def _distinctive(sections: list[Section], title: str | None) -> Counter[str]:
    """How many headings (and the title) use each word: frequent words name nothing in particular."""
    df: Counter[str] = Counter()
    for s in sections:
        if s.heading:
            df.update(set(content_words(s.heading)))
    if title:
        df.update({w: 99 for w in content_words(title)})
    return df


def _sentences(section: Section) -> list[set[str]]:
    """Stem sets of each sentence and list item of a section."""
    out: list[set[str]] = []
    for b in section.blocks:
        parts = b.items if b.kind == "list" else _SENTENCE_SPLIT.split(b.text)
        out.extend(set(content_words(p)) for p in parts)
    return out


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?:])\s+")


def _distinct_words(heading: str, df: Counter[str], common: int) -> list[str]:
    return [w for w in dict.fromkeys(content_words(heading)) if df[w] < common]


def _fully_named(words: list[str], sentences: list[set[str]]) -> bool:
    """At least two distinctive words, all of them in one sentence or list item."""
    return len(words) >= 2 and any(all(w in sent for w in words) for sent in sentences)


def _partly_named(words: list[str], vocab: set[str]) -> bool:
    """At least half of the distinctive words somewhere in the text."""
    hits = sum(1 for w in words if w in vocab)
    return bool(words) and hits >= 1 and hits * 2 >= len(words)


def nest_sections(sections: list[Section], title: str | None) -> None:
    """Make sections level 3 when the section before them names them.

    A section "names" the headings that follow when one of its sentences or list items holds
    every distinctive word of the heading (words most headings share, such as the essay's own
    subject, do not count). The two sections right after it must be named that fully, and each
    must have at least two distinctive words, so a passing mention does not swallow its
    neighbours; after those, a section whose distinctive words are at least half present in the
    text extends the run.
    """
    df = _distinctive(sections, title)
    common = max(3, len([s for s in sections if s.heading]) // 4)
    i = 0
    while i < len(sections):
        parent = sections[i]
        if parent.heading is None or parent.level != 2 or i + 2 >= len(sections):
            i += 1
            continue
        sentences = _sentences(parent)
        vocab = set().union(*sentences) if sentences else set()

        nxt = sections[i + 1 : i + 3]
        if not all(s.heading and _fully_named(_distinct_words(s.heading, df, common), sentences) for s in nxt):
            i += 1
            continue
        j = i + 3
        while j < len(sections) and sections[j].heading and _partly_named(_distinct_words(sections[j].heading or "", df, common), vocab):
            j += 1
        for k in range(i + 1, j):
            sections[k].level = 3
            sections[k].parent = i
        i = j


CLOSING_TITLE = "Conclusion"
MAX_CLOSING_PARAGRAPHS = 3


def _recap_scores(sections: list[Section], title: str | None) -> list[list[float]]:
    """How much each paragraph restates the essay's frame (title, opening, other sections' headings).

    Words are weighted by rarity across the essay's paragraphs, so the subject every paragraph
    repeats counts for little; the score is the weighted share of a paragraph's words found in the
    frame (its own section's heading left out). A conclusion sums up: it echoes the opening and the
    headings before it more than the paragraphs of any one section do.
    """
    paras = [[set(content_words(b.plain())) if b.kind == "paragraph" else set() for b in s.blocks] for s in sections]
    df: Counter[str] = Counter()
    n = 0
    for sec in paras:
        for words in sec:
            df.update(words)
            n += 1
    idf = {w: math.log(n / c) for w, c in df.items()}
    opening: set[str] = set()
    for s, sec in zip(sections, paras, strict=True):
        if s.heading is None:
            opening.update(*sec)
    base = set(content_words(title or "")) | opening
    heads = [set(content_words(s.heading)) if s.heading else set() for s in sections]
    # How many headings use each word: a word is in section i's frame when another heading has it.
    # (Building each section's frame as a union of every other heading cost the square of the sections.)
    in_heads: Counter[str] = Counter()
    for h in heads:
        in_heads.update(h)
    out: list[list[float]] = []
    for i, sec in enumerate(paras):
        own = heads[i]
        row = []
        for words in sec:
            total = sum(idf[w] for w in words)
            framed = (w for w in words if w in base or in_heads[w] > (w in own))
            row.append(sum(idf[w] for w in framed) / total if total else 0.0)
        out.append(row)
    return out


def split_closing(sections: list[Section], title: str | None) -> None:
    """Give an essay's unheaded closing paragraphs their own section, marked ``inferred``.

    Essays often end with a paragraph or two that sum up the whole essay with no heading of their
    own, so they land in the last section. They are recognised by structure, not wording: one of the
    last section's final paragraphs (not its first) restates the essay's frame more than any
    paragraph before it in that section and more than nine in ten paragraphs of the essay's headed
    sections. That paragraph and every paragraph after it (at most three, all prose) become a
    level-2 section titled "Conclusion". Where the last section is no longer than the essay's
    sections usually are (a short last section and a one-paragraph closing), the paragraphs split off
    must also name no year: a closing sums up, it does not bring new dated facts.
    """
    headed = [s for s in sections if s.heading is not None]
    if len(headed) < 4 or sections[-1].heading is None:
        return
    if sections[-1].heading.casefold().startswith(CLOSING_TITLE.casefold()):
        return  # the essay's own "Conclusion": its paragraphs are the closing already (two "Conclusion"s would read oddly)
    last = sections[-1]
    sizes = sorted(len(s.blocks) for s in headed[:-1])
    typical = sizes[len(sizes) // 2] if len(sizes) % 2 else (sizes[len(sizes) // 2 - 1] + sizes[len(sizes) // 2]) / 2
    n = len(last.blocks)
    long = n > typical and n >= 3
    if n < 2:
        return
    scores = _recap_scores(sections, title)
    own = scores[-1]
    pool = sorted(x for i, row in enumerate(scores) if sections[i].heading is not None for x in row)
    top = pool[int(0.9 * (len(pool) - 1))]
    candidates = [
        k
        for k in range(max(1, n - MAX_CLOSING_PARAGRAPHS), n)
        if all(b.kind == "paragraph" and (long or not YEAR.search(b.text)) for b in last.blocks[k:])
    ]
    if not candidates:
        return
    k = max(candidates, key=lambda j: (own[j], -j))
    if own[k] < top or own[k] <= max(own[:k]):
        return
    tail = last.blocks[k:]
    del last.blocks[k:]
    sections.append(Section(CLOSING_TITLE, 2, tail[0].line, tail, inferred=True))
