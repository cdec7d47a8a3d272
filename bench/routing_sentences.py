"""Sentence embeddings as routing evidence, measured leave-one-set-out; an experiment, not a dependency.

    python -m venv /tmp/wl && /tmp/wl/bin/pip install wordllama==0.4.0.post1 -e '.[test]'
    python bench/routing_sentences.py     # with /tmp/wl/bin/python; about a minute

WordLlama (PyPI ``wordllama`` 0.4.0.post1, MIT) ships its 256-dimension "l2_supercat" embedding
(16 MB, trained for sentence similarity) inside the wheel; its tokenizer file ships too, in a folder
its loader does not look in (``tokenizers/`` against ``tokenizer/``), so the script copies it to
where the loader looks instead of downloading it. Every paragraph (and list) of a section is
embedded, and so is each topic's profile (title and summary) and each of its terms. Features of a
(section, topic) pair: the best cosine between a paragraph and the profile, the mean over the
paragraphs, that best less the best other topic's, and the best cosine between a paragraph and one
of the topic's terms. Printed: their AUC for the editors' labels (over every pair and over the
pairs with term evidence), then the regression of ``bench/routing_learn.py`` with and without
them, LOSO, first over the pairs with term evidence as the other candidates are, then over every
(section, topic) pair, so that a section naming none of a topic's terms can still be filed under it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import routing_alt
from bench import routing_learn as A
from bench.routing_eval import GROUPS, TOPICS, dataset
from bench.routing_vectors import auc


def load() -> object:
    import wordllama  # type: ignore[import-not-found]

    root = Path(wordllama.__file__).parent
    name = "l2_supercat_tokenizer_config.json"
    if not (root / "tokenizer" / name).exists():
        (root / "tokenizer").mkdir(exist_ok=True)
        shutil.copy(root / "tokenizers" / name, root / "tokenizer" / name)
    return wordllama.WordLlama.load(disable_download=True)


def main() -> None:
    wl = load()
    data = dataset()
    embed = wl.embed  # type: ignore[attr-defined]
    prof = {t.slug: embed([f"{t.title}. {t.summary}"], norm=True)[0] for t in TOPICS}
    terms = {t.slug: embed(list(t.terms), norm=True) for t in TOPICS}
    feat: dict[tuple[str, str, int, str], tuple[float, float, float, float]] = {}
    for g, d in data.items():
        for e in d.essays:
            for i, s in enumerate(e.sections):
                pe = embed([b.plain() for b in s.blocks] or [s.heading or "-"], norm=True)
                best = {t: pe @ p for t, p in prof.items()}
                for t in prof:
                    other = max(float(v.max()) for u, v in best.items() if u != t)
                    near = float((pe @ terms[t].T).max())
                    feat[(g, e.slug, i, t)] = (float(best[t].max()), float(best[t].mean()), float(best[t].max()) - other, near)
    names = ["se_max", "se_mean", "se_rel", "se_term"]
    every = [(feat[(g, *k, t)], int(t in want)) for g, d in data.items() for k, want in d.gold.items() for t in prof]
    ps = A.pairs(routing_alt.evidence(data))
    cands = [((feat[(*key, t)]), y) for key, t, x, y in ps if not x["head"]]
    for j, name in enumerate(names):
        print(
            f"{name}: AUC over every pair {auc([(f[j], y) for f, y in every]):.3f}, over pairs with term evidence {auc([(f[j], y) for f, y in cands]):.3f}"
        )
    # Every (section, topic) pair, those with no term evidence given zero term features.
    seen = {(key, t) for key, t, _, _ in ps}
    allp = list(ps) + [
        ((g, *k), t, dict.fromkeys(["head", *A.FEATURES], 0.0), int(t in want))
        for g, d in data.items()
        for k, want in d.gold.items()
        for t in prof
        if ((g, *k), t) not in seen
    ]
    n = sum(len(d.gold) for d in data.values())
    for label, pairs in [("pairs with term evidence", ps), ("every pair", allp)]:
        for key, t, x, _ in pairs:
            x.update(zip(names, feat[(*key, t)], strict=True))
        for name in names:
            A.standardise(pairs, name)
        for cols in [A.FEATURES, [*A.FEATURES, *names]]:
            pooled, lo = A.regression(data, pairs, cols)
            extra = "+ sentence embeddings" if len(cols) > len(A.FEATURES) else "(terms only)"
            print(
                f"regression {extra}, {label}: in-sample {sum(pooled.values()):g}/{n}, LOSO {sum(lo.values()):g}/{n} "
                + " ".join(f"{g}:{lo[g]:g}" for g in GROUPS)
            )


if __name__ == "__main__":
    main()
