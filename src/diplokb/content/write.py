"""Writing an editor's file safely: every byte of it is theirs.

:func:`writable_target` says which file a write may change (a symbolic link's target inside the
same folder; a read-only file is refused); :func:`replace_bytes` replaces its content atomically
(through a temporary file and ``os.replace``), or in place when other hard links share the file.
Problems are :class:`~diplokb.errors.ContentError` messages, never tracebacks.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ..errors import ContentError, Problem


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


def writable_target(path: Path) -> Path:
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


def replace_bytes(target: Path, data: bytes) -> None:
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
