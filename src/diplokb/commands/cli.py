"""``diplokb``: the pipeline's stages from the command line.

diplokb check                 validate every topic file and essay
diplokb parse FILE [--json]   show an essay's structure
diplokb route [FILE...] [--explain | --json | --review | --propose-terms]   where each section is filed, and why
diplokb route --accept ESSAY#SECTION | --set ESSAY#SECTION=TOPIC,...   record an editor's decision
diplokb render --out DIR      write the site as a plain MkDocs project (DIR/mkdocs.yml, DIR/docs/)
diplokb schema                rewrite content/topic.schema.json
diplokb new case-study --topic SLUG [--name ... --essay ... --quote ...]
diplokb suggest               candidate case studies the essays name that no topic holds
diplokb serve                 mkdocs serve with live reload switched on
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from ..content.outputs import Input, clash, project_inputs, site_dir_problem
from ..errors import KbError, Problem
from ..pipeline import check, link, outputs, run
from ..render.cite import SiteInfo
from ..render.copy import site_name, site_name_problem
from ..render.nav import nav
from ..stages.decide import filing_problems
from ..stages.model import check_slug, json_schema
from ..stages.sources import load_essay
from ..stages.terms import term_problems
from ..urls import replaced
from .export import build_commands, export, plugin_options, read_mkdocs_yml
from .new import add_case_study
from .routecmd import cmd_route
from .suggest import suggest

SCHEMA_PATH = Path("content/topic.schema.json")


def _print_problems(exc: KbError) -> None:
    for p in exc.problems:
        print(str(p), file=sys.stderr)
    n = len(exc.problems)
    print(f"{n} error{'s' if n != 1 else ''}", file=sys.stderr)


def _site_config(path: Path = Path("mkdocs.yml")) -> dict[str, Any]:
    """What ``mkdocs build`` would read from ``mkdocs.yml``: the diplokb plugin's folders and options, and ``strict``.

    Read with :func:`diplokb.commands.export.read_mkdocs_yml`, a safe loader (``!ENV`` resolved, ``!!python/name``
    kept as text), so the command line never imports MkDocs and never runs anything from the file.
    """
    cfg = read_mkdocs_yml(path)
    if cfg is None:
        return {}
    out: dict[str, Any] = {"strict": cfg.get("strict") is True, "docs_dir": str(path.parent / str(cfg.get("docs_dir") or "docs"))}
    out["site_dir"] = str(path.parent / str(cfg.get("site_dir") or "site"))
    theme = cfg.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        out["custom_dir"] = str(path.parent / theme["custom_dir"])
    options = plugin_options(cfg)
    for key in ("content_dir", "seeds_dir"):
        if isinstance(options.get(key), str):
            out[key] = str(path.parent / options[key])
    out["site_name"] = site_name(options)
    knowledge = options.get("knowledge_json", "knowledge.json")  # "" for none
    out["knowledge_json"] = knowledge if isinstance(knowledge, str) else "knowledge.json"
    out["require_references"] = options.get("require_references") is True
    out["require_decisions"] = options.get("require_decisions") is True
    return out


def _inputs(args: argparse.Namespace) -> list[Input]:
    """The folders the site is built from, as the build sees them: no output may be, lie in or hold one."""
    docs = Path(args.docs_dir) if args.docs_dir else None
    custom = Path(args.custom_dir) if args.custom_dir else None
    return project_inputs(Path(args.config).resolve().parent, Path(args.content), Path(args.seeds), docs, custom)


def _site_name_problem(args: argparse.Namespace) -> Problem | None:
    """The plugin refuses a site name holding markup (its configuration check): so do check and render."""
    why = site_name_problem(args.site_name)
    return Problem(str(args.config), 0, 0, "site_name", why) if why is not None else None


def _own_files(docs: Path) -> list[str]:
    """The files of the hand-written pages folder MkDocs publishes (hidden files and folders left out, as it leaves them)."""
    out = []
    for dirpath, dirs, names in os.walk(docs):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = Path(dirpath).relative_to(docs)
        out += [(rel / n).as_posix() for n in names if not n.startswith(".")]
    return out


def cmd_check(args: argparse.Namespace) -> int:
    docs = Path(args.docs_dir) if args.docs_dir else None
    # The build refuses a site_dir that would delete an input (before MkDocs empties it): so does check.
    site_dir = Path(args.site_dir) if args.site_dir else None
    bad = site_dir_problem(site_dir, _inputs(args), Path(args.config), args.site_dir) if site_dir else None
    early = [p for p in (bad, _site_name_problem(args)) if p is not None]  # the build refuses these before reading content
    try:
        loaded = check(Path(args.content), Path(args.seeds), args.require_references, pages_dir=docs)
    except KbError as exc:
        raise KbError(early + exc.problems) from None
    if early:
        raise KbError(early)
    kb = link(loaded)
    routing = kb.routing
    if docs is not None and docs.is_dir():
        # A hand-written file at the name or address of a generated one is replaced by it (the build warns), under
        # either use_directory_urls (the offline copy turns them off): every output the plugin hands MkDocs.
        for own, why in replaced(_own_files(docs), outputs(kb, args.knowledge_json), (True, False)):
            loaded.warnings.append(Problem(str(docs / own), 0, 0, "", why, "warning"))
    filings = filing_problems(loaded.essays, routing, loaded.decisions, args.require_decisions)
    if any(p.severity == "error" for p in filings):  # require_decisions: a section under review stops the build
        raise KbError([p for p in filings if p.severity == "error"])
    loaded.warnings.extend(filings + term_problems(loaded.topics, loaded.essays))
    for w in loaded.warnings:
        print(f"warning: {w}", file=sys.stderr)
    n_cases = sum(len(t.case_studies) for t in loaded.topics)
    n = len(loaded.warnings)
    counted = f"{n} warning{'s' if n != 1 else ''}"
    if n and args.strict:
        print(f"{counted}: the build is strict (--strict, or strict: true in mkdocs.yml) and fails on them", file=sys.stderr)
        return 1
    # Warnings do not stop a plain build, but the strict one (the README's, the Pages workflow's) refuses them.
    tail = f"; {counted}, which `mkdocs build --strict` refuses" if n else ""
    print(f"ok: {len(loaded.topics)} topics, {n_cases} case studies, {len(loaded.essays)} essays{tail}")
    return 0


def cmd_parse(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"{path}: no such file", file=sys.stderr)
        return 2
    essay = load_essay(path)
    if args.json:
        print(json.dumps(essay.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(f"title: {essay.title}  ({essay.shape} shape)")
    for s in essay.sections:
        indent = "  " * (s.level - 2)
        inferred = "  (inferred: no heading line in the text)" if s.inferred else ""
        print(f"{indent}{s.line:>4}  {s.heading or '(opening)'}  [{len(s.blocks)} blocks]{inferred}")
    for d in essay.dropped:
        print(f"dropped line {d.line}: {d.text}")
    return 0


def _base(url: object) -> str:
    """``site_url`` with a trailing slash ("" without one; an ``!ENV`` tag read as its default)."""
    text = str(url[-1] if isinstance(url, list) and url else url or "")
    return text.rstrip("/") + "/" if text else ""


def cmd_render(args: argparse.Namespace) -> int:
    why = clash(Path(args.out), _inputs(args))
    if why is not None:  # it would rewrite mkdocs.yml, replace docs/ and theme/, or write pages among the inputs
        print(
            f"--out {args.out}: {why}: refused, nothing written; expected a folder of its own for the export, "
            "outside the folders the site is built from, such as build/export",
            file=sys.stderr,
        )
        return 1
    named = _site_name_problem(args)
    if named is not None:
        raise KbError(named)
    out = Path(args.out).resolve()
    config = read_mkdocs_yml(Path(args.config)) or {}
    directory_urls = not args.no_directory_urls and config.get("use_directory_urls", True) is not False
    docs = Path(args.docs_dir) if args.docs_dir else None
    result = run(
        Path(args.content),
        Path(args.seeds),
        directory_urls=directory_urls,
        require_references=args.require_references,
        pages_dir=docs,
        site=SiteInfo(site_name(plugin_options(config)), _base(config.get("site_url"))),
    )
    warnings = list(result.warnings)
    if not args.pages_only and docs is not None and docs.is_dir():
        # The export's copy of a hand-written file at a generated one's name or address is replaced, as the build replaces it.
        made = [*result.pages, *result.downloads, *([args.knowledge_json] if args.knowledge_json else [])]
        warnings += [Problem(str(docs / own), 0, 0, "", why, "warning") for own, why in replaced(_own_files(docs), made, (directory_urls,))]
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    if warnings and args.strict:  # as check: the strict build (--strict, or mkdocs.yml's strict) fails on them
        counted = len(warnings)
        print(
            f"{counted} warning{'s' if counted != 1 else ''}: the build is strict (--strict, or strict: true in mkdocs.yml) "
            "and fails on them; nothing written",
            file=sys.stderr,
        )
        return 1
    knowledge = json.dumps(result.knowledge, ensure_ascii=False, separators=(",", ":"))
    if not args.pages_only:
        # A complete MkDocs project: `mkdocs build -f DIR/mkdocs.yml` builds the same site without the plugin.
        try:
            notes = export(
                out,
                Path(args.config),
                {**{k: pg.markdown() for k, pg in result.pages.items()}, **result.downloads},
                knowledge,
                nav(result.kb),
                docs,
                directory_urls,
            )
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return 1
        for n in notes:
            print(f"warning: {n}", file=sys.stderr)
        print(f"wrote {len(result.pages)} pages, knowledge.json and the configuration to {out}: {build_commands(out)}")
        return 0
    written = 0
    for rel, pg in result.pages.items():
        target = (out / rel).resolve()
        if not target.is_relative_to(out):  # slugs are validated; this is the last line of defence
            print(f"refusing to write outside {out}: {rel}", file=sys.stderr)
            return 1
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(pg.markdown(), encoding="utf-8")
        written += 1
    (out / "knowledge.json").write_text(knowledge, encoding="utf-8")
    print(f"wrote {written} pages and knowledge.json to {out}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    path = Path(args.out)
    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.check:
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            print(f"{path} is stale; run `diplokb schema`", file=sys.stderr)
            return 1
        print(f"{path} is up to date")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    why = check_slug(args.topic)
    if why:
        print(f"--topic {why}", file=sys.stderr)
        return 2
    path = Path(args.content) / "topics" / f"{args.topic}.yaml"
    if not path.is_file():
        print(f"{path}: no such topic file", file=sys.stderr)
        return 2
    added = add_case_study(
        path, name=args.name, essay=args.essay, quote=args.quote, content_dir=Path(args.content), seeds_dir=Path(args.seeds)
    )
    what = "entry (replace its TODO summary and add references)" if args.name else "template (uncomment it, replace every TODO)"
    print(f"added a case-study {what} to {path} at line {added}; then run `diplokb check`")
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    loaded = check(Path(args.content), Path(args.seeds))
    text = suggest(loaded.essays, loaded.topics)
    print(text if text else "# no new candidates: every case the essays name is in a topic file")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """`mkdocs serve` with live reload forced on (current click turns it off unless asked) and dirty
    rebuilds, in which the plugin has MkDocs re-render only the pages an edit changed."""
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dirty", *args.mkdocs_args]
    os.execve(sys.executable, cmd, {**os.environ, "NO_MKDOCS_2_WARNING": os.environ.get("NO_MKDOCS_2_WARNING", "1")})
    return 0  # pragma: no cover - execv does not return


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="diplokb", description="Military diplomacy knowledge base: check, parse and render.")
    ap.add_argument("--content", help="folder with topics/ (default: the plugin's content_dir in mkdocs.yml, else content)")
    ap.add_argument("--seeds", help="folder with the essays (default: the plugin's seeds_dir in mkdocs.yml, else seeds)")
    ap.add_argument("--config", default="mkdocs.yml", help="site configuration whose diplokb options apply (default: mkdocs.yml)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("check", help="validate every topic file and essay")
    p.add_argument(
        "--strict",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="exit 1 on warnings too, as `mkdocs build --strict` does (default: mkdocs.yml's strict)",
    )
    p.add_argument(
        "--require-references",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a case study without references is an error (default: the plugin's require_references in mkdocs.yml)",
    )
    p.add_argument(
        "--require-decisions",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a section under review is an error (default: the plugin's require_decisions in mkdocs.yml)",
    )
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("parse", help="show an essay's structure")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print the structure as JSON")
    p.set_defaults(func=cmd_parse)
    p = sub.add_parser("route", help="show where each essay section is filed (--explain: matched terms, scores, reasons)")
    p.add_argument("files", nargs="*", metavar="FILE", help="essays to route (default: every essay in --seeds)")
    p.add_argument("--explain", action="store_true", help="per section: matched terms and scores per topic, and why it is filed or not")
    p.add_argument(
        "--json", action="store_true", help="per essay: sections with id, heading, topics filed and topics under review, as JSON"
    )
    p.add_argument(
        "--review", action="store_true", help="the sections under review, essay by essay, with evidence and the router's proposal"
    )
    p.add_argument("--ask", action="store_true", help="with --review: ask for a decision on each (the default when typing at a terminal)")
    p.add_argument("--accept", action="append", default=[], metavar="ESSAY#SECTION", help="record the router's proposal as the decision")
    p.add_argument(
        "--set", action="append", default=[], metavar="ESSAY#SECTION=TOPIC,...", help="record these topics (none after =: essay page only)"
    )
    p.add_argument(
        "--propose-terms", action="store_true", help="per topic, terms learned from the decisions, with the sections each would move"
    )
    p.set_defaults(func=cmd_route)
    p = sub.add_parser("render", help="write the site as a plain MkDocs project (mkdocs.yml, docs/) into a folder")
    p.add_argument("--out", required=True, help="folder for mkdocs.yml, docs/ and theme/ (docs/ and theme/ are replaced)")
    p.add_argument("--no-directory-urls", action="store_true", help="links as page.html rather than page/ (default: mkdocs.yml)")
    p.add_argument("--pages-only", action="store_true", help="only the generated pages and knowledge.json, straight into --out")
    p.add_argument(
        "--require-references",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a case study without references is an error (default: the plugin's require_references in mkdocs.yml)",
    )
    p.add_argument(
        "--strict",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="exit 1 on warnings, writing nothing, as `mkdocs build --strict` does (default: mkdocs.yml's strict)",
    )
    p.set_defaults(func=cmd_render)
    p = sub.add_parser("schema", help="rewrite the JSON Schema of topic files")
    p.add_argument("--out", default=str(SCHEMA_PATH))
    p.add_argument("--check", action="store_true", help="only check that the file is up to date")
    p.set_defaults(func=cmd_schema)
    p = sub.add_parser("new", help="add to a topic file")
    p.add_argument("what", choices=["case-study"])
    p.add_argument("--topic", required=True)
    p.add_argument("--name")
    p.add_argument("--essay")
    p.add_argument("--quote")
    p.set_defaults(func=cmd_new)
    sub.add_parser("suggest", help="print candidate case studies as YAML; writes nothing").set_defaults(func=cmd_suggest)
    p = sub.add_parser("serve", help="mkdocs serve with live reload and fast rebuilds; other options (-a HOST:PORT...) go to mkdocs")
    p.set_defaults(func=cmd_serve)
    args, extra = ap.parse_known_args(argv)
    # The same folders (and strictness) as the build, so `check` reports first whatever the build would fail on.
    site = _site_config(Path(args.config))
    if getattr(args, "require_references", False) is None:
        args.require_references = site.get("require_references", False)
    if getattr(args, "require_decisions", False) is None:
        args.require_decisions = site.get("require_decisions", False)
    args.content = args.content or site.get("content_dir", "content")
    args.seeds = args.seeds or site.get("seeds_dir", "seeds")
    args.docs_dir = site.get("docs_dir")
    args.site_dir, args.custom_dir = site.get("site_dir"), site.get("custom_dir")
    args.site_name = site.get("site_name") or site_name({})
    args.knowledge_json = site.get("knowledge_json", "knowledge.json")
    if getattr(args, "strict", False) is None:
        args.strict = site.get("strict", False)
    if args.cmd == "serve":
        args.mkdocs_args = extra  # e.g. -a 127.0.0.1:8001, passed to mkdocs serve
    elif extra:
        ap.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return int(args.func(args))
    except KbError as exc:
        _print_problems(exc)
        return 1
    except OSError as exc:  # a file that vanished or cannot be read or written: a message, not a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"{where}{exc.strerror or exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
