"""The content model's shape, defined once: fields, the objects they load into, and what is made from them.

:data:`TOPIC_FIELDS`, :data:`CASE_FIELDS` and :data:`REFERENCE_FIELDS` drive validation
(:mod:`diplokb.stages.model`), the JSON Schema editors complete against (``diplokb schema``), and the
YAML that ``new case-study`` and ``suggest`` write (:func:`case_yaml`).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from ..text import MAX_SLUG_BYTES
from .dates import ONGOING


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: Literal["str", "list", "source", "refs", "cases"]  # "list" is a list of strings
    required: bool
    doc: str
    example: Any = None


CASE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "str", True, "Name of the case study, as readers know it.", "KFOR in Kosovo"),
    FieldSpec("id", "str", False, "Stable identifier used in URLs; defaults to the name as a slug.", "kfor-kosovo"),
    FieldSpec("years", "str", False, "Span of the case itself, as text (e.g. '2003-2014'; '1999-present' needs as_of).", "1999-present"),
    FieldSpec(
        "as_of", "str", False, "For an ongoing case (years ending in 'present'): the date its facts were checked, YYYY-MM-DD.", "2026-12-02"
    ),
    FieldSpec("places", "list", False, "Where it happened: countries, regions or places (a contributing country is an actor).", ["Kosovo"]),
    FieldSpec("actors", "list", False, "States, alliances and organisations that took part.", ["NATO"]),
    FieldSpec(
        "summary",
        "str",
        True,
        "What happened, when and where, first; every fact cited: [1] the case's first reference, [essay#section] an "
        "essay passage. An essay's judgement is attributed to it, once.",
        "...",
    ),
    FieldSpec(
        "note",
        "str",
        False,
        "Editor's note, shown with the case: where references contradict the essay, what each says, cited with the same "
        "markers as the summary. The essay is never edited.",
        "...",
    ),
    FieldSpec("topics", "list", False, "Further topics (by file name) this case study belongs to.", ["peacekeeping"]),
    FieldSpec(
        "source",
        "source",
        False,
        "Where the essays name it: the essay's file name (without .txt) and a sentence quoted from it. "
        "A case needs a source, references, or both.",
        {"essay": "military-diplomacy-and-foreign-relations", "quote": "..."},
    ),
    FieldSpec(
        "references",
        "refs",
        False,
        "Public references a reader can follow; every year, place and actor the quote does not state rests on one.",
        [],
    ),
)
REFERENCE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "str", True, "Title of the page, report or article."),
    FieldSpec("publisher", "str", True, "Who published it (e.g. United Nations, NATO, Reuters)."),
    FieldSpec("date", "str", True, "Date of the source: YYYY, YYYY-MM or YYYY-MM-DD."),
    FieldSpec("url", "str", True, "Web address of the source (http or https)."),
)
SOURCE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("essay", "str", True, "File name of the essay in seeds/, without .txt."),
    FieldSpec("quote", "str", True, "A sentence from that essay, as written there (quotes and spacing may differ)."),
)
TOPIC_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "str", True, "Title of the topic page.", "Peacekeeping"),
    FieldSpec(
        "summary",
        "str",
        True,
        "Two to four sentences: what the topic is, cited to its references ([1]), then how the essays treat it, cited to "
        "their passages ([essay#section]).",
        "...",
    ),
    FieldSpec(
        "references",
        "refs",
        False,
        "Public references for what the summary says the topic is (UN, NATO, government and treaty texts, encyclopaedias); "
        "[1] in the summary cites the first.",
        [],
    ),
    FieldSpec(
        "terms",
        "list",
        True,
        "Words and phrases that file essay sections under this topic and link mentions to it "
        "(singular; plurals and accents are matched automatically).",
        ["peacekeeping"],
    ),
    FieldSpec("related", "list", False, "Related topics, by file name.", ["alliances"]),
    FieldSpec(
        "colour",
        "str",
        False,
        'The topic\'s colour on timelines and the graph, in quotes ("#1565c0"); its hue is kept and its lightness set so '
        "it reads in light and dark mode. Without it the colour is chosen from the file name, and never changes.",
        "#1565c0",
    ),
    FieldSpec(
        "pin",
        "list",
        False,
        "Sections always filed under this topic, whatever their text says: a heading, or essay#section (one section).",
        [],
    ),
    FieldSpec("exclude", "list", False, "Sections never filed under this topic: a heading, or essay#section (one section).", []),
    FieldSpec("case_studies", "cases", False, "Case studies filed under this topic.", []),
)
ESSAY_META_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "str", False, "Title to show when the essay has no title line."),
    FieldSpec("source", "str", False, "Where the essay was first published."),
    FieldSpec("date", "str", False, "When it was published or collected."),
)

_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
# Names the site's own pages take in each folder (topics/index.md, essays/index.md, case-studies/index.md).
RESERVED_PAGES = {"index"}
_SAFE_SLUG = re.compile(r"^[^\W_][\w-]*$", re.UNICODE)
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+[^\s]*$", re.IGNORECASE)
# Left in by an editor (or by `diplokb new case-study`): never published.
# Control characters (NUL, escape, bell...: C0 but tab and line breaks, DEL, C1): a YAML "\0" or "\e" escape writes
# them, nothing shows them, they make HTML invalid and they drive the terminal that prints an error.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PLACEHOLDER = re.compile(r"\b(TODO|TBD|FIXME|XXX)\b|lorem ipsum", re.IGNORECASE)
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")  # a topic's colour: #rrggbb


def unfit_text(value: str) -> str | None:
    """Why ``value`` cannot be published as written (a control character, a placeholder left in), or None."""
    control = CONTROL.search(value)
    if control:
        return f"control character U+{ord(control.group(0)):04X} at character {control.start() + 1}; remove it"
    placeholder = _PLACEHOLDER.search(value)
    if placeholder:
        return f"placeholder `{placeholder.group(0)}` left in; replace it with the real text"
    return None


_YEAR = re.compile(r"\b(\d{4})\b")


@dataclass(frozen=True)
class Source:
    essay: str
    quote: str
    line: int = 0  # line of the quoted sentence in the essay, once found
    section: int | None = None  # index of the essay section holding it


@dataclass(frozen=True)
class Reference:
    title: str
    publisher: str
    date: str
    url: str


@dataclass(frozen=True)
class CaseStudy:
    id: str
    name: str
    summary: str
    source: Source | None  # the essay sentence naming it; None for a case resting on references alone
    years: str = ""
    places: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)  # home topic first
    path: str = ""
    line: int = 0
    as_of: str = ""
    note: str = ""
    references: list[Reference] = field(default_factory=list)

    @property
    def ongoing(self) -> bool:
        return bool(ONGOING.search(self.years))  # as the timeline reads it: "1999-ongoing" needs as_of too


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    summary: str
    terms: list[str]
    related: list[str] = field(default_factory=list)
    pin: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    case_studies: list[CaseStudy] = field(default_factory=list)
    path: str = ""
    references: list[Reference] = field(default_factory=list)  # what the summary's [1], [2]... cite
    colour: str = ""  # "#rrggbb", or "" for the colour its slug chooses


@dataclass(frozen=True)
class EssayMeta:
    title: str = ""
    source: str = ""
    date: str = ""


def check_slug(value: str) -> str | None:
    """Why ``value`` cannot be a file or URL name, or ``None`` if it can."""
    if not value:
        return "must not be empty"
    if "/" in value or "\\" in value or ".." in value or value.startswith("."):
        return f"must be a plain name, not a path ({value!r})"
    if value.lower() in _RESERVED:
        return f"{value!r} is a reserved device name"
    if value.lower() in RESERVED_PAGES:
        return f"{value!r} is reserved: the site's own index page of that folder has this name; choose another"
    if len(value.encode("utf-8")) > MAX_SLUG_BYTES:
        return f"is {len(value.encode('utf-8'))} bytes long; at most {MAX_SLUG_BYTES} bytes (it becomes a file name and a URL)"
    if not _SAFE_SLUG.match(value):
        return f"may hold only letters, digits and hyphens ({value!r})"
    return None


def did_you_mean(word: str, choices: list[str] | set[str]) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


class Nearest:
    """``did_you_mean`` against many names, asked many times: built once, each question cheap.

    difflib compares a word with every choice; against an essay of 3,000 sections that took 0.17 s
    a misspelt ``pin:``, and 3,000 of them minutes. Here an index of each choice's character
    trigrams picks a few candidates (those sharing the most of the word's rarer trigrams, reading
    at most :attr:`BUDGET` index entries a question) and difflib ranks only those. Up to
    :attr:`SMALL` choices, difflib reads them all, as ``did_you_mean`` does.
    """

    SMALL = 200
    BUDGET = 4000
    CANDIDATES = 20

    def __init__(self, choices: list[str] | set[str]) -> None:
        self.choices = sorted(set(choices))
        self.grams: dict[str, list[int]] = {}
        if len(self.choices) > self.SMALL:
            for i, c in enumerate(self.choices):
                for g in _trigrams(c):
                    self.grams.setdefault(g, []).append(i)

    def closest(self, word: str) -> str | None:
        if len(self.choices) <= self.SMALL:
            pool = self.choices
        else:
            postings = sorted((self.grams[g] for g in _trigrams(word) if g in self.grams), key=len)
            counts: dict[int, int] = {}
            read = 0
            for posting in postings:
                if read and read + len(posting) > self.BUDGET:
                    break  # the rest are trigrams most choices share: they tell none apart
                read += len(posting)
                for i in posting[: self.BUDGET]:
                    counts[i] = counts.get(i, 0) + 1
            best = sorted(counts, key=lambda i: -counts[i])[: self.CANDIDATES]
            pool = sorted(self.choices[i] for i in best)
        close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
        return close[0] if close else None

    def __call__(self, word: str) -> str:
        """The "did you mean" hint, as :func:`did_you_mean` writes it ("" when nothing is close)."""
        close = self.closest(word)
        return f"; did you mean `{close}`?" if close else ""


def _trigrams(word: str) -> set[str]:
    w = f"  {word.casefold()} "
    return {w[i : i + 3] for i in range(len(w) - 2)}


def _yaml_value(spec: FieldSpec, value: Any, indent: int) -> str:
    pad = " " * indent
    if spec.kind == "str":
        return " " + json.dumps(str(value), ensure_ascii=False)  # a JSON string is a YAML string, nothing coerced
    if spec.kind == "list":
        return " " + json.dumps([str(v) for v in value], ensure_ascii=False)
    if spec.kind == "source":
        return "\n" + _yaml_fields(SOURCE_FIELDS, value, indent + 2)
    items = [_yaml_fields(REFERENCE_FIELDS, v, indent + 4) for v in value]
    return "".join(f"\n{pad}  - " + item.lstrip() for item in items) if items else " []"


def _yaml_fields(specs: tuple[FieldSpec, ...], values: dict[str, Any], indent: int) -> str:
    pad = " " * indent
    return "\n".join(f"{pad}{s.name}:{_yaml_value(s, values[s.name], indent)}" for s in specs if s.name in values)


def case_yaml(values: dict[str, Any]) -> str:
    """A case study as a YAML list item, fields in the order :data:`CASE_FIELDS` defines (for pasting or inserting)."""
    unknown = set(values) - {s.name for s in CASE_FIELDS}
    if unknown:
        raise ValueError(f"not case-study fields: {sorted(unknown)}")
    return "- " + _yaml_fields(CASE_FIELDS, values, 2).lstrip() + "\n"


# What `new case-study` and `suggest` leave for the editor: `check` refuses it until it is replaced.
TODO_SUMMARY = "TODO: two or three sentences: what happened, when and where, each fact cited ([1] or [essay#section])."
TODO_REFERENCE = {"title": "TODO: title of the page", "publisher": "TODO: who published it", "date": "TODO", "url": "https://TODO.example"}


def _schema_for(specs: tuple[FieldSpec, ...]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for s in specs:
        if s.kind == "str":
            p: dict[str, Any] = {"type": "string", "minLength": 1}
        elif s.kind == "list":
            p = {"type": "array", "items": {"type": "string", "minLength": 1}}
        elif s.kind == "source":
            p = _schema_for(SOURCE_FIELDS)
        elif s.kind == "refs":
            item = _schema_for(REFERENCE_FIELDS)
            item["properties"]["date"]["pattern"] = _DATE.pattern
            item["properties"]["url"]["pattern"] = _URL.pattern
            p = {"type": "array", "items": item}
        else:
            p = {"type": "array", "items": _schema_for(CASE_FIELDS)}
        p["description"] = s.doc
        if s.example is not None and s.kind in ("str", "list") and s.example != "...":
            p["examples"] = [s.example]
        props[s.name] = p
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [s.name for s in specs if s.required],
        "properties": props,
    }


def json_schema() -> dict[str, Any]:
    """JSON Schema of a topic file, generated from :data:`TOPIC_FIELDS` (``diplokb schema``)."""
    schema = _schema_for(TOPIC_FIELDS)
    case = schema["properties"]["case_studies"]["items"]
    case["anyOf"] = [{"required": ["source"]}, {"required": ["references"]}]  # a case needs a source
    case["properties"]["as_of"]["pattern"] = _DATE.pattern
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://diplokb.invalid/schema/topic.schema.json",
        "title": "diplokb topic",
        "description": "A topic of the diplokb knowledge base: one file per topic in content/topics/.",
        **schema,
    }
