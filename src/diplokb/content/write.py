"""Writing an editor's file safely: every byte of it is theirs.

:func:`writable_target` says which file a write may change (a symbolic link's target inside the
same folder; a read-only file is refused); :func:`replace_bytes` replaces its content atomically
(through a temporary file and ``os.replace``), or in place when other hard links share the file,
with the space reserved first and the original put back on any failure. Whatever is written is read
back before it counts as written.
Problems are :class:`~diplokb.errors.ContentError` messages, never tracebacks.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from ..errors import ContentError, Problem


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and ``os.replace``; the original survives any failure.

    The temporary file is read back before it replaces the original: a write the disk only pretended
    to take (full, failing) is found there, not in the editor's file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        try:
            _write_all(fd, data, 0)
            os.fsync(fd)
            _verify(fd, data)
        finally:
            os.close(fd)
        with contextlib.suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _write_all(fd: int, data: bytes, offset: int) -> None:
    """``data`` at ``offset``, however many calls the system needs; an error as the system gives it."""
    view = memoryview(data)
    while view:
        os.lseek(fd, offset, os.SEEK_SET)
        n = os.write(fd, view)
        view, offset = view[n:], offset + n


def _verify(fd: int, data: bytes) -> None:
    """The file holds exactly ``data``, read back from the disk's side."""
    if os.fstat(fd).st_size != len(data) or os.pread(fd, len(data) + 1, 0) != data:
        raise OSError(errno.EIO, "what was written reads back differently")


def _rewrite_in_place(target: Path, data: bytes) -> None:
    """Rewrite a file that other hard links share, so that a failure leaves its text as it was.

    A replace would cut the other links off, so the bytes are written into the file itself. A full
    disk must not leave it half-rewritten: a copy of the original goes beside it first (if even that
    cannot be written, nothing was touched), the space the new text needs is reserved before a byte
    of it is written (``posix_fallocate``), and what was written is read back. On any failure the
    original text is written back and read back; only if that fails too is the file reported
    damaged, with where its original text is.
    """
    old = target.read_bytes()
    backup_fd, backup = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".orig.tmp", dir=target.parent)
    try:
        try:
            _write_all(backup_fd, old, 0)
            os.fsync(backup_fd)
            _verify(backup_fd, old)
        finally:
            os.close(backup_fd)
        fd = os.open(target, os.O_RDWR)
    except BaseException:
        os.unlink(backup)
        raise
    kept = False
    try:
        if len(data) > len(old):
            try:
                os.posix_fallocate(fd, 0, len(data))
            except OSError:
                with contextlib.suppress(OSError):  # (an emulated fallocate may have grown it with zeros)
                    if os.fstat(fd).st_size != len(old):
                        os.ftruncate(fd, len(old))
                raise
        try:
            _write_all(fd, data, 0)
            os.ftruncate(fd, len(data))
            os.fsync(fd)
            _verify(fd, data)
        except OSError as exc:
            try:
                _write_all(fd, old, 0)
                os.ftruncate(fd, len(old))
                os.fsync(fd)
                _verify(fd, old)
            except OSError:
                kept = True
                raise ContentError(
                    Problem(
                        str(target),
                        0,
                        0,
                        "",
                        f"cannot write: {exc.strerror or exc}; the file could not be put back as it was: its original text is in {backup}",
                    )
                ) from None
            raise
    finally:
        os.close(fd)
        if not kept:
            os.unlink(backup)


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
            _rewrite_in_place(target, data)
        else:
            atomic_write(target, data)
    except OSError as exc:
        raise ContentError(Problem(str(target), 0, 0, "", f"cannot write: {exc.strerror or exc}; the file is unchanged")) from None
