"""The `diplokb` command: check, render, schema, new case-study, suggest."""

from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from diplokb.commands import new
from diplokb.errors import ContentError

from .conftest import ROOT, diplokb

FIVE_MISTAKES = """\
title: Alliances
summry: A misspelt key.
terms:
\t- tab
related: [peacekeeping]
"""


def drop_kfor(project: Path) -> Path:
    """Take the KFOR case study out of the peacekeeping topic file; return that file."""
    path = project / "content/topics/peacekeeping.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - name: KFOR in Kosovo")
    end = text.index("  - name: African Union Mission in Sudan")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    return path


def new_entry(project: Path, topic: str, name: str, essay: str, quote: str) -> subprocess.CompletedProcess[str]:
    """`diplokb new case-study` with a filled-in entry."""
    return diplokb(project, "new", "case-study", "--topic", topic, "--name", name, "--essay", essay, "--quote", quote)


def test_check_ok(project: Path) -> None:
    """`diplokb check` passes on the shipped content and says what it checked."""
    res = diplokb(project, "check")
    assert res.returncode == 0, res.stderr
    assert "5 topics" in res.stdout and "2 essays" in res.stdout


def test_check_warns_of_pin_and_exclude_naming_no_section(project: Path) -> None:
    """A `pin` or `exclude` entry naming no section is a warning with file, line, field and a close match; real ones pass."""
    path = project / "content/topics/attaches.yaml"
    text = path.read_text(encoding="utf-8")
    essay = "military-diplomacy-and-nation-building"
    path.write_text(
        text.replace(
            "terms:",
            f"pin:\n  - Defence Attaches\n  - {essay}#defense-attaches\n  - {essay}#defence-attaches\nexclude: [Tools of Military Diplomacy]\nterms:",
            1,
        ),
        encoding="utf-8",
    )
    line = text[: text.index("terms:")].count("\n") + 2
    res = diplokb(project, "check")
    assert res.returncode == 0, res.stderr
    warnings = [w for w in res.stderr.splitlines() if "names no section" in w]
    assert len(warnings) == 2, res.stderr
    assert warnings[0].startswith(f"warning: content/topics/attaches.yaml:{line}:5: pin[0]: `Defence Attaches` names no section")
    assert "did you mean `Defense Attachés`?" in warnings[0]
    assert warnings[1].startswith(
        f"warning: content/topics/attaches.yaml:{line + 2}:5: pin[2]: `{essay}#defence-attaches` names no section"
    )
    assert f"did you mean `{essay}#defense-attaches`?" in warnings[1]
    assert diplokb(project, "check", "--strict").returncode == 1


def test_check_lists_every_mistake(project: Path) -> None:
    """Five different mistakes in five files are all reported, each with its line, and exit 1."""
    topics = project / "content" / "topics"
    (topics / "alliances.yaml").write_text("title: Alliances\nsummry: A misspelt key.\nterms: [alliance]\n", encoding="utf-8")
    (topics / "attaches.yaml").write_text("title: Attachés\nsummary: S.\nterms:\n\t- tab\n", encoding="utf-8")
    (topics / "peacekeeping.yaml").write_text("title: P\nsummary: S.\nterms: [p]\nrelated: [alliancs]\n", encoding="utf-8")
    nb = (topics / "nation-building.yaml").read_text(encoding="utf-8")
    nb = nb.replace("One notable case is", "One notable example is")
    (topics / "nation-building.yaml").write_text(nb, encoding="utf-8")
    lines = nb.splitlines()
    edited = next(i for i, ln in enumerate(lines) if "One notable example is" in ln)
    # The quote's field: its own line, or the line of `quote: >-` above a folded quote.
    quote_line = next(i for i in range(edited, -1, -1) if "quote:" in lines[i]) + 1
    (topics / "soft-power.yaml").write_text("title: Soft power\ntitle: Again\nsummary: S.\nterms: [soft power]\n", encoding="utf-8")
    res = diplokb(project, "check")
    assert res.returncode == 1
    err = res.stderr.splitlines()
    expected = [
        "content/topics/alliances.yaml:2:1: summry: unknown field `summry`; did you mean `summary`?",
        "content/topics/attaches.yaml:4:1: tab character in indentation; indent with spaces",
        "content/topics/peacekeeping.yaml:4:11: related[0]: no topic named `alliancs`; did you mean `alliances`?",
        "content/topics/soft-power.yaml:2:1: title: duplicate key `title` (lines 1 and 2); keep one",
        f"content/topics/nation-building.yaml:{quote_line}:14: case_studies[0].source.quote: case study `US-South Korea defence cooperation after the Korean War`",
    ]
    for e in expected:
        assert any(line.startswith(e) for line in err), (e, err)
    assert "Traceback" not in res.stderr


def test_render_to_folder(project: Path, tmp_path: Path) -> None:
    """`diplokb render --out DIR` writes a MkDocs project (mkdocs.yml, docs/, theme/) that Zensical builds too
    (zensical.yml, theme-zensical/), generated pages in their address folders; `--pages-only` just the pages
    as Markdown and knowledge.json; nothing elsewhere."""
    out = tmp_path / "out"
    res = diplokb(project, "render", "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in out.iterdir()) == ["docs", "mkdocs.yml", "theme", "theme-zensical", "zensical.yml"]
    files = sorted(p.relative_to(out / "docs").as_posix() for p in (out / "docs").rglob("*") if p.is_file())
    assert "index.md" in files and "topics/attaches/index.md" in files and "knowledge.json" in files and "about.md" in files
    assert "topics/attaches.md" not in files and "topics/index.md" in files
    assert (out / "docs/topics/attaches/index.md").read_text(encoding="utf-8").startswith('---\ntitle: "Attach')
    bare = tmp_path / "bare"
    res = diplokb(project, "render", "--pages-only", "--out", str(bare))
    assert res.returncode == 0, res.stderr
    files = sorted(p.relative_to(bare).as_posix() for p in bare.rglob("*") if p.is_file())
    assert "index.md" in files and "topics/attaches.md" in files and "knowledge.json" in files
    assert "mkdocs.yml" not in files and "about.md" not in files
    assert (bare / "topics/attaches.md").read_text(encoding="utf-8") == (out / "docs/topics/attaches/index.md").read_text(encoding="utf-8")
    assert not (project / "content" / "pages" / "index.md").exists()


def test_schema_is_current() -> None:
    """The JSON Schema in the repository is what `diplokb schema` would write."""
    res = diplokb(ROOT, "schema", "--check")
    assert res.returncode == 0, res.stderr


def test_schema_stale_detected(tmp_path: Path) -> None:
    """`diplokb schema --check` fails on a stale schema, and `diplokb schema` rewrites it."""
    path = tmp_path / "topic.schema.json"
    path.write_text("{}", encoding="utf-8")
    assert diplokb(ROOT, "schema", "--check", "--out", str(path)).returncode == 1
    assert diplokb(ROOT, "schema", "--out", str(path)).returncode == 0
    assert json.loads(path.read_text(encoding="utf-8"))["required"] == ["title", "summary", "terms"]


def test_topic_files_point_to_schema() -> None:
    """Each topic file starts with the yaml-language-server schema line, so editors check it."""
    for p in sorted((ROOT / "content" / "topics").glob("*.yaml")):
        assert p.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../topic.schema.json\n"), p


def test_new_case_study_template_keeps_bytes(project: Path) -> None:
    """`new case-study` appends a commented template and keeps every existing byte, comment and key order."""
    path = project / "content/topics/peacekeeping.yaml"
    original = path.read_bytes()
    res = diplokb(project, "new", "case-study", "--topic", "peacekeeping")
    assert res.returncode == 0, res.stderr
    new = path.read_bytes()
    assert new.startswith(original)
    assert b'# - name: "TODO: the case as a reference work names it' in new[len(original) :]
    assert diplokb(project, "check").returncode == 0


def test_new_case_study_entry_inserted_in_list(project: Path) -> None:
    """With --name, --essay and --quote a real entry goes at the end of case_studies; the rest stays byte for byte."""
    path = project / "content/topics/alliances.yaml"
    path.write_bytes(path.read_bytes() + b"# a trailing comment the user wrote\n")
    original = path.read_text(encoding="utf-8")
    quote = "The African Union\u2019s peacekeeping missions also reflect effective military diplomacy."
    res = new_entry(project, "alliances", "AU peacekeeping", "military-diplomacy-and-foreign-relations", quote)
    assert res.returncode == 0, res.stderr
    new = path.read_text(encoding="utf-8")
    ops = difflib.SequenceMatcher(a=original.splitlines(), b=new.splitlines(), autojunk=False).get_opcodes()
    changes = [op for op in ops if op[0] != "equal"]
    assert [op[0] for op in changes] == ["insert"]  # one insertion, nothing replaced or deleted
    added = new.splitlines()[changes[0][3] : changes[0][4]]
    assert added[0] == '  - name: "AU peacekeeping"'
    assert new.rstrip().endswith("# a trailing comment the user wrote")
    res = diplokb(project, "check")  # the entry is a draft until its TODOs are replaced
    problems = res.stderr.splitlines()[:-1]
    assert res.returncode == 1 and problems and all("placeholder `TODO` left in" in p for p in problems), res.stderr


EMPTY_TOPIC = "title: Naval diplomacy\nsummary: Navies as envoys. Two sentences.\nterms: [port visit]\ncase_studies: []  # none yet\n"


def uncomment_template(text: str) -> str:
    """What an editor does as the template says: remove one "# " from each line below its header."""
    head, _, tail = text.partition("# --- new case study")
    lines = tail.split("\n")[1:]
    return head.rstrip(" ") + "\n".join(ln.replace("# ", "", 1) for ln in lines)


def test_new_case_study_into_empty_list(project: Path) -> None:
    """A topic with `case_studies: []` gets a real entry; only the `[]` goes."""
    path = project / "content/topics/naval.yaml"
    path.write_text(EMPTY_TOPIC, encoding="utf-8")
    res = new_entry(
        project,
        "naval",
        "Attachés in embassies",
        "military-diplomacy-and-nation-building",
        "Defense attachés serve as military representatives in embassies and provide crucial insights on political-military relations.",
    )
    assert res.returncode == 0, res.stderr
    assert "case_studies:  # none yet\n  - name:" in path.read_text(encoding="utf-8")
    res = diplokb(project, "check")
    assert res.returncode == 1 and "naval.yaml:" in res.stderr and "placeholder `TODO`" in res.stderr


def test_template_under_empty_list_uncomments_to_valid_yaml(project: Path) -> None:
    """The template added under `case_studies: []`, uncommented as told, is valid YAML: `check` asks only for the TODOs."""
    path = project / "content/topics/naval.yaml"
    path.write_text(EMPTY_TOPIC, encoding="utf-8")
    assert diplokb(project, "new", "case-study", "--topic", "naval").returncode == 0
    assert diplokb(project, "check").returncode == 0  # commented out, it changes nothing
    path.write_text(uncomment_template(path.read_text(encoding="utf-8")), encoding="utf-8")
    res = diplokb(project, "check")
    problems = res.stderr.splitlines()[:-1]
    assert res.returncode == 1 and len(problems) >= 10, res.stderr
    assert all("naval.yaml:" in p and "placeholder `TODO` left in" in p for p in problems), res.stderr


def test_new_case_study_refuses_fake_quote(project: Path) -> None:
    """A quote that is not in the essay is refused and the file is not touched."""
    path = project / "content/topics/alliances.yaml"
    before = path.read_bytes()
    res = new_entry(project, "alliances", "X", "military-diplomacy-and-foreign-relations", "Not a sentence of the essay.")
    assert res.returncode == 1 and "not in essay" in res.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize("topic", ["../../etc/passwd", "CON", "nope"])
def test_new_case_study_bad_topic(project: Path, topic: str) -> None:
    """An unsafe or unknown --topic is refused without writing anything."""
    before = {p: p.read_bytes() for p in (project / "content").rglob("*") if p.is_file()}
    res = diplokb(project, "new", "case-study", "--topic", topic)
    assert res.returncode == 2
    assert {p: p.read_bytes() for p in (project / "content").rglob("*") if p.is_file()} == before


def test_failure_mid_write_keeps_original(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure in the middle of writing leaves the original file intact and no temporary file behind."""
    path = project / "content/topics/peacekeeping.yaml"
    before = path.read_bytes()

    def boom(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(ContentError, match="cannot write: disk full; the file is unchanged"):
        new.add_case_study(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(p.name for p in path.parent.iterdir() if not p.name.endswith(".tmp"))


def test_add_case_study_rejects_broken_yaml(project: Path) -> None:
    """A topic file that does not parse is reported, not rewritten."""
    path = project / "content/topics/peacekeeping.yaml"
    path.write_text("title: [unclosed\n", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(ContentError):
        new.add_case_study(path)
    assert path.read_bytes() == before


def test_suggest_finds_missing_case(project: Path) -> None:
    """`diplokb suggest` proposes a case the essays name once it is taken out of the YAML, and writes nothing."""
    drop_kfor(project)
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    res = diplokb(project, "suggest")
    assert res.returncode == 0, res.stderr
    assert "Kosovo" in res.stdout and "KFOR" in res.stdout
    assert 'quote: "Similarly, NATO\u2019s involvement in Kosovo through the KFOR mission' in res.stdout
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_suggest_output_is_pasteable(project: Path) -> None:
    """A suggestion pasted under case_studies: reads as YAML; `check` asks only for its TODOs, then passes once they are filled in."""
    path = drop_kfor(project)
    out = diplokb(project, "suggest").stdout
    block = out.split("\n\n")[0]
    entry = "\n".join("  " + ln for ln in block.splitlines() if not ln.startswith("#"))
    base = path.read_text(encoding="utf-8")
    path.write_text(base + entry + "\n", encoding="utf-8")
    res = diplokb(project, "check")
    problems = res.stderr.splitlines()[:-1]
    assert res.returncode == 1 and problems and all("placeholder `TODO` left in" in p for p in problems), res.stderr
    filled = entry.replace('"TODO: title of the page"', '"NATO\'s role in Kosovo"').replace('"TODO: who published it"', "NATO")
    filled = filled.replace('"TODO"', '"2024-05-01"').replace(
        "https://TODO.example", "https://www.nato.int/cps/en/natolive/topics_48818.htm"
    )
    filled = re.sub(r'summary: "TODO[^\n]*', 'summary: "The essay names it."', filled)
    path.write_text(base + filled + "\n", encoding="utf-8")
    res = diplokb(project, "check")
    assert res.returncode == 0, res.stderr


def test_suggest_on_an_essay_of_its_own(project: Path) -> None:
    """On an essay the tool was never tuned on, suggest names the cases, not sentence-opening words."""
    (project / "seeds" / "naval-diplomacy.txt").write_text(
        "Naval Diplomacy at Sea\n\n"
        "Navies have long carried diplomacy across the oceans. Moreover, port visits build trust between fleets.\n\n"
        "Counter-piracy missions\n\n"
        "One example is Operation Atalanta off the coast of Somalia, launched by the European Union in 2008 to protect shipping.\n\n"
        "Henceforth, navies of many states trained together. Henceforth is not a name; moreover, neither is this.\n",
        encoding="utf-8",
    )
    res = diplokb(project, "suggest")
    assert res.returncode == 0, res.stderr
    names = [ln for ln in res.stdout.splitlines() if ln.startswith("- name:")]
    assert any("Operation Atalanta" in n for n in names), res.stdout
    assert not any(w in n for n in names for w in ("Moreover", "Henceforth", "One ")), names


def test_route_lists_every_section(project: Path) -> None:
    """`diplokb route` prints every section of every essay with the topics it is filed under."""
    res = diplokb(project, "route")
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "Military Diplomacy and Foreign Relations" in out  # title from seeds/essays.yaml
    assert "  23    The Importance of Military Attachés  ->  Attachés  [decided]\n" in out  # the seeds' labels, content/filings.yaml
    assert "  51  Challenges Faced in Military Diplomacy  ->  not filed (stays on the essay page)  [decided]\n" in out
    assert "Conclusion (inferred)  ->" in out
    assert "words" not in out  # evidence only with --explain


def test_route_explain_shows_terms_scores_and_reasons(project: Path) -> None:
    """`diplokb route --explain FILE`: per section, each topic's score, the terms found and why it is filed or not."""
    res = diplokb(project, "route", "--explain", "seeds/military-diplomacy-and-nation-building.txt")
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "military-diplomacy-and-foreign-relations" not in out  # only the essay asked for
    section = out[out.index("    Defense Attachés  ->  Attachés") : out.index("Military Training and Assistance  ->")]
    assert "Attachés  score 10  filed: named in the heading" in section
    assert '"defense attachés" heading x1 (weight 4)' in section
    assert "Nation-building  score 1.5  not filed: text weight 1.5, below 2" in section
    assert '"nation-building" title echo x2 (weight 0.25)' in section
    opening = out[: out.index("Understanding Military Diplomacy  ->")]
    assert "filed: named in the essay's title" in opening
    assert diplokb(project, "route", "no-such-essay.txt").returncode == 2
