"""The learned routers of ``bench/routing_alt.py``: (b) logistic regression over topic-agnostic features, (c) tf-idf similarity."""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from typing import Any

from diplokb.text import fold

from .routing_alt import SLUGS, owned
from .routing_eval import GROUPS, TOPICS, Labelled, Scores

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


def standardise(ps: list[Pair], name: str) -> None:
    """Centre a feature and scale it to unit deviation over the pairs, so that gradient descent weighs it fairly."""
    vals = [x[name] for _, _, x, _ in ps]
    m = sum(vals) / len(vals)
    sd = math.sqrt(sum((v - m) ** 2 for v in vals) / len(vals)) or 1
    for _, _, x, _ in ps:
        x[name] = (x[name] - m) / sd


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
