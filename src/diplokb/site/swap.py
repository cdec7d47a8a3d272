"""Putting a freshly built site in place of the last one, so that ``site/`` exists at every instant.

The new site is built in a staging folder beside ``site_dir`` (``.site.building-*``), made as a
plain ``mkdir`` makes a folder (0777 less the umask, as MkDocs' own folders are: a web server
running as another user can read it), not with a temporary folder's 0700. On success the two
folders are exchanged in one step (Linux ``renameat2(RENAME_EXCHANGE)``), and the old site, now
under the staging name, is deleted. Where the system or the file system cannot exchange, the swap
is two renames (the old site aside into ``.site.old-*``, the new one in): a build killed between
them leaves no ``site/``, and the next build puts the old site back (:func:`recover`) before
anything else, so a failed next build still leaves the last good site.

Builds running at the same time hold a shared lock on the folder holding the site; a build that
can take it alone knows every staging or old folder there is left over from a killed build.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import glob
import os
import secrets
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no locks, so leftovers are not cleaned (never deleted wrongly)
    fcntl = None  # type: ignore[assignment]

from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger("diplokb")

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_CANNOT_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EPERM}


def _renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28+, musl 1.2.2+
    except (AttributeError, OSError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


_EXCHANGE = _renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap the folders ``a`` and ``b`` in one step; False where this system or file system cannot (nothing moved)."""
    if _EXCHANGE is None:
        return False
    if _EXCHANGE(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in _CANNOT_EXCHANGE:
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def make_staging(final: Path) -> Path:
    """A new, empty folder beside ``final`` for a build to write, with the mode ``mkdir`` gives under the umask."""
    for _ in range(100):
        path = final.parent / f".{final.name}.building-{secrets.token_hex(4)}"
        try:
            os.mkdir(path, 0o777)  # the umask applies, as to every folder MkDocs makes in it
        except FileExistsError:
            continue
        return path
    raise FileExistsError(errno.EEXIST, "no free name for a staging folder", str(final.parent))


class Lock:
    """The lock on the folder holding the site: shared by running builds, taken alone to clean up after killed ones."""

    def __init__(self, folder: Path) -> None:
        self.fd: int | None = None
        if fcntl is not None:
            try:
                self.fd = os.open(folder, os.O_RDONLY)
            except OSError:
                self.fd = None

    def alone(self) -> bool:
        """Take the lock alone if no other build holds it (it is kept until :meth:`share` or :meth:`release`)."""
        if self.fd is None:
            return False
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another build runs (or the file system has no locks): leave everything as it is
            return False
        return True

    def share(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):  # no locks on this file system: nothing is cleaned up, nothing wrongly
                fcntl.flock(self.fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing lets the lock go; so does the end of the process, however it ends
            self.fd = None


def recover(final: Path) -> None:
    """After a killed build: put the last site back if a swap was killed between its renames, give ``final`` back
    the hidden entries (a gh-pages ``.git``) a killed swap had moved out, and delete the leftover folders.
    Done only when no other build is running (it could be using them)."""
    pattern = f".{glob.escape(final.name)}."
    leftovers = sorted(final.parent.glob(pattern + "old-*")) + sorted(final.parent.glob(pattern + "building-*"))
    if not leftovers:
        return
    lock = Lock(final.parent)
    try:
        if not lock.alone():
            return
        for left in leftovers:
            old = left / final.name
            if left.name.startswith(f".{final.name}.old-") and old.is_dir() and not final.exists() and not final.is_symlink():
                os.rename(old, final)
                log.info(f"put the last good site back in {final} (a build was stopped while it swapped the site)")
            if final.is_dir() and not final.is_symlink():
                _give_back_hidden(left, final)
                if old.is_dir():
                    _give_back_hidden(old, final)
            shutil.rmtree(left, ignore_errors=True)
    finally:
        lock.release()


def _give_back_hidden(folder: Path, final: Path) -> None:
    for entry in folder.iterdir():
        if entry.name.startswith(".") and not (final / entry.name).exists():
            os.rename(entry, final / entry.name)


def swap(staging: Path, final: Path) -> None:
    """Put the freshly built ``staging`` folder in place of ``final``, keeping ``final``'s hidden entries (``.git``...)."""
    if final.is_dir() and not final.is_symlink():
        # MkDocs' clean keeps dot-files in site_dir (a gh-pages checkout's .git); so does the swap: they are moved
        # into the new site once it is in place (killed before that, the next build gives them back: see recover).
        if exchange(staging, final):  # site/ is the new site, staging the old one: no instant without site/
            _give_back_hidden(staging, final)
            shutil.rmtree(staging, ignore_errors=True)
            return
        old = final.parent / f".{final.name}.old-{secrets.token_hex(4)}"
        os.mkdir(old, 0o700)
        try:
            os.rename(final, old / final.name)
            os.rename(staging, final)  # (killed before this line: the next build puts the old site back)
        except OSError:  # a mount point or the like cannot be renamed: copy over it instead (dot-files stay)
            if not final.exists():
                os.rename(old / final.name, final)
            _copy_over(staging, final)
            shutil.rmtree(staging, ignore_errors=True)
        else:
            _give_back_hidden(old / final.name, final)
        shutil.rmtree(old, ignore_errors=True)
    elif final.exists() or final.is_symlink():  # a symlink to the real site folder: write through it
        _copy_over(staging, final)
        shutil.rmtree(staging, ignore_errors=True)
    else:
        os.rename(staging, final)


def _copy_over(src: Path, dest: Path) -> None:
    for entry in dest.iterdir():
        if not entry.name.startswith("."):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    shutil.copytree(src, dest, symlinks=True, dirs_exist_ok=True)
