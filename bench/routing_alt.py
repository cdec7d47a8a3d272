"""Other kinds of router, measured leave-one-set-out against the current one (``bench/routing_eval.py --loso``).

The rule-based ones are here, the learned ones in ``bench/routing_learn.py``.

All of them read the same evidence as ``diplokb.route`` (each topic's terms, found in the heading
and per block, a mention in a paragraph's opening sentence weighing 2, a repetition of the essay's
title a quarter) and differ in how they decide:

- **paragraphs** (a): the editors' rule as written. A block is *about* a topic when the topic weighs
  at least ``own_min`` in it and at least ``own_frac`` of the block's strongest topic; a block about
  ``survey`` topics or more is a survey and about none. A section goes under the topics its heading
  names, the topics its title names if it is the opening, and a topic whose blocks make at least
  ``q`` of its words (``frame_q`` in an opening or closing, for a topic its title does not name);
  with ``sole``, also under the only topic it names at one mention per 100 words. Variant
  **opening sentences**: a block is about the topics its opening sentence names (and, with ``dom``,
  its one strongest topic at weight 2 or more).
- **current + paragraphs**: the current rules, plus: a topic that is not the section's strongest,
  in a section naming two or more, needs its own blocks to make ``q_req`` of the words; a topic
  under the share bar is filed if its blocks make ``q_rescue``.
- **logistic regression** (b): one topic-agnostic weight per feature of a (section, topic) pair
  (term weight, share of the strongest, share of words in blocks about it, an opening or closing
  for a topic the title does not name, ...), fitted on five sets; filed above probability 1/2.
- **+ tf-idf similarity** (c): the same with the cosine between the section and the topic's
  profile (title, summary, terms), idf over the sections routed together and the profiles.
- **per-topic words** (reference, not topic-agnostic: a new topic would need labelled sections):
  the regression plus one weight per (topic, word) of the section.
"""

from __future__ import annotations

import itertools
from typing import Any

from diplokb.parse import Section
from diplokb.route import SectionHits, _lead_end, _TitlePhrase, essay_title, section_hits, topic_matcher

from .routing_eval import GROUPS, TOPICS, Labelled, Scores

SLUGS = [t.slug for t in TOPICS]
Block = tuple[int, dict[str, float], dict[str, int]]  # words, topic -> weight, topic -> mentions in the opening sentence


def blocks_of(section: Section, hits: SectionHits, title: _TitlePhrase) -> list[Block]:
    out: list[Block] = [(len(b.plain().split()), {}, {}) for b in section.blocks]
    leads = [_lead_end(b.text) if b.kind == "paragraph" else 0 for b in section.blocks]
    for bi, ii, h in hits:
        b = section.blocks[bi]
        text = b.text if b.kind == "paragraph" else b.items[ii]
        _, w, ld = out[bi]
        if title.echoes(text, h):
            wt = 0.25
        elif h.start < leads[bi]:
            wt = 2.0
            ld[h.key] = ld.get(h.key, 0) + 1
        else:
            wt = 1.0
        w[h.key] = w.get(h.key, 0) + wt
    return out


def evidence(data: dict[str, Labelled]) -> list[tuple[str, set[str], list[dict[str, Any]]]]:
    """Per essay: its set, the topics its title names, and per section the blocks, heading topics and label."""
    matcher = topic_matcher(TOPICS)
    out = []
    for g, d in data.items():
        for e in d.essays:
            title = _TitlePhrase(matcher, essay_title(e, {}))
            secs = []
            for i, s in enumerate(e.sections):
                framing = s.heading is None or s.inferred
                secs.append(
                    {
                        "blocks": blocks_of(s, section_hits(matcher, s), title),
                        "framing": framing,
                        "opening": s.heading is None,
                        "head": set() if framing else {h.key for h in matcher.finditer(s.heading or "")},
                        "gold": d.gold[(e.slug, i)],
                        "key": (g, e.slug, i),
                    }
                )
            out.append((g, {h.key for h in matcher.finditer(title.title)}, secs))
    return out


def owned(blocks: list[Block], own_min: float, own_frac: float, survey: int) -> dict[str, float]:
    """Words of the blocks about each topic."""
    out: dict[str, float] = {}
    for nw, w, _ in blocks:
        if not w:
            continue
        top = max(w.values())
        owners = [t for t, v in w.items() if v >= own_min and v >= own_frac * top]
        if len(owners) < survey:
            for t in owners:
                out[t] = out.get(t, 0) + nw
    return out


def _body(s: dict[str, Any]) -> dict[str, float]:
    """A section's term weight per topic, over all its blocks."""
    body: dict[str, float] = {}
    for _, w, _ in s["blocks"]:
        for t, v in w.items():
            body[t] = body.get(t, 0) + v
    return body


def _by_ownership(s: dict[str, Any], about: set[str], own: dict[str, float], q: float, frame_q: float, sole: int) -> set[str]:
    """Heading topics (and an opening's title topics), topics owning a share of the words, and optionally the only topic named."""
    words = max(1, sum(b[0] for b in s["blocks"]))
    body = _body(s)
    got = set(s["head"]) | (about if s["opening"] else set())
    for t, ow in own.items():
        if ow / words >= (frame_q if s["framing"] and t not in about else q):
            got.add(t)
    named = [t for t, v in body.items() if v >= 1]
    if sole and len(named) == 1 and not s["head"] and not s["framing"] and body[named[0]] >= words / 100:
        got.add(named[0])
    return got


def paragraphs(
    s: dict[str, Any], about: set[str], own_min: float, own_frac: float, q: float, survey: int, frame_q: float, sole: int
) -> set[str]:
    return _by_ownership(s, about, owned(s["blocks"], own_min, own_frac, survey), q, frame_q, sole)


def lead_owned(blocks: list[Block], dom: int, survey: int) -> dict[str, float]:
    out: dict[str, float] = {}
    for nw, w, ld in blocks:
        owners = {t for t, k in ld.items() if k}
        tops = [t for t, v in w.items() if v == max(w.values()) and v >= 2] if dom and w else []
        owners |= set(tops[:1]) if len(tops) == 1 else set()
        if len(owners) < survey:
            for t in owners:
                out[t] = out.get(t, 0) + nw
    return out


def opening_sentences(s: dict[str, Any], about: set[str], dom: int, survey: int, q: float, frame_q: float, sole: int) -> set[str]:
    return _by_ownership(s, about, lead_owned(s["blocks"], dom, survey), q, frame_q, sole)


def hybrid(
    s: dict[str, Any], about: set[str], mb: float, ms: float, q_req: float | None, q_rescue: float | None, own_min: float
) -> set[str]:
    """The current rules (thresholds ``mb``, ``ms``; density 1/100; frame factor 2), with paragraph ownership added."""
    words = max(1, sum(b[0] for b in s["blocks"]))
    body = _body(s)
    own = owned(s["blocks"], own_min, 1.0, 99)
    head = s["head"]
    scores = {t: 4 * (t in head) + body.get(t, 0) for t in set(body) | head}
    best = max(scores.values(), default=0)
    named = [t for t, v in body.items() if v >= 1]
    sole = len(named) == 1 and not head
    got = set()
    for t in sorted(set(scores) | (about if s["opening"] else set())):
        b, of = body.get(t, 0), own.get(t, 0) / words
        need = mb * (1 if t in about or not s["framing"] else 2)
        if t in head or (s["opening"] and t in about) or (sole and not s["framing"] and 1 <= b < need and b / words >= 0.01):
            got.add(t)
        elif b < need or b / words < 0.01:
            continue
        elif scores[t] < ms * best:
            if q_rescue is not None and of >= q_rescue:
                got.add(t)
        elif q_req is None or len(named) < 2 or scores[t] >= best or of >= q_req:
            got.add(t)
    return got


def run_rule(ev: list[tuple[str, set[str], list[dict[str, Any]]]], rule: Any, params: tuple[Any, ...]) -> Scores:
    per: Scores = dict.fromkeys(GROUPS, 0.0)
    for g, in_title, secs in ev:
        about = set(in_title)
        for k, s in enumerate(secs):
            got = rule(s, about, *params)
            if k == 0 and s["opening"]:
                about |= got  # what the opening is filed under, the essay is about
            per[g] += got == s["gold"]
    return per


def families(data: dict[str, Labelled]) -> list[tuple[str, list[tuple[Any, Scores]]]]:
    """Each family as (name, [(setting, per-set scores)]); a fitted model as two rows, its in-sample and LOSO figures."""
    ev = evidence(data)
    grid_a = list(
        itertools.product([1.5, 2, 3], [0.3, 0.5, 0.7, 1.0], [0.15, 0.2, 0.25, 0.3, 0.4], [3, 4, 99], [0.25, 0.4, 0.6, 1.01], [0, 1])
    )
    grid_h = list(
        itertools.product([1.5, 2, 2.5], [0.2, 0.3, 0.4], [None, 0.1, 0.15, 0.2, 0.25, 0.3], [None, 0.25, 0.35, 0.5], [1.5, 2, 3])
    )
    grid_o = list(itertools.product([0, 1], [2, 3, 99], [0.1, 0.15, 0.2, 0.25, 0.3, 0.4], [0.25, 0.4, 0.6, 1.01], [0, 1]))
    out: list[tuple[str, list[tuple[Any, Scores]]]] = [
        ("(a) paragraphs", [(p, run_rule(ev, paragraphs, p)) for p in grid_a]),
        ("(a) opening sentences", [(p, run_rule(ev, opening_sentences, p)) for p in grid_o]),
        ("current + paragraphs", [(p, run_rule(ev, hybrid, p)) for p in grid_h]),
    ]
    from .routing_learn import FEATURES, pairs, per_topic_words, regression, similarity, standardise

    ps = pairs(ev)
    pooled, lo = regression(data, ps, FEATURES)
    out.append(("(b) regression", [("in-sample", pooled)]))
    out.append(("(b) regression", [("LOSO", lo)]))
    sim = similarity(data)
    for key, t, x, _ in ps:
        x["sim"] = sim[(*key, t)]
    standardise(ps, "sim")
    pooled, lo = regression(data, ps, [*FEATURES, "sim"])
    out.append(("(b)+(c) regression + tf-idf", [("in-sample", pooled)]))
    out.append(("(b)+(c) regression + tf-idf", [("LOSO", lo)]))
    out.append(("per-topic words (not agnostic)", [("LOSO", per_topic_words(data, ps))]))
    return out
