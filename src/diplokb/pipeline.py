"""The stages wired together: parse -> model -> route -> link -> render.

Parse results are cached by the essay's content hash, so a rebuild after a YAML edit (the
common case under ``mkdocs serve``) re-reads no essay.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ContentError, Problem
from .link import KnowledgeBase, build
from .model import EssayMeta, Topic, check_slug, load_essay_meta, load_topics
from .parse import Essay, parse_text
from .render import render
from .text import name_slug

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
    slugs: dict[str, Path] = {}
    for path in essay_files(seeds_dir):
        # The file name is data: it reaches URLs, anchors and file names only as a slug.
        slug = name_slug(path.stem, "essay")
        why = check_slug(slug)
        if why:
            problems.append(Problem(str(path), 0, 0, "", f"essay file name {why}"))
            continue
        if slug in slugs:
            problems.append(Problem(str(path), 0, 0, "", f"essay file name gives the same page name `{slug}` as {slugs[slug]}; rename one"))
            continue
        slugs[slug] = path
        data = path.read_bytes()
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        key = (slug, digest)
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
            essay.path, essay.slug = str(path), slug
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


def check(content_dir: Path, seeds_dir: Path) -> Loaded:
    """Load and validate everything; raises :class:`ContentError` listing every error."""
    essays, found = load_essays(seeds_dir)
    problems = [p for p in found if p.severity == "error"]
    warnings = [p for p in found if p.severity != "error"]
    if not content_dir.is_dir():
        problems.append(
            Problem(str(content_dir), 0, 0, "content_dir", "folder not found; create it (with topics/ inside) or fix content_dir")
        )
    elif not (content_dir / "topics").is_dir():
        problems.append(Problem(str(content_dir / "topics"), 0, 0, "", "folder not found; the topic files (*.yaml) live there"))
    meta: dict[str, EssayMeta] = {}
    try:
        meta = load_essay_meta(seeds_dir / "essays.yaml")
    except ContentError as exc:
        problems += exc.problems
    topics: list[Topic] = []
    try:
        topics = load_topics(content_dir, essays)
    except ContentError as exc:
        problems += exc.problems
    if problems:
        raise ContentError(problems)
    if not topics:
        warnings.append(Problem(str(content_dir / "topics"), 0, 0, "", "no topic files found", "warning"))
    return Loaded(essays, topics, meta, warnings)


def run(content_dir: Path, seeds_dir: Path, directory_urls: bool = True) -> Result:
    loaded = check(content_dir, seeds_dir)
    kb = build(loaded.essays, loaded.topics, loaded.meta)
    pages, knowledge = render(kb, directory_urls)
    return Result(kb, pages, knowledge, loaded.warnings + kb.problems)
