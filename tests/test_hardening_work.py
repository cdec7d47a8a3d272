"""Issue 23, the cases that take work or lose data: pathological essays (3, 4), misspelt pins (5),
`new case-study` on odd line breaks (6) and a full disk (7), duplicate keys in essays.yaml (15),
impossible dates (16), quotes that name nothing of their case, `suggest` and renamed essays (19).

Each runs the real code in a private copy of the project; work bounded by size is checked by
counting, never by timing (the timings are in bench/pathological.py and bench/README.md).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
import yaml

from diplokb.commands import cli, new
from diplokb.content.yamlsafe import compose
from diplokb.errors import ContentError

FR = "military-diplomacy-and-foreign-relations"
AU_QUOTE = "The African Union\u2019s peacekeeping missions also reflect effective military diplomacy."


# -- 6. `new case-study` finds its place by YAML's own lines ------------------------------------

NAVAL = (
    "title: Naval diplomacy\n"
    'summary: "Navies as envoys.<LS>Two sentences."\n'
    "terms: [port visit]\n"
    "case_studies:\n"
    "  - name: Port visit A\n"
    "    summary: One visit.\n"
    "related:\n"
    "  - alliances\n"
)


def _breaks(text: str, how: str) -> str:
    """The topic file written with the line breaks an editor's tools might leave."""
    lines = text.split("\n")
    if how == "lf":
        return text
    if how == "crlf-one":  # one CRLF line among LF lines
        return "\n".join(ln + ("\r" if i == 1 else "") for i, ln in enumerate(lines))
    if how == "mixed":  # every other line CRLF
        return "\n".join(ln + ("\r" if i % 2 and i < len(lines) - 1 else "") for i, ln in enumerate(lines))
    if how == "cr":  # classic Mac: lone CR
        return text.replace("\n", "\r")
    if how == "crlf":
        return text.replace("\n", "\r\n")
    raise AssertionError(how)


def _as_data(node: object) -> object:
    return yaml.safe_load(yaml.serialize(node)) if node is not None else None


def _inserted(before: bytes, after: bytes) -> bytes:
    """The bytes added, when ``after`` is ``before`` with one run of bytes inserted (else fail)."""
    k = 0
    while k < len(before) and before[k] == after[k]:
        k += 1
    added = len(after) - len(before)
    assert added > 0 and after[k + added :] == before[k:], "the change is not one insertion"
    return after[k : k + added]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", " "])
@pytest.mark.parametrize("how", ["lf", "crlf", "crlf-one", "mixed", "cr"])
@pytest.mark.parametrize("filled", [True, False])
def test_new_case_study_on_any_line_breaks(project: Path, how: str, separator: str, filled: bool) -> None:
    """Issue case 6: with mixed CRLF/LF, lone CR or a U+2028 in a quoted summary, the entry lands in case_studies, every byte kept."""
    path = project / "content/topics/naval.yaml"
    path.write_bytes(_breaks(NAVAL.replace("<LS>", separator), how).encode("utf-8"))
    before = path.read_bytes()
    old = _as_data(compose(str(path), before.decode("utf-8")))
    if filled:
        new.add_case_study(path, name="AU peacekeeping", essay=FR, quote=AU_QUOTE, seeds_dir=project / "seeds")
    else:
        new.add_case_study(path)
    after = path.read_bytes()
    added = _inserted(before, after)
    data = _as_data(compose(str(path), after.decode("utf-8")))
    assert isinstance(old, dict) and isinstance(data, dict)
    assert data["related"] == ["alliances"] and data["summary"] == old["summary"]
    if filled:
        assert [c["name"] for c in data["case_studies"]] == ["Port visit A", "AU peacekeeping"]
        assert data["case_studies"][1]["source"] == {"essay": FR, "quote": AU_QUOTE}
    else:
        assert data == old and b"# --- new case study" in added
    usual = {"cr": b"\r", "crlf": b"\r\n"}.get(how, b"\n")
    assert added.count(usual) == added.count(b"\n" if usual == b"\r\n" else usual)  # written with the file's own breaks


def test_new_case_study_refuses_where_it_cannot_tell(project: Path) -> None:
    """Issue case 6: where the end of the list cannot be told from a comment (a block text ending in `# ...`), the file is refused, unchanged."""
    path = project / "content/topics/naval.yaml"
    path.write_text(
        "title: Naval\nsummary: Navies.\nterms: [port visit]\ncase_studies:\n  - name: A\n    summary: |\n      text\n      # not a comment\nrelated: [alliances]\n",
        encoding="utf-8",
    )
    before = path.read_bytes()
    with pytest.raises(ContentError) as info:
        new.add_case_study(path)
    assert "naval.yaml:4:1: case_studies: cannot tell where to add the case study" in str(info.value)
    assert "the file is unchanged" in str(info.value)
    assert path.read_bytes() == before


# -- 7. A full disk while rewriting a hard-linked topic file ------------------------------------


def _enospc_after(monkeypatch: pytest.MonkeyPatch, target: Path, allowed: int, *, once: bool) -> None:
    """``os.write`` to ``target``'s inode fails with ENOSPC once ``allowed`` bytes went in (a disk filling up)."""
    real = os.write
    inode = target.stat().st_ino
    state = {"written": 0, "failed": False}

    def write(fd: int, data: bytes | memoryview) -> int:
        if os.fstat(fd).st_ino != inode or (once and state["failed"]):
            return real(fd, data)
        room = allowed - state["written"]
        if room <= 0:
            state["failed"] = True
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        n = real(fd, bytes(data[:room]))
        state["written"] += n
        return n

    monkeypatch.setattr(os, "write", write)


@pytest.fixture
def linked(project: Path, tmp_path: Path) -> tuple[Path, Path, bytes]:
    path = project / "content/topics/peacekeeping.yaml"
    twin = tmp_path / "twin.yaml"
    os.link(path, twin)
    return path, twin, path.read_bytes()


def _run_new(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    monkeypatch.chdir(project)
    code = cli.main(["new", "case-study", "--topic", "peacekeeping"])
    return code, capsys.readouterr().err


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_full_disk_mid_write_puts_hard_linked_file_back(
    linked: tuple[Path, Path, bytes], project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue case 7: ENOSPC after 100 bytes of the in-place rewrite: the original text is written back, and the message says unchanged truthfully."""
    path, twin, before = linked
    _enospc_after(monkeypatch, path, 100, once=True)
    code, err = _run_new(project, monkeypatch, capsys)
    assert code == 1 and "peacekeeping.yaml: cannot write: No space left on device; the file is unchanged" in err
    assert path.read_bytes() == before == twin.read_bytes() and path.stat().st_nlink == 2
    assert _leftovers(path.parent) == [] and "Traceback" not in err


def test_full_disk_reserving_space_touches_nothing(
    linked: tuple[Path, Path, bytes], project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue case 7: no room for the longer text (posix_fallocate fails): not a byte of the file is written."""
    path, twin, before = linked
    writes: list[int] = []
    real = os.write

    def no_room(fd: int, offset: int, length: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def counting(fd: int, data: bytes | memoryview) -> int:
        if os.fstat(fd).st_ino == path.stat().st_ino:
            writes.append(len(data))
        return real(fd, data)

    monkeypatch.setattr(os, "posix_fallocate", no_room)
    monkeypatch.setattr(os, "write", counting)
    code, err = _run_new(project, monkeypatch, capsys)
    assert code == 1 and "cannot write: No space left on device; the file is unchanged" in err
    assert writes == [] and path.read_bytes() == before == twin.read_bytes() and _leftovers(path.parent) == []


def test_full_disk_that_cannot_be_undone_says_where_the_original_is(
    linked: tuple[Path, Path, bytes], project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue case 7: when even writing the original back fails, the message says so and names the copy holding it."""
    path, _twin, before = linked
    _enospc_after(monkeypatch, path, 100, once=False)
    code, err = _run_new(project, monkeypatch, capsys)
    assert code == 1 and "the file could not be put back as it was: its original text is in" in err
    assert "unchanged" not in err
    (copy,) = _leftovers(path.parent)
    assert copy in err and (path.parent / copy).read_bytes() == before


def test_write_is_read_back_before_replacing(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue case 7: a write the disk only pretended to take (short on read-back) never replaces the file."""
    path = project / "content/topics/peacekeeping.yaml"
    before = path.read_bytes()
    real = os.write

    def lossy(fd: int, data: bytes | memoryview) -> int:  # claims every byte, keeps all but the last
        real(fd, bytes(data[:-1]))
        return len(data)

    monkeypatch.setattr(os, "write", lossy)
    with pytest.raises(ContentError, match="cannot write: what was written reads back differently; the file is unchanged"):
        new.add_case_study(path)
    assert path.read_bytes() == before and _leftovers(path.parent) == []
    assert stat.S_IMODE(path.stat().st_mode) & 0o200
