"""Routing: sections are filed under topics by what they say, not by what they are called."""

from __future__ import annotations

from dataclasses import replace

import pytest

from diplokb.content.schema import EssayMeta
from diplokb.stages.model import load_topics
from diplokb.stages.parse import Essay, parse_text
from diplokb.stages.route import route
from diplokb.stages.sources import load_essay

from .conftest import CONTENT, DATA, SEEDS

ESSAYS = [load_essay(p) for p in sorted(SEEDS.glob("*.txt"))]
TOPICS = load_topics(CONTENT, ESSAYS)
ROUTING = route(ESSAYS, TOPICS)


def filed(heading: str | None, essay: str | None = None) -> list[str]:
    for e in ESSAYS:
        if essay and e.slug != essay:
            continue
        for i, s in enumerate(e.sections):
            if s.heading == heading:
                return ROUTING.topics_of(e.slug, i)
    raise KeyError(heading)


@pytest.mark.parametrize(
    ("heading", "topic"),
    [
        ("Diplomatic Engagements and Alliances", "alliances"),
        ("Strategic Partnerships", "alliances"),
        ("The Importance of Military Attachés", "attaches"),
        ("Defense Attachés", "attaches"),
        ("Military Diplomacy and Peacekeeping Operations", "peacekeeping"),
        ("Case Studies of Successful Peacekeeping Efforts", "peacekeeping"),
        ("The Impact of Military Diplomacy on Civil-Military Relations", "nation-building"),
        ("The Relationship between Military Diplomacy and Soft Power", "soft-power"),
        ("Disaster Relief Operations", "soft-power"),
    ],
)
def test_primary_topic(heading: str, topic: str) -> None:
    """Sections about a topic are filed under it, strongest topic first."""
    assert filed(heading)[0] == topic


def test_several_topics() -> None:
    """A section can be filed under several topics."""
    assert set(filed("Key Strategies in Military Diplomacy")) == {"alliances", "attaches"}
    assert set(filed("Contribution to International Security")) == {"alliances", "peacekeeping"}


@pytest.mark.parametrize("heading", [None, "Challenges Faced in Military Diplomacy"])
def test_general_sections_stay_on_essay(heading: str | None) -> None:
    """The first essay's introduction, and its general challenges fit no topic."""
    e = next(e for e in ESSAYS if e.slug == "military-diplomacy-and-foreign-relations")
    i = next(i for i, s in enumerate(e.sections) if s.heading == heading)
    assert ROUTING.topics_of(e.slug, i) == []


def test_content_not_heading() -> None:
    """'Lessons from Haiti' about a UN stabilisation mission goes under peacekeeping; its heading names no topic."""
    essay = load_essay(DATA / "essays" / "stabilisation-in-the-caribbean.txt")
    r = route([essay], TOPICS)
    i = next(i for i, s in enumerate(essay.sections) if s.heading == "Lessons from Haiti")
    assert r.topics_of(essay.slug, i) == ["peacekeeping"]
    assert r.filings[essay.slug][i].reasons["peacekeeping"].startswith("text weight")


def test_pin_and_exclude() -> None:
    """A topic's `pin` and `exclude` lists override what the text says, for the headings they name."""
    text = "Essay Title\n\nA Quiet Section\n\nNothing relevant is said here at all.\n\nAlliance Politics\n\nThe alliance and its allies and NATO met.\n"
    essay = parse_text(text)
    essay.slug = "x"
    topics = [replace(t, pin=["A quiet section"]) if t.slug == "soft-power" else t for t in TOPICS]
    topics = [replace(t, exclude=["alliance politics"]) if t.slug == "alliances" else t for t in topics]
    r = route([essay], topics)
    assert r.topics_of("x", 0) == ["soft-power"]
    assert r.filings["x"][0].reasons["soft-power"] == "pinned in the topic file"
    assert "alliances" not in r.topics_of("x", 1)
    assert "alliances" in route([essay], TOPICS).topics_of("x", 1)


def test_pin_and_exclude_one_section_by_its_address() -> None:
    """`essay#section`, as in the essay page's address, pins an opening and excludes one essay's section, not another's."""
    text = "Essay Title\n\nThe alliance met here first.\n\nAlliance Politics\n\nThe alliance and its allies and NATO met.\n"
    one, two = parse_text(text), parse_text(text)
    one.slug, two.slug = "one", "two"
    topics = [replace(t, pin=["one#opening"]) if t.slug == "attaches" else t for t in TOPICS]
    topics = [replace(t, exclude=["One#Alliance-Politics"]) if t.slug == "alliances" else t for t in topics]
    r = route([one, two], topics)
    assert r.topics_of("one", 0) == ["attaches"] and r.filings["one"][0].reasons["attaches"] == "pinned in the topic file"
    assert "attaches" not in r.topics_of("two", 0)
    assert "alliances" not in r.topics_of("one", 1)
    assert r.filings["one"][1].unfiled["alliances"] == "excluded in the topic file"
    assert "alliances" in r.topics_of("two", 1)


def test_topic_in_title_counts_in_full() -> None:
    """A topic the essay's title names is heard at full weight in a section that discusses it in its own words."""
    text = "Peacekeeping Today\n\nOld Missions\n\nPeacekeepers watched the line for years. Other peacekeepers came later.\n"
    essay = parse_text(text)
    essay.slug = "y"
    f = route([essay], TOPICS).filings["y"][0]
    assert f.topics == ["peacekeeping"]
    assert f.evidence["peacekeeping"] == {("peacekeepers", "lead"): 1, ("peacekeepers", "text"): 1}


def test_title_refrain_counts_little() -> None:
    """Repeating the essay's title phrase ("military diplomacy and soft power") is its refrain, not a section's subject."""
    refrain = "This is military diplomacy and soft power at work. Officers met. They talked of military diplomacy and soft power again."
    text = f"Military Diplomacy and Soft Power\n\nA Meeting of Officers\n\n{refrain}\n"
    essay = parse_text(text)
    essay.slug = "y"
    f = route([essay], TOPICS).filings["y"][0]
    assert f.topics == []
    assert f.evidence["soft-power"] == {("soft power", "title echo"): 2}
    essay2 = parse_text(text.replace("Military Diplomacy and Soft Power", "Essays on the World"))
    essay2.slug = "z"
    assert route([essay2], TOPICS).topics_of("z", 0) == ["soft-power"]


def test_by_topic_is_reverse_of_filings() -> None:
    """`by_topic` lists exactly the sections whose filings name the topic."""
    for t in TOPICS:
        expected = [(e.slug, i) for e in ESSAYS for i in range(len(e.sections)) if t.slug in ROUTING.topics_of(e.slug, i)]
        assert ROUTING.by_topic[t.slug] == expected
        assert expected, f"{t.slug} has no section"


def _essay(text: str, slug: str = "t", path: str = "") -> Essay:
    essay = parse_text(text)
    essay.slug, essay.path = slug, path
    return essay


def test_short_section_naming_one_topic_once_is_filed() -> None:
    """A short section whose text names one topic, once, is about it; a second topic, or more than 100 words per mention, needs the usual weight."""
    one = "Essay on Things\n\nAn opening of no interest. It says nothing.\n\nRelief\n\nSoldiers flew in tents and water. Local goodwill followed the flights.\n"
    f = route([_essay(one)], TOPICS).filings["t"][1]
    assert f.topics == ["soft-power"]
    assert f.reasons["soft-power"] == "text weight 1: the only topic a short section (11 words) names, at least 1 per 100"
    two = one.replace("followed the flights", "followed the flights to the NATO base")
    assert route([_essay(two)], TOPICS).topics_of("t", 1) == []
    # 113 words: one mention is below the density bar of 1 per 100 words, so it is a passing mention
    long = one.replace("Soldiers flew in tents and water.", "Soldiers flew in tents and water. " * 18)
    f = route([_essay(long)], TOPICS).filings["t"][1]
    assert f.words > 100 and f.topics == []
    assert f.unfiled["soft-power"] == "text weight 1, below 2 (the only topic named, but thinner than 1 per 100 words in 113)"


def test_section_naming_no_topic_stays_unfiled() -> None:
    """A section that names no topic stays on its essay page, even in an essay whose title names one."""
    text = "Peacekeeping in the Hills\n\nAn opening with peacekeepers in it. Peacekeepers came.\n\nWhy They Came\n\nThe soldiers came for pay and for experience.\n"
    r = route([_essay(text)], TOPICS)
    assert r.topics_of("t", 0) == ["peacekeeping"]
    assert r.topics_of("t", 1) == []
    assert r.filings["t"][1].reasons == {} and r.filings["t"][1].unfiled == {}


def _with_closing(text: str) -> Essay:
    """The essay of ``text`` with its last section marked as an inferred closing, as the parser marks one."""
    essay = _essay(text)
    essay.sections[-1] = replace(essay.sections[-1], inferred=True)
    return essay


def test_opening_is_filed_on_its_text_and_lends_its_topic() -> None:
    """An opening is filed under a topic its title does not name only on double weight; the essay is then about that topic,
    so its closing is filed under it on ordinary weight."""
    opening = "Field hospitals reach people. After an earthquake or a flood, armed forces bring help."
    closing = "Goodwill lasted for years. Nobody forgot the flights."
    text = f"Essay on Things\n\n{opening}\n\nWhy They Came\n\nThe soldiers came for pay and for experience.\n\nConclusion\n\n{closing}\n"
    r = route([_with_closing(text)], TOPICS)
    assert r.topics_of("t", 0) == ["soft-power"]
    assert r.filings["t"][0].reasons["soft-power"].startswith("text weight 4, at least 4")
    assert r.topics_of("t", 1) == []
    assert r.topics_of("t", 2) == ["soft-power"]
    assert r.filings["t"][2].reasons["soft-power"] == "its essay's opening is filed under it, text weight 2, at least 2"
    thin = _with_closing(text.replace(" or a flood", ""))
    assert route([thin], TOPICS).topics_of("t", 0) == []
    assert route([thin], TOPICS).filings["t"][0].unfiled["soft-power"].startswith("text weight 3, below 4")
    assert route([thin], TOPICS).topics_of("t", 2) == []
    assert route([thin], TOPICS).filings["t"][2].unfiled["soft-power"].startswith("text weight 2, below 4")


def test_title_from_essays_yaml_or_file_name() -> None:
    """An essay without a title line is routed by the title its page shows: essays.yaml's, else its file name's."""
    text = "An opening about peacekeepers. Peacekeepers stayed for years.\nWhy They Came\nThe soldiers came for pay and for experience. They stayed.\n"
    named = _essay(text, "t", "seeds/peacekeeping-in-the-hills.txt")
    assert named.title is None
    assert route([named], TOPICS).topics_of("t", 0) == ["peacekeeping"]
    plain = _essay(text, "t", "seeds/life-in-the-hills.txt")
    assert route([plain], TOPICS).topics_of("t", 0) == []
    meta = {"t": EssayMeta(title="Peacekeeping in the Hills")}
    assert route([plain], TOPICS, meta=meta).topics_of("t", 0) == ["peacekeeping"]


def test_opening_is_filed_under_what_the_title_names() -> None:
    """An opening introduces its essay: it is filed under the topics the title names, whatever else it mentions."""
    text = "Peacekeeping in the Hills\n\nThe hills saw NATO planes pass. Nobody else came.\n\nWhy They Came\n\nThe soldiers came for pay.\n"
    f = route([_essay(text)], TOPICS).filings["t"][0]
    assert f.topics == ["peacekeeping"]
    assert f.reasons["peacekeeping"] == "named in the essay's title: an opening introduces what the title names"
    assert f.unfiled["alliances"] == "text weight 2, below 4 (an opening or closing, for a topic its essay is not about)"
