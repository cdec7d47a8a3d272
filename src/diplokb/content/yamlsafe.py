"""Reading YAML without PyYAML's traps: every value a string, no aliases, no duplicate keys.

The composer builds a node tree (with 1-based line/column marks), which the model walks itself,
so every value keeps where it came from and nothing is coerced (``NO`` stays ``"NO"``, ``0123``
stays ``"0123"``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import yaml
from yaml.composer import Composer
from yaml.error import Mark
from yaml.events import AliasEvent, Event
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import ContentError, Problem
from .inputs import MAX_TOPIC_BYTES, read_limited

MAX_BYTES = MAX_TOPIC_BYTES
MAX_DEPTH = 50


class _NoAliasLoader(yaml.SafeLoader):
    """Refuses aliases and anchors at compose time, before anything can expand them."""

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        event: Event = self.peek_event()  # type: ignore[no-untyped-call]  # untyped in types-PyYAML
        if isinstance(event, AliasEvent):
            mark = event.start_mark
            raise _refusal("aliases (*name) are not allowed in content files", mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _refusal(f"anchors (&{anchor}) are not allowed in content files", event.start_mark)
        return Composer.compose_node(self, parent, index)  # type: ignore[arg-type]


def decode(path: str, data: bytes) -> str:
    """Bytes -> text, with errors naming the byte offset of a NUL or a non-UTF-8 byte."""
    if len(data) > MAX_BYTES:
        raise ContentError(Problem(path, 0, 0, "", f"file is {len(data)} bytes, over the {MAX_BYTES}-byte limit"))
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        col = nul - (data.rfind(b"\n", 0, nul) + 1) + 1
        raise ContentError(Problem(path, line, col, "", f"NUL byte at byte offset {nul}; expected UTF-8 text"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError(
            Problem(path, line, col, "", f"byte 0x{data[exc.start]:02x} at byte offset {exc.start} is not UTF-8; save the file as UTF-8")
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def _depth_ok(text: str) -> int | None:
    """Line of the first place nested deeper than MAX_DEPTH (flow brackets or indentation)."""
    depth = 0
    line = 1
    for ch in text:
        if ch == "\n":
            line += 1
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif ch in "]}":
            depth = max(0, depth - 1)
    for n, ln in enumerate(text.split("\n"), 1):
        if len(ln) - len(ln.lstrip(" -")) > MAX_DEPTH * 4:
            return n
    return None


_FAST: type[yaml.CSafeLoader] | None = getattr(yaml, "CSafeLoader", None)  # libyaml: same node tree and marks, ten times faster
# path -> (text, node): only the current version of each file, so memory stays flat over any number of saves.


def _refusal(problem: str, mark: object) -> yaml.MarkedYAMLError:
    """The error for an alias or anchor; libyaml's marks have the same fields as PyYAML's."""
    return yaml.MarkedYAMLError(None, None, problem, cast("Mark | None", mark))


def _refuse_aliases(text: str, loader: type[yaml.CSafeLoader]) -> None:
    """With libyaml, scan the events first: an alias or anchor stops us before any tree is built."""
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, AliasEvent):
            raise _refusal("aliases (*name) are not allowed in content files", event.start_mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _refusal(f"anchors (&{anchor}) are not allowed in content files", event.start_mark)


def _compose(text: str) -> Node | None:
    if _FAST is None:
        return yaml.compose(text, Loader=_NoAliasLoader)
    _refuse_aliases(text, _FAST)
    return yaml.compose(text, Loader=_FAST)


def compose(path: str, text: str, cache: dict[str, tuple[str, Any]] | None = None) -> Node | None:
    """Text -> node tree; YAML syntax problems become a :class:`ContentError` with 1-based marks.

    ``cache`` (path -> (text, node), owned by the caller) skips composing a file whose text is unchanged."""
    hit = cache.get(path) if cache is not None else None
    if hit is not None and hit[0] == text:
        return hit[1]  # type: ignore[no-any-return]
    deep = _depth_ok(text)
    if deep is not None:
        raise ContentError(Problem(path, deep, 1, "", f"nested more than {MAX_DEPTH} levels deep"))
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        raise ContentError(_syntax_problem(path, text, exc)) from None
    except yaml.YAMLError as exc:
        raise ContentError(Problem(path, 0, 0, "", f"invalid YAML: {exc}")) from None
    except RecursionError:
        raise ContentError(Problem(path, 0, 0, "", "nested too deeply to read")) from None
    if cache is not None:
        cache[path] = (text, node)  # one entry per file: its current version
    return node


def _syntax_problem(path: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 0
    col = mark.column + 1 if mark else 0
    msg = exc.problem or exc.context or "invalid YAML"
    if exc.context_mark is not None and "quoted scalar" in (exc.context or ""):
        cm = exc.context_mark
        return Problem(path, cm.line + 1, cm.column + 1, "", "unclosed quote: the string that starts here never ends")
    lines = text.split("\n")
    if mark is not None and mark.line < len(lines):
        here = lines[mark.line]
        indent = here[: len(here) - len(here.lstrip(" \t"))]
        if "\t" in indent or "\t" in msg:
            return Problem(path, line, col, "", "tab character in indentation; indent with spaces")
    if exc.context and exc.problem and exc.context_mark is not None and exc.context_mark is not mark:
        msg += f" ({exc.context} at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
    return Problem(path, line, col, "", msg)


def read_text(path: Path) -> str:
    """Read, size-check and decode one YAML file."""
    return decode(str(path), read_limited(path, MAX_BYTES, "the file"))


def load_file(path: Path, cache: dict[str, tuple[str, Any]] | None = None) -> tuple[str, Node | None]:
    """Read, size-check, decode and compose one YAML file."""
    text = read_text(path)
    return text, compose(str(path), text, cache)


def pos(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def kind_name(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, ScalarNode):
        return f"text {node.value!r}" if node.value else "an empty value"
    return "something else"


__all__ = ["MappingNode", "Node", "ScalarNode", "SequenceNode", "compose", "decode", "kind_name", "load_file", "pos", "read_text"]
