"""What the parser returns: an essay, its sections, their blocks, and the debris lines it dropped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

BlockKind = Literal["paragraph", "list"]


@dataclass
class Block:
    """A paragraph or a list, with the source lines it came from."""

    kind: BlockKind
    line: int
    text: str = ""
    items: list[str] = field(default_factory=list)
    ordered: bool = False
    # (line number, stripped source text) of every input line this block holds.
    source: list[tuple[int, str]] = field(default_factory=list)

    def plain(self) -> str:
        return self.text if self.kind == "paragraph" else " ".join(self.items)

    def to_json(self) -> dict[str, Any]:
        if self.kind == "paragraph":
            return {"kind": "paragraph", "line": self.line, "text": self.text}
        return {"kind": "list", "line": self.line, "items": list(self.items), "ordered": self.ordered}


@dataclass
class Section:
    """A heading (``None`` for opening prose) and the blocks under it."""

    heading: str | None
    level: int
    line: int
    blocks: list[Block] = field(default_factory=list)
    parent: int | None = None  # index of the enclosing level-2 section, for level 3
    raw: str = ""  # the heading line as written, stripped
    inferred: bool = False  # no heading line in the text: the parser named it (an essay's closing paragraphs)

    def plain(self) -> str:
        return "\n".join(b.plain() for b in self.blocks)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"heading": self.heading, "level": self.level, "line": self.line}
        if self.inferred:
            out["inferred"] = True
        out["blocks"] = [b.to_json() for b in self.blocks]
        return out


@dataclass
class Dropped:
    line: int
    text: str


@dataclass
class Essay:
    """A parsed essay. ``slug`` and ``path`` are filled in by :func:`parse_file`."""

    title: str | None
    sections: list[Section]
    dropped: list[Dropped]
    shape: str  # "lines" (one paragraph per line) | "blocks" (blank-line separated)
    slug: str = ""
    path: str = ""
    title_line: int | None = None
    title_raw: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "shape": self.shape,
            "sections": [s.to_json() for s in self.sections],
            "dropped": [{"line": d.line, "text": d.text} for d in self.dropped],
        }
