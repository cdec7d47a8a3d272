"""What a content file can say that cannot be right, though every field has its form: a date that
does not exist or runs backwards (the bounds are :mod:`diplokb.content.dates`'), an ``essays.yaml``
entry for an essay no longer there, a case study's quote about something else. Each is reported at
its node as ``path:line:col: field: ...``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..content.dates import Finding
from ..content.essay import Essay
from ..content.schema import CaseStudy
from ..content.yamlsafe import Node, pos
from ..errors import Report
from ..text import content_words, fold, stem


def dated(report: Report, path: str, node: Node, fld: str, found: Sequence[Finding | None]) -> bool:
    """Report what :mod:`content.dates` found wrong with a date, at its node; True if any of it is an error."""
    for severity, msg in filter(None, found):
        (report.error if severity == "error" else report.warn)(path, *pos(node), fld, msg)
    return any(f is not None and f[0] == "error" for f in found)


def stale_meta(
    report: Report, path: str, keys: dict[str, Node], titles: dict[str, str], essays: list[Essay], failed: frozenset[str]
) -> None:
    """Warn of an ``essays.yaml`` entry naming no essay (``failed``: essays there but unreadable, reported already),
    with the essay it most likely was, renamed: the one essay with the entry's title, else the one that has
    neither a title line nor an entry. (A name merely close to another essay's is no evidence.)"""
    slugs = {e.slug for e in essays}
    for key, knode in keys.items():
        if key in slugs or key in failed:
            continue
        title = titles.get(key, "")
        same = [e.slug for e in essays if e.title and title and fold(e.title) == fold(title)]
        bare = [e.slug for e in essays if not e.title and e.slug not in keys]
        hint = same if len(same) == 1 else bare if len(bare) == 1 and not same else []
        was = f"; if `{hint[0]}.txt` is that essay renamed, rename this entry to `{hint[0]}`" if hint else ""
        line, col = pos(knode)
        report.warn(path, line, col, str(knode.value), f"no essay `{knode.value}.txt` in this folder: this entry names nothing{was}")


# Words that name a kind of case, not which one: a quote about some other mission has them too.
_GENERIC = frozenset(
    stem(w)
    for w in [
        "mission",
        "operation",
        "exercise",
        "programme",
        "program",
        "treaty",
        "agreement",
        "accord",
        "force",
        "initiative",
        "partnership",
        "cooperation",
        "joint",
        "united",
        "nations",
        "international",
        "military",
        "peacekeeping",
        "training",
        "support",
        "assistance",
        "relief",
        "campaign",
        "intervention",
        "deployment",
        "war",
        "conflict",
        "crisis",
        "summit",
        "dialogue",
        "visit",
    ]
)


def quote_names_case(cs: CaseStudy, quote: str) -> bool:
    """Whether ``quote`` names the case: one of its actors or places, or a word of its name that tells it from
    others of its kind ("Sudan" in "UN Mission in South Sudan", not "mission"). A case with nothing to look
    for (a name of generic words only, no actors or places) passes: there is nothing to judge by."""
    said = f" {' '.join(_NAME_WORDS.findall(fold(quote)))} "
    names = [" ".join(_NAME_WORDS.findall(fold(n))) for n in [*cs.actors, *cs.places]]
    if any(n and f" {n} " in said for n in names):
        return True
    words = {w for w in content_words(cs.name) if w not in _GENERIC}
    return bool(words & set(content_words(quote))) or not (words or any(names))


_NAME_WORDS = re.compile(r"\w+")
