"""`.ci/audit` audits the pages its README table names: home, a topic, an essay and a case study, not their indexes."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import re
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _audit() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("kb_audit", str(ROOT / ".ci" / "audit"))
    spec = importlib.util.spec_from_loader("kb_audit", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_audit_picks_a_page_of_each_kind_not_its_index(tmp_path: Path) -> None:
    """Indexes sort first in the sitemap; the audit skips them (and the case browser) for a real page of each kind."""
    base = "https://owner.github.io/diplokb/"
    paths = [
        "",
        "topics/",
        "topics/alliances/",
        "essays/",
        "essays/a-essay/",
        "case-studies/",
        "case-studies/browse/",
        "case-studies/amis/",
    ]
    locs = "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths)
    (tmp_path / "sitemap.xml").write_text(f'<?xml version="1.0"?><urlset>{locs}</urlset>', encoding="utf-8")
    got = _audit().pick_pages(tmp_path, "http://127.0.0.1:9", "/diplokb/")
    assert got == [
        ("home", "http://127.0.0.1:9/diplokb/"),
        ("topic", "http://127.0.0.1:9/diplokb/topics/alliances/"),
        ("essay", "http://127.0.0.1:9/diplokb/essays/a-essay/"),
        ("case study", "http://127.0.0.1:9/diplokb/case-studies/amis/"),
    ]


def test_readme_commands_run_from_the_venv() -> None:
    """Every diplokb or mkdocs command the README gives (in shell blocks and the command table) names .venv/bin, as set up."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shell = [line for block in re.findall(r"```sh\n(.*?)```", readme, flags=re.S) for line in block.splitlines()]
    table = re.findall(r"^\| `([^`]+)` \|", readme, flags=re.M)
    bare = [c for c in shell + table if re.match(r"\s*(?:\w+=\S+ )*(?:diplokb|mkdocs)\b", c)]
    assert not bare, bare
    assert any(c.startswith(".venv/bin/diplokb ") for c in table)


def test_readme_says_what_the_test_command_installs() -> None:
    """The README's test command says it installs Debian packages through apt-get, as root, and how long it takes."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = readme[: readme.index("## Serving and building")]
    assert "bash .ci/test" in first and "apt-get" in first and "root" in first and re.search(r"about \d+ minutes", first)
