"""Site copy: the wording of the site's own pages, read from ``copy.yaml`` beside this module."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from ..errors import printable

COPY = MappingProxyType(yaml.safe_load((Path(__file__).parent / "copy.yaml").read_text(encoding="utf-8")))


def copy_text(key: str, **values: str) -> str:
    """The text ``key`` of ``copy.yaml`` with its placeholders filled in."""
    return str(COPY[key]).format(**values)


def site_name(options: Mapping[str, Any]) -> str:
    """The site's name: the diplokb plugin's ``site_name`` option, else the default in ``copy.yaml`` (never the tool's name)."""
    return str(options.get("site_name") or COPY["site_name"])


MARKUP = '<>"&'  # what Material's templates would read as markup: they print the site's name as it is


def site_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be the site's name (Material prints it unescaped in every ``<title>`` and the logo's
    ``aria-label``, so markup in it would be live on every page); None for plain text."""
    bad = [c for c in MARKUP if c in name]
    if not bad:
        return None
    said = ", ".join(f"`{c}`" for c in bad)
    return f"expected plain text without `<`, `>`, `\"` or `&` (the theme prints the site's name unescaped in every page's title), found {said} in `{printable(name)}`"


def site_extra() -> dict[str, str]:
    """What the theme's templates print that is site copy: the footer's credit to the tool."""
    return {"kb_credit": copy_text("footer_credit")}


def count(n: int, one: str, many: str) -> str:
    """``3 essays``, ``1 case study``."""
    return f"{n} {one if n == 1 else many}"


def series(words: Sequence[str]) -> str:
    """``a, b and c``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1] if words else ""
