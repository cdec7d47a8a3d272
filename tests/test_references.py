"""Case-study sources: references, essay quotes, as-of dates, editor's notes, placeholders (issue 9)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from diplokb.errors import ContentError, Report
from diplokb.pipeline import run
from diplokb.stages.model import json_schema, load_topics, unstated_facts
from diplokb.stages.sources import load_essay

from .conftest import CONTENT, SEEDS

ESSAYS = [load_essay(p) for p in sorted(SEEDS.glob("*.txt"))]
ESSAY = "military-diplomacy-and-foreign-relations"
QUOTE = "Similarly, NATO's involvement in Kosovo through the KFOR mission underscores the role of military diplomacy in post-conflict reconstruction."
REF = """\
      - title: NATO's role in Kosovo
        publisher: NATO
        date: 2024-05-01
        url: https://www.nato.int/cps/en/natolive/topics_48818.htm
"""


def topic(cases: str) -> str:
    return f"title: T\nsummary: A topic. It has two sentences.\nterms: [t term]\ncase_studies:\n{cases}"


def case(
    *, years: str = "", places: str = "[Kosovo]", actors: str = "[NATO]", source: bool = True, refs: str | None = REF, extra: str = ""
) -> str:
    cite = " [1]" if refs is not None else ""  # a reference no marker cites is warned of
    out = f"  - name: KFOR\n    summary: NATO leads KFOR in Kosovo{cite}.\n    places: {places}\n    actors: {actors}\n"
    if years:
        out += f"    years: {years}\n"
    out += extra
    if source:
        out += f"    source:\n      essay: {ESSAY}\n      quote: {json.dumps(QUOTE)}\n"
    if refs is not None:
        out += f"    references:\n{refs}"
    return out


def load(tmp_path: Path, text: str, require: bool = False) -> tuple[list, Report]:
    d = tmp_path / "content" / "topics"
    d.mkdir(parents=True, exist_ok=True)
    (d / "t.yaml").write_text(text, encoding="utf-8")
    report = Report()
    return load_topics(tmp_path / "content", ESSAYS, require_references=require, report=report), report


def errors(tmp_path: Path, text: str, require: bool = False) -> list[str]:
    with pytest.raises(ContentError) as info:
        load(tmp_path, text, require)
    return [str(p) for p in info.value.problems]


def test_references_loaded(tmp_path: Path) -> None:
    """A case with a quote and references loads both, typed."""
    topics, report = load(tmp_path, topic(case(years='"1999-2024"')))
    c = topics[0].case_studies[0]
    assert c.source is not None and c.source.line > 0
    assert [(r.publisher, r.date) for r in c.references] == [("NATO", "2024-05-01")]
    assert not report.problems


def test_references_alone_suffice(tmp_path: Path) -> None:
    """A case the essays never name may rest on references alone."""
    topics, _ = load(tmp_path, topic(case(source=False)))
    assert topics[0].case_studies[0].source is None


def test_case_needs_some_source(tmp_path: Path) -> None:
    """Neither quote nor references: an error naming the field and what is expected."""
    msgs = errors(tmp_path, topic(case(source=False, refs=None)))
    assert len(msgs) == 1 and "t.yaml:5:5: case_studies[0].references: a case study needs a source" in msgs[0]


def test_missing_references_warn_or_fail(tmp_path: Path) -> None:
    """Without references: a warning by default, an error where the site asks for references."""
    text = topic(case(refs=None))  # Kosovo and NATO are in the quote itself
    _, report = load(tmp_path, text)
    assert [p.severity for p in report.problems] == ["warning"]
    assert "has no references" in str(report.problems[0])
    msgs = errors(tmp_path, text, require=True)
    assert len(msgs) == 1 and "case_studies[0].references: case study `KFOR` has no references" in msgs[0]


@pytest.mark.parametrize(
    ("years", "places", "actors", "unstated"),
    [
        ("", "[Kosovo]", "[NATO]", []),
        ('"1999"', "[Kosovo]", "[NATO]", [("years", "1999")]),
        ("", "[Kosovo, Serbia]", "[NATO]", [("places", "Serbia")]),
        ("", "[kosovo]", "[nato, United Nations]", [("actors", "United Nations")]),
    ],
)
def test_unstated_facts(tmp_path: Path, years: str, places: str, actors: str, unstated: list[tuple[str, str]]) -> None:
    """Years, places and actors the quote does not state are found (case and accents aside)."""
    topics, _ = load(tmp_path, topic(case(years=years, places=places, actors=actors)))
    assert unstated_facts(topics[0].case_studies[0]) == unstated


def test_unstated_fact_without_reference_is_an_error(tmp_path: Path) -> None:
    """A year the quote does not state, and no reference: an error at the years field."""
    msgs = errors(tmp_path, topic(case(years='"1999"', refs=None)))
    assert len(msgs) == 1 and ":9:12: case_studies[0].years: `1999` is not stated in the quoted sentence" in msgs[0]


def test_ongoing_case_needs_as_of(tmp_path: Path) -> None:
    """'present' needs the date the facts were checked; a malformed as_of is refused."""
    msgs = errors(tmp_path, topic(case(years="1999-present")))
    assert len(msgs) == 1 and "case_studies[0].as_of: `1999-present` is ongoing" in msgs[0]
    msgs = errors(tmp_path, topic(case(years="1999-present", extra="    as_of: last week\n")))
    assert len(msgs) == 1 and "as_of: expected the date the facts were checked, as YYYY-MM-DD, found `last week`" in msgs[0]
    topics, _ = load(tmp_path, topic(case(years="1999-present", extra="    as_of: 2026-12-02\n")))
    assert topics[0].case_studies[0].as_of == "2026-12-02"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("url", "javascript:alert(1)", "expected a web address starting with https:// or http://"),
        ("url", "www.nato.int/page", "expected a web address starting with https:// or http://"),
        ("date", "May 2024", "expected a date as YYYY, YYYY-MM or YYYY-MM-DD"),
        ("date", "2024-13-01", "expected a date as YYYY, YYYY-MM or YYYY-MM-DD"),
        ("title", '""', "expected text, found an empty value"),
    ],
)
def test_bad_reference_fields(tmp_path: Path, field: str, value: str, message: str) -> None:
    """A reference's url must be http(s), its date a date, every field filled in: reported at the field."""
    ref = REF.replace(REF.split(f"{field}: ")[1].split("\n")[0], value, 1)
    msgs = errors(tmp_path, topic(case(refs=ref)))
    assert any(f"case_studies[0].references[0].{field}: {message}" in m for m in msgs), msgs


def test_reference_missing_field(tmp_path: Path) -> None:
    """A reference without a publisher names the missing field."""
    msgs = errors(tmp_path, topic(case(refs=REF.replace("        publisher: NATO\n", ""))))
    assert any("references[0].publisher: missing required field `publisher`" in m for m in msgs), msgs


@pytest.mark.parametrize("text", ["TODO: two or three sentences", "tbd", "A case. FIXME later."])
def test_placeholder_summary_refused(tmp_path: Path, text: str) -> None:
    """A placeholder left in a summary is an error, not published text."""
    msgs = errors(tmp_path, topic(case().replace("NATO leads KFOR in Kosovo [1].", json.dumps(text))))
    assert any("case_studies[0].summary: placeholder" in m for m in msgs), msgs


def test_misindented_list_item(tmp_path: Path) -> None:
    """`   - b` under `  - a` would merge two terms into one: an error saying how to indent."""
    text = "title: T\nsummary: A topic. Two sentences.\nterms:\n  - peacekeeping\n   - peacekeeper\n"
    msgs = errors(tmp_path, text)
    assert len(msgs) == 1 and ":4:5: terms[0]: `peacekeeping - peacekeeper` runs over several lines" in msgs[0]


def test_schema_accepts_and_refuses_like_the_model(tmp_path: Path) -> None:
    """The JSON Schema (editor completion) knows references, as_of and note, and wants a source of some kind."""
    schema = json_schema()
    good = yaml.safe_load(topic(case(years="1999-present", extra="    as_of: '2026-12-02'\n    note: The essay errs.\n")))
    good["case_studies"][0]["references"][0]["date"] = "2024-05-01"
    jsonschema.validate(good, schema)
    bad = yaml.safe_load(topic(case(source=False, refs=None)))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    bad = yaml.safe_load(topic(case(refs=REF.replace("https://www.nato.int", "javascript:alert(1)//www.nato.int"))))
    bad["case_studies"][0]["references"][0]["date"] = "2024-05-01"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_case_page_and_export_show_sources(tmp_path: Path) -> None:
    """The case page shows the quote with its link, numbered references, the note and as-of; knowledge.json carries them."""
    cases = case(years="1999-present", extra="    as_of: 2026-12-02\n    note: The essay says more than the sources <b>do</b>.\n")
    cases += case(source=False).replace("name: KFOR", "name: Attaché case")
    (tmp_path / "content" / "topics").mkdir(parents=True)
    (tmp_path / "content" / "topics" / "t.yaml").write_text(topic(cases), encoding="utf-8")
    result = run(tmp_path / "content", SEEDS)
    page = result.pages["case-studies/kfor.md"].html()
    sources = page[page.index('id="source">Sources') : page.index('id="cite-this-page"')]
    assert "From the essay <a href=" in sources and "line" not in sources
    assert (
        '<ol>\n<li><span id="ref-1"></span>NATO: <a href="https://www.nato.int/cps/en/natolive/topics_48818.htm" rel="noopener">' in sources
    )
    assert "Facts checked as of 2026-12-02." in sources
    assert "<strong>Editor's note.</strong> The essay says more than the sources &#60;b&#62;do&#60;/b&#62;." in page
    assert "rests on the references below" in result.pages["case-studies/attache-case.md"].html()
    exported = {c["id"]: c for c in result.knowledge["case_studies"]}
    assert exported["kfor"]["references"][0]["url"].startswith("https://www.nato.int/")
    assert exported["kfor"]["as_of"] == "2026-12-02" and exported["attache-case"]["source"] is None


def test_check_reads_the_sites_requirement(tmp_path: Path) -> None:
    """`diplokb check` holds content to what mkdocs.yml asks (require_references), as the build does."""
    (tmp_path / "content" / "topics").mkdir(parents=True)
    (tmp_path / "content" / "topics" / "t.yaml").write_text(topic(case(refs=None)), encoding="utf-8")
    cmd = [sys.executable, "-m", "diplokb", "--content", "content", "--seeds", str(SEEDS), "check"]
    loose = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True)
    assert loose.returncode == 0 and "warning:" in loose.stderr and "has no references" in loose.stderr
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - search\n  - diplokb:\n      require_references: true\nx: !ENV [A, b]\n", encoding="utf-8"
    )
    strict = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True)
    assert strict.returncode == 1 and "has no references" in strict.stderr and "Traceback" not in strict.stderr


# Topic references and citation markers (issue 18): [N] cites the entry's own references, [essay#section] a passage.

TOPIC_REFS = """\
title: T
summary: >-
  A topic resting on a reference [1]. The essays treat it
  here [military-diplomacy-and-foreign-relations#conclusion].
terms: [t term]
references:
  - title: NATO's role in Kosovo
    publisher: NATO
    date: 2024-05-01
    url: https://www.nato.int/cps/en/natolive/topics_48818.htm
"""


def warnings(report: Report) -> list[str]:
    return [f"warning: {p}" for p in report.problems if p.severity == "warning"]


def test_topic_references_loaded(tmp_path: Path) -> None:
    """A topic's references load like a case study's, and its summary's markers cite them without a problem."""
    topics, report = load(tmp_path, TOPIC_REFS)
    assert [(r.publisher, r.date, r.url) for r in topics[0].references] == [
        ("NATO", "2024-05-01", "https://www.nato.int/cps/en/natolive/topics_48818.htm")
    ]
    assert not report.problems


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("url", "javascript:alert(1)", "expected a web address starting with https:// or http://"),
        ("date", "May 2024", "expected a date as YYYY, YYYY-MM or YYYY-MM-DD"),
        ("title", '""', "expected text, found an empty value"),
    ],
)
def test_bad_topic_reference(tmp_path: Path, field: str, value: str, message: str) -> None:
    """A bad reference at topic level is reported at its file, line, column and field, as a case study's is."""
    line = next(i for i, t in enumerate(TOPIC_REFS.splitlines(), 1) if t[4:].startswith(f"{field}: "))
    old = TOPIC_REFS.splitlines()[line - 1]
    msgs = errors(tmp_path, TOPIC_REFS.replace(old, f"{old[:4]}{field}: {value}"))
    path = tmp_path / "content/topics/t.yaml"
    assert any(m.startswith(f"{path}:{line}:{len(field) + 7}: references[0].{field}: {message}") for m in msgs), msgs


def test_topic_reference_missing_field(tmp_path: Path) -> None:
    msgs = errors(tmp_path, TOPIC_REFS.replace("    publisher: NATO\n", ""))
    assert any(":7:5: references[0].publisher: missing required field `publisher`" in m for m in msgs), msgs


def test_schema_knows_topic_references(tmp_path: Path) -> None:
    """The JSON Schema accepts a topic's references and refuses a malformed one, as the model does."""
    good = yaml.safe_load(TOPIC_REFS)
    good["references"][0]["date"] = "2024-05-01"
    jsonschema.validate(good, json_schema())
    bad = yaml.safe_load(TOPIC_REFS.replace("https://www.nato.int", "www.nato.int"))
    bad["references"][0]["date"] = "2024-05-01"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, json_schema())


def test_marker_beyond_references(tmp_path: Path) -> None:
    """[2] with one reference, in a case's summary or note or a topic's summary: an error at the marker itself."""
    text = topic(case(extra="    note: >-\n      A note citing\n      nothing real [3].\n")).replace("Kosovo [1].", "Kosovo [1][2].")
    msgs = errors(tmp_path, text)
    assert any(":6:43: case_studies[0].summary: `[2]` cites reference 2, but this case study has 1 reference;" in m for m in msgs), msgs
    assert any(":11:20: case_studies[0].note: `[3]` cites reference 3, but this case study has 1 reference;" in m for m in msgs), msgs
    msgs = errors(tmp_path, TOPIC_REFS.replace("reference [1]", "reference [0] [2]"))
    assert any(":3:34: summary: `[0]` cites reference 0, but this topic has 1 reference" in m for m in msgs), msgs
    assert any(":3:38: summary: `[2]` cites reference 2, but this topic has 1 reference" in m for m in msgs), msgs
    no_refs = "title: T\nsummary: A topic [1].\nterms: [t term]\n"
    msgs = errors(tmp_path, no_refs)
    assert msgs == [
        f"{tmp_path / 'content/topics/t.yaml'}:2:18: summary: `[1]` cites reference 1, but this topic has no `references:`; [N] cites the Nth item of its `references:`"
    ]


def test_marker_list_refused(tmp_path: Path) -> None:
    """[1, 2] is not a marker the site can link: one marker per reference."""
    msgs = errors(tmp_path, TOPIC_REFS.replace("reference [1]", "reference [1, 1]"))
    assert any(":3:34: summary: `[1, 1]`: write one marker per reference, as `[1][1]`" in m for m in msgs), msgs


def test_passage_marker_names_no_section(tmp_path: Path) -> None:
    """[essay#section] naming no section is an error at the marker, with the closest real id."""
    text = TOPIC_REFS.replace("relations#conclusion]", "relations#conclusions]")
    msgs = errors(tmp_path, text)
    assert msgs == [
        f"{tmp_path / 'content/topics/t.yaml'}:4:8: summary: `[military-diplomacy-and-foreign-relations#conclusions]` names no "
        "section of any essay: expected `[essay#section]` with the section's id as the essay page's address has it "
        "(`diplokb route --explain` shows each section's); did you mean `military-diplomacy-and-foreign-relations#conclusion`?"
    ]
    msgs = errors(tmp_path, topic(case(extra="    note: Also [no-such-essay#opening].\n")))
    assert any(":9:16: case_studies[0].note: `[no-such-essay#opening]` names no section" in m for m in msgs), msgs


def test_passage_markers_checked_on_a_cached_rebuild(tmp_path: Path) -> None:
    """A rebuild that reuses the unchanged topic file (as `diplokb serve` does) still reports its bad passage marker."""
    from diplokb.cache import BuildCache

    d = tmp_path / "content" / "topics"
    d.mkdir(parents=True)
    (d / "t.yaml").write_text(TOPIC_REFS.replace("#conclusion]", "#nowhere]"), encoding="utf-8")
    cache = BuildCache()
    for _ in range(2):
        with pytest.raises(ContentError) as info:
            load_topics(tmp_path / "content", ESSAYS, cache=cache)
        assert [p.field for p in info.value.problems] == ["summary"]


def test_uncited_reference_warned(tmp_path: Path) -> None:
    """A reference no marker cites is a warning at that reference: a reader cannot tell which fact it supports."""
    second = REF.replace("2024-05-01", "2024-06-01")
    _, report = load(tmp_path, topic(case(refs=REF + second)))
    assert warnings(report) == [
        f"warning: {tmp_path / 'content/topics/t.yaml'}:17:9: case_studies[0].references[1]: reference 2 is cited by no marker: "
        "add `[2]` after the fact it supports in the summary or note, or remove it"
    ]
    _, report = load(tmp_path, topic(case(refs=REF + second, extra="    note: The second says otherwise [2].\n")))
    assert not report.problems  # a marker in the note cites it
    _, report = load(tmp_path, TOPIC_REFS.replace(" [1]", ""))
    assert warnings(report) == [
        f"warning: {tmp_path / 'content/topics/t.yaml'}:7:5: references[0]: reference 1 is cited by no marker: "
        "add `[1]` after the fact it supports in the summary, or remove it"
    ]


def test_brackets_that_are_not_markers(tmp_path: Path) -> None:
    """Brackets that are not markers ([sic], a link's text, a year span) are left alone."""
    text = TOPIC_REFS.replace("reference [1].", "reference [1], [sic] [link](https://x.example) [1999-2005].")
    _, report = load(tmp_path, text)
    assert not report.problems


def test_readme_example_pastes_into_its_topic_file(tmp_path: Path) -> None:
    """The README's "Adding a case study" entry, pasted as it is at the end of the file it names, loads clean:
    no error, no warning (every reference cited, every passage id real), and the case is there once."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Adding a case study\n", 1)[1].split("\n## ", 1)[0]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    target = section.split("at the end\nof `", 1)[1].split("`", 1)[0]
    assert target == "content/topics/alliances.yaml"
    content = tmp_path / "content"
    (content / "topics").mkdir(parents=True)
    for path in CONTENT.joinpath("topics").glob("*.yaml"):
        (content / "topics" / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    pasted = tmp_path / target
    before = pasted.read_text(encoding="utf-8")
    assert before.endswith("\n") and not before.rstrip().endswith("case_studies:")
    pasted.write_text(before + example, encoding="utf-8")
    report = Report()
    topics = load_topics(content, ESSAYS, require_references=True, report=report)
    assert warnings(report) == []
    names = [c.name for t in topics for c in t.case_studies]
    assert names.count("Exercise Malabar 2025") == 1
    (malabar,) = [c for t in topics for c in t.case_studies if c.name == "Exercise Malabar 2025"]
    assert "[1]" in malabar.summary and "[2]" in malabar.summary and "#military-training-and-joint-exercises]" in malabar.summary


def test_citation_markers_link_to_references_and_passages() -> None:
    """`[n]` in a summary links to the page's n-th reference (which carries that id); `[essay#section]` to the passage."""
    result = run(CONTENT, SEEDS)
    checked = 0
    for slug, topic in result.kb.topic.items():
        html = result.pages[f"topics/{slug}.md"].html()
        lead = html.split("</p>", 1)[0]  # the summary: the page's first paragraph
        for n in sorted(set(re.findall(r"\[([0-9]+)\]", topic.summary))):
            assert f'<a href="#ref-{n}" title="Reference {n}">[{n}]</a>' in lead, (slug, n)
            assert f'<span id="ref-{n}"></span>' in html, (slug, n)
            checked += 1
        for ref in re.findall(r"\[([^\[\]\s]+#[^\[\]\s]+)\]", topic.summary):
            essay, _, section = ref.partition("#")
            assert f'/essays/{essay}/#{section}" title="From the essay ' in lead, (slug, ref)
            checked += 1
        assert "[" not in re.sub(r"<[^>]+>|\[[0-9]+\]|\[essay\]", "", lead), slug  # no marker left as text
        assert not re.search(r"\[[^\]]*\]", result.pages[f"topics/{slug}.md"].description), slug
    assert checked >= 10
