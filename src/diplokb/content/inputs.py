"""Reading content files safely: inside their folder, regular files, bounded in size, UTF-8 text.

diplokb trusts nothing in ``seeds/`` and ``content/``: a symbolic link leading out of its folder
is refused (it could publish ``/etc/passwd`` or a CI secret), a file over its size limit is
refused before it is read, and an essay must be text: UTF-8 (a UTF-16 file with a byte-order mark
is decoded, with a warning), with no NUL byte.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import ContentError, Problem, Report

MAX_ESSAY_BYTES = 5 * 1024 * 1024
MAX_TOPIC_BYTES = 2 * 1024 * 1024


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def folder_problem(folder: Path) -> Problem | None:
    """Why ``folder`` cannot be read as an input folder (a symbolic link out of the project, a loop, a link to
    nothing, no permission to list it), or None: it reads, or is simply not there (the caller says what that means)."""
    try:
        if folder.is_symlink() and not folder.resolve(strict=True).is_relative_to(folder.parent.resolve()):
            return Problem(str(folder), 0, 0, "", "symbolic link to a folder outside the project: refused; put the files here instead")
        if folder.is_dir():
            os.scandir(folder).close()
    except (OSError, RuntimeError) as exc:  # RuntimeError: pathlib's loop before Python 3.13
        return Problem(str(folder), 0, 0, "", f"cannot read the folder: {_why(exc)}")
    return None


def entry_problem(p: Path, folder: Path, what: str) -> tuple[bool, Problem | None]:
    """Whether the file ``p`` in ``folder`` is to be read as ``what``, and the problem with it if any.

    A symbolic link out of ``folder`` and one that cannot be followed (a loop) are errors; a link
    to nothing in the folder is a warning (it would otherwise vanish from the site without a word);
    a folder, a FIFO or the like is not a content file."""
    try:
        if p.is_symlink():
            try:
                target = p.resolve(strict=True)
            except FileNotFoundError:
                target = None
            if not (target or p.resolve()).is_relative_to(folder.resolve()):
                return False, Problem(
                    str(p), 0, 0, "", f"symbolic link to a file outside {folder}: refused; copy the file into {folder} instead"
                )
            if target is None:
                to = os.readlink(p)
                return False, Problem(
                    str(p), 0, 0, "", f"symbolic link to nothing (`{to}` is not there), so not {what}: fix or remove the link", "warning"
                )
        if not p.is_file():  # a folder, a FIFO: not a content file
            return False, None
    except (OSError, RuntimeError) as exc:  # a loop, no permission, a file gone while listing
        return False, Problem(str(p), 0, 0, "", f"cannot read: {_why(exc)}")
    return True, None


def optional_file(path: Path, what: str) -> tuple[bool, Problem | None]:
    """Whether the optional file ``path`` (such as ``seeds/essays.yaml``) is there to be read, and the problem with it."""
    try:
        if not path.is_symlink() and not path.exists():
            return False, None
    except OSError as exc:  # its folder cannot be searched
        return False, unreadable(exc)
    return entry_problem(path, path.parent, what)


def listing(folder: Path, suffixes: Iterable[str], what: str) -> tuple[list[Path], list[Problem]]:
    """The ``what`` files (by suffix) directly in ``folder``, sorted; problems for the ones refused or skipped.

    Hidden files (editor locks and backups such as ``.#essay.txt``) are skipped silently; macOS
    ``._`` metadata files with a warning; a symbolic link whose target is outside ``folder`` or that
    cannot be followed is an error, one to nothing a warning (see :func:`entry_problem`).
    """
    suffixes = tuple(suffixes)
    bad = folder_problem(folder)
    if bad is not None:
        return [], [bad]
    if not folder.is_dir():
        return [], []
    files: list[Path] = []
    problems: list[Problem] = []
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        return [], [Problem(str(folder), 0, 0, "", f"cannot list the folder: {exc.strerror or exc}")]
    for p in entries:
        if p.suffix.lower() not in suffixes:
            continue
        if p.name.startswith("._"):
            problems.append(Problem(str(p), 0, 0, "", f"macOS metadata file, not {what}: skipped (delete it)", "warning"))
            continue
        if p.name.startswith("."):
            continue
        read, problem = entry_problem(p, folder, what)
        if problem is not None:
            problems.append(problem)
        if read:
            files.append(p)
    return files, problems


def links_out(folder: Path) -> list[Problem]:
    """Errors for every symbolic link under ``folder`` (a file or a folder, at any depth) that leads out of it.

    MkDocs publishes every file of its ``docs_dir`` and follows links to folders: a link there to
    ``/etc/passwd``, ``/proc/self/environ`` or the project's own ``.git/config`` (which holds CI's
    token) would be published. Links inside the folder are fine; a loop or an unreadable link is
    an error too, never a traceback."""
    bad = folder_problem(folder)
    if bad is not None:
        return [bad]
    if not folder.is_dir():
        return []
    root = folder.resolve()
    problems: list[Problem] = []

    def unreadable(exc: OSError) -> None:
        problems.append(Problem(str(exc.filename or folder), 0, 0, "", f"cannot read: {exc.strerror or exc}"))

    for dirpath, dirs, names in os.walk(folder, onerror=unreadable):
        for name in dirs + names:
            path = Path(dirpath) / name
            if not path.is_symlink():
                continue
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError) as exc:  # a loop, or a link to nothing
                problems.append(Problem(str(path), 0, 0, "", f"symbolic link that cannot be followed ({_why(exc)}): remove or fix it"))
                continue
            if not target.is_relative_to(root):
                problems.append(
                    Problem(
                        str(path),
                        0,
                        0,
                        "",
                        f"symbolic link to {'a folder' if target.is_dir() else 'a file'} outside {folder}: refused; copy what it should publish into {folder} instead",
                    )
                )
    return problems


def unreadable(exc: OSError) -> Problem:
    """A file that vanished or cannot be read, as a problem naming it."""
    return Problem(str(exc.filename or ""), 0, 0, "", f"cannot read: {_why(exc)}")


def _why(exc: BaseException) -> str:
    if isinstance(exc, RuntimeError):  # pathlib's "Symlink loop from ..."
        return "a loop of symbolic links"
    if isinstance(exc, OSError) and exc.errno == errno.ELOOP:
        return "a loop of symbolic links"
    if isinstance(exc, FileNotFoundError):
        return "it points to nothing"
    return str(getattr(exc, "strerror", None) or exc)


def read_limited(path: Path, limit: int, what: str) -> bytes:
    """The bytes of ``path``, refused (as a :class:`ContentError`) over ``limit`` bytes or when unreadable."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise ContentError(
                Problem(
                    str(path),
                    0,
                    0,
                    "",
                    f"{what} is {size} bytes ({_mb(size)}), over the {limit}-byte limit ({_mb(limit)}); split it or shorten it",
                )
            )
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise ContentError(Problem(str(path), 0, 0, "", f"cannot read: {exc.strerror or exc}")) from None
    if len(data) > limit:  # grew while we read it
        raise ContentError(Problem(str(path), 0, 0, "", f"{what} is over the {_mb(limit)} limit"))
    return data


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    return data.count(b"\n", 0, offset) + 1, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def decode_essay(path: str, data: bytes) -> tuple[str, list[Problem]]:
    """Essay bytes -> text. UTF-8 (a BOM is dropped), or UTF-16 with a BOM (with a warning); else an error."""
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                text = data[2:].decode(codec)
            except UnicodeDecodeError as exc:
                raise ContentError(Problem(path, 0, 0, "", f"starts like UTF-16 but is not ({exc.reason}); save it as UTF-8")) from None
            if "\x00" in text:
                raise ContentError(Problem(path, 0, 0, "", "NUL character in UTF-16 text; essays must be text"))
            note = Problem(path, 1, 1, "", "decoded as UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8", "warning")
            return text, [note]
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _line_col(data, nul)
        raise ContentError(
            Problem(
                path,
                line,
                col,
                "",
                f"NUL byte at byte offset {nul}: a binary file (or UTF-16 without a byte-order mark), not an essay; essays must be UTF-8 text",
            )
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        raise ContentError(
            Problem(path, line, col, "", f"byte 0x{data[exc.start]:02x} at byte offset {exc.start} is not UTF-8; save the essay as UTF-8")
        ) from None
    return (text[1:] if text.startswith("\ufeff") else text), []


def topic_files(content_dir: Path, report: Report | None = None) -> list[Path]:
    """The topic files in ``content_dir/topics``; links out of the folder and the like go to ``report``."""
    files, problems = listing(content_dir / "topics", (".yaml", ".yml"), "a topic file")
    if report is not None:
        report.problems.extend(problems)
    return files
