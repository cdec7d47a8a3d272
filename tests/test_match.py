"""The combined term matcher: accents, plurals, hyphens, word boundaries, longest match, one regex."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diplokb.match import TermMatcher, canonical

TOPICS = [
    ("alliance", "alliances"),
    ("ally", "alliances"),
    ("NATO", "alliances"),
    ("strategic partnership", "alliances"),
    ("attaché", "attaches"),
    ("defence attaché", "attaches"),
    ("nation building", "nation-building"),
    ("peacekeeping", "peacekeeping"),
    ("peacekeeping operation", "peacekeeping-ops"),
    ("soft power", "soft-power"),
    ("policy", "policy"),
    ("box", "box"),
    ("church", "church"),
    ("day", "day"),
]


@pytest.fixture(scope="module")
def matcher() -> TermMatcher:
    return TermMatcher(TOPICS)


def found(m: TermMatcher, text: str) -> list[tuple[str, str]]:
    hits = list(m.finditer(text))
    for h in hits:
        assert h.text == text[h.start : h.end]
    return [(h.text, h.key) for h in hits]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # accents and case: "attaché" finds "Attachés", and the other way round
        ("Attachés met the minister.", [("Attachés", "attaches")]),
        ("the ATTACHÉ arrived", [("ATTACHÉ", "attaches")]),
        ("an attache without accent", [("attache", "attaches")]),
        ("l'attaché militaire", [("attaché", "attaches")]),
        # decomposed accents (NFD, as some editors save them) are still accents
        (unicodedata.normalize("NFD", "Attachés met"), [(unicodedata.normalize("NFD", "Attachés"), "attaches")]),
        # plurals
        ("alliances", [("alliances", "alliances")]),
        ("Allies and an ally", [("Allies", "alliances"), ("ally", "alliances")]),
        ("foreign policies", [("policies", "policy")]),
        ("boxes and churches", [("boxes", "box"), ("churches", "church")]),
        ("in those days", [("days", "day")]),
        ("two defence attachés", [("defence attachés", "attaches")]),
        ("strategic partnerships", [("strategic partnerships", "alliances")]),
        ("the Alliance's charter", [("Alliance", "alliances")]),
        # a space and a hyphen are the same separator
        ("nation-building", [("nation-building", "nation-building")]),
        ("Nation Building", [("Nation Building", "nation-building")]),
        ("nation\u2011building", [("nation\u2011building", "nation-building")]),  # non-breaking hyphen
        ("nation\u2010building", [("nation\u2010building", "nation-building")]),  # hyphen
        ("nation\u2013building", [("nation\u2013building", "nation-building")]),  # en dash
        ("nation-\nbuilding", [("nation-\nbuilding", "nation-building")]),  # broken across lines
        ("soft  power", [("soft  power", "soft-power")]),
        ("soft-power", [("soft-power", "soft-power")]),
        # word boundaries: punctuation and possessives end a word, letters and digits do not
        ("NATO’s role", [("NATO", "alliances")]),
        ("NATO's role", [("NATO", "alliances")]),
        ("(NATO)", [("NATO", "alliances")]),
        ("NATO-led forces", [("NATO", "alliances")]),
        ("“Alliances”", [("Alliances", "alliances")]),
        ("Attachés.", [("Attachés", "attaches")]),
        # longest match wins
        ("UN peacekeeping operations", [("peacekeeping operations", "peacekeeping-ops")]),
        ("peacekeeping-operation", [("peacekeeping-operation", "peacekeeping-ops")]),
        ("peacekeeping and operations", [("peacekeeping", "peacekeeping")]),
    ],
)
def test_matches(matcher: TermMatcher, text: str, expected: list[tuple[str, str]]) -> None:
    """The matcher finds exactly the expected terms, with their text as written."""
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "SENATOR",
        "senatorial",
        "NATOish",
        "allys",
        "allied",
        "alliancee",
        "realliance",
        "alliance2",
        "alliance_x",
        "attachéship",
        "nation builders",
        "nationbuilding",
        "soft powerful",
        "powerful soft",
        "peacekeepers",
        "policyholder",
        "",
    ],
)
def test_no_match(matcher: TermMatcher, text: str) -> None:
    """Terms do not match inside longer words, misspelled plurals or other word forms."""
    assert found(matcher, text) == []


@pytest.mark.parametrize("order", ["short-first", "long-first"])
@pytest.mark.parametrize(
    ("terms", "text", "expected"),
    [
        ([("attaché", "a"), ("defence attaché", "d")], "the defence attachés", [("defence attachés", "d")]),
        ([("power", "p"), ("soft power", "s")], "soft power and power", [("soft power", "s"), ("power", "p")]),
        ([("un", "u"), ("un peacekeeping mission", "m")], "a UN peacekeeping mission", [("UN peacekeeping mission", "m")]),
        ([("nation", "n"), ("nation-building", "b")], "nation building", [("nation building", "b")]),
    ],
)
def test_longest_match_wins(order: str, terms: list[tuple[str, str]], text: str, expected: list[tuple[str, str]]) -> None:
    """A longer term wins over a shorter one it starts with, whatever the order the terms come in."""
    m = TermMatcher(terms if order == "short-first" else terms[::-1])
    assert found(m, text) == expected


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("attaché", "ATTACHES"),
        ("attache", "Attachés"),
        ("nation-building", "nation building"),
        ("Nation Building", "nation-building"),
        ("ally", "allies"),
        ("North Atlantic Treaty Organization", "north-atlantic treaty organizations"),
        (unicodedata.normalize("NFD", "attaché"), "Attachés"),
    ],
)
def test_term_spelling_does_not_matter(term: str, text: str) -> None:
    """How a topic file spells a term (case, accents, hyphens) does not change what it matches."""
    assert found(TermMatcher([(term, "k")]), text) == [(text, "k")]


def test_one_term_many_keys() -> None:
    """A term listed by two topics gives a hit for each of them, at the same place."""
    m = TermMatcher([("peacekeeping", "a"), ("PEACEKEEPING", "b"), ("peacekeeping", "a")])
    assert [(h.start, h.end, h.key) for h in m.finditer("UN peacekeeping")] == [(3, 15, "a"), (3, 15, "b")]


def test_count(matcher: TermMatcher) -> None:
    """count() tallies hits per key."""
    text = "NATO and NATO’s allies sent attachés; nation-building followed."
    assert matcher.count(text) == {"alliances": 3, "attaches": 1, "nation-building": 1}


def test_one_regex_for_all_terms(matcher: TermMatcher) -> None:
    """TermMatcher.regex is one compiled pattern that matches every term on its own."""
    assert isinstance(matcher.regex, re.Pattern)
    for term, _key in TOPICS:
        assert matcher.regex.fullmatch(canonical(term)), term


def test_one_regex_pass_per_text(matcher: TermMatcher) -> None:
    """finditer scans a text once, with that one regex, however many terms it finds."""

    class Spy:
        def __init__(self, pattern: re.Pattern[str]) -> None:
            self.pattern = pattern
            self.calls = 0

        def finditer(self, text: str):
            self.calls += 1
            return self.pattern.finditer(text)

        def __getattr__(self, name: str):
            return getattr(self.pattern, name)

    m = TermMatcher(TOPICS)
    spy = Spy(m.regex)
    m.regex = spy  # type: ignore[assignment]
    hits = list(m.finditer("NATO allies, attachés, peacekeeping operations, soft power and nation-building"))
    assert {h.key for h in hits} == {"alliances", "attaches", "peacekeeping-ops", "soft-power", "nation-building"}
    assert spy.calls == 1


def test_empty_matcher() -> None:
    """A matcher without terms (or with blank terms only) matches nothing."""
    for m in (TermMatcher([]), TermMatcher([("  ", "k"), ("-", "k")])):
        assert list(m.finditer("NATO alliance")) == []
        assert m.count("NATO") == {}


_FILLER = st.lists(
    st.sampled_from(["the", "a", "NATO-led", "of", "Senator", "powerful", "1999", ",", "(", ")", "—", "café"]), max_size=6
).map(" ".join)
_VARIANT = st.sampled_from(
    [
        ("attaché", "attaches"),
        ("Attachés", "attaches"),
        ("nation building", "nation-building"),
        ("Nation-Building", "nation-building"),
        ("alliances", "alliances"),
        ("ALLIES", "alliances"),
        ("soft\u00a0power", "soft-power"),
    ]
)


@given(_FILLER, _VARIANT, _FILLER)
def test_term_found_anywhere(before: str, variant: tuple[str, str], after: str) -> None:
    """A term written between arbitrary words is found at its exact place, with its key."""
    m = TermMatcher(TOPICS)
    word, key = variant
    text = f"{before} {word} {after}"
    start = len(before) + 1
    hits = [h for h in m.finditer(text) if h.start == start]
    assert [(h.start, h.end, h.key, h.text) for h in hits] == [(start, start + len(word), key, word)]
