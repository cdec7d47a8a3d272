"""``diplokb route --review / --accept / --set / --propose-terms``: editors decide, and teach the router.

Decisions go to ``content/filings.yaml`` through :func:`diplokb.content.decisions.record`, which
keeps every other byte of the file. Proposed terms are only printed: an editor adds the ones they
want to the topic file.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..content.decisions import Decisions, record
from ..content.schema import did_you_mean
from ..errors import KbError, Problem
from ..match import canonical
from ..stages.decide import fingerprint, review_refs
from ..stages.model import EssayMeta, Topic
from ..stages.parse import Essay
from ..stages.route import Filing, Routing, essay_title, route, topic_matcher
from ..text import fold
from ..urls import section_ids

Explain = Callable[[Filing, dict[str, str]], list[str]]


def _refs(essays: list[Essay]) -> dict[str, tuple[Essay, int]]:
    return {f"{e.slug}#{sid}": (e, i) for e in essays for i, sid in enumerate(section_ids(e))}


def record_decisions(
    path: Path, essays: list[Essay], routing: Routing, slugs: set[str], accepts: list[str], sets: list[str]
) -> dict[str, list[str]]:
    """``--accept REF`` records the router's proposal, ``--set REF=a,b`` these topics (``REF=``: none)."""
    refs = _refs(essays)
    chosen: dict[str, list[str]] = {}
    problems: list[Problem] = []
    for ref in accepts:
        if ref not in refs:
            problems.append(Problem("--accept", 0, 0, "", f"no section `{ref}`{did_you_mean(ref, set(refs))}"))
            continue
        e, i = refs[ref]
        chosen[ref] = list(routing.filings[e.slug][i].proposed)
    for item in sets:
        ref, eq, names = item.partition("=")
        ref = ref.strip()
        if not eq:
            problems.append(Problem("--set", 0, 0, "", f"`{item}`: expected ESSAY#SECTION=TOPIC,TOPIC (nothing after = for none)"))
        elif ref not in refs:
            problems.append(Problem("--set", 0, 0, "", f"no section `{ref}`{did_you_mean(ref, set(refs))}"))
        else:
            topics = [t.strip() for t in names.split(",") if t.strip()]
            bad = [t for t in topics if t not in slugs]
            for t in bad:
                problems.append(Problem("--set", 0, 0, "", f"{ref}: no topic named `{t}`{did_you_mean(t, slugs)}"))
            if not bad:
                chosen[ref] = topics
    if problems:
        raise KbError(problems)
    entries = {}
    for ref, topics in chosen.items():
        e, i = refs[ref]
        entries[ref] = (topics, list(routing.filings[e.slug][i].proposed), fingerprint(e.sections[i]))
    record(path, entries)
    return chosen


def review_loop(
    path: Path, essays: list[Essay], routing: Routing, topics: list[Topic], ask: bool, explain: Explain, meta: dict[str, EssayMeta]
) -> int:
    """List the sections under review, essay by essay, with evidence and proposal; with ``ask``, record an answer for each."""
    titles = {t.slug: t.title for t in topics}
    slugs = set(titles)
    queue = review_refs(essays, routing)
    if not queue:
        print("no section is under review: every section is decided, or the router is sure of it")
        return 0
    print(f"{len(queue)} section{'s' if len(queue) != 1 else ''} under review (each is on its essay page only until decided)")
    current = ""
    for e, i, ref in queue:
        if e.slug != current:
            current = e.slug
            print(f"\n{e.path}: {essay_title(e, meta)}")
        f = routing.filings[e.slug][i]
        s = e.sections[i]
        print(f"  {ref}  {s.heading or '(opening)'}  ({f.words} words)")
        text = " ".join(" ".join(b.plain() for b in s.blocks).split())
        print(f"    begins: {text[:240] + ('…' if len(text) > 240 else '')}")
        print(f"    proposal: {', '.join(titles.get(t, t) for t in f.proposed) or 'nothing (its essay page only)'}")
        if f.changed:
            print(f"    {f.changed}")
        for slug, why in sorted(f.review.items()):
            print(f"    review {titles.get(slug, slug)}: {why}")
        for row in explain(f, titles):
            print("  " + row)
        if ask and not _ask(path, e, i, ref, f, slugs):
            break
    return 0


def _ask(path: Path, e: Essay, i: int, ref: str, f: Filing, slugs: set[str]) -> bool:
    """One answer recorded (or skipped); False to stop (q, or the end of the input)."""
    while True:
        print("    [a]ccept the proposal, [s]et topics, [n]othing (essay page only), [k] skip, [q]uit: ", end="", flush=True)
        answer = sys.stdin.readline()
        if not answer:
            print()
            return False
        a = answer.strip().lower()
        if a == "q":
            return False
        if a == "k":
            return True
        if a in ("a", "n"):
            chosen = list(f.proposed) if a == "a" else []
        elif a == "s":
            print(f"    topics, separated by commas ({', '.join(sorted(slugs))}): ", end="", flush=True)
            chosen = [t.strip() for t in sys.stdin.readline().split(",") if t.strip()]
            bad = [t for t in chosen if t not in slugs]
            if bad:
                print(f"    no topic named `{bad[0]}`{did_you_mean(bad[0], slugs)}")
                continue
        else:
            continue
        record(path, {ref: (chosen, list(f.proposed), fingerprint(e.sections[i]))})
        print(f"    recorded {ref}: {', '.join(chosen) or 'nothing (its essay page only)'}")
        return True


# Words that make no term on their own, nor start or end one.
_STOP = set(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
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
        "them",
        "he",
        "she",
        "we",
        "our",
        "you",
        "your",
        "not",
        "no",
        "but",
        "if",
        "than",
        "then",
        "so",
        "such",
        "into",
        "over",
        "under",
        "between",
        "among",
        "about",
        "after",
        "before",
        "during",
        "through",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "while",
        "also",
        "more",
        "most",
        "other",
        "some",
        "any",
        "each",
        "many",
        "much",
        "can",
        "could",
        "would",
        "should",
        "may",
        "might",
        "will",
        "shall",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "one",
        "two",
        "three",
        "new",
        "own",
        "same",
    ]
)
_WORD = re.compile(r"[\w'-]+")
MAX_PER_TOPIC = 5


def _phrases(text: str) -> set[str]:
    words = _WORD.findall(fold(text))
    out = set()
    for n in (1, 2, 3):
        for k in range(len(words) - n + 1):
            gram = words[k : k + n]
            if gram[0] in _STOP or gram[-1] in _STOP or any(w.isdigit() for w in gram):
                continue
            if n == 1 and len(gram[0]) < 5:
                continue
            out.add(" ".join(gram))
    return out


def learn_terms(essays: list[Essay], topics: list[Topic], decisions: Decisions) -> dict[str, list[tuple[str, int]]]:
    """Per topic, phrases found in at least two sections decided under it and in none decided otherwise (most sections first)."""
    decided = dict(decisions.by_ref)
    refs = _refs(essays)
    matcher = topic_matcher(topics)
    known = {canonical(t) for tp in topics for t in [*tp.terms, tp.title]}
    docs: list[tuple[set[str], set[str]]] = []  # (phrases, decided topics)
    for ref, d in decided.items():
        if ref in refs:
            e, i = refs[ref]
            docs.append((_phrases(" ".join(b.plain() for b in e.sections[i].blocks)), set(d.topics)))
    out: dict[str, list[tuple[str, int]]] = {}
    for t in topics:
        pos: dict[str, int] = {}
        neg: set[str] = set()
        for phrases, chosen in docs:
            if t.slug in chosen:
                for p in phrases:
                    pos[p] = pos.get(p, 0) + 1
            else:
                neg |= phrases
        found = [(p, n) for p, n in pos.items() if n >= 2 and p not in neg and canonical(p) not in known and not any(matcher.finditer(p))]
        found.sort(key=lambda pn: (-pn[1], -len(pn[0].split()), pn[0]))
        kept: list[tuple[str, int]] = []
        for p, n in found:  # a phrase inside a longer one found as often says nothing more
            if not any(n == m and f" {p} " in f" {q} " for q, m in kept):
                kept.append((p, n))
            if len(kept) == MAX_PER_TOPIC:
                break
        out[t.slug] = kept
    return out


def propose_terms(essays: list[Essay], topics: list[Topic], decisions: Decisions, meta: dict[str, EssayMeta]) -> str:
    """The proposals as commented YAML: each term, where it was found, and the sections it would newly file or unfile."""
    learned = learn_terms(essays, topics, decisions)
    before = route(essays, topics, meta=meta)
    ids = {e.slug: section_ids(e) for e in essays}
    n = len(decisions.by_ref)
    lines = [
        f"# Terms learned from {n} decided section{'s' if n != 1 else ''}: found in sections decided under the topic and in no other.",
        "# Nothing is added: copy the ones you want into the topic file's terms, then run `diplokb check`.",
    ]
    for t in topics:
        lines.append(f"{t.slug}:" + ("" if learned[t.slug] else " []  # nothing separates its decided sections"))
        for term, count in learned[t.slug]:
            trial = [replace(x, terms=[*x.terms, term]) if x.slug == t.slug else x for x in topics]
            after = route(essays, trial, meta=meta)
            files, unfiles = [], []
            for e in essays:
                for i, (a, b) in enumerate(zip(before.filings[e.slug], after.filings[e.slug], strict=True)):
                    ref = f"{e.slug}#{ids[e.slug][i]}"
                    for slug in sorted(set(b.topics) - set(a.topics)):
                        files.append(f"{ref} ({slug})")
                    for slug in sorted(set(a.topics) - set(b.topics)):
                        unfiles.append(f"{ref} ({slug})")
            lines.append(f"  - term: {term!r}  # in {count} sections decided under it, none decided otherwise")
            lines.append(f"    would_file: [{', '.join(files)}]")
            lines.append(f"    would_unfile: [{', '.join(unfiles)}]")
    return "\n".join(lines)
