"""The stages wired together: parse -> model -> route -> link -> render.

Parse results are cached by the essay's content hash, so a rebuild after a YAML edit (the
common case under ``mkdocs serve``) re-reads no essay.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ContentError, Problem, Report
from .link import KnowledgeBase, build
from .model import EssayMeta, Topic, load_essay_meta, load_topics
from .parse import Essay, parse_text
from .render import render

_PARSE_CACHE: dict[tuple[str, str], Essay] = {}


@dataclass
class Result:
    kb: KnowledgeBase
    pages: dict[str, str]
    knowledge: dict[str, Any]
    warnings: list[Problem] = field(default_factory=list)


def essay_files(seeds_dir: Path) -> list[Path]:
    if not seeds_dir.is_dir():
        return []
    return sorted(p for p in seeds_dir.iterdir() if p.suffix == ".txt" and p.is_file())


def load_essays(seeds_dir: Path) -> tuple[list[Essay], list[Problem]]:
    """Parse every ``*.txt`` in ``seeds_dir`` (cached by content); warn about odd essays."""
    essays: list[Essay] = []
    problems: list[Problem] = []
    for path in essay_files(seeds_dir):
        data = path.read_bytes()
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        key = (path.stem, digest)
        essay = _PARSE_CACHE.get(key)
        if essay is None:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                line = data.count(b"\n", 0, exc.start) + 1
                col = exc.start - data.rfind(b"\n", 0, exc.start)
                problems.append(
                    Problem(
                        str(path),
                        line,
                        col,
                        "",
                        f"byte 0x{data[exc.start]:02x} at byte offset {exc.start} is not UTF-8; shown as �",
                        "warning",
                    )
                )
                text = data.decode("utf-8", errors="replace")
            essay = parse_text(text)
            essay.path, essay.slug = str(path), path.stem
            _PARSE_CACHE[key] = essay
        if not essay.sections or not any(s.blocks for s in essay.sections):
            problems.append(Problem(str(path), 1, 1, "", "essay has no paragraphs; its page says so", "warning"))
        essays.append(essay)
    return essays, problems


@dataclass
class Loaded:
    essays: list[Essay]
    topics: list[Topic]
    meta: dict[str, EssayMeta]
    warnings: list[Problem]


def check(content_dir: Path, seeds_dir: Path, require_references: bool = False) -> Loaded:
    """Load and validate everything; raises :class:`ContentError` listing every error.

    ``require_references``: a case study without references is an error rather than a warning.
    """
    essays, warnings = load_essays(seeds_dir)
    problems: list[Problem] = []
    meta: dict[str, EssayMeta] = {}
    try:
        meta = load_essay_meta(seeds_dir / "essays.yaml")
    except ContentError as exc:
        problems += exc.problems
    topics: list[Topic] = []
    report = Report()
    try:
        topics = load_topics(content_dir, essays, require_references, report)
    except ContentError as exc:
        problems += exc.problems
    warnings += report.warnings
    if problems:
        raise ContentError(problems)
    if not topics:
        warnings.append(Problem(str(content_dir / "topics"), 0, 0, "", "no topic files found", "warning"))
    return Loaded(essays, topics, meta, warnings)


def run(content_dir: Path, seeds_dir: Path, directory_urls: bool = True, require_references: bool = False) -> Result:
    loaded = check(content_dir, seeds_dir, require_references)
    kb = build(loaded.essays, loaded.topics, loaded.meta)
    pages, knowledge = render(kb, directory_urls)
    return Result(kb, pages, knowledge, loaded.warnings + kb.problems)
