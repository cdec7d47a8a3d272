"""A plain-MkDocs export: the generated site as an ordinary MkDocs project, without the diplokb plugin.

``diplokb render --out DIR`` writes ``DIR/mkdocs.yml`` and ``DIR/docs/``, which ``mkdocs build -f
DIR/mkdocs.yml`` turns into the same site with MkDocs and Material alone: the project's
configuration with the plugin's part done in advance (the navigation, its theme templates as the
``custom_dir``, its stylesheet and script), the generated pages and ``knowledge.json`` beside the
hand-written pages and their files. It is the baseline the benchmarks measure the plugin against,
and a way to publish the site without the plugin.

The same ``DIR`` builds with Zensical, Material's successor (``zensical build -f DIR/zensical.yml``):
``zensical.yml`` inherits ``mkdocs.yml`` and changes only the theme folder, ``DIR/theme-zensical/``,
which holds the templates and files of ours that suit Zensical's own theme (``main.html`` and the
assets; the others are copies of Material 9.8's templates, whose files Zensical does not ship), and,
for an export without directory URLs, switches on Zensical's offline plugin. This module is the one
place that knows either renderer's configuration.

Also the one safe reader of ``mkdocs.yml`` (:func:`read_mkdocs_yml`): no MkDocs import, no code run.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown  # type: ignore[import-untyped]  # Python-Markdown ships no type information
import yaml

from ..assets import CSS, JS, THEME_DIR
from ..content.inputs import links_out
from ..render.copy import site_extra, site_name
from ..render.markup import yaml_str
from ..render.nav import hidden_pages
from ..render.pagemeta import FRONT_MATTER, lead
from ..urls import replaced

# Plugins whose work the export has already done, or that only make sense with the plugin's build.
DROPPED_PLUGINS = {"diplokb", "offline", "privacy", "material/offline", "material/privacy"}
# Settings naming files relative to mkdocs.yml that the export does not carry over.
DROPPED_KEYS = ("hooks", "watch", "site_dir", "INHERIT")
ZENSICAL_CONFIG = "zensical.yml"
ZENSICAL_THEME = "theme-zensical"
# What of the plugin's theme folder Zensical's theme takes: main.html is written in the Jinja that
# MiniJinja accepts too; base.html, 404.html and partials/ are Material 9.8's own templates with fixes,
# which would replace Zensical's and name stylesheets and scripts that Zensical's theme does not have.
ZENSICAL_THEME_FILES = ("main.html", "assets")


@dataclass(frozen=True)
class PythonName:
    """A ``!!python/name:`` reference kept as text: read without importing it, written back as the same tag."""

    name: str


class _Loader(yaml.SafeLoader):
    pass


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """``!ENV VAR`` or ``!ENV [VAR, OTHER, default]``: the first variable set (read as a YAML scalar), else the default."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode):
        items = [loader.construct_object(n, deep=True) for n in node.value]
        names, default = items[:-1], items[-1] if items else None
        if len(items) == 1:
            names, default = items, None
    else:
        return None
    for name in names:
        if isinstance(name, str) and name in os.environ:
            value = os.environ[name]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]  # untyped in types-PyYAML
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)  # !relative and the like: not read
_Loader.add_multi_constructor(
    "tag:yaml.org,2002:python/",
    lambda loader, suffix, node: PythonName(suffix[len("name:") :]) if suffix.startswith("name:") else None,
)


def read_mkdocs_yml(path: Path) -> dict[str, Any] | None:
    """``mkdocs.yml`` as MkDocs would see it, read safely: ``!ENV`` resolved from the environment,
    ``!!python/name:X`` kept as :class:`PythonName` (nothing imported), other tags as None.
    None when the file is missing, unreadable or not a mapping."""
    try:
        cfg = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) if path.is_file() else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return cfg if isinstance(cfg, dict) else None


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


_Dumper.add_representer(str, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style="|" if "\n" in v else None))
_Dumper.add_representer(PythonName, lambda d, v: d.represent_scalar(f"tag:yaml.org,2002:python/name:{v.name}", ""))


def _plugin_name(entry: Any) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict) and len(entry) == 1:
        return str(next(iter(entry)))
    return None


def export_config(cfg: dict[str, Any], site_nav: list[Any] | None, not_in_nav: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The export's ``mkdocs.yml`` from the project's: the plugin's work written out. Also what was left out, and why."""
    notes: list[str] = []
    out: dict[str, Any] = {}
    for key, value in cfg.items():
        if key in DROPPED_KEYS:
            notes.append(f"`{key}` is not carried over (it names files next to the project's mkdocs.yml)")
            continue
        out[key] = value
    out["docs_dir"] = "docs"
    theme = out.get("theme")
    theme = dict(theme) if isinstance(theme, dict) else {"name": theme or "mkdocs"}
    theme["custom_dir"] = "theme"
    if out.get("use_directory_urls") is False and isinstance(theme.get("features"), list):
        # Pages linking .html files are for reading from disk, where previews cannot fetch sitemap.xml and the
        # linked page (the browser logs the blocked requests): off, as the plugin's offline build has them.
        theme["features"] = [f for f in theme["features"] if f != "navigation.instant.preview"]
    out["theme"] = theme
    if not out.get("nav") and site_nav is not None:
        out["nav"] = site_nav
    if not_in_nav:
        out["not_in_nav"] = "".join(f"/{p}\n" for p in not_in_nav)
    out["extra_css"] = [*(x for x in out.get("extra_css") or [] if x != CSS), CSS]
    scripts = list(out.get("extra_javascript") or [])
    if JS not in [x if isinstance(x, str) else (x or {}).get("path") for x in scripts]:
        scripts.append(JS)
    out["extra_javascript"] = scripts
    kept = []
    for entry in _plugins(cfg):
        name = _plugin_name(entry)
        if name in DROPPED_PLUGINS:
            continue
        kept.append(entry)
    out["plugins"] = kept
    # "Edit this page" links: the plugin points a generated page at its topic file or essay; plain
    # MkDocs would point every page into the export's docs/, which is not in the repository.
    if out.get("repo_url"):
        out["edit_uri"] = ""
    else:
        out.pop("repo_url", None)
        out.pop("edit_uri", None)
    return out, notes


def _plugins(cfg: dict[str, Any]) -> list[Any]:
    plugins = cfg.get("plugins")
    if plugins is None:
        return ["search"]  # MkDocs' default
    if isinstance(plugins, dict):
        return [{k: v} if v else k for k, v in plugins.items()]
    return list(plugins) if isinstance(plugins, list) else []


def dump_config(cfg: dict[str, Any]) -> str:
    head = "# Written by `diplokb render --out`: the diplokb site as a plain MkDocs project (no diplokb plugin).\n"
    return head + yaml.dump(cfg, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


def write_export(
    out: Path,
    cfg: dict[str, Any],
    pages: dict[str, str],
    knowledge: str,
    site_nav: list[Any] | None,
    docs_dir: Path | None,
    config_dir: Path,
    knowledge_name: str = "knowledge.json",
) -> list[str]:
    """Write the MkDocs project into ``out`` (``mkdocs.yml``, ``docs/``, ``theme/``); warnings to show.

    ``out/docs`` and ``out/theme`` are replaced; nothing is written outside ``out``."""
    out = out.resolve()
    outside = links_out(docs_dir) if docs_dir is not None else []  # checked with the content already: the last line of defence
    if outside:
        raise ValueError("\n".join(str(p) for p in outside))
    notes: list[str] = []
    docs, theme, ztheme = out / "docs", out / "theme", out / ZENSICAL_THEME
    for d in (docs, theme, ztheme):
        if d.is_symlink() or d.is_file():
            d.unlink()
        elif d.exists():
            shutil.rmtree(d)
    own: list[str] = []
    if docs_dir is not None and docs_dir.is_dir():
        # The hand-written pages and every file beside them (images, downloads), as MkDocs would copy them.
        shutil.copytree(docs_dir, docs, ignore=shutil.ignore_patterns(".*", "__pycache__"))
        own = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    docs.mkdir(parents=True, exist_ok=True)
    # The plugin's templates, under the project's own custom_dir (which overrides them, as in the plugin build).
    shutil.copytree(THEME_DIR, theme, ignore=shutil.ignore_patterns("__pycache__"))
    base = cfg.get("theme") if isinstance(cfg.get("theme"), dict) else {}
    custom = base.get("custom_dir") if isinstance(base, dict) else None
    if isinstance(custom, str) and (config_dir / custom).is_dir():
        shutil.copytree(config_dir / custom, theme, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    _zensical_theme(theme, ztheme)
    # With directory URLs, a generated page goes into its address folder (topics/x.md as topics/x/index.md):
    # its links are relative to its address, and Zensical reads a link as relative to the page's file
    # (MkDocs leaves links in HTML alone), so the two agree only where the file sits at its address.
    addressed = cfg.get("use_directory_urls", True) is not False
    moved = {rel: address_file(rel) for rel in pages if addressed and address_file(rel) != rel}
    # A hand-written file at a generated one's name or address is replaced by it (diplokb render reports each first).
    copied = [p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()]
    gone = {rel for rel, _why in replaced(copied, [*pages, *([knowledge_name] if knowledge_name else [])], (addressed,))}
    for rel in gone:
        (docs / rel).unlink()
    own = [p for p in own if p not in gone]
    for rel in own:
        if rel not in pages:
            _describe(docs / rel)
            _relink(docs / rel, rel, moved)
    generated = {**pages}
    if knowledge_name:
        generated[knowledge_name] = knowledge
    for rel, text in generated.items():
        target = (docs / moved.get(rel, rel)).resolve()
        if not target.is_relative_to(docs) or not (docs / rel).resolve().is_relative_to(docs):  # the last line of defence
            raise ValueError(f"refusing to write outside {docs}: {rel}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    if site_nav is not None:  # as the plugin sets it: its own navigation, then the hand-written pages
        site_nav = site_nav + [p for p in own if p not in pages]
    # As the plugin files them: case studies are pages, reached from their topics, not from the navigation.
    # and, past a size, essays and topics, reached from their index pages.
    hidden = [moved.get(p, p) for p in hidden_pages(pages, site_nav)]
    config, dropped = export_config(cfg, _renamed(site_nav, moved) if site_nav is not None else None, hidden)
    (out / "mkdocs.yml").write_text(dump_config(config), encoding="utf-8")
    (out / ZENSICAL_CONFIG).write_text(dump_zensical_config(config), encoding="utf-8")
    return notes + dropped


def build_commands(out: Path) -> str:
    """How to build an export written into ``out``, with either renderer."""
    return f"mkdocs build -f {out / 'mkdocs.yml'}, or zensical build -f {out / ZENSICAL_CONFIG}"


def address_file(rel: str) -> str:
    """The file of a page in its address folder: ``topics/x.md`` -> ``topics/x/index.md`` (an index stays)."""
    if not rel.endswith(".md") or rel == "index.md" or rel.endswith("/index.md"):
        return rel
    return rel[: -len(".md")] + "/index.md"


def _renamed(nav: Any, moved: dict[str, str]) -> Any:
    """The navigation with each moved page's file renamed."""
    if isinstance(nav, str):
        return moved.get(nav, nav)
    if isinstance(nav, list):
        return [_renamed(x, moved) for x in nav]
    if isinstance(nav, dict):
        return {k: _renamed(v, moved) for k, v in nav.items()}
    return nav


# A Markdown link's target, inline (`](target.md#a)`) or in a reference definition (`[id]: target.md`).
_MD_LINK = re.compile(r"(\]\(\s*<?|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?)([^\s()<>#]+\.md)(?=[#)\s>]|$)", re.MULTILINE)


def relink(text: str, rel: str, moved: dict[str, str]) -> str:
    """The Markdown of the hand-written page ``rel`` with its links to moved pages pointed at their new
    files (the editor links ``topics/x.md``, the file the plugin generates); other links as written."""
    here = posixpath.dirname(rel)

    def sub(m: re.Match[str]) -> str:
        new = moved.get(posixpath.normpath(posixpath.join(here, m[2])))
        return m[1] + posixpath.relpath(new, here or ".") if new else m[0]

    return _MD_LINK.sub(sub, text) if moved else text


def _relink(path: Path, rel: str, moved: dict[str, str]) -> None:
    """:func:`relink` on the export's copy of a hand-written page (an unreadable one is left to MkDocs to report)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    changed = relink(text, rel, moved)
    if changed != text:
        path.write_text(changed, encoding="utf-8")


def _zensical_theme(theme: Path, ztheme: Path) -> None:
    """Zensical's theme folder: of the export's ``theme/``, what suits Zensical's own theme."""
    ztheme.mkdir()
    for name in ZENSICAL_THEME_FILES:
        src = theme / name
        if src.is_dir():
            shutil.copytree(src, ztheme / name)
        elif src.is_file():
            shutil.copy2(src, ztheme / name)


def zensical_config(config: dict[str, Any]) -> dict[str, Any]:
    """``zensical.yml``: the export's ``mkdocs.yml`` (inherited, so the two cannot drift apart) with
    Zensical's theme folder, Material's classic look (the stylesheet is written against it), and, where
    pages link to ``.html`` files, Zensical's offline plugin (search inlined, readable from disk)."""
    out: dict[str, Any] = {"INHERIT": "mkdocs.yml", "theme": {"custom_dir": ZENSICAL_THEME, "variant": "classic"}}
    if config.get("use_directory_urls") is False:
        out["plugins"] = [{"offline": {"enabled": True}}]  # appended to the inherited plugins
    return out


def dump_zensical_config(config: dict[str, Any]) -> str:
    head = "# Written by `diplokb render --out`: `zensical build -f zensical.yml` builds the same site with Zensical.\n"
    return head + yaml.dump(zensical_config(config), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


def _describe(path: Path) -> None:
    """Give a copied hand-written page the description the plugin gives it (:func:`lead`), in its front
    matter, when it has none: the theme takes it from there in either engine. The copy only; an
    unreadable page or front matter is left as it is (MkDocs reports it)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    m = FRONT_MATTER.match(text)
    if m:
        try:
            meta = yaml.safe_load(m[1])
        except yaml.YAMLError:
            return
        if not isinstance(meta, dict) or meta.get("description"):
            return
        body = text[m.end() :]
    else:
        body = text
    found = lead(markdown.markdown(body, extensions=["attr_list", "md_in_html", "tables"]))
    if not found:
        return
    line = f"description: {yaml_str(found)}\n"
    # After the opening line of the page's own front matter (it stays as the editor wrote it), or a new one.
    text = text[: text.index("\n") + 1] + line + text[text.index("\n") + 1 :] if m else f"---\n{line}---\n{text}"
    path.write_text(text, encoding="utf-8")


def export(
    out: Path,
    config_path: Path,
    pages: dict[str, str],
    knowledge: str,
    site_nav: list[Any] | None,
    docs_dir: Path | None,
    directory_urls: bool = True,
) -> list[str]:
    """:func:`write_export` with the configuration read from ``config_path`` and the plugin's
    ``knowledge_json`` and ``set_nav`` options."""
    cfg = read_mkdocs_yml(config_path) or {"site_name": "diplokb"}
    if not directory_urls:  # the pages were rendered with page.html links: the site must be built that way
        cfg["use_directory_urls"] = False
    opts = plugin_options(cfg)
    # What the plugin would set: the site's name and the footer's credit (the plain export has no plugin).
    cfg["site_name"] = site_name(opts)
    extra = cfg.get("extra")
    cfg["extra"] = {**site_extra(), **(extra if isinstance(extra, dict) else {})}
    name = str(opts.get("knowledge_json", "knowledge.json") or "")
    if opts.get("set_nav", True) is False:
        site_nav = None
    return write_export(out, cfg, pages, knowledge, site_nav, docs_dir, config_path.parent, name)


def plugin_options(cfg: dict[str, Any]) -> dict[str, Any]:
    """The diplokb plugin's options in a configuration read by :func:`read_mkdocs_yml`."""
    for entry in _plugins(cfg):
        if isinstance(entry, dict) and isinstance(entry.get("diplokb"), dict):
            options: dict[str, Any] = entry["diplokb"]
            return options
    return {}
