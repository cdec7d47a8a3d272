"""The timeline's reading of a case study's years."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from diplokb.render.timeline import span


@dataclass
class _Case:
    years: str
    as_of: str = ""


@pytest.mark.parametrize(
    ("years", "as_of", "want"),
    [
        ("2004-2007", "", (2004, 2007, False, "")),
        ("2001–2021", "", (2001, 2021, False, "")),
        ("2010", "", (2010, 2010, False, "")),
        ("1999-present", "", (1999, 2030, True, "")),
        ("1999-present", "2025-11", (1999, 2025, True, "2025-11")),
        ("1964–present", "June 2024", (1964, 2024, True, "June 2024")),
        ("2013-2024", "2025-11", (2013, 2024, False, "")),  # not running: as-of says nothing
        ("", "", None),
        ("–", "", None),
        ("the 1990s", "", (1990, 1990, False, "")),
    ],
)
def test_span(years: str, as_of: str, want: tuple[int, int, bool, str] | None) -> None:
    s = span(_Case(years, as_of), this_year=2030)  # type: ignore[arg-type]
    assert (None if s is None else (s.start, s.end, s.ongoing, s.as_of)) == want
