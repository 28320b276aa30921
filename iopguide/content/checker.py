"""Every content check over a set of pages (the build's hook runs them too), and ``python -m
iopguide content [paths]``: exit 1 on any error, 0 otherwise (warnings pass), 2 on wrong usage."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable
from pathlib import Path

from iopguide import ROOT, project, report
from iopguide.cache import LastResult
from iopguide.content import frontmatter, hunspell, language, markup, readability, spelling
from iopguide.content.page import read_page
from iopguide.content.rules import MESSAGES, Rules, load_rules, words
from iopguide.i18n import checksum, page_language, translation_source
from iopguide.report import Problem, ProblemsFound, has_errors, plural, print_error, print_report

#: page path -> its problems but spelling, by its text, rules, day and English page (a translation)
_PAGE_RESULTS: LastResult[tuple[Problem, ...]] = LastResult()


def check_pages(
    paths: Iterable[Path] | None = None,
    root: Path = ROOT,
    *,
    today: dt.date | None = None,
    spell: bool = True,
    site_pages: list[Path] | None = None,
    rules: Rules | None = None,
) -> list[Problem]:
    """Every problem of ``paths`` (default: every page MkDocs builds under ``root``); the other
    ``site_pages`` (default: :func:`iopguide.project.pages`) are read for unique descriptions."""
    root = Path(root).resolve()
    rules, today = rules or load_rules(root), today or frontmatter.today_from_env()
    site = project.pages(root) if site_pages is None else [Path(p).resolve() for p in site_pages]
    targets = site if paths is None else [Path(p).resolve() for p in paths]
    pages = [read_page(p, root) for p in targets]
    code_of = {page.rel: page_language(page.rel, rules.codes) for page in pages}
    problems: list[Problem] = []
    front = frontmatter.FrontMatterChecker(rules, today)
    for page in pages:  # every problem but spelling and duplicate descriptions
        code, named = code_of[page.rel], (page.front_matter.data or {}).get("translation_of")
        source = Path(translation_source(str(page.path), named)) if code and named else None
        english = checksum(source) if source and source.is_file() else ""
        key = (page.text, rules.fingerprint, today, english)
        if rules.fingerprint and (cached := _PAGE_RESULTS.get(str(page.path), key)) is not None:
            problems += cached
            continue
        own = rules.of_language(code)
        found = front.check(page) + language.check(page, own) + markup.check(page, own)
        found += frontmatter.translation_problems(page, code) + readability.check(page, own)
        problems += _PAGE_RESULTS.put(str(page.path), key, tuple(found))
    # codespell for English; translated pages get their language's Hunspell dictionary.
    problems += spelling.check([p for p in pages if spell and not code_of[p.rel]], rules)
    for code, own in rules.languages.items() if spell else ():
        problems += hunspell.check([p for p in pages if code_of[p.rel] == code], own)
    others = [read_page(p, root) for p in sorted(set(site) - set(targets))]
    return problems + frontmatter.duplicate_descriptions(pages + others, {p.rel for p in pages})


def parser(command: str, key: str) -> argparse.ArgumentParser:
    """The options ``content`` and ``readability`` share: pages or folders, and ``--root``."""
    p = MESSAGES.parser(command, key, root="help/root")
    p.add_argument("paths", nargs="*", type=Path, help=words("help/paths"))
    return p


def resolve_paths(paths: list[Path], root: Path) -> list[Path] | None:
    """Files and folders given on the command line, as page files; None means every page."""
    if not paths:
        return None
    found: list[Path] = []
    for path in (p if p.is_absolute() else Path.cwd() / p for p in paths):
        if path.is_dir():
            inside = sorted({p for p in project.pages(root) if p.is_relative_to(path.resolve())})
            found += inside or sorted(path.rglob("*.md"))
        elif path.is_file():
            found.append(path.resolve())
        else:
            raise FileNotFoundError(report.MESSAGES.text("text/does-not-exist", page=path))
    return found


def main(argv: list[str]) -> int:
    p = parser("content", "help/content")
    p.add_argument("--today", help=words("help/today", env=frontmatter.TODAY_ENV))
    p.add_argument("--no-spelling", action="store_true", help=words("help/no-spelling"))
    args = p.parse_args(argv)
    root = project.root_of(args.root)
    try:
        today, site = frontmatter.today_from_env(args.today), project.pages(root)
        paths = resolve_paths(args.paths, root)
        problems = check_pages(
            paths, root, today=today, spell=not args.no_spelling, site_pages=site
        )
    except (ValueError, FileNotFoundError) as exc:
        return print_error(exc)
    except ProblemsFound as exc:
        print(exc, file=sys.stderr)
        return 1
    count, code = len(paths if paths is not None else site), print_report(problems)
    if not has_errors(problems):
        print(words("passed", pages=plural(count, "page")))
    return code
