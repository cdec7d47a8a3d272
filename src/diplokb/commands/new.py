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

from pathlib import Path

from ..content.inputs import MAX_TOPIC_BYTES, read_limited
from ..content.write import replace_bytes, writable_target
from ..content.yamlsafe import MappingNode, ScalarNode, SequenceNode, compose, decode
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
    nl = "\r\n" if "\r\n" in text else "\n"
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
    lines = text.split("\n") if nl == "\n" else text.split("\r\n")

    def insert_after_line(line_idx: int, block: str) -> str:
        """Insert ``block`` after 0-based line ``line_idx`` (its own newline kept)."""
        before = nl.join(lines[: line_idx + 1])
        after = nl.join(lines[line_idx + 1 :])
        block = block.replace("\n", nl)
        return before + nl + block + after if after or line_idx + 1 < len(lines) else before + nl + block

    if cs_key is None:
        prefix = "" if text.endswith(("\n", "\r")) or not text else nl
        new = text + prefix + ("case_studies:" + nl if active else "") + _indent(body, 2 if active else 0).replace("\n", nl)
        start_line = text.count("\n") + (1 if prefix else 0) + 1 + (1 if active else 0)
    elif isinstance(cs_val, SequenceNode) and cs_val.value and not cs_val.flow_style:
        indent = cs_val.start_mark.column
        last = cs_val.value[-1]
        end = last.end_mark
        last_line = end.line - 1 if end.column == 0 else end.line
        # The node's end runs on over trailing blank and comment lines: those stay after the new entry.
        while last_line > last.start_mark.line and (not lines[last_line].strip() or lines[last_line].lstrip().startswith("#")):
            last_line -= 1
        new = insert_after_line(last_line, _indent(body, indent))
        start_line = last_line + 2
    else:
        key_line = cs_key.start_mark.line
        val_end_line = cs_val.end_mark.line if cs_val is not None else key_line
        indent = cs_key.start_mark.column + 2
        # `case_studies: []` cannot take block items (uncommented or not): the empty `[]` goes.
        if isinstance(cs_val, SequenceNode) and cs_val.flow_style and not cs_val.value:
            s, e = cs_val.start_mark.index, cs_val.end_mark.index
            text2 = text[:s].rstrip(" ") + text[e:]
            lines = text2.split(nl)
        new = insert_after_line(val_end_line, _indent(body, indent))
        start_line = val_end_line + 2

    compose(str(path), new)  # the result must still be YAML we can read
    replace_bytes(target, (b"\xef\xbb\xbf" if bom else b"") + new.encode("utf-8"))
    return start_line
