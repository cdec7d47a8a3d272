"""Hostile and accidental input (issue 13): names are data, the last good site survives, inputs stay inside.

Each test is one case of the issue run in a private copy of the project, through the real
``mkdocs build`` or ``diplokb`` command: a clear ``path:line:col`` message, no traceback, no live
markup, nothing outside the project read, and the last good site intact.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import urllib.parse
from pathlib import Path

import pytest

from diplokb.match import TermMatcher
from diplokb.text import MAX_SLUG_BYTES, slugify

from .conftest import diplokb, mkdocs
from .test_build import attributes

pytestmark = pytest.mark.slow

NB = "military-diplomacy-and-nation-building"
FR = "military-diplomacy-and-foreign-relations"
KFOR_QUOTE = "NATO's involvement in Kosovo through the KFOR mission"


def live_markup(site: Path) -> list[str]:
    """Every event-handler attribute, and every script that is not Material's own, in the built HTML."""
    found = []
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found += [f"{path}: {tag} {name}" for tag, name in attributes(text) if name.lower().startswith("on")]
        for script in re.findall(r"<script[^>]*>(.*?)</script>", text, flags=re.S):
            if "alert(" in script:
                found.append(f"{path}: script {script[:80]}")
    return found


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def add_case(project: Path, name: str, *, actors: list[str] | None = None, topic: str = "peacekeeping") -> None:
    """Append a case study quoting the KFOR sentence to a topic file."""
    path = project / "content/topics" / f"{topic}.yaml"
    entry = (
        f"  - name: {json.dumps(name, ensure_ascii=False)}\n"
        f"    actors: {json.dumps(actors or ['NATO'], ensure_ascii=False)}\n"
        f"    summary: A case study added by a test.\n"
        f"    source:\n      essay: {FR}\n      quote: {json.dumps(KFOR_QUOTE)}\n"
    )
    text = path.read_text(encoding="utf-8")
    assert "case_studies:\n" in text
    path.write_text(text.rstrip("\n") + "\n" + entry, encoding="utf-8")


def built_ok(project: Path) -> Path:
    res = mkdocs(project, "build", "--strict")
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    return project / "site"


# -- 1. Names are data, never syntax ------------------------------------------------------------


def test_file_name_with_event_handler_is_text(project: Path) -> None:
    """Issue case 1: an essay named `x onmouseover=alert(1) y.txt` builds strictly with no live handler anywhere."""
    shutil.copy(project / "seeds" / f"{FR}.txt", project / "seeds" / "x onmouseover=alert(1) y.txt")
    site = built_ok(project)
    assert live_markup(site) == []
    page = (site / "essays" / slugify("x onmouseover=alert(1) y") / "index.html").read_text(encoding="utf-8")
    assert "<title>X onmouseover=alert(1) y - " in page  # the name, shown as text in the title


@pytest.mark.parametrize(
    ("name", "title"), [("Étude sur l'OTAN", "Étude sur l'OTAN"), ("C#-and-50%", "C# and 50%"), ("日本語の論文", "日本語の論文")]
)
def test_ordinary_odd_file_names_keep_links_and_anchors(project: Path, name: str, title: str) -> None:
    """Spaces, apostrophes, accents, `#` and `%` in an essay's file name: strict build (anchors checked), linked pages."""
    shutil.copy(project / "seeds" / f"{FR}.txt", project / "seeds" / f"{name}.txt")
    site = built_ok(project)
    slug = slugify(name)
    assert re.fullmatch(r"[\w-]+", slug) and "#" not in slug and "%" not in slug
    page = (site / "essays" / slug / "index.html").read_text(encoding="utf-8")
    assert f"<title>{html.escape(title)} - " in page
    index = (site / "essays" / "index.html").read_text(encoding="utf-8")
    assert f'href="{urllib.parse.quote(slug)}/"' in index
    k = json.loads((site / "knowledge.json").read_text(encoding="utf-8"))
    assert any(e["slug"] == slug for e in k["essays"])


def test_case_study_may_name_essay_by_file_name(project: Path) -> None:
    """A case study's `source.essay` may be the file name as written (`Étude sur l'OTAN`), not only its slug."""
    shutil.copy(project / "seeds" / f"{FR}.txt", project / "seeds" / "Étude sur l'OTAN.txt")
    path = project / "content/topics/peacekeeping.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").rstrip("\n")
        + f'\n  - name: KFOR again\n    summary: S.\n    source:\n      essay: "Étude sur l\'OTAN"\n      quote: "{KFOR_QUOTE}"\n',
        encoding="utf-8",
    )
    site = built_ok(project)
    case = (site / "case-studies" / "kfor-again" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../essays/etude-sur-lotan/#' in case


@pytest.mark.parametrize("name", ["中" * 87, "a" * 5000, "Kosovo " * 300])
def test_long_case_study_names_build(project: Path, name: str) -> None:
    """Issue case 4: 87 Chinese characters (261 bytes) or 5,000 letters: check and build pass, file names stay short."""
    add_case(project, name)
    res = diplokb(project, "check")
    assert res.returncode == 0, res.stderr
    site = built_ok(project)
    slug = slugify(name)
    assert len(slug.encode("utf-8")) <= MAX_SLUG_BYTES
    assert re.search(r"-[0-9a-f]{8}$", slug)  # cut, with a stable hash of the whole name
    assert (site / "case-studies" / slug / "index.html").is_file()
    assert len(list((site / "case-studies").iterdir())) == 1 + len(json.loads((site / "knowledge.json").read_text())["case_studies"])


def test_long_slugs_are_stable_and_distinct() -> None:
    """Two long names that differ only at the end get different slugs; the same name always the same one."""
    a, b = "x" * 300 + "a", "x" * 300 + "b"
    assert slugify(a) != slugify(b)
    assert slugify(a) == slugify(a) and slugify(slugify(a)) == slugify(a)
    assert len(slugify("é" * 1000).encode("utf-8")) <= MAX_SLUG_BYTES


def test_long_terms_and_actors_build(project: Path) -> None:
    """Issue case 5: a 1,000-character term and actor name pass check and build (no RecursionError)."""
    long_term = " ".join(["peacekeeping"] * 80)[:1000]
    path = project / "content/topics/alliances.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("terms:\n", f"terms:\n  - {json.dumps(long_term)}\n", 1), encoding="utf-8")
    add_case(project, "Long actor", actors=["NATO " * 200 + "Force"])
    res = diplokb(project, "check")
    assert res.returncode == 0, res.stderr
    built_ok(project)


def test_matcher_handles_deep_prefix_trees() -> None:
    """The term matcher takes terms thousands of characters long, and terms nested one in another hundreds deep."""
    m = TermMatcher([("x" * 3000, "long"), ("peace", "p")])
    assert [h.key for h in m.finditer("a " + "x" * 3000 + " peace")] == ["long", "p"]
    nested = TermMatcher([("a" * i, f"k{i}") for i in range(1, 600)])
    assert [h.key for h in nested.finditer("aaa " + "a" * 500)] == ["k3", "k500"]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: add_case(p, "Index"), "case study id 'index' is reserved"),
        (
            lambda p: (p / "content/topics/index.yaml").write_text("title: Index\nsummary: S.\nterms: [index]\n", encoding="utf-8"),
            "topic file name 'index' is reserved",
        ),
        (lambda p: shutil.copy(p / "seeds" / f"{FR}.txt", p / "seeds" / "index.txt"), "essay file name 'index' is reserved"),
        (lambda p: shutil.copy(p / "seeds" / f"{FR}.txt", p / "seeds" / "INDEX.txt"), "essay file name 'index' is reserved"),
    ],
    ids=["case-study", "topic", "essay", "essay-upper"],
)
def test_reserved_names_are_errors(project: Path, setup, message: str) -> None:  # type: ignore[no-untyped-def]
    """Issue case 6: "Index" as a case study, topic or essay would replace a site index page: check and build fail, site kept."""
    site = built_ok(project)
    before = snapshot(site)
    setup(project)
    res = diplokb(project, "check")
    assert res.returncode == 1 and message in res.stderr, res.stderr
    assert "Traceback" not in res.stderr
    for args in (["build"], ["build", "--strict"]):
        res = mkdocs(project, *args)
        assert res.returncode == 1 and message in res.stderr, res.stderr
        assert "Traceback" not in res.stderr
    assert snapshot(site) == before


def test_colliding_essay_names_are_errors(project: Path) -> None:
    """Two essay files that make the same page name (`Foo Bar.txt`, `foo-bar.txt`) are an error naming both."""
    for name in ("Foo Bar.txt", "foo-bar.txt"):
        shutil.copy(project / "seeds" / f"{FR}.txt", project / "seeds" / name)
    res = diplokb(project, "check")
    assert res.returncode == 1
    assert "seeds/foo-bar.txt" in res.stderr and "seeds/Foo Bar.txt" in res.stderr and "`foo-bar`" in res.stderr


def test_actor_named_like_a_section_keeps_anchors_unique(project: Path) -> None:
    """An actor called "Actors" or "Places" does not take the anchor of the page's own section headings."""
    add_case(project, "Anchor clash", actors=["Actors", "Places"])
    site = built_ok(project)
    text = (site / "actors" / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids))


# -- 2. The last good site survives every failure -----------------------------------------------


def _move_topics(p: Path) -> None:
    (p / "content/topics").rename(p / "topics-elsewhere")


def _content_dir_nowhere(p: Path) -> None:
    cfg = p / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("  - diplokb\n", "  - diplokb:\n      content_dir: nowhere\n"), encoding="utf-8")


FAILURES = {
    "topics-moved-away": (_move_topics, "content/topics: folder not found"),
    "content-dir-missing": (_content_dir_nowhere, "nowhere: content_dir: folder not found"),
    "empty-essay": (lambda p: (p / "seeds/empty.txt").write_bytes(b""), "seeds/empty.txt:1:1: essay has no paragraphs"),
    "binary-essay": (lambda p: (p / "seeds/blob.txt").write_bytes(bytes(range(256)) * 40), "seeds/blob.txt"),
}


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_failed_strict_build_keeps_last_good_site(project: Path, case: str) -> None:
    """Issue case 2: whatever fails a strict build (errors or warnings), site/ stays byte for byte the last good site."""
    site = built_ok(project)
    (site / ".git").mkdir()
    before = snapshot(site)
    assert len([p for p in before if p.endswith(".html")]) >= 30
    breakage, message = FAILURES[case]
    breakage(project)
    res = mkdocs(project, "build", "--strict")
    assert res.returncode == 1
    assert message in res.stderr, res.stderr
    assert "Traceback" not in res.stderr
    assert snapshot(site) == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []  # no staging folder left


def test_crash_midway_keeps_last_good_site(project: Path) -> None:
    """A build that dies after pages were written (here a hook raising on one page) leaves site/ as it was."""
    site = built_ok(project)
    before = snapshot(site)
    (project / "crash.py").write_text(
        "def on_post_page(output, page, config):\n    if 'graph' in page.file.src_uri:\n        raise RuntimeError('boom')\n    return output\n",
        encoding="utf-8",
    )
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "\nhooks:\n  - crash.py\n", encoding="utf-8")
    res = mkdocs(project, "build")
    assert res.returncode == 1 and "boom" in res.stderr
    assert snapshot(site) == before


def test_successful_build_replaces_site_and_keeps_hidden_entries(project: Path) -> None:
    """A good build swaps the new site in: stale pages go, a `.git` kept in site/ (gh-pages checkout) stays."""
    site = built_ok(project)
    (site / ".git").mkdir()
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (site / "stale.html").write_text("old", encoding="utf-8")
    (project / "content/topics/training.yaml").write_text("title: Training\nsummary: S.\nterms: [training]\n", encoding="utf-8")
    built_ok(project)
    assert (site / "topics" / "training" / "index.html").is_file()
    assert not (site / "stale.html").exists()
    assert (site / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/gh-pages\n"
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def test_quiet_strict_build_fails_on_warnings(project: Path) -> None:
    """Issue case 9: `mkdocs build -q --strict` fails where `mkdocs build --strict` does, and says why."""
    built_ok(project)
    (project / "seeds/empty.txt").write_bytes(b"")
    res = mkdocs(project, "build", "-q", "--strict")
    assert res.returncode == 1
    assert "essay has no paragraphs" in res.stderr
    assert "Aborted with 1 warnings in strict mode" in res.stdout + res.stderr
    clean = mkdocs(project, "build", "-q")  # quiet without strict still builds
    assert clean.returncode == 0


def test_browser_tests_build_without_quiet() -> None:
    """The browser tests' strict build is not quiet, so its warnings are seen (and fail it)."""
    from .browser import kbweb

    src = Path(kbweb.__file__).read_text(encoding="utf-8")
    assert '"--strict"' in src and '"-q"' not in src and "--quiet" not in src
