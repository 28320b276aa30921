"""Run every content check over a set of pages and collect all problems at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from iopguide import project
from iopguide.cache import LastResult
from iopguide.content import hunspell, readability, spelling, translation
from iopguide.content.frontmatter import FrontMatterChecker, duplicate_descriptions, today_from_env
from iopguide.content.language import LanguageChecker
from iopguide.content.markup import MarkupChecker
from iopguide.content.page import Page, read_page
from iopguide.content.rules import Rules, for_language, load_rules
from iopguide.i18n import checksum, load_languages, page_language
from iopguide.report import Problem


def _first_h1_line(page: Page, markup: MarkupChecker) -> int:
    return next((line for line, level, _ in markup.headings(page) if level == 1), page.body_start)


#: page path -> its problems, for every check but spelling, keyed by (its text, rules
#: fingerprint, day).
_PAGE_RESULTS: LastResult[tuple[Problem, ...]] = LastResult()


def _check_page(
    page: Page,
    rules: Rules,
    front: FrontMatterChecker,
    language: LanguageChecker,
    markup: MarkupChecker,
) -> list[Problem]:
    problems = front.check(page) + language.check(page) + markup.check(page)
    code = page_language(page.rel, list(load_languages(rules.root)))
    problems += translation.check(page, project.docs_dir(rules.root), code)
    line = _first_h1_line(page, markup)
    problems += [
        Problem(p.file, line, p.column, p.rule, p.message, p.fix, p.severity, p.guide)
        for p in readability.check(page, rules)
    ]
    return problems


def _source_fingerprint(page: Page, rules: Rules) -> str:
    name = (page.front_matter.data or {}).get("translation_of")
    path = project.docs_dir(rules.root) / str(name) if name else None
    return checksum(path) if path is not None and path.is_file() else ""


def _check_each(pages: list[Page], rules: Rules, today: dt.date) -> list[Problem]:
    """Every problem but spelling and duplicate descriptions, page by page."""
    problems: list[Problem] = []
    checkers: dict[str | None, tuple[FrontMatterChecker, LanguageChecker, MarkupChecker]] = {}
    codes = list(load_languages(rules.root))
    for page in pages:
        # A translation (docs/<name>.<code>.md) is checked with the rules of its language.
        code = page_language(page.rel, codes)
        page_rules = for_language(rules, code)
        # Unchanged page, same rules, same day: same problems (mkdocs serve rebuilds everything
        # on every save; only the edited page is checked again).
        # A translation's result also depends on the English page it was translated from.
        source = _source_fingerprint(page, rules) if code else ""
        key = (page.text, rules.fingerprint, today, source) if rules.fingerprint else None
        cached = _PAGE_RESULTS.get(str(page.path), key) if key is not None else None
        if cached is not None:
            problems += cached
            continue
        if code not in checkers:
            checkers[code] = (
                FrontMatterChecker(page_rules, today),
                LanguageChecker(page_rules),
                MarkupChecker(page_rules),
            )
        found = _check_page(page, page_rules, *checkers[code])
        if key is not None:
            _PAGE_RESULTS.put(str(page.path), key, tuple(found))
        problems += found
    return problems


def check_pages(
    paths: Iterable[Path] | None = None,
    root: Path | None = None,
    *,
    today: dt.date | None = None,
    rules: Rules | None = None,
    spell: bool = True,
    site_pages: list[Path] | None = None,
) -> list[Problem]:
    """Every problem of ``paths`` (default: every page MkDocs builds under ``root``).

    ``root`` is the project folder that holds mkdocs.yml and the rules files; ``today`` defaults
    to IOPGUIDE_TODAY or the real date. Descriptions must be unique across all pages of the
    site, so the other pages MkDocs builds (``site_pages``, default: :func:`iopguide.project.pages`)
    are read for that check too.
    """
    from iopguide import ROOT

    root = Path(root or ROOT).resolve()
    rules = rules or load_rules(root)
    today = today or today_from_env()
    site = project.pages(root) if site_pages is None else [Path(p).resolve() for p in site_pages]
    targets = site if paths is None else [Path(p).resolve() for p in paths]
    pages = [read_page(p, root) for p in targets]
    # codespell runs in its own process while the other checks run here. It knows English
    # misspellings only: translated pages are checked with their language's Hunspell
    # dictionary and word list (iopguide.content.hunspell, content-rules.yml `languages`).
    codes = list(load_languages(root))
    originals = [p for p in pages if page_language(p.rel, codes) is None]
    spelling_run = spelling.SpellRun(originals, rules) if spell else None
    try:
        problems = _check_each(pages, rules, today)
        if spelling_run is not None:
            for code, own in rules.languages.items():
                translated = [p for p in pages if page_language(p.rel, codes) == code]
                problems += hunspell.check(translated, code, own, rules.root)
            problems += spelling_run.result()
    finally:
        if spelling_run is not None:
            spelling_run.close()
    # Uniqueness is a site-wide rule: compare with the other pages too, report only ours.
    others = set(site) - set(targets)
    every = pages + [read_page(p, root) for p in sorted(others)]
    problems += duplicate_descriptions(every, {p.rel for p in pages})
    return problems
