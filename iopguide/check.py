"""Run every check (content, citations, menu, links, anchors, DOIs, published URLs,
security) and print every problem in one report."""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from iopguide import buildlog, github, project, report
from iopguide.buildlog import CONFIG_FILE
from iopguide.content.checker import resolve_paths
from iopguide.report import MESSAGES, Problem, collecting, format_report, has_errors, parse_problems


def failure(key: str, exc: BaseException, **values: Any) -> list[Problem]:
    """A stage that could not finish: its problems if the message has them, else the message."""
    error = str(exc).strip() or type(exc).__name__
    return parse_problems(str(exc)) or [MESSAGES.say(CONFIG_FILE, None, key, error=error, **values)]


def build(root: Path, site_dir: Path, configs: list[Any] | None = None) -> list[Problem]:
    """The build, with the hooks' problems and MkDocs' warnings, instead of its own output;
    the config it ran with is added to ``configs``."""
    from mkdocs import exceptions
    from mkdocs.commands.build import build as mkdocs_build

    logger = logging.getLogger("mkdocs")  # quiet: the problems are the output
    saved = (logger.handlers[:], logger.propagate, logger.level)
    logger.handlers, logger.propagate = [], False
    logger.setLevel(logging.WARNING)
    try:
        with buildlog.Warnings() as log, collecting() as problems:
            config = project.load_config(root, site_dir=str(site_dir), strict=False)
            if configs is not None:
                configs.append(config)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                mkdocs_build(config)
            except Exception as exc:  # after an Abort, MkDocs already logged the cause
                if not (isinstance(exc, exceptions.Abort) and log.records):
                    problems += failure("build-failed", exc)
            finally:
                config.plugins.on_shutdown()
        try:
            sources = buildlog.Project.of(config, site_dir)
        except report.ProblemsFound as exc:  # languages.yml: said with the build's, not instead
            problems += exc.problems
            sources = buildlog.Project.of(config, site_dir, built={})
        problems += [p for m in log.records for p in buildlog.translate(m, sources)]
    except report.ProblemsFound as exc:  # a YAML mistake or a rejected setting
        return exc.problems
    finally:
        logger.handlers, logger.propagate = saved[:2]
        logger.setLevel(saved[2])
    return _drop_repeats(problems)


def content_without_build(root: Path) -> list[Problem]:
    """When the build could not start: content and citations of the pages mkdocs.yml still names,
    with the bibliography it names."""
    from iopguide.citations.bibtex_adapter import bib_name
    from iopguide.citations.layer import check as check_citations
    from iopguide.content.checker import check_pages

    config = project.config_despite_mistakes(root)
    pages = project.page_paths(config)
    problems = check_pages(pages, root=root, site_pages=pages)
    bib = root / bib_name(config)
    return problems + (check_citations(root, config, bib) if bib.is_file() else [])


def check_dois(root: Path, config: Any = None) -> list[Problem]:
    """The offline DOI check of the bibliography and lock file the citation layer of the build
    (``config``) read, the build reporting what it could not read; else read here, lock first."""
    from iopguide.citations.bib import read_bibliography
    from iopguide.citations.bibtex_adapter import bib_name
    from iopguide.citations.layer import CitationLayer
    from iopguide.dois.lock import LOCK_FILE, check_offline, read_lock

    if (layer := config and project.hook_of(config, CitationLayer)) and layer.bib is not None:
        return check_offline(layer.bib, layer.lock)[1] if layer.lock else []
    name = bib_name(config or project.config_despite_mistakes(root))
    if not (root / name).is_file():
        return []
    try:
        lock = read_lock(root / LOCK_FILE, LOCK_FILE)
    except report.ProblemsFound as exc:
        return list(exc.problems)
    bib, problems = read_bibliography(root / name, name)  # crossrefs: the citation check says
    return check_offline(bib, lock)[1] if bib else problems


def run(root: Path, site_dir: Path) -> tuple[list[Problem], list[str]]:
    """``make check``: the build (hooks collecting, MkDocs' warnings translated), then DOIs,
    internal links and published URLs; a stage that fails is reported, the others still run."""
    problems, steps = list[Problem](), list[tuple[str, list[Problem] | None, bool]]()
    configs: list[Any] = []

    def stage(key: str, step: Callable[[], list[Problem]]) -> None:
        name, stopped = MESSAGES.text(key), False
        try:
            found = step()
        except Exception as exc:  # stopped: never "ok", though its problem repeats the build's
            found, stopped = failure("check-failed", exc, stage=name), True
        problems.extend(found)
        steps.append((name, found, stopped))

    stage("text/stage-build", partial(build, root, site_dir, configs))
    built = (site_dir / "index.html").is_file()  # also when a last hook (security) failed
    if not built and not any(p.file.endswith(".md") for p in problems):
        stage("text/stage-content", partial(content_without_build, root))
    stage("text/stage-dois", partial(check_dois, root, *configs))
    if built:
        from iopguide.links.cli import check_internal

        stage("text/stage-links", lambda: check_internal(site_dir, root))
    else:
        steps.append((MESSAGES.text("text/stage-links-not-checked"), None, False))
    if not any(p.rule in {"yaml-syntax", "mkdocs-config"} for p in problems):
        from iopguide import urls

        stage("text/stage-urls", lambda: urls.check(root / CONFIG_FILE, root / urls.LIST_FILE))
    kept, notes = _drop_repeats(problems), list[str]()
    shown = {id(p) for p in kept}
    for name, found, stopped in steps:  # counting the problems the report shows, not repeats
        shows = [p for p in found or [] if id(p) in shown]
        errors = sum(p.is_error for p in shows)
        key = "text/stage-stopped" if stopped else "text/stage-counts" if shows else "text/stage-ok"
        said = MESSAGES.text(key, name=name, errors=errors, warnings=len(shows) - errors)
        notes.append(name if found is None else said)
    return kept, notes


def _drop_repeats(problems: list[Problem]) -> list[Problem]:
    """One line per mistake: the same rule at the same place once; no link check line for a
    link MkDocs named, nor for the theme's links (previous and next page) to a page gone from
    the menu; no unknown-key line for the bibliography where a page's line names the key."""
    named = {(p.file, p.line) for p in problems if p.rule.startswith("link-")}
    gone = {p.values.get("value") for p in problems if p.rule == "nav-not-found"}
    unknown = [p for p in problems if p.rule == "citation-unknown-key" and "key" in p.values]
    cited = {p.values["key"] for p in unknown if p.file.endswith(".md")}

    def repeats(p: Problem) -> bool:
        if p.rule in {"broken-link", "broken-anchor"} and (p.file, p.line) in named:
            return True
        if p.rule == "broken-link":
            return re.sub(r"^(\.\./)*", "", p.values.get("href", "")) in gone
        on_page = p.file.endswith(".md")
        return not on_page and p.rule == "citation-unknown-key" and p.values.get("key") in cited

    kept: dict[tuple[str, int | None, int | None, str, str], Problem] = {}
    for p in problems:  # the first of two identical problems (its stage counts it)
        if not repeats(p):
            kept.setdefault((p.file, p.line, p.column, p.rule, p.message), p)
    return list(kept.values())


def main(argv: list[str]) -> int:
    parser = MESSAGES.parser("check", "check/help", root="check/help-root")
    parser.add_argument("pages", nargs="*", type=Path, help=MESSAGES.text("check/help-pages"))
    args = parser.parse_args(argv)
    root, wanted = project.root_of(args.root), set[str]()
    for page in args.pages:
        path = (Path.cwd() / page).resolve()
        if not path.exists() or not path.is_relative_to(root):
            key = "text/not-inside" if path.exists() else "text/does-not-exist"
            return report.print_error(MESSAGES.text(key, page=page, root=root))
        # a folder: its pages, as for python -m iopguide content (was: no page matched, a pass)
        wanted.update(p.relative_to(root).as_posix() for p in resolve_paths([path], root) or [])
    with tempfile.TemporaryDirectory(prefix="iopguide-check-") as tmp:
        problems, notes = run(root, Path(tmp) / "site")
        print(MESSAGES.text("text/checks-run", notes="; ".join(notes)))
    shown = [p for p in problems if not wanted or p.file in wanted]
    if github.in_actions():
        for problem in report.sorted_problems(shown):
            print(github.annotation(problem))
        github.append_summary(github.summary(shown))
    if text := format_report(shown):
        print(text)
    if others := len(problems) - len(shown):
        print(MESSAGES.text("text/others-not-shown", count=others))
    if not has_errors(shown):
        key = "text/passed-with-warnings" if shown else "text/passed"
        where = ", ".join(sorted(wanted)) or MESSAGES.text("text/every-page")
        print(MESSAGES.text(key, where=where))
    return int(has_errors(shown))
