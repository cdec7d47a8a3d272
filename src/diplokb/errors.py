"""One exception root for every problem diplokb reports about its input."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]
# What a message must not send to a terminal as it is: control characters (escape sequences retitle or clear it)
# and the bidirectional overrides that reorder what it shows. Written as escapes (\x1b, \u202e) instead.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` safe to print to a terminal: control characters and direction overrides as Python escapes."""
    return _UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


@dataclass
class Problem:
    """One located problem: ``path:line:col: field: message``."""

    path: str
    line: int
    col: int
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}" if self.line else self.path
        fld = f" {self.field}:" if self.field else ""
        return printable(f"{where}:{fld} {self.message}")


class KbError(Exception):
    """Root of diplokb's errors; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("", 0, 0, "", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = problems
        super().__init__("\n".join(str(p) for p in problems))


class ContentError(KbError):
    """Invalid topic YAML, essay metadata or essay text."""


@dataclass
class Report:
    """Collects problems while a stage runs so all of them are reported together."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, path: str, line: int, col: int, fld: str, message: str) -> None:
        self.problems.append(Problem(path, line, col, fld, message, "error"))

    def warn(self, path: str, line: int, col: int, fld: str, message: str) -> None:
        self.problems.append(Problem(path, line, col, fld, message, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ContentError(self.errors)
