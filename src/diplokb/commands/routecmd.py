"""``diplokb route``: where each essay section is filed, how sure the router is, and the editors' decisions."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..content.decisions import DECISIONS_FILE
from ..pipeline import check
from ..stages.decide import settle
from ..stages.model import EssayMeta
from ..stages.parse import Essay
from ..stages.route import WEIGHTS, Filing, Routing, confidence, essay_title, route
from ..stages.sources import load_essay
from ..urls import section_ids
from .review import propose_terms, record_decisions, review_loop


def _explain(filing: Filing, titles: dict[str, str]) -> list[str]:
    """Every topic with evidence in a section: its score, the terms found (where, how often) and the decision."""
    out = []
    sure = confidence(filing)
    for slug in sorted(filing.scores, key=lambda s: (-filing.scores[s], s)):
        state, why = sure[slug]
        if state == "review":
            why += f" (the router alone would {'file' if slug in filing.reasons else 'not file'} it)"
        out.append(f"      {titles.get(slug, slug)}  score {filing.scores[slug]:g}  {state}: {why}")
        ev = filing.evidence.get(slug, {})
        parts = [
            f'"{form}" {where} x{n} (weight {WEIGHTS[where]:g})'
            for (form, where), n in sorted(ev.items(), key=lambda kv: (list(WEIGHTS).index(kv[0][1]), kv[0][0]))
        ]
        out.append("        " + "; ".join(parts))
    for slug, (state, why) in sure.items():
        if slug not in filing.scores:  # pinned without any mention, or under review for its essay's topic
            out.append(f"      {titles.get(slug, slug)}  {state}: {why}")
    return out


def _section_line(e: Essay, i: int) -> int:
    s = e.sections[i]
    return s.line if s.heading is not None else (s.blocks[0].line if s.blocks else s.line)


def _state(f: Filing, titles: dict[str, str]) -> str:
    """A section's published topics, said for an editor: decided, under review, or the router's."""
    filed = ", ".join(titles.get(t, t) for t in f.topics) or "not filed (stays on the essay page)"
    if f.state == "review":
        proposal = ", ".join(titles.get(t, t) for t in f.proposed) or "nothing"
        return f"under review (essay page only until decided; the router proposes {proposal})"
    if f.state == "decided":
        return f"{filed}  [decided]" + (f"  (note: {f.changed})" if f.changed else "")
    return filed


def _route_json(essays: list[Essay], routing: Routing, meta: dict[str, EssayMeta]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for e in essays:
        sections: list[dict[str, Any]] = []
        for i, (s, sid) in enumerate(zip(e.sections, section_ids(e), strict=True)):
            f = routing.filings[e.slug][i]
            sections.append(
                {
                    "id": f"{e.slug}#{sid}",
                    "heading": s.heading,
                    "line": _section_line(e, i),
                    "state": f.state,
                    "topics": list(f.topics),
                    "proposed": list(f.proposed),
                    "review": dict(sorted(f.review.items())),
                    "confidence": {t: {"decision": st, "reason": why} for t, (st, why) in confidence(f).items()},
                    **({"changed": f.changed} if f.changed else {}),
                }
            )
        out.append({"essay": e.slug, "path": e.path, "title": essay_title(e, meta), "sections": sections})
    return out


def cmd_route(args: argparse.Namespace) -> int:
    loaded = check(Path(args.content), Path(args.seeds))
    essays = loaded.essays
    if args.files:
        missing = [f for f in args.files if not Path(f).is_file()]
        if missing:
            print(f"{missing[0]}: no such file", file=sys.stderr)
            return 2
        essays = [load_essay(Path(f)) for f in args.files]
    routing = settle(route(essays, loaded.topics, meta=loaded.meta), essays, loaded.decisions)
    titles = {t.slug: t.title for t in loaded.topics}
    decisions_path = Path(args.content) / DECISIONS_FILE
    if args.accept or args.set:
        recorded = record_decisions(decisions_path, essays, routing, {t.slug for t in loaded.topics}, args.accept, args.set)
        for ref, topics in recorded.items():
            print(f"recorded {ref}: {', '.join(topics) or 'nothing (its essay page only)'}")
        return 0
    if args.propose_terms:
        print(propose_terms(essays, loaded.topics, loaded.decisions, loaded.meta))
        return 0
    if args.review:
        ask = args.ask or sys.stdin.isatty()
        return review_loop(decisions_path, essays, routing, loaded.topics, ask, _explain, loaded.meta)
    if args.json:
        print(json.dumps(_route_json(essays, routing, loaded.meta), ensure_ascii=False, indent=2))
        return 0
    for e in essays:
        print(f"{e.path}: {essay_title(e, loaded.meta)}")
        for i, (s, sid) in enumerate(zip(e.sections, section_ids(e), strict=True)):
            f = routing.filings[e.slug][i]
            name = s.heading or "(opening)"
            if s.inferred:
                name += " (inferred)"
            print(f"  {_section_line(e, i):>4}  {'  ' * (s.level - 2)}{name}  ->  {_state(f, titles)}")
            if args.explain:
                print(f"        {f.words} words; a topic's pin or exclude, and filings.yaml, name it as {e.slug}#{sid}")
                for row in _explain(f, titles):
                    print(row)
    return 0
