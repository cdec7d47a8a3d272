"""Case and topic pages as a reference work has them (issue 18): infoboxes, citation markers as links, contextual backlinks."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from diplokb.pipeline import run
from diplokb.render.infobox import years_text
from diplokb.render.mentions import PER_ESSAY
from diplokb.text import without_markers

from .conftest import CONTENT, SEEDS

RESULT = run(CONTENT, SEEDS)


class _Rows(HTMLParser):
    """The infobox's caption and (label, text) rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.caption = ""
        self.where = ""
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "aside" and ("class", "kb-infobox") in attrs:
            self.inside = True
        elif self.inside and tag in ("caption", "th", "td"):
            self.where = tag
            if tag == "th":
                self.rows.append(["", ""])

    def handle_endtag(self, tag: str) -> None:
        if tag == "aside":
            self.inside = False
        elif tag in ("caption", "th", "td"):
            self.where = ""

    def handle_data(self, data: str) -> None:
        if self.where == "caption":
            self.caption += data
        elif self.where == "th":
            self.rows[-1][0] += data
        elif self.where == "td":
            self.rows[-1][1] += data


def infobox(page: str) -> tuple[str, dict[str, str]]:
    p = _Rows()
    p.feed(RESULT.pages[page].html())
    return p.caption, {k: v for k, v in p.rows}


def test_infobox_comes_first_after_the_title() -> None:
    """The box is the block right after the page's title, so a phone shows it first and a desktop floats it beside the lead."""
    for page in ("case-studies/kfor-in-kosovo.md", "topics/peacekeeping.md"):
        html = RESULT.pages[page].html()
        after_title = html.split("</h1>", 1)[1].lstrip()
        assert after_title.startswith('<aside class="kb-infobox"'), page


def test_case_infobox_rows() -> None:
    """A case's box gives years, status with its as-of date, places, actors and topics, each once."""
    caption, rows = infobox("case-studies/kfor-in-kosovo.md")
    assert caption == "KFOR in Kosovo"
    assert rows == {
        "Years": "1999–present",
        "Status": "Ongoing, as of 7 December 2026",
        "Places": "Kosovo",
        "Actors": "NATO",
        "Topics": "Peacekeeping, Alliances, Nation-building",
    }
    assert 'class="md-typeset' not in RESULT.pages["case-studies/kfor-in-kosovo.md"].html()
    assert "Fact" not in rows and ">Details<" not in RESULT.pages["case-studies/kfor-in-kosovo.md"].html()


def test_no_repeated_rows_when_places_are_the_actors() -> None:
    """A case whose places and actors are the same names has one row for both, not two equal rows."""
    same = [c for c in RESULT.kb.cases.values() if c.places and sorted(c.places) == sorted(c.actors)]
    assert same, "the seeds have such a case (the expulsions)"
    for c in same:
        _, rows = infobox(f"case-studies/{c.id}.md")
        assert "Places and actors" in rows and "Places" not in rows and "Actors" not in rows, c.id
    for c in RESULT.kb.cases.values():
        _, rows = infobox(f"case-studies/{c.id}.md")
        values = [v for k, v in rows.items() if k != "Status"]
        assert len(values) == len(set(values)), (c.id, rows)


def test_topic_infobox_rows() -> None:
    """A topic's box gives its span of cases, how many cases and essay passages, and its main actors and places."""
    caption, rows = infobox("topics/peacekeeping.md")
    kb = RESULT.kb
    assert caption == "Peacekeeping"
    assert rows["Cases span"] == "1964–present"
    assert rows["Case studies"] == f"{len(kb.cases_of['peacekeeping'])} case studies"
    filed = kb.routing.by_topic["peacekeeping"]
    essays = len({e for e, _ in filed})
    assert rows["In the essays"] == f"{len(filed)} passages in {essays} essay{'s' if essays > 1 else ''}"
    assert rows["Main actors"].startswith("United Nations, ")
    assert len(rows["Main places"].split(", ")) == 5


@pytest.mark.parametrize(
    ("written", "shown"),
    [("1949-present", "1949–present"), ("2004-2007", "2004–2007"), ("2010", "2010"), ("1904 - 1905", "1904–1905")],
)
def test_years_as_a_reference_work_writes_them(written: str, shown: str) -> None:
    """A span takes an en dash."""
    assert years_text(written) == shown


def test_markers_link_to_references_and_passages() -> None:
    """Every [n] of a lead links to its numbered reference on the page, every [essay#section] to the passage; none stays as text."""
    kb = RESULT.kb
    for page, summary in [(f"topics/{t.slug}.md", t.summary) for t in kb.topics] + [
        (f"case-studies/{c.id}.md", c.summary) for c in kb.cases.values()
    ]:
        html = RESULT.pages[page].html()
        lead = html.split("</aside>", 1)[1].split("</p>", 1)[0]
        for n in re.findall(r"\[(\d+)\]", summary):
            assert re.search(rf'<sup class="kb-cite"><a href="#ref-{n}"[^>]*>\[{n}\]</a></sup>', lead), (page, n)
            assert f'<span id="ref-{n}"></span>' in html, (page, n)
        assert lead.count('">[essay]</a></sup>') == summary.count("#"), page
        assert not re.search(r"\[[\w-]+#[\w-]+\]|&#91;", lead), page
        assert "[" not in RESULT.pages[page].description, page


def test_uncited_keeps_other_brackets() -> None:
    """Only citation markers go: a bracket that is not one stays."""
    assert without_markers("Formed in 1949 [1][2]; see [the essay](x) [essay#opening].") == "Formed in 1949; see [the essay](x)."
    assert without_markers("A [sic] word") == "A [sic] word"


def _foot(page: str) -> str:
    html = RESULT.pages[page].html()
    return html.split('id="mentioned-in"', 1)[1].split('id="references"', 1)[0]


def test_one_section_for_the_rest_of_the_essays() -> None:
    """A topic page ends its essay passages with one section, not two unexplained link lists."""
    html = RESULT.pages["topics/nation-building.md"].html()
    assert 'id="more-in-the-essays"' not in html and html.count('id="mentioned-in"') == 1
    assert "Where else the essays discuss or mention Nation-building" in html


def test_backlinks_show_the_sentence_with_the_mention_marked() -> None:
    """Each mention is its sentence with the topic's term in <mark>, linking to the passage in its essay."""
    kb = RESULT.kb
    foot = _foot("topics/nation-building.md")
    items = re.findall(r"<li[^>]*>(.*?)</li>", foot)
    assert len(items) >= 10
    terms = {t.casefold().rstrip("s") for t in kb.topic["nation-building"].terms}
    for item in items:
        said = re.search(r'<q class="kb-said">(.*?)</q>', item)
        assert said, item
        marks = re.findall(r"<mark>(.*?)</mark>", said.group(1))
        assert len(marks) == 1 and marks[0].casefold().rstrip("s") in terms, item
        assert re.search(r'href="\.\./\.\./essays/[\w-]+/#[\w-]+"', item), item


def test_a_few_per_essay_and_the_rest_one_click_away() -> None:
    """Per essay, at most PER_ESSAY mentions in view; the others inside <details>, with how many there are."""
    foot = _foot("topics/nation-building.md")
    groups = foot.split('<p class="kb-said-essay">')[1:]
    assert len(groups) == 2, "both essays mention nation-building beyond what the page quotes"
    more = 0
    for g in groups:
        shown, _, rest = g.partition("<details")
        assert shown.count("<li") <= PER_ESSAY
        if rest:
            m = re.search(r"<summary>(\d+) more passages? in this essay</summary>", rest)
            assert m
            assert rest.count("<li") == int(m.group(1))
            more += int(m.group(1))
    assert more >= 10


def test_listed_sections_keep_their_ids_on_the_topic_page() -> None:
    """A section filed under the topic but not quoted keeps its id on the topic page (links from its essay land on it)."""
    kb = RESULT.kb
    html = RESULT.pages["topics/nation-building.md"].html()
    for key in kb.routing.by_topic["nation-building"]:
        assert f'id="{kb.topic_section_anchor[key]}"' in html, key


def test_case_previous_and_next_follow_the_topic_page() -> None:
    """A case page's "k of n" and its previous/next follow the order its topic page's timeline shows."""
    kb = RESULT.kb
    for t in kb.topics:
        topic_html = RESULT.pages[f"topics/{t.slug}.md"].html()
        shown = re.findall(r'class="kb-tl-row" href="\.\./\.\./case-studies/([\w-]+)/"', topic_html)
        assert len(shown) == len(kb.cases_of[t.slug]), t.slug
        for k, cid in enumerate(shown):
            case_html = RESULT.pages[f"case-studies/{cid}.md"].html()
            line = re.search(rf'<li><a href="\.\./\.\./topics/{t.slug}/">[^<]+</a> \((\d+) of (\d+)\):(.*?)</li>', case_html)
            assert line and (int(line.group(1)), int(line.group(2))) == (k + 1, len(shown)), (t.slug, cid)
            if k + 1 < len(shown):
                assert f"../{shown[k + 1]}/" in line.group(3).split(" · ")[-1], (t.slug, cid)


def test_kfor_is_where_its_topic_page_shows_it() -> None:
    """The issue's example: KFOR's number on Peacekeeping is its place on the Peacekeeping page."""
    topic_html = RESULT.pages["topics/peacekeeping.md"].html()
    shown = re.findall(r'class="kb-tl-row" href="\.\./\.\./case-studies/([\w-]+)/"', topic_html)
    k = shown.index("kfor-in-kosovo") + 1
    assert f"Peacekeeping</a> ({k} of {len(shown)})" in RESULT.pages["case-studies/kfor-in-kosovo.md"].html()


def test_timeline_takes_the_width_and_marks_short_cases() -> None:
    """The timeline page hides the empty contents column; a one-year case is a round mark with its year beside it."""
    page = RESULT.pages["timeline.md"]
    assert page.meta()["hide"] == ["toc"] and 'hide:\n  - "toc"' in page.markdown()
    html = page.html()
    row = re.search(r'href="\.\./case-studies/uk-and-russian-expulsions-of-defence-attaches-2024/".*?</li>', html)
    assert row and "kb-tl-short" in row.group(0) and '<span class="kb-tl-when"' in row.group(0) and ">2024</span>" in row.group(0)
    long = re.search(r'href="\.\./case-studies/north-atlantic-treaty-nato/".*?</li>', html)
    assert long and "kb-tl-short" not in long.group(0)


def test_timeline_names_a_topic_without_cases(tmp_path: Path) -> None:
    """A topic no case has as its main topic is named under the timeline, not silently left out."""
    other = tmp_path / "content"
    shutil.copytree(CONTENT, other)
    (other / "topics" / "naval.yaml").write_text(
        "title: Naval diplomacy\nsummary: Navies as envoys. Port visits show the flag.\nterms: [port visit]\n", encoding="utf-8"
    )
    html = run(other, SEEDS).pages["timeline.md"].html()
    assert re.search(r'Not on the timeline: <a href="[^"]*naval/">Naval diplomacy</a>, the main topic of no case study yet', html)
    assert "Not on the timeline" not in RESULT.pages["timeline.md"].html()


def test_graph_explains_its_marks() -> None:
    """The knowledge graph has a legend for its filled, outlined and numbered marks, before the matrix."""
    html = RESULT.pages["graph.md"].html()
    legend = html.index('<ul class="kb-legend"')
    assert legend < html.index('<table class="kb-matrix"')
    assert "main topic" in html[legend:] and "another of its topics" in html[legend:] and "says how many" in html[legend:]


@pytest.mark.parametrize("slug", ["military-diplomacy-and-foreign-relations", "military-diplomacy-and-nation-building"])
def test_long_essays_have_a_contents_list(slug: str) -> None:
    """An essay of many sections lists them at its top (for phones), each linking its heading on the page."""
    kb = RESULT.kb
    html = RESULT.pages[f"essays/{slug}.md"].html()
    nav = re.search(r'<nav class="kb-contents".*?</nav>', html)
    assert nav and html.index("<nav") < html.index("<h2")
    e = kb.essay[slug]
    want = [kb.section_anchor[(slug, i)] for i, s in enumerate(e.sections) if s.heading]
    assert re.findall(r'href="#([\w-]+)"', nav.group(0)) == want
