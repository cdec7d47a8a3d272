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

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import ContentError, Problem
from .inputs import MAX_TOPIC_BYTES, read_limited
from .model import TODO_REFERENCE, TODO_SUMMARY, case_yaml, locate_quote
from .sources import load_essays
from .text import slugify
from .yamlsafe import MappingNode, ScalarNode, SequenceNode, compose, decode

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


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and ``os.replace``; the original survives any failure."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _entry(name: str, essay: str, quote: str) -> str:
    values = {"name": name, "places": [], "actors": [], "summary": TODO_SUMMARY, "source": {"essay": essay, "quote": quote}}
    return case_yaml({**values, "references": [TODO_REFERENCE]})


def _indent(block: str, spaces: int) -> str:
    pad = " " * spaces
    return "".join(pad + ln if ln.strip() else ln for ln in block.splitlines(keepends=True))


def _writable_target(path: Path) -> Path:
    """The file to write for ``path``: a symlink's target inside the same folder; refused when read-only."""
    target = path
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(path.parent.resolve()):
            raise ContentError(Problem(str(path), 0, 0, "", f"symbolic link to a file outside {path.parent}: not changed"))
    try:
        mode = target.stat().st_mode
    except OSError as exc:
        raise ContentError(Problem(str(path), 0, 0, "", f"cannot read: {exc.strerror or exc}")) from None
    if not mode & 0o222:
        raise ContentError(
            Problem(str(path), 0, 0, "", "the file is read-only: not changed (make it writable first if you mean to edit it)")
        )
    return target


def _write(target: Path, data: bytes) -> None:
    """Atomic replace; in place when other hard links share the file (a replace would cut them off)."""
    try:
        if target.stat().st_nlink > 1:
            with target.open("r+b") as f:
                f.write(data)
                f.truncate()
                f.flush()
                os.fsync(f.fileno())
        else:
            atomic_write(target, data)
    except OSError as exc:
        raise ContentError(Problem(str(target), 0, 0, "", f"cannot write: {exc.strerror or exc}; the file is unchanged")) from None


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
    target = _writable_target(path)
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
    _write(target, (b"\xef\xbb\xbf" if bom else b"") + new.encode("utf-8"))
    return start_line
