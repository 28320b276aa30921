"""Run every content check over a set of pages and collect all problems at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
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

#: page path -> its problems but spelling, keyed by (its text, rules fingerprint, day, and for a
#: translation its English page): ``mkdocs serve`` checks again only the edited page.
_PAGE_RESULTS: LastResult[tuple[Problem, ...]] = LastResult()


def _checks(
    rules: Rules, today: dt.date, docs: Path, code: str | None
) -> Callable[[Page], list[Problem]]:
    """Every check but spelling of a page in ``code`` (None: the original language)."""
    front, language, markup = (
        FrontMatterChecker(rules, today),
        LanguageChecker(rules),
        MarkupChecker(rules),
    )
    return lambda page: (
        front.check(page)
        + language.check(page)
        + markup.check(page)
        + translation.check(page, docs, code)
        + readability.check(page, rules)
    )


def _check_each(pages: list[Page], rules: Rules, today: dt.date) -> list[Problem]:
    """Every problem but spelling and duplicate descriptions, page by page, each translation
    (docs/<name>.<code>.md) with the rules of its language."""
    problems: list[Problem] = []
    checkers: dict[str | None, Callable[[Page], list[Problem]]] = {}
    codes = list(load_languages(rules.root))
    docs = project.docs_dir(rules.root)
    for page in pages:
        code = page_language(page.rel, codes)
        source = docs / str((page.front_matter.data or {}).get("translation_of") or "")
        source_sum = checksum(source) if code and source.is_file() else ""
        key = (page.text, rules.fingerprint, today, source_sum) if rules.fingerprint else None
        cached = _PAGE_RESULTS.get(str(page.path), key) if key is not None else None
        if cached is not None:
            problems += cached
            continue
        if code not in checkers:
            checkers[code] = _checks(for_language(rules, code), today, docs, code)
        found = checkers[code](page)
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
    """Every problem of ``paths`` (default: every page MkDocs builds under ``root``, the folder
    of mkdocs.yml and the rules files). Descriptions must be unique across the site, so the
    other pages (``site_pages``, default :func:`iopguide.project.pages`) are read for that too."""
    from iopguide import ROOT

    root = Path(root or ROOT).resolve()
    rules = rules or load_rules(root)
    today = today or today_from_env()
    site = project.pages(root) if site_pages is None else [Path(p).resolve() for p in site_pages]
    targets = site if paths is None else [Path(p).resolve() for p in paths]
    pages = [read_page(p, root) for p in targets]
    codes = list(load_languages(root))
    # codespell (English only) runs in its own process while the other checks run here;
    # translated pages get their language's Hunspell dictionary (content-rules.yml `languages`).
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
    others = [read_page(p, root) for p in sorted(set(site) - set(targets))]
    return problems + duplicate_descriptions(pages + others, {p.rel for p in pages})
