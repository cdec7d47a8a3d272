"""What every page gets after its builder: "Cite this page", ``citation_*`` tags and schema.org JSON-LD.

:func:`finish` is called by the render stage on each page a builder returned. Pages that are cited
(a topic, an essay, a case study, an actor, a place) end in a "Cite this page" section: the
citation in APA, Chicago and MLA (:mod:`~diplokb.render.cite`), downloads as BibTeX, RIS and
CSL-JSON, and the page's references the same way. Every page carries JSON-LD
(:mod:`~diplokb.render.linkeddata`); cited pages carry the Highwire tags too. Both go to the page's
``<head>`` through its front matter (the theme's ``main.html`` writes them).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from markupsafe import Markup

from ..content.schema import Reference
from ..urls import BROWSE, url_of
from . import cite, linkeddata
from .context import Context
from .markup import Block, Heading, Page, attr, esc, para

CITED = ("topics/", "essays/", "case-studies/", "actors/", "places/")


def cited(path: str) -> bool:
    return path.startswith(CITED) and not path.endswith("index.md") and path != BROWSE


def references_of(r: Context, path: str) -> list[Reference]:
    """The public references a page lists: a case study's, or an actor's or place's description's."""
    kb = r.kb
    if path.startswith("topics/") and path.removeprefix("topics/").removesuffix(".md") in kb.topic:
        return list(kb.topic[path.removeprefix("topics/").removesuffix(".md")].references)
    if path.startswith("case-studies/"):
        c = kb.cases.get(path.removeprefix("case-studies/").removesuffix(".md"))
        return list(c.references) if c else []
    ent = kb.entity_at.get(path) if path.startswith(("actors/", "places/")) else None
    return list(ent.info.references) if ent is not None and ent.info is not None else []


def finish(r: Context, page: Page) -> Page:
    """The page with its JSON-LD, and, for a cited page, "Cite this page" and its ``citation_*`` tags."""
    site = r.site
    url = url_of(page.path, r.directory_urls)
    refs = references_of(r, page.path)
    jsonld = linkeddata.script_json(linkeddata.for_page(r, page, refs))
    if not cited(page.path):
        return replace(page, jsonld=jsonld)
    slug = page.path.removesuffix(".md").replace("/", "-")
    item = cite.page_item(site, slug, page.title, url)
    blocks: list[Block] = [
        *page.blocks,
        Heading(2, "Cite this page", "cite-this-page", nosearch=True),
        _cite_html(r, page, item, refs, slug),
    ]
    return replace(Page.of(page.path, page.title, page.description, blocks), jsonld=jsonld, head=cite.highwire(site, page.title, url))


def _downloads(r: Context, items: list[dict[str, Any]], name: str, what: str) -> str:
    links = [
        f'<a download="{attr(name)}.bib" href="{cite.data_uri(cite.bibtex(items, r.citer.latex), "application/x-bibtex")}">BibTeX</a>',
        f'<a download="{attr(name)}.ris" href="{cite.data_uri(cite.ris(items), "application/x-research-info-systems")}">RIS</a>',
        f'<a download="{attr(name)}.json" href="{cite.data_uri(cite.csl_json(items), "application/vnd.citationstyles.csl+json")}">CSL-JSON</a>',
    ]
    return para(f"{esc(what)}: " + " · ".join(links), "kb-cite-downloads")


def _cite_html(r: Context, page: Page, item: dict[str, Any], refs: list[Reference], slug: str) -> str:
    formatted = r.citer.formatted(page.title, url_of(page.path, r.directory_urls))
    rows = "".join(f"<dt>{esc(label)}</dt>\n<dd>{html}</dd>\n" for label, html in formatted)
    out = [f'<dl class="kb-cite-styles">\n{rows}</dl>', _downloads(r, [item], slug, "Download this citation")]
    if refs:
        items = [cite.reference_item(ref, f"{slug}-ref-{n}") for n, ref in enumerate(refs, 1)]
        out.append(_downloads(r, items, f"{slug}-references", "Download its references"))
    note = (
        f"The dates are the day this copy of the site was made ({r.site.date.day} {r.site.date:%B %Y}); "
        "give the day you read the page if your style asks for it."
    )
    out.append(para(esc(note), "kb-meta"))
    # A div, not <details>: the citation is what a reader came for; it stays out of the search index.
    return '<div class="kb-cite" data-search-exclude="data-search-exclude">\n' + "\n".join(out) + "\n</div>"


# A page's front matter as MkDocs reads it (mkdocs.utils.meta.YAML_RE).
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_FIRST_P = re.compile(r"<p>(.*?)</p>", re.DOTALL)
LEAD_LENGTH = 300


def lead(body: str) -> str:
    """A hand-written page's description when its front matter gives none: the first paragraph of its
    HTML ``body`` as text, cut at a word past 300 characters (as Jinja's ``truncate`` cuts), and
    HTML-escaped as the generated pages' front matter is; "" for a paragraph of 20 characters or fewer.

    Made here rather than in the theme, whose Jinja has no string methods in the second engine the
    export builds with: the plugin gives it the built page, the export the page's Markdown converted."""
    m = _FIRST_P.search(body)
    text = " ".join(Markup(m[1]).striptags().split()) if m else ""  # striptags: what Jinja's filter does
    if len(text) <= 20:
        return ""
    if len(text) > LEAD_LENGTH:
        text = text[: LEAD_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return attr(text)
