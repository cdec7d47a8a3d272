"""Topic YAML: loading, validation, and every content case of BAD_INPUTS.md (1-19)."""

from __future__ import annotations

import time
import tracemalloc
import unicodedata
from pathlib import Path

import markdown
import pytest

from diplokb.errors import ContentError, Problem
from diplokb.render.markup import esc
from diplokb.stages.model import check_slug, json_schema, load_topics
from diplokb.stages.sources import load_essay
from diplokb.text import UniqueSlugs, slugify

from .conftest import CONTENT, SEEDS

ESSAYS = [load_essay(p) for p in sorted(SEEDS.glob("*.txt"))]
QUOTE = "One noteworthy example is the North Atlantic Treaty Organization (NATO)."

GOOD = f"""\
title: Test Topic
summary: A topic for tests. It has two sentences.
terms: [test term]
related: [other]
case_studies:
  - name: First Case
    years: "1999"
    places: [Kosovo]
    actors: [NATO]
    summary: A case.
    source:
      essay: military-diplomacy-and-foreign-relations
      quote: {QUOTE}
    references:
      - title: NATO's role in Kosovo
        publisher: NATO
        date: 2024-05-01
        url: https://www.nato.int/cps/en/natolive/topics_48818.htm
"""
OTHER = "title: Other\nsummary: The other topic.\nterms: [other term]\n"


def load(tmp_path: Path, files: dict[str, str | bytes]) -> list:
    d = tmp_path / "content" / "topics"
    d.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (d / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return load_topics(tmp_path / "content", ESSAYS)


def problems(tmp_path: Path, files: dict[str, str | bytes]) -> list[str]:
    with pytest.raises(ContentError) as info:
        load(tmp_path, {"other.yaml": OTHER, **files})
    return [str(p) for p in info.value.problems]


def test_seed_content_loads() -> None:
    """The shipped topic files load: five topics, every case study with a located source."""
    topics = load_topics(CONTENT, ESSAYS, require_references=True)
    assert [t.slug for t in topics] == ["alliances", "attaches", "nation-building", "peacekeeping", "soft-power"]
    assert next(t for t in topics if t.slug == "attaches").title == "Attachés"
    cases = [c for t in topics for c in t.case_studies]
    assert len(cases) >= 15
    assert all(c.source.line > 0 and c.source.section is not None for c in cases if c.source)
    assert all(c.references for c in cases)
    assert len(next(t for t in topics if t.slug == "attaches").case_studies) >= 3
    for t in topics:
        assert 2 <= t.summary.count(". ") + 1 <= 4, t.slug


def test_good_file_loads(tmp_path: Path) -> None:
    """A valid topic file gives the typed objects, the home topic first in each case study's topics."""
    topics = load(tmp_path, {"test.yaml": GOOD, "other.yaml": OTHER})
    t = next(t for t in topics if t.slug == "test")
    assert t.case_studies[0].topics == ["test"]
    assert t.case_studies[0].years == "1999"
    assert t.case_studies[0].source.line == 62


def test_indentation_error(tmp_path: Path) -> None:
    """1. A bad indent is reported with its 1-based line and column."""
    msgs = problems(tmp_path, {"test.yaml": "title: T\nsummary: S\n  terms: [a]\n"})
    assert len(msgs) == 1
    assert msgs[0].startswith(str(tmp_path / "content/topics/test.yaml") + ":3:")


def test_unclosed_quote(tmp_path: Path) -> None:
    """2. An unclosed quote points at the line where the quote opened."""
    msgs = problems(tmp_path, {"test.yaml": 'title: T\nsummary: "never closed\nterms: [a]\nrelated: []\n'})
    assert ":2:10:" in msgs[0] and "unclosed quote" in msgs[0]


def test_tab_indentation(tmp_path: Path) -> None:
    """3. Tabs in indentation are an error naming the line."""
    msgs = problems(tmp_path, {"test.yaml": "title: T\nsummary: S\nterms:\n\t- a\n"})
    assert ":4:" in msgs[0] and "tab" in msgs[0]


def test_duplicate_keys(tmp_path: Path) -> None:
    """4. Duplicate keys, top level and inside a case study, are errors naming both lines."""
    text = GOOD.replace("terms: [test term]\n", "terms: [test term]\ntitle: Again\n").replace(
        '    years: "1999"\n', '    years: "1999"\n    years: "2000"\n'
    )
    msgs = problems(tmp_path, {"test.yaml": text})
    assert any("duplicate key `title` (lines 1 and 4)" in m for m in msgs)
    assert any("case_studies[0].years" in m and "duplicate key `years` (lines 8 and 9)" in m for m in msgs)


def test_yaml11_values_kept_as_text(tmp_path: Path) -> None:
    """5. `years: NO` and `id: 0123` stay the text written, never False or 83."""
    text = GOOD.replace('years: "1999"', "years: NO\n    id: 0123")
    t = next(t for t in load(tmp_path, {"test.yaml": text, "other.yaml": OTHER}) if t.slug == "test")
    assert t.case_studies[0].years == "NO"
    assert t.case_studies[0].id == "0123"


def test_unknown_key_did_you_mean(tmp_path: Path) -> None:
    """6. A misspelt key suggests the right one."""
    msgs = problems(tmp_path, {"test.yaml": GOOD.replace("summary: A topic", "summry: A topic")})
    assert any(":2:1: summry: unknown field `summry`; did you mean `summary`?" in m for m in msgs)
    assert any("missing required field `summary`" in m for m in msgs)


@pytest.mark.parametrize("text", ["", "# only a comment\n# and another\n", "\n\n"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    """7. Empty and comment-only files say the file is empty."""
    msgs = problems(tmp_path, {"test.yaml": text})
    assert msgs == [f"{tmp_path / 'content/topics/test.yaml'}:1:1: file is empty; expected a topic with title, summary and terms"]


def test_latin1_and_nul_bytes(tmp_path: Path) -> None:
    """8. A Latin-1 byte and a NUL byte are errors naming the file and the byte offset."""
    msgs = problems(tmp_path, {"test.yaml": b"title: Attach\xe9s\nsummary: S\nterms: [a]\n"})
    assert "test.yaml:1:14:" in msgs[0] and "byte 0xe9 at byte offset 13" in msgs[0]
    msgs = problems(tmp_path, {"test.yaml": b"title: T\nsummary: S\x00\nterms: [a]\n"})
    assert "test.yaml:2:11:" in msgs[0] and "NUL byte at byte offset 19" in msgs[0]


@pytest.mark.parametrize(
    ("escape", "code"),
    [("\\0", "U+0000"), ("\\e]0;owned\\a", "U+001B"), ("\\a", "U+0007"), ("\\v", "U+000B"), ("\\x7f", "U+007F"), ("\\x9b", "U+009B")],
)
def test_control_characters_written_as_yaml_escapes_are_errors(tmp_path: Path, escape: str, code: str) -> None:
    """A control character a YAML escape writes into a name, place or actor is an error with its place, never page text."""
    text = GOOD.replace("  - name: First Case", f'  - name: "First{escape} Case"').replace("actors: [NATO]", f'actors: ["NA{escape}TO"]')
    msgs = problems(tmp_path, {"test.yaml": text})
    assert any(":6:11: case_studies[0].name: control character " + code in m for m in msgs), msgs
    assert any(":9:14: case_studies[0].actors[0]: control character " + code in m for m in msgs), msgs


@pytest.mark.parametrize("text", ["\x1b]0;owned\x07", "\x1b[2J", "\u202eevil", "a\x00b", "\x9b31m"])
def test_messages_print_control_characters_as_escapes(text: str) -> None:
    """A problem's message, echoing what a file says, prints control characters and direction overrides as escapes."""
    shown = str(Problem("t.yaml", 1, 2, "field", f"unknown field `{text}`"))
    assert shown == "t.yaml:1:2: field: unknown field `" + text.encode("unicode_escape").decode("ascii") + "`"


def test_bom_and_crlf_load(tmp_path: Path) -> None:
    """9. A UTF-8 BOM and CRLF line endings load fine."""
    text = ("\ufeff" + GOOD).replace("\n", "\r\n")
    topics = load(tmp_path, {"test.yaml": text.encode("utf-8"), "other.yaml": OTHER})
    assert next(t for t in topics if t.slug == "test").title == "Test Topic"


def test_alias_bomb_refused_fast(tmp_path: Path) -> None:
    """10. An alias bomb is refused before expansion: quickly, in little memory."""
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i, (x, y) in enumerate(zip("bcdefghi", "abcdefgh", strict=True)):
        bomb += f"{x}: &{x} [{', '.join(['*' + y] * 9)}]\n"
        del i
    tracemalloc.start()
    t0 = time.perf_counter()
    msgs = problems(tmp_path, {"test.yaml": bomb})
    elapsed = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "not allowed" in msgs[0] and ":1:4:" in msgs[0]
    assert peak < 50_000_000 and elapsed < 10  # generous bounds: an expansion would need gigabytes


def test_deep_nesting(tmp_path: Path) -> None:
    """11. 1,000 levels of nesting give a clean error, not a RecursionError."""
    msgs = problems(tmp_path, {"test.yaml": "title: " + "[" * 1000 + "]" * 1000 + "\n"})
    assert "nested more than" in msgs[0]
    deep = "".join("  " * i + f"k{i}:\n" for i in range(1000))
    msgs = problems(tmp_path, {"test.yaml": deep})
    assert "nested" in msgs[0]


def test_size_limit(tmp_path: Path) -> None:
    """12. A file over 2 MB is refused before parsing."""
    msgs = problems(tmp_path, {"test.yaml": "title: T\n" + "# pad\n" * 400_000})
    assert "over the 2097152-byte limit" in msgs[0]


def test_duplicate_case_study_and_slug_collision(tmp_path: Path) -> None:
    """13. Two case studies with one id, and two files with one slug, are errors listing both places."""
    twice = GOOD + GOOD[GOOD.index("  - name: First Case") :]
    msgs = problems(
        tmp_path, {"test.yaml": twice, "Soft Power.yaml": OTHER.replace("Other", "SP"), "soft-power.yaml": OTHER.replace("Other", "SP2")}
    )
    path = tmp_path / "content/topics/test.yaml"
    assert any(f"case study `first-case` is defined twice: {path}:6 and {path}:19" in m for m in msgs)
    assert any("topic slug `soft-power` collides with" in m and "Soft Power.yaml" in m for m in msgs)


def test_unknown_topic_references(tmp_path: Path) -> None:
    """14. `related:` or a case study's `topics:` naming no topic is an error with 'did you mean'."""
    text = GOOD.replace("related: [other]", "related: [othr]").replace(
        "    summary: A case.\n", "    summary: A case.\n    topics: [tset]\n"
    )
    msgs = problems(tmp_path, {"test.yaml": text})
    assert any(":4:11: related[0]: no topic named `othr`; did you mean `other`?" in m for m in msgs)
    assert any("case_studies[0].topics[0]: no topic named `tset`; did you mean `test`?" in m for m in msgs)


def test_provenance_checked(tmp_path: Path) -> None:
    """15. A quoted source that is not in the essay is an error naming the case study."""
    msgs = problems(tmp_path, {"test.yaml": GOOD.replace(QUOTE, "NATO won every war it ever fought.")})
    assert any("case study `First Case`: quoted text is not in essay" in m and ":13:14:" in m for m in msgs)
    msgs = problems(
        tmp_path,
        {"test.yaml": GOOD.replace("essay: military-diplomacy-and-foreign-relations", "essay: military-diplomacy-and-foreign-relation")},
    )
    assert any("did you mean `military-diplomacy-and-foreign-relations`?" in m for m in msgs)


def test_provenance_ignores_quote_style_and_spacing(tmp_path: Path) -> None:
    """15. Curly vs straight quotes and extra spaces do not fail a real quote."""
    text = GOOD.replace(QUOTE, "Similarly, NATO\u2019s   involvement in Kosovo through the KFOR mission")
    assert load(tmp_path, {"test.yaml": text, "other.yaml": OTHER})


@pytest.mark.parametrize("bad", ["../../etc/x", "/etc/passwd", "CON", "nul", ".hidden", "a/b"])
def test_unsafe_slugs_rejected(bad: str) -> None:
    """16. Path-like or reserved names are never accepted as slugs."""
    assert check_slug(bad) is not None


def test_unsafe_case_id_and_file_name(tmp_path: Path) -> None:
    """16. A case-study id like ../../etc/x, or a topic file named CON.yaml, is an error."""
    msgs = problems(tmp_path, {"test.yaml": GOOD.replace('years: "1999"', 'years: "1999"\n    id: ../../etc/x'), "CON.yaml": OTHER})
    assert any("case_studies[0].id: case study id must be a plain name" in m for m in msgs)
    assert any("CON.yaml" in m and "reserved device name" in m for m in msgs)


HOSTILE = [
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "Name ](javascript:alert(1)) [x] ]: {: onclick=x } | # end",
    "[\\]:](x)",
    "1999. A year at the start",
    "- looks like a list",
    "`code` *em* _u_ ~~s~~",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_renders_as_itself(text: str) -> None:
    """17/18. Escaped user text renders as exactly that text: no tags, links, attributes or lists."""
    md = markdown.Markdown(extensions=["attr_list", "tables", "toc"])
    html = md.convert(f"| a | b |\n| --- | --- |\n| {esc(text)} | x |\n\n## {esc(text)}\n\n{esc(text)}\n")
    import html as h
    import re

    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert not re.search(r"\son\w+=", html)
    assert "<ul>" not in html and "<ol>" not in html
    assert html.count("<td>") == 2  # the table still has its two cells
    visible = h.unescape(re.sub(r"<[^>]+>", "", html))
    assert visible.count(" ".join(text.split())) == 3


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Attachés", "attaches"),
        ("Привет", "привет"),
        ("日本語", "日本語"),
        ("Soft Power", "soft-power"),
        ("  --  ", ""),
        ("Ελλάδα", "ελλάδα"),
    ],
)
def test_unicode_anchors(name: str, expected: str) -> None:
    """19. Unicode names get anchors that keep their letters, the same whichever Unicode form the text arrives in."""
    assert slugify(name) == expected
    assert slugify(unicodedata.normalize("NFD", name)) == expected
    uniq = UniqueSlugs()
    assert len({uniq(name), uniq(name), uniq(name)}) == 3


def test_json_schema_matches_model(tmp_path: Path) -> None:
    """The generated JSON Schema accepts the shipped topics and rejects a misspelt key."""
    import jsonschema
    import yaml

    schema = json_schema()
    for p in sorted((CONTENT / "topics").glob("*.yaml")):
        jsonschema.validate(yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.BaseLoader), schema)
    bad = yaml.load(GOOD.replace("summary: A topic", "summry: A topic"), Loader=yaml.BaseLoader)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
