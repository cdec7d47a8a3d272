"""Issue 23, the cases that take work or lose data: pathological essays (3, 4), misspelt pins (5),
`new case-study` on odd line breaks (6) and a full disk (7), duplicate keys in essays.yaml (15),
impossible dates (16), quotes that name nothing of their case, `suggest` and renamed essays (19).

Each runs the real code in a private copy of the project; work bounded by size is checked by
counting, never by timing (the timings are in bench/pathological.py and bench/README.md).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

import pytest
import yaml

from diplokb.commands import cli, new
from diplokb.content.yamlsafe import compose
from diplokb.errors import ContentError
from diplokb.match import TermMatcher
from diplokb.text import UniqueSlugs

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
        line = new.add_case_study(path, name="AU peacekeeping", essay=FR, quote=AU_QUOTE, seeds_dir=project / "seeds")
    else:
        line = new.add_case_study(path)
    after = path.read_bytes()
    said = new._lines(after.decode("utf-8"))[line - 1][0].lstrip()  # the line it reports, as YAML and editors count lines
    assert said.startswith('- name: "AU peacekeeping"' if filled else "# --- new case study")
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


@pytest.mark.parametrize(
    "text", ["title: Naval\nsummary: Navies.\nterms: [port visit]", "title: Naval\r\nsummary: Navies.\r\nterms: [x]\r\n", ""]
)
@pytest.mark.parametrize("filled", [True, False])
def test_new_case_study_without_the_key_reports_its_line(project: Path, text: str, filled: bool) -> None:
    """A file without `case_studies:` (ending in a line break or not) gets the key and the entry; the line reported is the entry's."""
    path = project / "content/topics/naval.yaml"
    path.write_bytes(text.encode("utf-8"))
    if filled:
        line = new.add_case_study(path, name="AU peacekeeping", essay=FR, quote=AU_QUOTE, seeds_dir=project / "seeds")
    else:
        line = new.add_case_study(path)
    after = path.read_bytes()
    assert after.startswith(text.encode("utf-8"))
    said = new._lines(after.decode("utf-8"))[line - 1][0]
    assert said.startswith('  - name: "AU peacekeeping"' if filled else "# --- new case study"), (line, after)


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


# -- 3, 4. Pathological essays: work in proportion to the input ---------------------------------


class _CountingSet(set[str]):
    looks = 0

    def __contains__(self, item: object) -> bool:
        _CountingSet.looks += 1
        return super().__contains__(item)


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["Overview"] * 4, ["overview", "overview-2", "overview-3", "overview-4"]),
        (["A", "A-2", "A", "A"], ["a", "a-2", "a-3", "a-4"]),
        (["B-2", "B", "B"], ["b-2", "b", "b-3"]),
    ],
)
def test_unique_slugs_as_before(texts: list[str], expected: list[str]) -> None:
    """Issue case 3: slugs stay what they were (the first free `-n`), however the names repeat."""
    uniq = UniqueSlugs()
    assert [uniq(t) for t in texts] == expected


def test_unique_slugs_linear_in_repeats() -> None:
    """Issue case 3: n copies of one heading cost about n look-ups, not n^2/2 (an essay repeating a heading)."""
    uniq = UniqueSlugs()
    uniq.taken = _CountingSet()
    _CountingSet.looks = 0
    n = 2000
    ids = [uniq("Overview") for _ in range(n)]
    assert len(set(ids)) == n and ids[-1] == f"overview-{n}"
    assert _CountingSet.looks <= 2 * n


def test_title_echo_reads_words_near_each_mention(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue case 4: a long title line is tokenised near each mention only: characters read grow with the title, not its square."""
    from diplokb.stages import route as route_mod

    read = {"chars": 0}
    real = route_mod._words

    def counting(text: str) -> list[str]:
        read["chars"] += len(text)
        return real(text)

    monkeypatch.setattr(route_mod, "_words", counting)
    matcher = TermMatcher([("peacekeeping", "peacekeeping"), ("alliance", "alliances")])
    for reps in (100, 1000):
        read["chars"] = 0
        title = " ".join(["Peacekeeping and alliances in the long run"] * reps)
        phrase = route_mod._TitlePhrase(matcher, title)
        assert ("and", "alliances") in phrase.context["peacekeeping"][1]  # the words after it, as before
        assert read["chars"] <= 6 * len(title)


@pytest.mark.parametrize(
    "text",
    [
        "1. The Role of Attachés\n\nParagraph one.\n\n2. Training\n\nParagraph two.\n",
        "Intro:\n\n1. First item\n2. Second item\n\nProse after.\n",
        "1. Heading at the end\n\n\n",
        "Title\n\n3. Alone\n\n- a list\n",
    ],
)
def test_numbered_headings_read_as_before(text: str) -> None:
    """Issue case 3: the next non-blank line comes from an index; what is a numbered heading does not change."""
    from diplokb.stages.parse import _next_nonblank

    lines = text.split("\n")
    idx = _next_nonblank(lines)
    for i in range(len(lines)):
        slow = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), len(lines))
        assert idx[i] == slow


def test_pathological_bench_runs(tmp_path: Path) -> None:
    """The bench of pathological shapes runs every shape (tiny sizes here; bench/README.md has the real figures)."""
    import io
    from contextlib import redirect_stdout

    from bench import pathological

    out = io.StringIO()
    with redirect_stdout(out):
        assert pathological.main(["--n", "20", "--shapes", ",".join(pathological.SHAPES)]) == 0
    rows = [ln for ln in out.getvalue().splitlines() if ln.startswith("| ") and "x)" in ln]
    assert [r.split("|")[1].strip() for r in rows] == pathological.SHAPES


# -- 5. Misspelt pins against an essay of thousands of sections ---------------------------------


def test_misspelt_pins_compare_few_candidates(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue case 5: each misspelt pin is compared with a handful of section ids, not all 3,000, and still gets its hint."""
    import difflib

    from bench.pathological import essay_headings

    from diplokb import pipeline

    (project / "seeds/many.txt").write_text(essay_headings(3000), encoding="utf-8")
    pins = "".join(f"  - many#heading-{i}x\n" for i in range(1, 3000, 10)) + "  - Heading 12x\n"  # ("Heading 0" is the title)
    (project / "content/topics/pins.yaml").write_text(f"title: Pins\nsummary: Pins.\nterms: [pinned thing]\npin:\n{pins}", encoding="utf-8")
    sizes: list[int] = []
    real = difflib.get_close_matches

    def counting(word: str, possibilities: list[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
        sizes.append(len(possibilities))
        return real(word, possibilities, n, cutoff)

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    loaded = pipeline.check(project / "content", project / "seeds")
    hints = [str(w) for w in loaded.warnings if "pins.yaml" in w.path]
    assert len(hints) == 301
    assert "pins.yaml:5:5: pin[0]: `many#heading-1x` names no section" in hints[0] and "did you mean `many#heading-1`?" in hints[0]
    assert "did you mean `many#heading-2991`?" in hints[299]
    assert "did you mean `Heading 12`?" in hints[300]
    assert max(sizes) <= 200 and sum(sizes) <= 20 * len(sizes)


# -- 15. Duplicate keys in seeds/essays.yaml ------------------------------------------------------


def _problems(project: Path) -> tuple[list[str], list[str]]:
    """(errors, warnings) of `check`, as printed."""
    from diplokb import pipeline

    try:
        loaded = pipeline.check(project / "content", project / "seeds")
    except ContentError as exc:
        return [str(p) for p in exc.problems], []
    return [], [str(w) for w in loaded.warnings]


@pytest.mark.parametrize(
    ("extra", "line"),
    [(f"{FR}:\n  title: Again\n", 7), ("Military-Diplomacy-and-Foreign-Relations:\n  title: Cased\n", 7)],
)
def test_essays_yaml_duplicate_keys_refused(project: Path, extra: str, line: int) -> None:
    """Issue case 15: an essay named twice in essays.yaml (or twice under names that make one page) is an error with both lines."""
    path = project / "seeds/essays.yaml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    errors, _ = _problems(project)
    key = extra.split(":")[0]
    assert errors == [f"{path}:{line}:1: {key}: duplicate key `{key}` (lines 3 and {line}); keep one"]


# -- 16. Dates that cannot be true ----------------------------------------------------------------

KFOR_QUOTE = "NATO's involvement in Kosovo through the KFOR mission"


def _dated_topic(years: str, as_of: str = "", date: str = "2023-11-20", quote: str = KFOR_QUOTE, name: str = "KFOR") -> str:
    return (
        "title: Naval diplomacy\nsummary: Navies as envoys.\nterms: [port visit]\ncase_studies:\n"
        f"  - name: {name}\n"
        f'    years: "{years}"\n'
        + (f"    as_of: {as_of}\n" if as_of else "")
        + "    actors: [NATO]\n    places: [Kosovo]\n    summary: A case [1].\n"
        f'    source: {{essay: {FR}, quote: "{quote}"}}\n'
        f"    references:\n      - {{title: T, publisher: P, date: {date}, url: 'https://www.nato.int/'}}\n"
    )


@pytest.mark.parametrize(
    ("years", "as_of", "date", "severity", "field", "message"),
    [
        ("1999-present", "2026-02-30", "2023-11-20", "error", "as_of", "`2026-02-30` is not a date: February 2026 has 28 days"),
        ("1999-2004", "", "2023-02-29", "error", "references[0].date", "`2023-02-29` is not a date: February 2023 has 28 days"),
        ("1999-2004", "", "2999-01-01", "error", "references[0].date", "`2999-01-01` is in the future"),
        ("2010-2001", "", "2023-11-20", "error", "years", "`2010-2001` ends (2001) before it starts (2010); write the earlier year first"),
        ("0001-9999", "", "2023-11-20", "error", "years", "`0001-9999` names the year 9999, after"),
        ("0001-2004", "", "2023-11-20", "warning", "years", "`0001-2004` names the year 1, before 1500"),
        ("1700-1990", "", "2023-11-20", "warning", "years", "`1700-1990` spans 290 years, more than 150"),
        ("1999-ongoing", "", "2023-11-20", "error", "as_of", "`1999-ongoing` is ongoing: add `as_of:`"),
        ("2005-present", "2001-05-01", "2023-11-20", "error", "years", "`2001-05-01` is before the case began (2005)"),
    ],
)
def test_impossible_dates(project: Path, years: str, as_of: str, date: str, severity: str, field: str, message: str) -> None:
    """Issue case 16: impossible days, reversed or absurd years and ongoing cases without as_of: path:line:col, field, what is wrong."""
    path = project / "content/topics/naval.yaml"
    text = _dated_topic(years, as_of, date)
    path.write_text(text, encoding="utf-8")
    errors, warnings = _problems(project)
    found = [p for p in (errors if severity == "error" else warnings) if message in p]
    assert len(found) == 1, errors + warnings
    key = field.split(".")[-1].split("[")[0]
    if key == "as_of" and not as_of:
        key = "years"  # a missing as_of is reported where the years say it is ongoing
    line = next(i for i, ln in enumerate(text.split("\n"), 1) if f"{key}:" in ln)
    assert found[0].startswith(f"{path}:{line}:") and f": case_studies[0].{field}: " in found[0]


def test_plausible_dates_pass(project: Path) -> None:
    """The checks leave ordinary dates alone: a leap day, an ongoing case checked today, a span of decades."""
    path = project / "content/topics/naval.yaml"
    path.write_text(_dated_topic("1949-present", "2024-02-29", "2024-02-29"), encoding="utf-8")
    assert _problems(project) == ([], [])


# -- 19. A quote about something else, suggest's known names, renamed essays ---------------------


@pytest.mark.parametrize(
    ("name", "actors", "places", "quote", "warned"),
    [
        ("UN Mission in South Sudan", "[United Nations]", "[South Sudan]", AU_QUOTE, True),
        ("KFOR", "[NATO]", "[Kosovo]", KFOR_QUOTE, False),  # names all three
        ("Kosovo Force", "[]", "[]", KFOR_QUOTE, False),  # a word of its name
        ("Peacekeeping mission", "[]", "[]", AU_QUOTE, False),  # nothing to tell it by: not judged
        ("Mission of the African Union", "[]", "[Somalia]", AU_QUOTE, False),
    ],
)
def test_quote_names_its_case(project: Path, name: str, actors: str, places: str, quote: str, warned: bool) -> None:
    """Issue case 19: a quote that names none of the case's name words, actors or places is a warning at the quote."""
    path = project / "content/topics/naval.yaml"
    text = _dated_topic("2011-2013", quote=quote, name=name).replace("[NATO]", actors).replace("[Kosovo]", places)
    path.write_text(text, encoding="utf-8")
    errors, warnings = _problems(project)
    assert errors == []
    line = next(i for i, ln in enumerate(text.split("\n"), 1) if "quote:" in ln)
    expected = f"{path}:{line}:"
    hits = [w for w in warnings if "the quote names none of its name's words, actors or places" in w]
    assert (hits and hits[0].startswith(expected) and "case_studies[0].source.quote" in hits[0]) if warned else hits == []


def test_suggest_skips_existing_actors(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue case 19: `suggest` does not offer NATO (an actor of existing cases) as a new case."""
    monkeypatch.chdir(project)
    assert cli.main(["suggest"]) == 0
    out = capsys.readouterr().out
    assert '- name: "NATO"' not in out and "name:" not in out


def test_renamed_essay_points_to_itself(project: Path) -> None:
    """Issue case 19: after an essay is renamed, a source naming the old name is pointed to the essay holding its quote,
    and the stale essays.yaml entry is a warning pointing to the renamed file."""
    nb = "military-diplomacy-and-nation-building"
    (project / f"seeds/{nb}.txt").rename(project / "seeds/nation-building-essay.txt")
    errors, _ = _problems(project)
    sources = [e for e in errors if ".source.essay: no essay named" in e]
    assert sources and all("the quote is in essay `nation-building-essay`: did you mean `nation-building-essay`?" in e for e in sources)
    assert not any("did you mean `military-diplomacy-and-foreign-relations`" in e for e in errors)
    for topic in (project / "content/topics").glob("*.yaml"):  # the editor follows the hints
        topic.write_text(re.sub(rf"(?<![\w-]){nb}", "nation-building-essay", topic.read_text(encoding="utf-8")), encoding="utf-8")
    errors, warnings = _problems(project)
    assert errors == []
    meta = project / "seeds/essays.yaml"
    line = next(i for i, ln in enumerate(meta.read_text(encoding="utf-8").split("\n"), 1) if ln.startswith(nb))
    assert f"{meta}:{line}:1: {nb}: no essay `{nb}.txt` in this folder: this entry names nothing" in "\n".join(warnings)
    assert "rename this entry to `nation-building-essay`" in "\n".join(warnings)
