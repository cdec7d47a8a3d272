"""Dates an editor writes, checked as dates: a day that exists, a span that runs forwards, years a
case in this field can have.

The form (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) is the schema's pattern; this module says whether
what matches it can be true. The bounds, and why:

- a year after next year is an error: a case or a source cannot be dated in the future (next year
  is allowed, for an exercise or a treaty announced for it);
- a year before :data:`EARLIEST` is a warning: the modern military diplomacy the site covers (standing
  embassies and attachés, alliances, peacekeeping) begins after it, and one such case would squeeze
  every other one into a sliver of the timeline; an editor who means it can still publish it
  without ``--strict``;
- a span longer than :data:`LONGEST` years is a warning for the same reason (``0001-9999``).

Each check returns ``(severity, message)`` or None; the caller knows the file, line and field.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ..errors import Severity

EARLIEST = 1500
LONGEST = 150
_YEARS = re.compile(r"\b(\d{4})\b")
ONGOING = re.compile(r"\b(present|ongoing|today|now)\b", re.IGNORECASE)

Finding = tuple[Severity, str]


def _today() -> dt.date:
    return dt.date.today()


def date_problem(value: str) -> Finding | None:
    """A ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (already of that form) that cannot be a real, past date."""
    parts = [int(p) for p in value.split("-")]
    year = parts[0]
    if len(parts) == 3:
        month, day = parts[1], parts[2]
        last = calendar.monthrange(year, month)[1]
        if day > last:
            return "error", f"`{value}` is not a date: {calendar.month_name[month]} {year} has {last} days"
        if dt.date(year, month, day) > _today() + dt.timedelta(days=1):
            return "error", f"`{value}` is in the future; expected the date it was published or checked"
    elif year > _today().year:
        return "error", f"`{value}` is in the future; expected the date it was published or checked"
    return None


def years_problems(years: str, as_of: str) -> list[Finding]:
    """What is wrong with a case's ``years`` (and its ``as_of``, for an ongoing case)."""
    found = [int(y) for y in _YEARS.findall(years)]
    out: list[Finding] = []
    if not found:
        return out
    limit = _today().year + 1
    late = [y for y in found if y > limit]
    if late:
        out.append(("error", f"`{years}` names the year {late[0]}, after {limit}: a case cannot have happened yet"))
    early = [y for y in found if y < EARLIEST]
    if early:
        out.append(
            (
                "warning",
                f"`{years}` names the year {early[0]}, before {EARLIEST}: outside the modern diplomacy this site covers,"
                " and it would squeeze every other case on the timeline; check for a typo",
            )
        )
    ongoing = bool(ONGOING.search(years))
    start, end = found[0], found[-1]
    if len(found) > 1 and end < start:
        out.append(("error", f"`{years}` ends ({end}) before it starts ({start}); write the earlier year first"))
    elif len(found) > 1 and end - start > LONGEST and not late and not early:
        out.append(
            ("warning", f"`{years}` spans {end - start} years, more than {LONGEST}: check the years (a case is one event or programme)")
        )
    if ongoing and as_of and _YEARS.match(as_of) and int(as_of[:4]) < start:
        out.append(("error", f"`{as_of}` is before the case began ({start}): expected the date you checked it"))
    return out
