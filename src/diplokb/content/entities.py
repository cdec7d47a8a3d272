"""The entities file's shape: what an editor may say about an actor or a place the case studies name.

``content/entities.yaml`` is optional, and so is every entry and every field but ``name``: an actor
or place gets its page from the case studies alone. The file adds a short description (which, like
every fact on the site, needs references), a Wikidata id, other spellings of the name (``aliases``,
merged into one page), and for a place where the map shows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from .schema import FieldSpec, Reference

ENTITIES_FILE = "entities.yaml"  # in the content folder, beside topics/

ENTITY_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "str", True, "The name as the case studies write it (its page's title).", "United States"),
    FieldSpec("kind", "str", False, "`actor` (a state or organisation taking part) or `place` (where cases happened).", "actor"),
    FieldSpec("aliases", "list", False, "Other spellings case studies use for the same entity; they are merged into one page.", ["US"]),
    FieldSpec("description", "str", False, "One or two sentences on what it is, resting on the references below.", "..."),
    FieldSpec("wikidata", "str", False, "Its Wikidata item, Q followed by digits.", "Q30"),
    FieldSpec("country", "str", False, "For a place: the country outline the map shades, if its name differs from the map's.", "Sudan"),
    FieldSpec("latitude", "str", False, "For a place that is not a country: its latitude in degrees (north positive).", "13.5"),
    FieldSpec("longitude", "str", False, "For a place that is not a country: its longitude in degrees (east positive).", "24.0"),
    FieldSpec("references", "refs", False, "Public references for the description: title, publisher, date, url.", []),
)
ENTITY_KINDS = ("actor", "place")
WIKIDATA = re.compile(r"Q[1-9][0-9]{0,11}")  # matched whole (fullmatch): ASCII digits, no line break after


@dataclass(frozen=True)
class EntityInfo:
    """What the entities file says about one actor or place."""

    name: str
    kind: Literal["actor", "place"] | None = None
    aliases: tuple[str, ...] = ()
    description: str = ""
    wikidata: str = ""
    country: str = ""
    point: tuple[float, float] | None = None  # (latitude, longitude)
    references: tuple[Reference, ...] = ()
    path: str = ""
    line: int = 0


@dataclass(frozen=True)
class EntityBook:
    """Every entry of the entities file, and each name or alias -> the entry's name."""

    entries: dict[str, EntityInfo] = field(default_factory=dict)  # by name
    canonical: dict[str, str] = field(default_factory=dict)  # folded name or alias -> name

    def name_of(self, written: str) -> str:
        """The entity's name for a name as a case study writes it (an alias gives its entity's name)."""
        return self.canonical.get(fold_name(written), written)


def fold_name(name: str) -> str:
    """A name compared without case, dots, spacing or a leading "the" ("U.S." and "US", "the UN" and "UN")."""
    s = re.sub(r"[.\s]+", " ", name.replace(".", "")).strip().casefold()
    return s[4:] if s.startswith("the ") else s
