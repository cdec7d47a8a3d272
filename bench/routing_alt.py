"""Other kinds of router, measured leave-one-set-out against the current one (``bench/routing_eval.py --loso``).

All of them read the same evidence as ``diplokb.route`` (each topic's terms, found in the heading
and per block, a mention in a paragraph's opening sentence weighing 2, a repetition of the essay's
title a quarter) and differ in how they decide:

- **paragraphs** (a): the editors' rule as written. A block is *about* a topic when the topic weighs
  at least ``own_min`` in it and at least ``own_frac`` of the block's strongest topic; a block about
  ``survey`` topics or more is a survey and about none. A section goes under the topics its heading
  names, the topics its title names if it is the opening, and a topic whose blocks make at least
  ``q`` of its words (``frame_q`` in an opening or closing, for a topic its title does not name);
  with ``sole``, also under the only topic it names at one mention per 100 words.
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
import math
import random
import re
from collections import Counter
from typing import Any

from diplokb.parse import Section
from diplokb.route import SectionHits, _lead_end, _TitlePhrase, essay_title, section_hits, topic_matcher
from diplokb.text import fold

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


def paragraphs(
    s: dict[str, Any], about: set[str], own_min: float, own_frac: float, q: float, survey: int, frame_q: float, sole: int
) -> set[str]:
    words = max(1, sum(b[0] for b in s["blocks"]))
    body: dict[str, float] = {}
    for _, w, _ in s["blocks"]:
        for t, v in w.items():
            body[t] = body.get(t, 0) + v
    got = set(s["head"]) | (about if s["opening"] else set())
    for t, ow in owned(s["blocks"], own_min, own_frac, survey).items():
        if ow / words >= (frame_q if s["framing"] and t not in about else q):
            got.add(t)
    named = [t for t, v in body.items() if v >= 1]
    if sole and len(named) == 1 and not s["head"] and not s["framing"] and body[named[0]] >= words / 100:
        got.add(named[0])
    return got


def hybrid(
    s: dict[str, Any], about: set[str], mb: float, ms: float, q_req: float | None, q_rescue: float | None, own_min: float
) -> set[str]:
    """The current rules (thresholds ``mb``, ``ms``; density 1/100; frame factor 2), with paragraph ownership added."""
    words = max(1, sum(b[0] for b in s["blocks"]))
    body: dict[str, float] = {}
    for _, w, _ in s["blocks"]:
        for t, v in w.items():
            body[t] = body.get(t, 0) + v
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


# -- (b), (c): logistic regression over topic-agnostic features -------------------------------------

Pair = tuple[tuple[str, str, int], str, dict[str, float], int]  # (set, essay, section), topic, features, label
FEATURES = ["lw", "share", "top", "n_other", "own_frac", "frame_other", "frame_about", "open_about", "sole", "lwords", "dens"]


def pairs(ev: list[tuple[str, set[str], list[dict[str, Any]]]]) -> list[Pair]:
    """Every (section, topic) with evidence; a topic its heading names is filed without a model."""
    out: list[Pair] = []
    for _, in_title, secs in ev:
        for s in secs:
            words = max(1, sum(b[0] for b in s["blocks"]))
            body: dict[str, float] = {}
            for _, w, _ in s["blocks"]:
                for t, v in w.items():
                    body[t] = body.get(t, 0) + v
            own = owned(s["blocks"], 2, 0.5, 3)
            best = max(body.values(), default=0)
            named = [t for t, v in body.items() if v >= 1]
            for t in SLUGS:
                b = body.get(t, 0)
                if not b and t not in s["head"] and not (s["opening"] and t in in_title):
                    continue
                x = {
                    "head": float(t in s["head"]),
                    "lw": math.log1p(b),
                    "share": b / best if best else 0,
                    "top": float(b == best and b > 0),
                    "n_other": float(len([u for u in named if u != t])),
                    "own_frac": own.get(t, 0) / words,
                    "frame_other": float(s["framing"] and t not in in_title),
                    "frame_about": float(s["framing"] and t in in_title),
                    "open_about": float(s["opening"] and t in in_title),
                    "sole": float(named == [t]),
                    "lwords": math.log(words) / 5,
                    "dens": min(b / words * 100, 5),
                }
                out.append((s["key"], t, x, int(t in s["gold"])))
    return out


def fit(ps: list[Pair], names: list[str], l2: float = 0.001, epochs: int = 1500, lr: float = 1.0) -> dict[str, float]:
    """Batch gradient descent on the logistic loss, L2 on the weights; deterministic."""
    w = dict.fromkeys(names, 0.0)
    bias, n = 0.0, len(ps)
    for _ in range(epochs):
        gw, gb = dict.fromkeys(names, 0.0), 0.0
        for _, _, x, y in ps:
            z = bias + sum(w[k] * x[k] for k in names)
            d = 1 / (1 + math.exp(-max(-30.0, min(30.0, z)))) - y
            gb += d
            for k in names:
                gw[k] += d * x[k]
        bias -= lr * gb / n
        for k in names:
            w[k] -= lr * (gw[k] / n + l2 * w[k])
    return {"bias": bias, **w}


def filed_by(w: dict[str, float], ps: list[Pair]) -> dict[tuple[str, str, int], set[str]]:
    got: dict[tuple[str, str, int], set[str]] = {}
    for key, t, x, _ in ps:
        if x["head"] or w["bias"] + sum(v * x[k] for k, v in w.items() if k != "bias") > 0:
            got.setdefault(key, set()).add(t)
    return got


def agree(data: dict[str, Labelled], got: dict[tuple[str, str, int], set[str]], groups: list[str]) -> Scores:
    return {g: float(sum(got.get((g, *k), set()) == want for k, want in data[g].gold.items())) for g in groups}


def regression(data: dict[str, Labelled], ps: list[Pair], names: list[str]) -> tuple[Scores, Scores]:
    """(pooled in-sample, LOSO) agreement of the regression on these features."""
    train = [p for p in ps if not p[2]["head"]]
    pooled = agree(data, filed_by(fit(train, names), ps), GROUPS)
    out: Scores = {}
    for g in GROUPS:
        out.update(agree(data, filed_by(fit([p for p in train if p[0][0] != g], names), ps), [g]))
    return pooled, out


_STOP = set(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "or",
        "in",
        "on",
        "to",
        "for",
        "by",
        "with",
        "as",
        "at",
        "from",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "their",
        "his",
        "her",
        "they",
        "he",
        "she",
        "which",
        "who",
        "not",
        "but",
        "into",
        "than",
        "more",
        "most",
        "also",
        "has",
        "have",
        "had",
        "can",
        "may",
        "would",
        "will",
        "such",
        "other",
        "over",
        "after",
        "before",
        "between",
        "about",
        "when",
        "where",
        "while",
        "all",
        "any",
        "some",
        "one",
        "two",
        "many",
        "each",
        "only",
        "so",
        "what",
        "how",
        "there",
    ]
)
_WORD = re.compile(r"[a-z][a-z\-]+")


def tokens(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if w not in _STOP and len(w) > 2]


def similarity(data: dict[str, Labelled]) -> dict[tuple[str, str, int, str], float]:
    """Cosine (tf-idf) between each section and each topic's profile: title (x3), summary, terms (x2)."""
    profiles = {t.slug: Counter(tokens(" ".join([t.title] * 3 + [t.summary] + t.terms * 2))) for t in TOPICS}
    out = {}
    for g, d in data.items():
        docs = {(e.slug, i): Counter(tokens((s.heading or "") + " " + s.plain())) for e in d.essays for i, s in enumerate(e.sections)}
        df: Counter[str] = Counter()
        for c in [*docs.values(), *profiles.values()]:
            df.update(set(c))
        total = len(docs) + len(profiles)

        def vec(c: Counter[str], total: int = total, df: Counter[str] = df) -> dict[str, float]:
            v = {w: (1 + math.log(k)) * math.log((total + 1) / (df[w] + 0.5)) for w, k in c.items()}
            norm = math.sqrt(sum(x * x for x in v.values())) or 1
            return {w: x / norm for w, x in v.items()}

        pv = {t: vec(c) for t, c in profiles.items()}
        for k, c in docs.items():
            dv = vec(c)
            for t, p in pv.items():
                out[(g, *k, t)] = sum(x * p.get(w, 0) for w, x in dv.items())
    return out


def per_topic_words(data: dict[str, Labelled], ps: list[Pair], epochs: int = 30) -> Scores:
    """LOSO of the regression with one weight per (topic, word) besides the agnostic features (SGD, fixed seed)."""
    by = {(key, t): x for key, t, x, _ in ps}
    rows = []
    for g, d in data.items():
        for e in d.essays:
            for i, s in enumerate(e.sections):
                words = Counter(tokens((s.heading or "") + " " + s.plain()))
                n = math.sqrt(sum(words.values()) or 1)
                for t in SLUGS:
                    x = by.get(((g, e.slug, i), t))
                    f = {k: (x[k] if x else 0.0) for k in ["head", *FEATURES[:4], "own_frac", "frame_other", "open_about"]}
                    f["candidate"] = float(x is not None)
                    f[t] = 1.0
                    f.update({f"{t}:{w}": (1 + math.log(c)) / n for w, c in words.items()})
                    rows.append((g, (e.slug, i), t, f, int(t in d.gold[(e.slug, i)])))
    out: Scores = {}
    for g in GROUPS:
        w: Counter[str] = Counter()
        b, rnd = 0.0, random.Random(0)
        train = [r for r in rows if r[0] != g]
        for _ in range(epochs):
            rnd.shuffle(train)
            for _, _, _, f, y in train:
                d = 1 / (1 + math.exp(-max(-30.0, min(30.0, b + sum(w[k] * v for k, v in f.items()))))) - y
                b -= 0.3 * d
                for k, v in f.items():
                    w[k] -= 0.3 * (d * v + 0.001 * w[k])
        got: dict[tuple[str, int], set[str]] = {}
        for gg, key, t, f, _ in rows:
            if gg == g and (f["head"] or b + sum(w[k] * v for k, v in f.items()) > 0):
                got.setdefault(key, set()).add(t)
        out[g] = float(sum(got.get(k, set()) == want for k, want in data[g].gold.items()))
    return out


def families(data: dict[str, Labelled]) -> list[tuple[str, list[tuple[Any, Scores]]]]:
    """Each family as (name, [(setting, per-set scores)]); a fitted model as two rows, its in-sample and LOSO figures."""
    ev = evidence(data)
    grid_a = list(
        itertools.product([1.5, 2, 3], [0.3, 0.5, 0.7, 1.0], [0.15, 0.2, 0.25, 0.3, 0.4], [3, 4, 99], [0.25, 0.4, 0.6, 1.01], [0, 1])
    )
    grid_h = list(
        itertools.product([1.5, 2, 2.5], [0.2, 0.3, 0.4], [None, 0.1, 0.15, 0.2, 0.25, 0.3], [None, 0.25, 0.35, 0.5], [1.5, 2, 3])
    )
    out: list[tuple[str, list[tuple[Any, Scores]]]] = [
        ("(a) paragraphs", [(p, run_rule(ev, paragraphs, p)) for p in grid_a]),
        ("current + paragraphs", [(p, run_rule(ev, hybrid, p)) for p in grid_h]),
    ]
    ps = pairs(ev)
    pooled, lo = regression(data, ps, FEATURES)
    out.append(("(b) regression", [("in-sample", pooled)]))
    out.append(("(b) regression", [("LOSO", lo)]))
    sim = similarity(data)
    for key, t, x, _ in ps:
        x["sim"] = sim[(*key, t)]
    pooled, lo = regression(data, ps, [*FEATURES, "sim"])
    out.append(("(b)+(c) regression + tf-idf", [("in-sample", pooled)]))
    out.append(("(b)+(c) regression + tf-idf", [("LOSO", lo)]))
    out.append(("per-topic words (not agnostic)", [("LOSO", per_topic_words(data, ps))]))
    return out
