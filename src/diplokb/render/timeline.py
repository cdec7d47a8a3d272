"""A timeline of the case studies, drawn at build time as plain HTML and CSS (no script, nothing fetched).

Every dated case is a row: its name, years and places as text (so it reads at body size and
wraps on a phone), and a bar on one time axis shared by all rows. Ongoing cases run to their
``as_of`` date, or to the year of the build when they have none. The whole row is a link to the
case-study page. Cases whose years give no year are listed after the rows.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..stages.model import CaseStudy

_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
SHORT = 3.0  # a bar narrower than this share of the axis (%) is drawn as a mark with its year
_ONGOING = re.compile(r"\b(present|ongoing|today|now)\b", re.I)


@dataclass
class Span:
    start: int
    end: int  # last year, inclusive
    ongoing: bool
    as_of: str  # the as-of date as written, for an ongoing case that has one


def as_of_of(case: CaseStudy) -> str:
    """The date an ongoing case was last checked, as written in its topic file (empty if none)."""
    value = getattr(case, "as_of", None)
    return str(value).strip() if value else ""


def span(case: CaseStudy, this_year: int) -> Span | None:
    """The years a case covers, from its ``years`` text ("1999-present", "2004-2007", "2010"); None if undated."""
    years = [int(y) for y in _YEAR.findall(case.years or "")]
    if not years:
        return None
    ongoing = bool(_ONGOING.search(case.years))
    as_of = as_of_of(case) if ongoing else ""
    if ongoing:
        m = _YEAR.search(as_of)
        end = int(m.group(1)) if m else this_year
    else:
        end = years[-1]
    start = years[0]
    return Span(start, max(start, end), ongoing, as_of)


def _axis(spans: Sequence[Span]) -> tuple[int, int, int]:
    """First year, last year (exclusive) and tick step of the axis: whole decades around the spans."""
    lo = min(s.start for s in spans)
    hi = max(s.end for s in spans) + 1
    n = hi - lo  # about seven labelled years at most, so they fit a narrow column at body size
    step = next((st for st in (1, 2, 5, 10, 20, 25, 50, 100) if n / st <= 7), 100)
    lo = lo - lo % step
    hi = hi if hi % step == 0 else hi + step - hi % step
    return lo, hi, step


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _month(date: str) -> str:
    """ "2026-12-02" -> "Dec 2026" (a timeline label stays short); anything else as written."""
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-\d{2})?", date)
    return f"{_MONTHS[int(m.group(2)) - 1]} {m.group(1)}" if m and 1 <= int(m.group(2)) <= 12 else date


@dataclass
class Row:
    case: CaseStudy
    url: str
    colour: str  # the topic colour's custom properties (render.colours.TopicColour.style)


def timeline_html(
    groups: Sequence[tuple[str, str, str, list[Row]]],
    label: str,
    this_year: int | None = None,
    details: bool = True,
) -> str:
    """The timeline of ``groups`` of rows: (group title, group URL, colour, rows); an empty title for one ungrouped list.

    ``details`` adds each case's places and as-of date to its label (the full timeline); without
    them a label is the name and the years (a topic page, where the timeline is one section of many).
    Returns one block of HTML with no blank line (Markdown passes it through untouched)."""
    this_year = this_year or datetime.date.today().year
    dated: list[tuple[str, str, str, list[tuple[Row, Span]]]] = []
    undated: list[Row] = []
    for title, url, colour, rows in groups:
        keep: list[tuple[Row, Span]] = []
        for r in rows:
            s = span(r.case, this_year)
            if s is None:
                undated.append(r)
            else:
                keep.append((r, s))
        keep.sort(key=lambda rs: (rs[1].start, rs[1].end, rs[0].case.name.casefold()))
        if keep:
            dated.append((title, url, colour, keep))
    e = html.escape
    out = [f'<figure class="kb-timeline" data-search-exclude aria-label="{e(label)}">']
    if dated:
        lo, hi, step = _axis([s for *_x, rows in dated for _r, s in rows])
        width = hi - lo
        ticks = "".join(f'<span class="kb-tl-tick" style="left:{100 * (y - lo) / width:.3f}%">{y}</span>' for y in range(lo, hi, step))
        grid = f"--kb-tl-step:{100 * step / width:.4f}%"
        out.append(f'<div class="kb-tl-axis" aria-hidden="true"><span></span><span class="kb-tl-ticks">{ticks}</span></div>')
        for title, url, colour, spans in dated:
            if title:
                out.append(
                    f'<p class="kb-tl-group"><span class="kb-tl-swatch kb-c" style="{e(colour)}"></span><a href="{e(url)}">{e(title)}</a></p>'
                )
            out.append('<ul class="kb-tl-rows">')
            for r, s in spans:
                left = 100 * (s.start - lo) / width
                w = 100 * (s.end + 1 - s.start) / width
                years = e(r.case.years) + (f" (as of {e(_month(s.as_of))})" if s.as_of and details else "")
                places = f'<span class="kb-tl-places"> · {e(", ".join(r.case.places))}</span>' if r.case.places and details else ""
                cls = "kb-tl-bar kb-tl-ongoing" if s.ongoing else "kb-tl-bar"
                when = ""
                if w < SHORT:
                    # A case of a year or two is a dot a reader could miss: a round mark, its year beside it
                    # (on the side with room), so it reads without the axis.
                    cls += " kb-tl-short"
                    side = f"left:calc({left + w:.3f}% + .5em)" if left < 75 else f"right:calc({100 - left:.3f}% + .5em)"
                    label = str(s.start) if s.start == s.end else f"{s.start}–{s.end}"
                    when = f'<span class="kb-tl-when" style="{side}" aria-hidden="true">{label}</span>'
                out.append(
                    f'<li><a class="kb-tl-row" href="{e(r.url)}" data-start="{s.start}" data-end="{s.end}">'
                    f'<span class="kb-tl-label"><span class="kb-tl-name">{e(r.case.name)}</span> '
                    f'<span class="kb-tl-years">{years}</span>{places}</span>'
                    f'<span class="kb-tl-track" style="{grid}"><span class="{cls} kb-c" '
                    f'style="{e(r.colour)};left:{left:.3f}%;width:{w:.3f}%"></span>{when}</span></a></li>'
                )
            out.append("</ul>")
    if undated:
        links = ", ".join(f'<a href="{e(r.url)}">{e(r.case.name)}</a>' for r in sorted(undated, key=lambda r: r.case.name.casefold()))
        out.append(f'<p class="kb-tl-undated">Without dates: {links}</p>')
    out.append("</figure>")
    return "".join(out)


def by_date(cases: Sequence[CaseStudy], this_year: int) -> list[CaseStudy]:
    """Cases in the order a timeline shows them: by first year, then last, then name; undated ones last, by name."""

    def key(c: CaseStudy) -> tuple[bool, int, int, str]:
        s = span(c, this_year)
        return (s is None, s.start if s else 0, s.end if s else 0, c.name.casefold())

    return sorted(cases, key=key)


def rows_of(cases: Sequence[CaseStudy], url: Callable[[CaseStudy], str], colour: Callable[[CaseStudy], str]) -> list[Row]:
    return [Row(c, url(c), colour(c)) for c in cases]
