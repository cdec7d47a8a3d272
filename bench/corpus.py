"""Synthetic corpora for the benchmarks: essays, topic YAML and case studies at any scale.

    python bench/corpus.py --scale 10 --out bench/out/x10      # 20 essays, 16 topics, 100 case studies
    python bench/corpus.py --essays 3 --topics 4 --cases 6 --out /tmp/tiny

The essays are written the way the seed essays are: about 2,800 words each, alternating the two
plain-text shapes (one paragraph per line with no title; blank-line separated blocks under a
title line), with headings, bulleted and numbered lists and "See also" scrape debris. Every
section talks about one topic, using that topic's terms, so routing and term linking have real
work to do. Every case study quotes a sentence that the generator put into an essay, and that
sentence names the case study, its actors and its places.

Scale ``1`` is the real seed site (``seeds/`` and ``content/`` of the repository, copied);
scale ``s > 1`` is generated: ``2s`` essays, ``round(5 * sqrt(s))`` topics and ``10s`` case
studies (x10: 20 / 16 / 100; x100: 200 / 50 / 1,000). A generated corpus is a folder holding
``seeds/``, ``content/topics/``, ``content/pages/`` (the docs_dir) and ``mkdocs.yml``.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
# Where the site's mkdocs.yml, seeds/ and content/ are read from: this checkout, or the tree given
# to ``bench/run.py --src`` (which sets this).
SITE = REPO

# --------------------------------------------------------------------------------------------
# Vocabulary. The first five topics are the seed site's; the rest are other sides of military
# diplomacy. Terms are singular (the matcher finds plurals) and do not repeat across topics.
# --------------------------------------------------------------------------------------------
CATALOGUE: list[tuple[str, str, list[str]]] = [
    (
        "alliances",
        "Alliances",
        [
            "alliance",
            "NATO",
            "collective defence",
            "mutual defence",
            "defence agreement",
            "strategic partnership",
            "allied force",
            "joint exercise",
            "interoperability",
        ],
    ),
    ("attaches", "Attachés", ["military attaché", "defence attaché", "attaché", "embassy", "liaison officer", "intelligence sharing"]),
    (
        "nation-building",
        "Nation-building",
        ["nation-building", "state-building", "post-conflict reconstruction", "governance reform", "institution building"],
    ),
    ("peacekeeping", "Peacekeeping", ["peacekeeping", "peacekeeper", "ceasefire", "peace operation", "blue helmet", "conflict zone"]),
    ("soft-power", "Soft power", ["soft power", "cultural exchange", "public diplomacy", "goodwill", "international reputation"]),
    ("arms-control", "Arms control", ["arms control", "arms limitation", "verification regime", "non-proliferation", "disarmament treaty"]),
    ("maritime-security", "Maritime security", ["maritime security", "naval patrol", "sea lane", "freedom of navigation", "coast guard"]),
    ("naval-diplomacy", "Naval diplomacy", ["naval diplomacy", "port visit", "gunboat diplomacy", "naval squadron", "fleet review"]),
    (
        "humanitarian-assistance",
        "Humanitarian assistance",
        ["humanitarian assistance", "humanitarian aid", "relief supply", "refugee camp"],
    ),
    ("disaster-relief", "Disaster relief", ["disaster relief", "disaster response", "earthquake", "flood relief", "search and rescue"]),
    (
        "counterterrorism",
        "Counterterrorism",
        ["counterterrorism", "counter-terrorism", "terrorist network", "insurgency", "extremist group"],
    ),
    (
        "security-sector-reform",
        "Security sector reform",
        ["security sector reform", "police training", "defence reform", "civilian oversight"],
    ),
    (
        "military-education",
        "Military education",
        ["military education", "staff college", "officer exchange", "military academy", "scholarship programme"],
    ),
    ("arms-sales", "Arms sales", ["arms sale", "arms transfer", "arms export", "weapons procurement", "offset agreement"]),
    (
        "defence-industry",
        "Defence industrial cooperation",
        ["defence industry", "co-production", "technology transfer", "joint development", "defence procurement"],
    ),
    (
        "confidence-building",
        "Confidence-building measures",
        ["confidence-building measure", "hotline", "transparency measure", "observation flight", "risk reduction"],
    ),
    ("deterrence", "Deterrence", ["deterrence", "deterrent", "forward presence", "extended deterrence", "show of force"]),
    (
        "nuclear-diplomacy",
        "Nuclear diplomacy",
        ["nuclear diplomacy", "nuclear weapon", "nuclear deterrent", "uranium enrichment", "nuclear talks"],
    ),
    ("cyber-defence", "Cyber defence", ["cyber defence", "cyber security", "cyberattack", "cyber norm", "network defence"]),
    ("space-cooperation", "Space cooperation", ["space cooperation", "satellite", "space situational awareness", "launch agreement"]),
    (
        "military-medicine",
        "Military medicine",
        ["military medicine", "field hospital", "medical mission", "hospital ship", "vaccination campaign"],
    ),
    ("demining", "Demining", ["demining", "landmine", "mine clearance", "unexploded ordnance", "explosive remnant"]),
    ("sanctions", "Sanctions", ["sanction", "embargo", "export control", "asset freeze"]),
    ("track-two", "Track two diplomacy", ["track two", "back channel", "informal dialogue", "unofficial talks"]),
    ("military-observers", "Military observers", ["military observer", "monitoring mission", "observer team", "verification visit"]),
    ("border-security", "Border security", ["border security", "border patrol", "border guard", "frontier", "boundary commission"]),
    ("coalition-operations", "Coalition operations", ["coalition", "multinational force", "coalition partner", "burden sharing"]),
    (
        "basing-rights",
        "Basing rights",
        ["basing right", "military base", "access agreement", "status of forces agreement", "overseas base"],
    ),
    (
        "military-aid",
        "Military aid",
        ["military aid", "security assistance", "foreign military financing", "equipment donation", "train and equip"],
    ),
    ("mediation", "Mediation", ["mediation", "mediator", "peace talks", "good offices", "negotiated settlement"]),
    (
        "civil-military-relations",
        "Civil-military relations",
        ["civil-military relations", "civilian control", "military professionalism", "coup"],
    ),
    ("gender-and-security", "Gender and security", ["gender adviser", "gender perspective", "female officer", "women in uniform"]),
    ("climate-security", "Climate security", ["climate security", "climate change", "sea level rise", "resource scarcity"]),
    ("energy-security", "Energy security", ["energy security", "pipeline", "energy supply", "oil field"]),
    (
        "intelligence-cooperation",
        "Intelligence cooperation",
        ["intelligence cooperation", "intelligence agency", "signals intelligence", "early warning"],
    ),
    ("hybrid-threats", "Hybrid threats", ["hybrid threat", "disinformation", "grey zone", "proxy force"]),
    ("counter-piracy", "Counter-piracy", ["piracy", "pirate", "counter-piracy", "hijacking", "naval escort"]),
    ("special-operations", "Special operations", ["special forces", "special operations", "commando", "hostage rescue"]),
    ("regional-organisations", "Regional organisations", ["regional organisation", "regional bloc", "subregional body", "regional summit"]),
    ("defence-dialogue", "Defence dialogue", ["defence minister", "ministerial meeting", "defence dialogue", "security forum"]),
    ("military-ceremonial", "Military ceremonial", ["military band", "military parade", "guard of honour", "ceremonial visit"]),
    ("remembrance", "Veterans and remembrance", ["veteran", "war grave", "remembrance", "commemoration"]),
    ("military-logistics", "Military logistics", ["military logistics", "supply chain", "airlift", "sealift", "prepositioned stock"]),
    ("air-policing", "Air policing", ["air policing", "air defence", "fighter jet", "airspace violation", "air patrol"]),
    ("arctic-security", "Arctic security", ["Arctic", "polar region", "icebreaker", "northern sea route"]),
    ("stabilisation", "Stabilisation", ["stabilisation", "stabilization", "stability operation", "quick impact project"]),
    ("displacement", "Displacement", ["displaced people", "internally displaced person", "returnee", "resettlement"]),
    ("human-rights", "Human rights", ["human right", "war crime", "accountability mechanism", "international humanitarian law"]),
    (
        "reintegration",
        "Disarmament and reintegration",
        ["reintegration", "demobilisation", "demobilization", "former combatant", "ex-combatant"],
    ),
    ("missile-defence", "Missile defence", ["missile defence", "missile defense", "interceptor", "ballistic missile"]),
    (
        "strategic-communication",
        "Strategic communication",
        ["strategic communication", "information operation", "media engagement", "narrative"],
    ),
    ("capacity-building", "Capacity building", ["capacity building", "mentoring", "advisory team", "institutional support"]),
    (
        "military-exercises",
        "Military exercises",
        ["military exercise", "war game", "field exercise", "tabletop exercise", "live-fire drill"],
    ),
    ("chemical-weapons", "Chemical weapons", ["chemical weapon", "biological weapon", "inspection regime", "toxic agent"]),
]
REGIONS = ["Sahel", "Baltic", "Pacific", "Balkan", "Caribbean", "Andean", "Gulf", "Caucasus", "Mekong", "Horn of Africa"]

COUNTRIES = [
    "Afghanistan",
    "Albania",
    "Algeria",
    "Angola",
    "Argentina",
    "Armenia",
    "Australia",
    "Austria",
    "Azerbaijan",
    "Bangladesh",
    "Belgium",
    "Benin",
    "Bolivia",
    "Botswana",
    "Brazil",
    "Bulgaria",
    "Cambodia",
    "Cameroon",
    "Canada",
    "Chad",
    "Chile",
    "China",
    "Colombia",
    "Croatia",
    "Cyprus",
    "Denmark",
    "Djibouti",
    "Ecuador",
    "Egypt",
    "Estonia",
    "Ethiopia",
    "Fiji",
    "Finland",
    "France",
    "Gabon",
    "Georgia",
    "Germany",
    "Ghana",
    "Greece",
    "Guatemala",
    "Haiti",
    "Honduras",
    "Hungary",
    "Iceland",
    "India",
    "Indonesia",
    "Iraq",
    "Ireland",
    "Italy",
    "Jamaica",
    "Japan",
    "Jordan",
    "Kazakhstan",
    "Kenya",
    "Kosovo",
    "Kuwait",
    "Latvia",
    "Lebanon",
    "Liberia",
    "Libya",
    "Lithuania",
    "Malawi",
    "Malaysia",
    "Mali",
    "Malta",
    "Mauritania",
    "Mexico",
    "Moldova",
    "Mongolia",
    "Montenegro",
    "Morocco",
    "Mozambique",
    "Namibia",
    "Nepal",
    "Netherlands",
    "Niger",
    "Nigeria",
    "Norway",
    "Oman",
    "Pakistan",
    "Panama",
    "Paraguay",
    "Peru",
    "Philippines",
    "Poland",
    "Portugal",
    "Qatar",
    "Romania",
    "Rwanda",
    "Senegal",
    "Serbia",
    "Singapore",
    "Slovakia",
    "Slovenia",
    "Somalia",
    "Spain",
    "Sudan",
    "Sweden",
    "Tanzania",
    "Thailand",
    "Togo",
    "Tunisia",
    "Turkey",
    "Uganda",
    "Ukraine",
    "Uruguay",
    "Vietnam",
    "Yemen",
    "Zambia",
    "Zimbabwe",
    "Sierra Leone",
    "South Korea",
    "South Sudan",
    "New Zealand",
    "Sri Lanka",
    "Timor-Leste",
    "United Kingdom",
    "United States",
]
ORGANISATIONS = [
    "United Nations",
    "African Union",
    "European Union",
    "ASEAN",
    "OSCE",
    "ECOWAS",
    "Organization of American States",
    "Arab League",
    "Shanghai Cooperation Organisation",
    "Commonwealth",
    "Gulf Cooperation Council",
    "International Committee of the Red Cross",
    "World Food Programme",
    "Nordic Defence Cooperation",
    "Pacific Islands Forum",
    "IGAD",
    "SADC",
    "Interpol",
]
CODE_ADJ = [
    "Steadfast",
    "Silent",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Iron",
    "Golden",
    "Blue",
    "Bright",
    "Swift",
    "Patient",
    "Noble",
    "Distant",
    "Quiet",
    "Firm",
    "Resolute",
    "Allied",
    "Open",
    "Shared",
    "Lasting",
    "Coastal",
    "Desert",
    "Mountain",
    "Ocean",
    "Polar",
    "Crimson",
    "Silver",
    "United",
    "Vigilant",
]
CODE_NOUN = [
    "Shield",
    "Harbour",
    "Bridge",
    "Anchor",
    "Lantern",
    "Compass",
    "Horizon",
    "Sentinel",
    "Beacon",
    "Falcon",
    "Eagle",
    "Trident",
    "Meridian",
    "Summit",
    "Gate",
    "Path",
    "Spear",
    "Harvest",
    "Guardian",
    "Partner",
    "Accord",
    "Tide",
    "Dawn",
    "Frontier",
    "Keystone",
    "Pillar",
    "Crossing",
    "Resolve",
    "Promise",
    "Spirit",
]

SUBJECTS = [
    "Military diplomacy",
    "Defence cooperation",
    "This approach",
    "Sustained engagement between armed forces",
    "Such cooperation",
    "Diplomatic engagement backed by military means",
    "The use of armed forces in peacetime",
    "Regular contact between defence establishments",
    "A coherent defence policy",
    "Cooperation of this kind",
]
VERBS = ["strengthens", "relies on", "depends on", "draws on", "builds on", "complements", "reinforces", "is shaped by"]
GOALS = [
    "build trust between governments",
    "manage regional tensions",
    "reduce the risk of miscalculation",
    "share the burden of common security",
    "open channels of communication",
    "signal long-term commitment",
    "support partners through periods of transition",
    "prevent disputes from escalating",
    "promote stability in fragile regions",
    "align defence policies with diplomatic objectives",
    "shape the expectations of neighbouring states",
    "protect civilians caught in conflict",
    "create habits of cooperation",
    "strengthen the institutions of partner states",
    "respond quickly to crises",
]
OUTCOMES = [
    "while reducing the cost of misunderstanding",
    "which in turn supports economic development",
    "even when political relations are strained",
    "and this often outlasts the governments that began it",
    "so that later crises can be handled through established channels",
    "which gives smaller states a voice in regional affairs",
    "although the benefits take years to appear",
    "and it leaves a record that later negotiators can use",
]
CLAIMS = [
    "patient investment pays off over decades",
    "trust grows from repeated, predictable contact",
    "local ownership matters more than the scale of the effort",
    "coordination with civilian agencies decides the outcome",
    "small programmes can have large diplomatic effects",
    "credibility depends on keeping promises made in public",
]
RISKS = [
    "entangle states in conflicts they did not choose",
    "blur the line between diplomacy and coercion",
    "create dependence on foreign support",
    "be read as a threat by neighbouring states",
    "outlast the purpose it was meant to serve",
]
MITIGATIONS = [
    "clear mandates and regular review are essential",
    "transparency with neighbours is part of the design",
    "most programmes now include civilian oversight",
    "exit strategies are agreed at the outset",
]
CONNECTORS = ["Moreover", "In addition", "At the same time", "In practice", "Historically", "Increasingly", "Nevertheless", "Ultimately"]
ACTORS_PL = ["States", "Governments", "Defence ministries", "Armed forces", "Regional powers", "Smaller nations"]
LIST_ITEMS = [
    "Coordinating international responses to {t}.",
    "Training personnel for {t} alongside partner forces.",
    "Sharing lessons learned from {t} with civilian agencies.",
    "Agreeing common standards for {t}.",
    "Funding long-term programmes in {t}.",
    "Building regional centres of expertise in {t}.",
    "Inviting observers to activities related to {t}.",
    "Reviewing the results of {t} every year.",
]
HEADINGS = [
    "The Role of {T} in Military Diplomacy",
    "Understanding {T}",
    "{T} and Regional Stability",
    "Challenges of {T}",
    "{T} in Practice",
    "Case Studies of {T}",
    "Future Trends in {T}",
    "Lessons from {T}",
    "{T} and Foreign Relations",
    "The Impact of {T} on Partner States",
    "Building Trust through {T}",
]
TITLES = [
    "Military Diplomacy and {T}",
    "Understanding {T} in Military Diplomacy",
    "{T} and the Practice of Military Diplomacy",
    "The Place of {T} in Foreign Relations",
]
DEBRIS = [
    "See also  {T}: Key Strategies Explained",
    "See also  The Role of {T} in Diplomacy: A Historical Perspective",
    "Read more  {T} Today",
]
CASE_SENTENCES = [
    "One notable example is {case}, where {actor} worked with partners in {place} to {goal}.",
    "{Case} illustrates how {t} can help {actor} {goal} in {place}.",
    "Similarly, {case} showed the value of {t} for {actor}, with lasting effects in {place}.",
    "A frequently cited case is {case}, through which {actor} sought to {goal} in {place}.",
]


@dataclass
class TopicSpec:
    slug: str
    title: str
    terms: list[str]
    related: list[str] = field(default_factory=list)


@dataclass
class CaseSpec:
    name: str
    home: str
    extra: list[str]
    places: list[str]
    actors: list[str]
    years: str
    essay: str = ""
    quote: str = ""


@dataclass
class Corpus:
    """A corpus folder, ready for ``mkdocs build -f config``."""

    root: Path
    essays: int
    topics: int
    cases: int
    words: int

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def docs(self) -> Path:
        return self.root / "content" / "pages"


def scale_sizes(scale: int) -> tuple[int, int, int]:
    """(essays, topics, case studies) of a generated corpus at ``scale`` times the seeds."""
    return 2 * scale, max(2, round(5 * math.sqrt(scale))), 10 * scale


def make_topics(n: int, rng: random.Random) -> list[TopicSpec]:
    out: list[TopicSpec] = []
    for i in range(n):
        slug, title, terms = CATALOGUE[i % len(CATALOGUE)]
        rnd = i // len(CATALOGUE)
        if rnd:  # past the catalogue: the same subject in one region ("Sahel peacekeeping")
            region = REGIONS[(rnd - 1) % len(REGIONS)] + ("" if rnd <= len(REGIONS) else f" {rnd}")
            slug = f"{slug}-{re.sub(r'[^a-z0-9]+', '-', region.lower())}"
            title = f"{region} {title[0].lower() + title[1:] if not title[:2].isupper() else title}"
            terms = [f"{region} {t}" for t in terms]
        out.append(TopicSpec(slug, title, list(terms)))
    slugs = [t.slug for t in out]
    for t in out:
        others = [s for s in slugs if s != t.slug]
        t.related = rng.sample(others, min(len(others), rng.randint(1, 3)))
    return out


def make_cases(n: int, topics: list[TopicSpec], rng: random.Random) -> list[CaseSpec]:
    names: set[str] = set()
    out: list[CaseSpec] = []
    slugs = [t.slug for t in topics]
    while len(out) < n:
        kind = rng.randrange(4)
        place = rng.choice(COUNTRIES)
        org = rng.choice(ORGANISATIONS)
        places = [place] + ([rng.choice([c for c in COUNTRIES if c != place])] if rng.random() < 0.3 else [])
        actors = [org] + ([rng.choice(COUNTRIES)] if rng.random() < 0.4 else [])
        if kind == 0:
            name = f"Operation {rng.choice(CODE_ADJ)} {rng.choice(CODE_NOUN)}"
        elif kind == 1:
            name = f"Exercise {rng.choice(CODE_ADJ)} {rng.choice(CODE_NOUN)}"
        elif kind == 2:
            name = f"{org} mission in {place}"
            places = [place]
        else:
            other = rng.choice([c for c in COUNTRIES if c != place])
            name = f"{place}-{other} Defence Accord"
            places, actors = [place, other], [place, other]
        if len(names) > 3000:  # past what the word lists give: number them
            name = f"{name} {len(out) + 1}"
        key = re.sub(r"[^a-z0-9]+", "-", name.lower())
        if key in names:
            continue
        names.add(key)
        home = rng.choice(slugs)
        extra = rng.sample([s for s in slugs if s != home], min(len(slugs) - 1, rng.choice([0, 0, 1, 1, 2])))
        start = rng.randint(1950, 2018)
        years = f"{start}-present" if rng.random() < 0.3 else f"{start}-{start + rng.randint(1, 9)}"
        out.append(CaseSpec(name, home, extra, list(dict.fromkeys(places)), list(dict.fromkeys(actors)), years))
    return out


def _plural(term: str, rng: random.Random) -> str:
    if term[:1].isupper() or rng.random() < 0.6 or " and " in term:
        return term
    if term.endswith("y") and term[-2:-1] not in "aeiou":
        return term[:-1] + "ies"
    if term.endswith(("s", "x", "ch", "sh")):
        return term + "es"
    return term + "s"


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _heading_title(title: str) -> str:
    small = {"and", "of", "in", "the", "to", "for", "on"}
    words = title.split(" ")
    return " ".join(w if w[:1].isupper() or (i and w in small) else _cap(w) for i, w in enumerate(words))


class _Writer:
    """Sentences, paragraphs and lists about one topic at a time."""

    def __init__(self, topics: list[TopicSpec], rng: random.Random) -> None:
        self.topics = topics
        self.rng = rng

    def term(self, topic: TopicSpec) -> str:
        return _plural(self.rng.choice(topic.terms), self.rng)

    def sentence(self, topic: TopicSpec) -> str:
        r = self.rng
        t = self.term(topic)
        k = r.randrange(7)
        if k == 0:
            return f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {t} to {r.choice(GOALS)}, {r.choice(OUTCOMES)}."
        if k == 1:
            return f"Through {t}, {r.choice(SUBJECTS).lower()} can {r.choice(GOALS)} and {r.choice(GOALS)}."
        if k == 2:
            return f"In many regions, {t} has become a practical way to {r.choice(GOALS)}, {r.choice(OUTCOMES)}."
        if k == 3:
            return f"{r.choice(ACTORS_PL)} that invest in {t} often find it easier to {r.choice(GOALS)}."
        if k == 4:
            return f"The record of {t} shows that {r.choice(CLAIMS)}, and that {r.choice(CLAIMS)}."
        if k == 5:
            return f"Critics argue that {t} can {r.choice(RISKS)}, which is why {r.choice(MITIGATIONS)}."
        return f"{r.choice(CONNECTORS)}, {t} helps {r.choice(ACTORS_PL).lower()} {r.choice(GOALS)} {r.choice(OUTCOMES)}."

    def paragraph(self, topic: TopicSpec, extra: list[str] | None = None) -> str:
        sents = [self.sentence(topic) for _ in range(self.rng.choice([2, 3, 3]))]
        if self.rng.random() < 0.35:  # a passing mention of another topic
            sents.insert(self.rng.randrange(len(sents) + 1), self.sentence(self.rng.choice(self.topics)))
        for s in extra or []:
            sents.insert(self.rng.randrange(1, len(sents) + 1), s)
        return " ".join(sents)

    def list_block(self, topic: TopicSpec) -> tuple[str, list[str], bool]:
        intro = f"{self.rng.choice(SUBJECTS)} {self.rng.choice(VERBS)} {self.term(topic)} through several mechanisms:"
        items = [it.format(t=self.term(topic)) for it in self.rng.sample(LIST_ITEMS, self.rng.randint(3, 4))]
        return intro, items, self.rng.random() < 0.35


def case_sentence(case: CaseSpec, topic: TopicSpec, rng: random.Random) -> str:
    tpl = rng.choice(CASE_SENTENCES)
    actor = case.actors[0] if case.actors[0] in COUNTRIES else f"the {case.actors[0]}"
    return tpl.format(
        case=case.name,
        Case=_cap(case.name),
        actor=actor,
        place=" and ".join(case.places),
        goal=rng.choice(GOALS),
        t=_plural(rng.choice(topic.terms), rng),
    )


def make_essay(
    slug: str, shape: str, main: TopicSpec, topics: list[TopicSpec], cases: list[CaseSpec], rng: random.Random
) -> tuple[str, str, int]:
    """Essay text, its title and its word count; fills in the quote of each case it names."""
    by_slug = {t.slug: t for t in topics}
    w = _Writer(topics, rng)
    focus: list[TopicSpec] = [main]
    for c in cases:
        if by_slug[c.home] not in focus:
            focus.append(by_slug[c.home])
    n_sections = max(len(focus) + 1, rng.randint(11, 13))
    while len(focus) < n_sections:
        focus.append(main if rng.random() < 0.25 else rng.choice(topics))
    order = [focus[0], *rng.sample(focus[1:], len(focus) - 1)]
    # Each case goes into the first section about its home topic.
    pending: dict[int, list[str]] = {}
    for c in cases:
        idx = next(i for i, t in enumerate(order) if t.slug == c.home)
        c.quote = case_sentence(c, by_slug[c.home], rng)
        c.essay = slug
        pending.setdefault(idx, []).append(c.quote)

    title = rng.choice(TITLES).format(T=_heading_title(main.title))
    blocks: list[list[str]] = []  # each block: its lines
    blocks.append([w.paragraph(main)])
    blocks.append([w.paragraph(main)])
    used: set[str] = set()
    for i, topic in enumerate(order):
        heading = rng.choice([h for h in HEADINGS if h not in used] or HEADINGS)
        used.add(heading)
        blocks.append([heading.format(T=_heading_title(topic.title))])
        quotes = pending.get(i, [])
        n_par = rng.choice([3, 3, 4])
        for p in range(n_par):
            extra = quotes[p::n_par]
            blocks.append([w.paragraph(topic, extra)])
            if p == 0 and (i == 1 or rng.random() < 0.25):  # every essay has a list
                intro, items, ordered = w.list_block(topic)
                blocks.append([intro])
                blocks.append([f"{n}. {it}" if ordered else f"- {it}" for n, it in enumerate(items, 1)])
        if i == 2 or rng.random() < 0.18:  # and some debris
            blocks.insert(len(blocks) - 1, [rng.choice(DEBRIS).format(T=_heading_title(rng.choice(topics).title))])
    if shape == "lines":
        text = "\n".join(line for b in blocks for line in b) + "\n"
    else:
        text = title + "\n\n" + "\n\n".join("\n".join(b) for b in blocks) + "\n"
    return text, title, len(text.split())


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:  # the topic loader refuses anchors and aliases
        return True


def _dump(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def _topic_yaml(t: TopicSpec, cases: list[CaseSpec], topics: list[TopicSpec], rng: random.Random) -> str:
    a, b = rng.sample(t.terms, 2) if len(t.terms) > 1 else (t.terms[0], t.terms[0])
    summary = (
        f"{t.title} covers how armed forces use {a} and {b} in relations between states. "
        f"The essays present it as a way to {rng.choice(GOALS)}, and note that {rng.choice(CLAIMS)}."
    )
    data = {
        "title": t.title,
        "summary": summary,
        "terms": list(t.terms),
        "related": list(t.related),
        "case_studies": [
            {
                "name": c.name,
                "years": c.years,
                "places": list(c.places),
                "actors": list(c.actors),
                "summary": f"{c.name} is one of the cases the essays cite for {t.title.lower()}. "
                f"It shows {', '.join(c.actors)} working in {' and '.join(c.places)} to {rng.choice(GOALS)} [1].",
                **({"topics": list(c.extra)} if c.extra else {}),
                **({"as_of": "2026-12-01"} if c.years.endswith("present") else {}),
                "source": {"essay": c.essay, "quote": c.quote},
                # Like the real content, every fact rests on a reference (a made-up one: this corpus is for timing).
                "references": [
                    {
                        "title": f"{c.name}: fact sheet",
                        "publisher": rng.choice(["United Nations", "NATO", "African Union", "European Union"]),
                        "date": f"{rng.randint(1995, 2025)}-{rng.randint(1, 12):02d}",
                        "url": "https://example.org/cases/" + re.sub(r"[^a-z0-9]+", "-", c.name.lower()).strip("-"),
                    }
                ],
            }
            for c in cases
        ],
    }
    return "# yaml-language-server: $schema=../topic.schema.json\n" + _dump(data)


def generate(out: Path, essays: int, topics: int, cases: int, seed: int = 0) -> Corpus:
    """Write a corpus of ``essays`` essays, ``topics`` topic files and ``cases`` case studies under ``out``."""
    rng = random.Random(f"diplokb-bench-{seed}-{essays}-{topics}-{cases}")
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    seeds, tdir, pages = out / "seeds", out / "content" / "topics", out / "content" / "pages"
    for d in (seeds, tdir, pages):
        d.mkdir(parents=True)
    tspecs = make_topics(topics, rng)
    cspecs = make_cases(cases, tspecs, rng)
    per_essay: list[list[CaseSpec]] = [[] for _ in range(essays)]
    for i, c in enumerate(cspecs):
        per_essay[i % essays].append(c)
    meta: dict[str, dict[str, str]] = {}
    words = 0
    for i in range(essays):
        main = tspecs[i % len(tspecs)]
        shape = "lines" if i % 2 == 0 else "blocks"
        slug = f"essay-{i + 1:04d}-{main.slug}"
        text, title, n = make_essay(slug, shape, main, tspecs, per_essay[i], rng)
        (seeds / f"{slug}.txt").write_text(text, encoding="utf-8")
        words += n
        if shape == "lines":  # no title line: the title comes from essays.yaml, as for the seeds
            meta[slug] = {"title": title}
    (seeds / "essays.yaml").write_text("# Titles of the essays that have no title line.\n" + _dump(meta), encoding="utf-8")
    for t in tspecs:
        mine = [c for c in cspecs if c.home == t.slug]
        (tdir / f"{t.slug}.yaml").write_text(_topic_yaml(t, mine, tspecs, rng), encoding="utf-8")
    for p in sorted((SITE / "content" / "pages").glob("*.md")):
        shutil.copy2(p, pages / p.name)
    write_config(out)
    return Corpus(out, essays, topics, cases, words)


def copy_seeds(out: Path) -> Corpus:
    """The real seed site (the repository's ``seeds/`` and ``content/``), copied so edits never touch it."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copytree(SITE / "seeds", out / "seeds")
    shutil.copytree(SITE / "content", out / "content")
    (out / "content" / "pages").mkdir(exist_ok=True)
    write_config(out)
    essays = sorted((out / "seeds").glob("*.txt"))
    n_cases = sum(
        len((yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("case_studies") or [])
        for p in (out / "content" / "topics").glob("*.yaml")
    )
    return Corpus(
        out,
        len(essays),
        len(list((out / "content" / "topics").glob("*.yaml"))),
        n_cases,
        sum(len(p.read_text(encoding="utf-8").split()) for p in essays),
    )


def build_scale(scale: int, out: Path, seed: int = 0) -> Corpus:
    """Scale 1 is the seed site; any other scale a generated corpus of :func:`scale_sizes`."""
    if scale == 1:
        return copy_seeds(out)
    return generate(out, *scale_sizes(scale), seed=seed)


def _replace(text: str, pattern: str, new: str) -> str:
    out, n = re.subn(pattern, new, text, count=1, flags=re.MULTILINE)
    if n != 1:
        raise RuntimeError(f"the repository's mkdocs.yml has no match for {pattern!r}; update bench/corpus.py:write_config")
    return out


_DIPLOKB_ENTRY = r"^([ \t]*)- diplokb(?::[ \t]*)?(?:#.*)?\n(?:\1[ \t]+\S.*\n)*"


def config_text(docs_dir: str, diplokb: bool = True, extra: str = "") -> str:
    """The repository's mkdocs.yml with another docs_dir, the diplokb plugin pointed at ``content/`` and
    ``seeds/`` next to the config (or left out), and ``extra`` appended."""
    text = (SITE / "mkdocs.yml").read_text(encoding="utf-8")
    text = _replace(text, r"^docs_dir:.*$", f"docs_dir: {docs_dir}")
    entry = "\\1- diplokb:\n\\1    content_dir: content\n\\1    seeds_dir: seeds\n" if diplokb else ""
    text = _replace(text, _DIPLOKB_ENTRY, entry)
    return text + extra


def write_config(root: Path) -> Path:
    """``root/mkdocs.yml``: the site's own configuration, its diplokb plugin pointed at ``root``'s corpus."""
    path = root / "mkdocs.yml"
    path.write_text(config_text("content/pages"), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="folder to (re)create")
    ap.add_argument("--scale", type=int, help="1 (the seeds), 10, 100, ...")
    ap.add_argument("--essays", type=int)
    ap.add_argument("--topics", type=int)
    ap.add_argument("--cases", type=int)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.scale is not None:
        c = build_scale(args.scale, Path(args.out), args.seed)
    elif None not in (args.essays, args.topics, args.cases):
        c = generate(Path(args.out), args.essays, args.topics, args.cases, args.seed)
    else:
        ap.error("give --scale, or all of --essays, --topics and --cases")
    print(f"{c.root}: {c.essays} essays ({c.words} words), {c.topics} topics, {c.cases} case studies; mkdocs -f {c.config}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
