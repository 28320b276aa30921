"""``python -m iopguide check [PAGE ...]``: every check, every problem, one report (``make check``).

One run builds the site into a temporary folder (``site/`` is never touched) and runs, in order:

1. ``mkdocs.yml`` read as YAML: a syntax mistake is named by its line, in plain words;
2. the build, with our hooks (front matter, review dates, language, readability, HTML, citations,
   security headers) recording their problems instead of stopping it, and MkDocs' own checks of
   the menu, links and anchors translated into our format (:mod:`iopguide.buildlog`);
3. DOIs against ``dois.lock.json`` (offline);
4. internal links and anchors of the built site (LinkChecker and our anchor check);
5. published URLs (``published-urls.txt``) against pages and redirects.

No stage hides another's problems: a stage that cannot run is itself reported, and the others
still run. Every problem is printed once, sorted, as ``file:line:col: [rule] message. Fix: ...``.
With page paths, only the problems of those files are printed (the whole site is still built and
checked, so links into the page are checked too). Under GitHub Actions (``GITHUB_ACTIONS=true``)
the problems are also printed as annotations and written to the job summary
(:mod:`iopguide.github`).

Exit status: 1 when any problem is an error, 0 otherwise (warnings pass), 2 on wrong usage.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from iopguide import buildlog, github, project
from iopguide.report import (
    Problem,
    ProblemsFound,
    collecting,
    format_report,
    has_errors,
    parse_problems,
)

CONFIG_FILE = "mkdocs.yml"


def _failure(rule: str, what: str, exc: BaseException, file: str = CONFIG_FILE) -> list[Problem]:
    """A stage that could not finish: its problems if the message has them, else the message."""
    text = str(exc)
    found = parse_problems(text)
    if found:
        return found
    return [
        Problem(
            file,
            None,
            None,
            rule,
            f"{what} stopped: {text.strip() or type(exc).__name__}",
            "fix the problem named here (the other checks still ran); if the message is "
            "unclear, ask in the pull request",
        )
    ]


class Run:
    """One ``check`` run over the project in ``root``."""

    def __init__(self, root: Path, site_dir: Path) -> None:
        self.root = root
        self.site_dir = site_dir
        self.problems: list[Problem] = []
        self.built = False
        self.notes: list[str] = []

    def stage(self, name: str, step: Callable[[], list[Problem]]) -> None:
        try:
            found = step()
        except Exception as exc:
            found = _failure("check-failed", f"The {name} check", exc)
        self.problems += found
        errors = sum(1 for p in found if p.is_error)
        counts = f"{errors} error(s), {len(found) - errors} warning(s)"
        self.notes.append(f"{name}: {counts if found else 'ok'}")

    # ------------------------------------------------------------------ stages
    def build(self) -> list[Problem]:
        try:  # a YAML mistake or a rejected setting, named by its line, in plain words
            project.load_config(self.root)
        except ProblemsFound as exc:
            return list(exc.problems)
        problems: list[Problem] = []
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        from mkdocs import exceptions
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        logger = logging.getLogger("mkdocs")
        collector = buildlog.WarningCollector()
        saved = (logger.handlers[:], logger.propagate, logger.level)
        logger.handlers, logger.propagate = [collector], False
        logger.setLevel(logging.WARNING)
        try:
            try:
                config = load_config(
                    config_file=str(self.root / CONFIG_FILE),
                    site_dir=str(self.site_dir),
                    strict=False,
                )
            except (exceptions.ConfigurationError, exceptions.Abort) as exc:
                return _failure("config-invalid", f"Reading {CONFIG_FILE}", exc)
            with collecting() as found:
                config.plugins.on_startup(command="build", dirty=False)
                try:
                    build(config)
                except exceptions.Abort as exc:  # MkDocs already logged the cause
                    if not collector.messages:
                        problems += _failure("build-failed", "The build", exc)
                except Exception as exc:
                    problems += _failure("build-failed", "The build", exc)
                finally:
                    config.plugins.on_shutdown()
                    # Built to the end, also when a last hook (security) reported problems.
                    self.built = (self.site_dir / "index.html").is_file()
            problems += found.problems
            sources = buildlog.Project.of(config, self.site_dir)
            for message in collector.messages:
                problems += buildlog.translate(message, sources)
        finally:
            logger.handlers, logger.propagate, _ = saved
            logger.setLevel(saved[2])
        return _drop_repeats(problems)

    def content_without_build(self) -> list[Problem]:
        """When the build could not start, still check every page's content and citations."""
        from iopguide.citations.cli import check as check_citations
        from iopguide.content.checker import check_pages

        # mkdocs.yml could not be loaded: the page list from what MkDocs can still read of it.
        config = project.config_despite_mistakes(self.root)
        pages = [path.resolve() for path in project.page_paths(config)]
        problems = check_pages(pages, root=self.root, site_pages=pages)
        bib = self.root / "bibliography.bib"
        if bib.is_file():
            problems += check_citations(self.root, config, bib)
        return problems

    def dois(self) -> list[Problem]:
        from iopguide.dois.lock import LockError, check_offline, read_bib, read_lock

        bib_path = self.root / "bibliography.bib"
        if not bib_path.is_file():
            return []
        try:
            lock = read_lock(self.root / "dois.lock.json", "dois.lock.json")
        except LockError as exc:
            return list(exc.problems)
        bib, problems = read_bib(bib_path, "bibliography.bib")
        return problems + check_offline(bib, lock)

    def links(self) -> list[Problem]:
        from iopguide.links.cli import check_internal

        return check_internal(self.site_dir, self.root)

    def urls(self) -> list[Problem]:
        from iopguide import urls

        return urls.check(self.root / CONFIG_FILE, self.root / urls.LIST_FILE)

    def run(self) -> list[Problem]:
        self.stage("build (content, citations, menu, links, anchors, security)", self.build)
        if not self.built and not any(p.file.endswith(".md") for p in self.problems):
            self.stage("content and citations", self.content_without_build)
        self.stage("DOIs", self.dois)
        if self.built:
            self.stage("internal links", self.links)
        else:
            self.notes.append("internal links: not checked (the site could not be built)")
        if not any(p.rule in {"yaml-syntax", "mkdocs-config"} for p in self.problems):
            self.stage("published URLs", self.urls)
        return _drop_repeats(self.problems)


def _drop_repeats(problems: list[Problem]) -> list[Problem]:
    """One line per mistake: the same rule at the same place is reported once, and the link
    check's broken-link lines are left out where MkDocs already named that link."""
    seen: set[tuple[str, int | None, int | None, str, str]] = set()
    named = {(p.file, p.line) for p in problems if p.rule.startswith("link-")}
    # A menu entry for a page that is gone also breaks the theme's links to it (previous and
    # next page at the foot of its neighbours): the menu entry's problem says it all.
    menu_gone = {
        p.message.split("'")[1] for p in problems if p.rule == "nav-not-found" and "'" in p.message
    }
    cited = {
        p.message.split("'")[1]
        for p in problems
        if p.rule == "citation-unknown-key" and p.file != "bibliography.bib" and "'" in p.message
    }
    kept = []
    for p in problems:
        key = (p.file, p.line, p.column, p.rule, p.message)
        if key in seen:
            continue
        if p.rule in {"broken-link", "broken-anchor"} and (p.file, p.line) in named:
            continue
        if p.rule == "broken-link" and any(
            re.search(rf"the link '(\.\./)*{re.escape(gone)}'", p.message) for gone in menu_gone
        ):
            continue
        if (
            p.file == "bibliography.bib"
            and p.rule == "citation-unknown-key"
            and any(f"'{key_}'" in p.message for key_ in cited)
        ):
            continue
        seen.add(key)
        kept.append(p)
    return kept


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m iopguide check",
        description="Run every check (content, citations, menu, links, anchors, DOIs, published "
        "URLs, security) and print every problem in one report.",
    )
    parser.add_argument("pages", nargs="*", type=Path, help="only report problems of these files")
    parser.add_argument("--root", type=Path, default=None, help="project folder (with mkdocs.yml)")
    args = parser.parse_args(argv)

    root = project.root_of(args.root)
    wanted: set[str] = set()
    for page in args.pages:
        path = page if page.is_absolute() else Path.cwd() / page
        if not path.exists():
            print(f"error: {page} does not exist", file=sys.stderr)
            return 2
        try:
            wanted.add(path.resolve().relative_to(root).as_posix())
        except ValueError:
            print(f"error: {page} is not inside {root}", file=sys.stderr)
            return 2

    with tempfile.TemporaryDirectory(prefix="iopguide-check-") as tmp:
        site = Path(tmp) / "site"
        run = Run(root, site)
        problems = run.run()
        print("Checks run: " + "; ".join(run.notes) + ".")

    others = 0
    if wanted:
        shown = [p for p in problems if p.file in wanted]
        others = len(problems) - len(shown)
        problems = shown
    if github.in_actions():
        text = github.annotation_lines(problems)
        if text:
            print(text)
        github.write_summary(problems)
    report = format_report(problems)
    if report:
        print(report)
    if others:
        print(f"({others} problem(s) in other files not shown; run 'make check' to see them.)")
    if not has_errors(problems):
        where = ", ".join(sorted(wanted)) if wanted else "every page"
        print(f"make check passed for {where}." + (" Warnings are above." if problems else ""))
        return 0
    return 1
