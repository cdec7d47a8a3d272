"""Where diplokb may write: never into, over or as a folder it reads.

MkDocs empties ``site_dir`` before it builds, the site swap deletes the folder it replaces, and
``diplokb render --out`` replaces ``docs/`` and ``theme/`` and rewrites ``mkdocs.yml``: an output
that is an input folder, lies inside one or holds one would delete the essays, the topic files or
the project's own configuration. Folders are compared by identity (device and inode), so ``..``,
symbolic links, bind mounts and a differently spelt path on a case-insensitive disk are seen
through; an output that does not exist yet is placed by its nearest existing folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import Problem


@dataclass(frozen=True)
class Input:
    """A folder diplokb reads: ``what`` names it for the message (``the essays``)."""

    path: Path
    what: str
    holds_outputs: bool = False  # an output may lie inside it (the project folder: site/, build/), never be it or above it


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def _chain(path: Path) -> list[tuple[int, int]]:
    """The identities of ``path`` (or, if it does not exist yet, of its nearest existing folder) and of every folder above it."""
    path = Path(os.path.realpath(path))  # symbolic links followed as the system will (`link/..` is where the link points)
    while _identity(path) is None and path.parent != path:
        path = path.parent
    out = []
    for p in (path, *path.parents):
        ident = _identity(p)
        if ident is not None:
            out.append(ident)
    return out


def clash(out: Path, inputs: list[Input]) -> str | None:
    """Why ``out`` may not be written (it is, lies inside, or holds one of ``inputs``), or None.

    ``inputs`` are tried in order: put the most specific folder first (``content/topics`` before ``content``)."""
    out = Path(os.path.realpath(out))  # `missing/..` is the folder it names, as `mkdir -p` would make it
    exists = _identity(out) is not None
    above_out = _chain(out)  # out itself (when it exists) and the folders holding it
    found = [(inp, _identity(inp.path)) for inp in inputs]
    found = [(inp, ident) for inp, ident in found if ident is not None]
    for inp, ident in found:  # the most telling first: out is an input, then inside one, then holding one
        if exists and ident == above_out[0]:
            return f"is {inp.what} ({inp.path})"
    for inp, ident in found:
        if not inp.holds_outputs and ident in above_out:
            return f"is inside {inp.what} ({inp.path})"
    for inp, _ident in reversed(found):  # the widest first: "holds the project folder"
        if exists and above_out[0] in _chain(inp.path):
            return f"holds {inp.what} ({inp.path})"
    return None


def project_inputs(root: Path, content: Path, seeds: Path, docs: Path | None, custom_dir: Path | None = None) -> list[Input]:
    """The folders a build reads, most specific first: no output may be one of them, lie inside one or hold one
    (the project folder may hold outputs, such as ``site/``)."""
    found = [
        Input(content / "topics", "the topic files folder"),
        *([Input(docs, "the hand-written pages folder, docs_dir")] if docs is not None else []),
        Input(content, "the content folder"),
        Input(seeds, "the essays folder"),
        *([Input(custom_dir, "the theme overrides (custom_dir)")] if custom_dir is not None else []),
        Input(root, "the project folder, which holds mkdocs.yml", holds_outputs=True),
    ]
    return found


def setting(config: Path, key: str) -> tuple[int, int, str | None]:
    """Line and column (1-based) of the top-level ``key`` in a YAML configuration file, and its value as
    written if it is plain text; (0, 0, None) if not found.

    The file is composed, not constructed: tags such as ``!ENV`` or ``!!python/name`` run nothing."""
    try:
        root = yaml.compose(config.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return 0, 0, None
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                value = v.value if isinstance(v, yaml.ScalarNode) and v.tag == "tag:yaml.org,2002:str" else None
                return k.start_mark.line + 1, k.start_mark.column + 1, value
    return 0, 0, None


def site_dir_problem(site_dir: Path, inputs: list[Input], config: Path, shown: str) -> Problem | None:
    """The error for a ``site_dir`` that is, lies in or holds an input folder (a build would delete it), located
    in ``config`` where ``mkdocs.yml`` sets it; None for a folder of its own."""
    why = clash(site_dir, inputs)
    if why is None:
        return None
    line, col, value = setting(config, "site_dir")
    if value is None or os.path.realpath(config.parent / value) != os.path.realpath(site_dir):
        line = col = 0  # not the value mkdocs.yml gives (`mkdocs build -d DIR`): no line to point at
    return Problem(
        str(config),
        line,
        col,
        "site_dir",
        f"`{shown}` {why}: a build empties and replaces its site_dir, so it must be a folder of its own; "
        "expected one outside the folders the site is built from, such as `site`",
    )
