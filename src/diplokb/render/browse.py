"""The case browser and the Bibliography page.

The browser is every case study as one list, each item carrying its facets (topics, decades, places,
actors, ongoing or ended) as short tokens; the site's own script (``diplokb.js``) shows the filters,
hides what does not match, counts what each choice would leave, and keeps the choices in the page's
address so a filtered view can be shared. The data is the page itself: nothing is fetched, so it
works from the offline copy opened from disk, and without JavaScript the page is the full list.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from ..content.schema import Reference
from ..urls import BIBLIOGRAPHY, BROWSE, CASE_INDEX, case_page, html_href
from .context import Context
from .copy import count
from .markup import Block, Heading, Page, attr, esc, nosearch_div, para, ul
from .timeline import span

FACETS = (
    ("topic", "Topic", "All topics"),
    ("decade", "Decade", "Any decade"),
    ("place", "Place", "Any place"),
    ("actor", "Actor", "Any actor"),
)
STATUS = (("ongoing", "Ongoing"), ("ended", "Ended"))
REFERENCES_LISTED_MAX = 600  # references the Bibliography lists one by one (about 0.3 kB each)
EXPORT_REFERENCES = "exports/references.json"


def _decades(years: tuple[int, int] | None) -> list[str]:
    if years is None:
        return []
    return [f"{d}s" for d in range(years[0] // 10 * 10, years[1] + 1, 10)]


def page(r: Context) -> Page:
    kb = r.kb
    p = BROWSE
    this_year = kb_year(r)
    values: dict[str, dict[str, str]] = {f: {} for f, _l, _a in FACETS}  # facet -> value -> label
    tokens: dict[tuple[str, str], str] = {}
    n_of: dict[tuple[str, str], int] = defaultdict(int)

    def token(facet: str, value: str) -> str:
        # A short name per facet value (base 36), unique across facets: a thousand items stay small.
        return tokens.setdefault((facet, value), _base36(len(tokens)))

    items = []
    for c in sorted(kb.cases.values(), key=lambda c: c.name.casefold()):
        s = span(c, this_year)
        facets: list[tuple[str, str, str]] = [("topic", t, r.topics[t].title) for t in c.topics]
        facets += [("decade", d, d) for d in _decades((s.start, s.end) if s else None)]
        facets += [("place", kb.entity(x).anchor, kb.entity(x).name) for x in c.places]
        facets += [("actor", kb.entity(x).anchor, kb.entity(x).name) for x in c.actors]
        facets.append(("status", "ongoing" if c.ongoing else "ended", ""))
        toks = []
        for facet, value, label in dict.fromkeys(facets):
            if facet != "status":
                values[facet][value] = label
            toks.append(token(facet, value))
            n_of[(facet, value)] += 1
        # Name and years only (the places are a filter): a thousand cases stay under the page size limit.
        items.append(f'<li data-f="{" ".join(toks)}">{r.link(p, case_page(c.id), c.name)} {esc(c.years)}</li>')
    selects = []
    for facet, label, anyone in FACETS:
        order = sorted(values[facet].items(), key=lambda kv: kv[0] if facet == "decade" else kv[1].casefold())
        opts = [f'<option value="">{esc(anyone)}</option>']
        opts += [f'<option value="{attr(v)}" data-k="{tokens[(facet, v)]}">{esc(lab)} ({n_of[(facet, v)]})</option>' for v, lab in order]
        selects.append(
            f'<p class="kb-browse-facet"><label for="kb-f-{facet}">{label}</label> '
            f'<select id="kb-f-{facet}" name="{facet}">{"".join(opts)}</select></p>'
        )
    status = ['<option value="">Ongoing or ended</option>'] + [
        f'<option value="{v}" data-k="{tokens[("status", v)]}">{lab} ({n_of[("status", v)]})</option>'
        for v, lab in STATUS
        if ("status", v) in tokens
    ]
    selects.append(
        f'<p class="kb-browse-facet"><label for="kb-f-status">Status</label> <select id="kb-f-status" name="status">{"".join(status)}</select></p>'
    )
    form = (
        '<form id="kb-browse" class="kb-browse kb-js-only">\n'
        + "".join(selects)
        + '\n<p class="kb-browse-status"><span id="kb-browse-count" role="status"></span> '
        '<button type="reset">Clear filters</button></p>\n</form>'
    )
    n = count(len(kb.cases), "case study", "case studies")
    out: list[Block] = [
        Heading(1, "Browse case studies"),
        para(
            esc(f"All {n}, to narrow down by topic, decade, place, actor and whether the case is still running. ")
            + "Each choice shows how many cases it leaves; the page's address keeps the choices, to share a filtered list. "
            + f"The same cases as a table: {r.link(p, CASE_INDEX, 'Case studies')}."
        ),
        form,
        nosearch_div(f'<ul id="kb-browse-list" class="kb-browse-list">\n{"".join(items)}\n</ul>'),
        para("No case study matches all of these choices.", "kb-browse-none"),
    ]
    return Page.of(p, "Browse case studies", "Every case study, filtered by topic, decade, place, actor and status.", out)


def _base36(n: int) -> str:
    out = ""
    while True:
        n, d = divmod(n, 36)
        out = "0123456789abcdefghijklmnopqrstuvwxyz"[d] + out
        if n == 0:
            return out


def kb_year(r: Context) -> int:
    return r.site.date.year if r.site is not None else datetime.date.today().year


def references(r: Context) -> list[tuple[Reference, list[str]]]:
    """Every reference once (the same address and title), with the case studies citing it, by publisher and title."""
    cited: dict[tuple[str, str], tuple[Reference, list[str]]] = {}
    for c in sorted(r.kb.cases.values(), key=lambda c: c.name.casefold()):
        for ref in c.references:
            cited.setdefault((ref.url, ref.title), (ref, []))[1].append(c.id)
    return sorted(cited.values(), key=lambda rc: (rc[0].publisher.casefold(), rc[0].title.casefold(), rc[0].date))


def bibliography(r: Context) -> Page:
    kb = r.kb
    p = BIBLIOGRAPHY
    refs = references(r)
    download = f'<a href="{html_href(p, EXPORT_REFERENCES, r.directory_urls)}" download>the whole bibliography</a>'
    out: list[Block] = [
        Heading(1, "Bibliography"),
        para(
            esc(f"Every public reference the case studies cite ({count(len(refs), 'reference', 'references')}), once each, ")
            + f"with the case studies citing it. For a reference manager: {download} (CSL-JSON, which Zotero and others import)."
        ),
    ]
    shown = refs if len(refs) <= REFERENCES_LISTED_MAX else [rc for rc in refs if len(rc[1]) > 1][:REFERENCES_LISTED_MAX]
    if len(shown) < len(refs):
        out.append(
            para(
                esc(
                    f"Listed here: the {count(len(shown), 'reference', 'references')} cited by more than one case; each case study lists its own."
                )
            )
        )
    items = []
    for ref, cases in shown:
        links = ", ".join(r.link(p, case_page(c), kb.cases[c].name) for c in cases)
        items.append(
            f'{esc(ref.publisher)}: <a href="{attr(ref.url)}" rel="noopener">{esc(ref.title)}</a> ({esc(ref.date)}). Cited in {links}.'
        )
    out.append(nosearch_div(ul(items)) if items else para("No case study cites a reference yet."))
    return Page.of(p, "Bibliography", "Every public reference the case studies cite, with the cases citing it.", out)
