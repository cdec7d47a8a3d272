"""The one command that writes a curated file: adding a case study to a topic file.

It inserts text and changes nothing else: every existing byte, comment and key order stays
(the only exception: an empty flow list ``case_studies: []`` loses its ``[]``, which could not hold
the new entry). The new file is written to a temporary file beside the original and moved into place
atomically, so a failure mid-write leaves the original as it was.

It respects the file as it is on disk: a read-only file is refused; a symbolic link is followed
and its target written (a link leading out of the topics folder is refused); a file with other
hard links is rewritten in place, after the new text was checked, so every link still sees it.
Problems are reported as messages (:class:`ContentError`), never as tracebacks.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..content.inputs import MAX_TOPIC_BYTES, read_limited
from ..content.write import replace_bytes, writable_target
from ..content.yamlsafe import MappingNode, Node, ScalarNode, SequenceNode, compose, decode
from ..errors import ContentError, Problem
from ..stages.model import TODO_REFERENCE, TODO_SUMMARY, case_yaml, locate_quote
from ..stages.sources import load_essays
from ..text import slugify

TEMPLATE = """\
# --- new case study: uncomment the lines below (remove one "# " from each) and replace every TODO ---
# - name: "TODO: the case as a reference work names it (an event, mission, treaty or programme)"
#   years: "TODO: 1999-2004"     # span of the case itself; "1999-present" needs as_of
#   as_of: "TODO: 2026-12-31"    # ongoing cases only: the date you checked the facts
#   places: ["TODO: where it happened"]
#   actors: ["TODO: states and organisations that took part"]
#   summary: >-
#     TODO: two or three sentences: what the sources say, attributed ("The essay credits ...").
#   topics: []                   # optional: other topics it belongs to, by file name
#   source:                      # optional when references are given
#     essay: "TODO: essay file name in seeds/, without .txt"
#     quote: "TODO: a sentence copied from that essay, naming the case."
#   references:                  # every fact the quote does not state rests on one
#     - title: "TODO: title of the page or article"
#       publisher: "TODO: who published it"
#       date: "TODO: 2024-05-01"
#       url: "https://TODO.example"
"""


def _entry(name: str, essay: str, quote: str) -> str:
    values = {"name": name, "places": [], "actors": [], "summary": TODO_SUMMARY, "source": {"essay": essay, "quote": quote}}
    return case_yaml({**values, "references": [TODO_REFERENCE]})


def _indent(block: str, spaces: int) -> str:
    pad = " " * spaces
    return "".join(pad + ln if ln.strip() else ln for ln in block.splitlines(keepends=True))


# What YAML (libyaml, YAML 1.1) counts as a line break, so that line numbers in node marks and in
# the split text agree: a file may mix CRLF and LF, end lines in a lone CR, or hold a U+2028
# inside a quoted string.
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_BREAKS = ("\r\n", "\r", "\n", "\x85", "\u2028", "\u2029")


def _lines(text: str) -> list[tuple[str, str, int]]:
    """Each line as YAML counts them: (its text, its line break or "" at the end, where it starts)."""
    out: list[tuple[str, str, int]] = []
    pos = 0
    for m in _BREAK.finditer(text):
        out.append((text[pos : m.start()], m.group(), pos))
        pos = m.end()
    out.append((text[pos:], "", pos))
    return out


def _usual_break(lines: list[tuple[str, str, int]]) -> str:
    """The line break the file uses most (of CRLF, LF and CR): new lines are written with it."""
    counts = Counter(br for _t, br, _p in lines if br in ("\r\n", "\n", "\r"))
    return counts.most_common(1)[0][0] if counts else "\n"


def _insert_after(text: str, lines: list[tuple[str, str, int]], idx: int, block: str) -> str:
    """``text`` with ``block`` inserted after 0-based line ``idx``, written with that line's break."""
    line, br, start = lines[idx]
    nl = br if br in ("\r\n", "\n", "\r") else _usual_break(lines)
    block = block.replace("\n", nl)
    if not br:  # the last line, without a break of its own
        return text + nl + block
    at = start + len(line) + len(br)
    return text[:at] + block + text[at:]


def _data(node: Node | None) -> object:
    """A node tree as plain values (mappings as lists of pairs, in order), to compare two versions."""
    if isinstance(node, MappingNode):
        return [(_data(k), _data(v)) for k, v in node.value]
    if isinstance(node, SequenceNode):
        return [_data(n) for n in node.value]
    return node.value if isinstance(node, ScalarNode) else None


def _verify(path: Path, old: Node | None, new: Node | None, body: str | None, cs_key: Node | None) -> None:
    """The new text must say what the old one did plus the one entry (nothing, for the commented template):
    where the insertion point cannot be found safely, the file is refused, never written wrong."""
    before = _data(old) if old is not None else []
    after = _data(new) if new is not None else []
    assert isinstance(before, list)
    has_key = any(k == "case_studies" for k, _v in before)
    old_cases = next((v for k, v in before if k == "case_studies"), None)
    if body is None:  # the commented template: nothing changes, but an empty `[]` that lost its brackets
        new_cases = "" if old_cases == [] else old_cases
    else:
        entry = _data(compose(str(path), body))
        assert isinstance(entry, list)
        new_cases = [*(old_cases if isinstance(old_cases, list) else []), *entry]
    if has_key:
        expected = [(k, new_cases if k == "case_studies" else v) for k, v in before]
    else:
        expected = [*before, ("case_studies", new_cases)] if body is not None else before
    if after != expected:
        line = cs_key.start_mark.line + 1 if cs_key is not None else 0
        raise ContentError(
            Problem(
                str(path),
                line,
                1 if line else 0,
                "case_studies",
                "cannot tell where to add the case study without changing what the file says; the file is unchanged: add the entry by hand",
            )
        )


def add_case_study(
    path: Path,
    *,
    name: str | None = None,
    essay: str | None = None,
    quote: str | None = None,
    content_dir: Path | None = None,
    seeds_dir: Path | None = None,
) -> int:
    """Insert a case study (or, without ``name``, a commented template); return the line it starts on."""
    target = writable_target(path)
    data = read_limited(target, MAX_TOPIC_BYTES, "the file")
    text = decode(str(path), data)
    bom = data.startswith(b"\xef\xbb\xbf")
    root = compose(str(path), text)
    if root is not None and not isinstance(root, MappingNode):
        raise ContentError(Problem(str(path), 1, 1, "", "expected a topic mapping; fix the file first"))

    active = name is not None
    if active:
        if not essay or not quote:
            raise ContentError(Problem(str(path), 0, 0, "source", "--name needs --essay and --quote (a sentence from that essay)"))
        essays, _w = load_essays(seeds_dir or Path("seeds"))
        by = {e.slug: e for e in essays}
        if essay not in by and slugify(essay) in by:
            essay = slugify(essay)
        if essay not in by:
            raise ContentError(Problem(str(path), 0, 0, "source.essay", f"no essay named `{essay}` in {seeds_dir}"))
        if locate_quote(by[essay], quote) is None:
            raise ContentError(Problem(str(path), 0, 0, "source.quote", f"the quote is not in essay `{essay}`"))

    cs_key = cs_val = None
    if isinstance(root, MappingNode):
        for k, v in root.value:
            if isinstance(k, ScalarNode) and k.value == "case_studies":
                cs_key, cs_val = k, v
    body = _entry(name or "", essay or "", quote or "") if active else TEMPLATE
    lines = _lines(text)

    if cs_key is None:
        nl = _usual_break(lines)
        prefix = "" if not text or text.endswith(_BREAKS) else nl
        new = text + prefix + ("case_studies:" + nl if active else "") + _indent(body, 2 if active else 0).replace("\n", nl)
        start_line = (len(lines) - 1) + (1 if prefix else 0) + 1 + (1 if active else 0)  # (len(lines) - 1: the breaks in the text)
    elif isinstance(cs_val, SequenceNode) and cs_val.value and not cs_val.flow_style:
        indent = cs_val.start_mark.column
        last = cs_val.value[-1]
        end = last.end_mark
        last_line = end.line - 1 if end.column == 0 else end.line
        # The node's end runs on over trailing blank and comment lines: those stay after the new entry.
        while last_line > last.start_mark.line and (not lines[last_line][0].strip() or lines[last_line][0].lstrip().startswith("#")):
            last_line -= 1
        new = _insert_after(text, lines, last_line, _indent(body, indent))
        start_line = last_line + 2
    else:
        key_line = cs_key.start_mark.line
        val_end_line = cs_val.end_mark.line if cs_val is not None else key_line
        indent = cs_key.start_mark.column + 2
        # `case_studies: []` cannot take block items (uncommented or not): the empty `[]` goes.
        if isinstance(cs_val, SequenceNode) and cs_val.flow_style and not cs_val.value:
            s, e = cs_val.start_mark.index, cs_val.end_mark.index
            text = text[:s].rstrip(" ") + text[e:]
            lines = _lines(text)
        new = _insert_after(text, lines, val_end_line, _indent(body, indent))
        start_line = val_end_line + 2

    _verify(path, root, compose(str(path), new), body if active else None, cs_key)
    replace_bytes(target, (b"\xef\xbb\xbf" if bom else b"") + new.encode("utf-8"))
    return start_line
