"""Stage 1, parse, as files: every essay is read through one loader with one policy.

Bytes are read with a size limit, only from inside the project (:mod:`diplokb.content.inputs`), must be
UTF-8 text (a UTF-16 file with a byte-order mark is decoded, and said so), and are parsed by
:func:`diplokb.stages.parse.parse_text`. ``diplokb parse``, ``new case-study`` and the build all come here.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from ..cache import BuildCache
from ..content.inputs import MAX_ESSAY_BYTES, decode_essay, listing, read_limited
from ..content.schema import check_slug
from ..errors import ContentError, Problem
from ..text import name_slug
from .parse import Essay, parse_text


def load_essay(path: Path) -> Essay:
    """One essay file, parsed; a file that is not UTF-8 text (or too large) raises :class:`ContentError`."""
    data = read_limited(path, MAX_ESSAY_BYTES, "the essay")
    text, _notes = decode_essay(str(path), data)
    return replace(parse_text(text), path=str(path), slug=name_slug(path.stem, "essay"))


def essay_files(seeds_dir: Path) -> list[Path]:
    return listing(seeds_dir, (".txt",), "an essay")[0]


def load_essays(seeds_dir: Path, cache: BuildCache | None = None) -> tuple[list[Essay], list[Problem]]:
    """Stage 1, parse: every ``*.txt`` in ``seeds_dir``; errors and warnings about odd essays.

    An essay whose bytes are unchanged since the build that filled ``cache`` is not parsed again."""
    parsed = cache.parsed if cache is not None else {}
    essays: list[Essay] = []
    files, problems = listing(seeds_dir, (".txt",), "an essay")
    slugs: dict[str, Path] = {}
    for path in files:
        # The file name is data: it reaches URLs, anchors and file names only as a slug.
        slug = name_slug(path.stem, "essay")
        why = check_slug(slug)
        if why:
            problems.append(Problem(str(path), 0, 0, "", f"essay file name {why}"))
            continue
        if slug in slugs:
            problems.append(Problem(str(path), 0, 0, "", f"essay file name gives the same page name `{slug}` as {slugs[slug]}; rename one"))
            continue
        try:
            data = read_limited(path, MAX_ESSAY_BYTES, "the essay")
        except ContentError as exc:
            problems += exc.problems
            continue
        slugs[slug] = path
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        # One entry per file, replaced when the file changes: memory stays flat over any number of saves.
        hit = parsed.get(str(path))
        if hit is not None and hit[0] == digest and hit[1].slug == slug:
            essay, notes = hit[1], hit[2]
        else:
            try:
                text, notes = decode_essay(str(path), data)
            except ContentError as exc:
                problems += exc.problems
                continue
            essay = replace(parse_text(text), path=str(path), slug=slug)
            parsed[str(path)] = (digest, essay, notes)
        problems += notes
        if not essay.sections or not any(s.blocks for s in essay.sections):
            problems.append(Problem(str(path), 1, 1, "", "essay has no paragraphs; its page says so", "warning"))
        essays.append(essay)
    return essays, problems
