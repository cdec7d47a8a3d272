"""The editors' filing decisions (``content/filings.yaml``): what it holds, and writing it safely.

One line per decided section, keyed ``essay#section`` as ``diplokb route --explain`` prints it::

    decisions:
      hospital-ships#a-protected-status: {topics: [soft-power], router: [], text: 0a1b2c...}

``topics`` is the editor's answer (``[]``: the section stays on its essay page); ``router`` what the
router proposed when the editor decided (so that ``check`` names the sections a later change to
terms or rules would move, and not the ones an editor already overruled); ``text`` is a fingerprint of the section's text when it was decided, so that a later rewrite of the section asks
again (``stages.decide``). :func:`record` adds or replaces entries and keeps every other byte of
the file: comments, order, the editor's own spacing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError, Problem
from .inputs import MAX_TOPIC_BYTES, read_limited
from .write import replace_bytes, writable_target
from .yamlsafe import MappingNode, ScalarNode, decode, load_file

DECISIONS_FILE = "filings.yaml"
HEADER = (
    "# Editors' decisions: the topics each essay section is filed under, keyed essay#section as\n"
    "# `diplokb route --explain` prints it. A decision wins over the topics' terms; `diplokb route --review`\n"
    "# records them, `diplokb check` names decided sections the terms would now file otherwise.\n"
    "# topics: [] keeps a section on its essay page only; router: what the router proposed then;\n"
    "# text: a fingerprint of the section's text when decided (a rewritten section is asked about again).\n"
    "decisions:\n"
)
_PLAIN_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*#[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Decision:
    """One decided section: the editor's topics, and the section's text fingerprint when decided."""

    ref: str  # essay#section
    topics: tuple[str, ...]
    router: tuple[str, ...] | None = None  # the router's proposal when decided; None when not recorded
    text: str = ""  # fingerprint; "" when the editor wrote the entry by hand
    line: int = 0
    col: int = 0


@dataclass(frozen=True)
class Decisions:
    """Every decision of the file, by ``essay#section``; empty when there is no file."""

    path: str = ""
    by_ref: tuple[tuple[str, Decision], ...] = ()

    def get(self, ref: str) -> Decision | None:
        return dict(self.by_ref).get(ref)


Entry = tuple[list[str], list[str], str]  # (topics, the router's proposal, text fingerprint)


def entry_line(ref: str, topics: list[str], router: list[str], text: str) -> str:
    """The file's line for one decision (refs and topic slugs are plain slugs: no quoting needed)."""
    if not _PLAIN_KEY.match(ref) or not all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", t) for t in [*topics, *router]):
        raise ContentError(Problem(ref, 0, 0, "", "expected essay#section and topic names of letters, digits and hyphens"))
    fields = f"topics: [{', '.join(topics)}], router: [{', '.join(router)}]" + (f", text: {text}" if text else "")
    return f"  {ref}: {{{fields}}}\n"


def record(path: Path, entries: dict[str, Entry]) -> None:
    """Add or replace the decisions ``entries`` (ref -> (topics, router's proposal, fingerprint)) in ``path``, keeping every other byte.

    A missing file is created with a header saying what it is. An entry already in the file has its
    lines replaced in place; a new one goes after the last entry."""
    if not entries:
        return
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(HEADER + "".join(entry_line(r, *e) for r, e in entries.items()), encoding="utf-8")
        return
    target = writable_target(path)
    text = decode(str(path), read_limited(target, MAX_TOPIC_BYTES, "the file"))
    _text, root = load_file(target)
    where = str(path)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if root is None:
        lines.append("decisions:\n")
        body = None
    else:
        if not isinstance(root, MappingNode):
            raise ContentError(Problem(where, 1, 1, "", "expected a mapping with `decisions:`; the file is unchanged"))
        found = [(k, v) for k, v in root.value if isinstance(k, ScalarNode) and k.value == "decisions"]
        if not found:
            lines.append("decisions:\n")
            body = None
        else:
            key, body = found[0]
    spans: dict[str, tuple[int, int]] = {}  # ref -> (first line index, last line index + 1)
    after = len(lines)
    if isinstance(body, MappingNode):
        if body.flow_style:
            line = body.start_mark.line + 1
            raise ContentError(
                Problem(where, line, body.start_mark.column + 1, "decisions", "expected one entry per line, not a {...} mapping")
            )
        for k, v in body.value:
            end = v.end_mark.line + (1 if v.end_mark.column > 0 else 0)
            spans[str(k.value)] = (k.start_mark.line, end)
        after = max(e for _s, e in spans.values()) if spans else body.start_mark.line
    elif body is not None:
        if not (isinstance(body, ScalarNode) and body.value == ""):
            line = body.start_mark.line + 1
            raise ContentError(Problem(where, line, body.start_mark.column + 1, "decisions", "expected a mapping of essay#section entries"))
        after = key.start_mark.line + 1
    new: list[str] = []
    for ref, entry in entries.items():
        row = entry_line(ref, *entry)
        if ref in spans:
            s, e = spans[ref]
            lines[s:e] = [row] + [""] * (e - s - 1)  # same number of slots: later spans stay valid
        else:
            new.append(row)
    lines[after:after] = new
    replace_bytes(target, "".join(lines).encode("utf-8"))
