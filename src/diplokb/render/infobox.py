"""Infoboxes: a case study's or a topic's facts in a box beside the lead, as a reference work has.

The box comes right after the page's title, so on a phone it is the first thing under it, full
width; on a wide screen the stylesheet floats it right of the lead. Every row says something the
others do not: a case whose places and actors are the same names gets one row for both.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter

from ..content.schema import CaseStudy
from .context import Context
from .copy import count
from .markup import NOSEARCH, attr, esc
from .timeline import span

_SPAN = re.compile(r"(?<=\d)\s*[-–]\s*(?=\d|present\b|ongoing\b)")
MAIN = 5  # actors or places a topic's box names: the ones most of its cases share


def years_text(years: str) -> str:
    """``1949-present`` as a reference work writes it: ``1949–present``."""
    return _SPAN.sub("–", years)


def _date(text: str) -> str:
    """``2026-12-07`` as ``7 December 2026`` (anything else as written)."""
    try:
        d = datetime.date.fromisoformat(text)
    except ValueError:
        return text
    return f"{d.day} {d:%B %Y}"


def _box(caption: str, rows: list[tuple[str, str]]) -> str:
    body = "".join(f'<tr><th scope="row">{esc(name)}</th><td>{value}</td></tr>' for name, value in rows if value)
    return (
        f'<aside class="kb-infobox" aria-label="{attr(caption)}" {NOSEARCH}><table class="kb-infobox-table">'
        f"<caption>{esc(caption)}</caption><tbody>{body}</tbody></table></aside>"
    )


def case_box(r: Context, p: str, c: CaseStudy) -> str:
    """Years, status (with the as-of date), places, actors and topics of a case study."""
    kb = r.kb

    def names(xs: list[str]) -> str:
        return ", ".join(r.link(p, kb.entity(x).page, x) for x in xs)

    rows = [("Years", esc(years_text(c.years)))]
    s = span(c, r.site.date.year)
    if s is not None:
        status = f"Ongoing, as of {_date(s.as_of)}" if s.ongoing and s.as_of else "Ongoing" if s.ongoing else "Ended"
        rows.append(("Status", esc(status)))
    if c.places and sorted(c.places) == sorted(c.actors):
        rows.append(("Places and actors", names(c.places)))
    else:
        rows += [("Places", names(c.places)), ("Actors", names(c.actors))]
    rows.append(("Topic" if len(c.topics) == 1 else "Topics", r.topic_chips(p, c.topics)))
    return _box(c.name, rows)


def topic_box(r: Context, p: str, slug: str) -> str:
    """A topic's span of cases, its number of cases and essay passages, and the actors and places its cases name most."""
    kb = r.kb
    cases = kb.cases_of[slug]
    spans = [x for x in (span(c, r.site.date.year) for c in cases) if x is not None]
    rows = []
    if spans:
        first = min(x.start for x in spans)
        last = "present" if any(x.ongoing for x in spans) else str(max(x.end for x in spans))
        rows.append(("Cases span", esc(f"{first}–{last}" if str(first) != last else last)))
    if cases:
        rows.append(("Case studies", esc(count(len(cases), "case study", "case studies"))))
    filed = kb.routing.by_topic[slug]
    if filed:
        essays = len({e for e, _ in filed})
        rows.append(("In the essays", esc(f"{count(len(filed), 'passage', 'passages')} in {count(essays, 'essay', 'essays')}")))
    for field, label in (("actors", "Main actors"), ("places", "Main places")):
        tally = Counter(x for c in cases for x in dict.fromkeys(getattr(c, field)))
        top = sorted(tally, key=lambda x: (-tally[x], x.casefold()))[:MAIN]
        rows.append((label, ", ".join(r.link(p, kb.entity(x).page, x) for x in top)))
    return _box(r.topics[slug].title, rows)
