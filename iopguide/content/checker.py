"""Run every content check over a set of pages and collect all problems at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from iopguide import project
from iopguide.cache import LastResult
from iopguide.content import hunspell, language, markup, readability, spelling
from iopguide.content.frontmatter import (
    FrontMatterChecker,
    duplicate_descriptions,
    today_from_env,
    translation_problems,
)
from iopguide.content.page import Page, read_page
from iopguide.content.rules import Rules, load_rules
from iopguide.i18n import checksum, load_languages, page_language
from iopguide.report import Problem

#: page path -> its problems but spelling, keyed by its text, the rules, the day and (for a
#: translation) its English page: ``mkdocs serve`` checks again only the edited page.
_PAGE_RESULTS: LastResult[tuple[Problem, ...]] = LastResult()


def _check_each(pages: list[Page], rules: Rules, today: dt.date, codes: list[str]) -> list[Problem]:
    """Every problem but spelling and duplicate descriptions; a translation with its language's."""
    problems: list[Problem] = []
    front, docs = FrontMatterChecker(rules, today), project.docs_dir(rules.root)
    for page in pages:
        code = page_language(page.rel, codes)
        source = docs / str((page.front_matter.data or {}).get("translation_of") or "")
        english = checksum(source) if code and source.is_file() else ""
        key = (page.text, rules.fingerprint, today, english)
        if rules.fingerprint and (cached := _PAGE_RESULTS.get(str(page.path), key)) is not None:
            problems += cached
            continue
        own = rules.languages.get(code or "", rules)
        found = front.check(page) + language.check(page, own) + markup.check(page, own)
        found += translation_problems(page, docs, code) + readability.check(page, own)
        if rules.fingerprint:
            _PAGE_RESULTS.put(str(page.path), key, tuple(found))
        problems += found
    return problems


def check_pages(
    paths: Iterable[Path] | None = None,
    root: Path | None = None,
    *,
    today: dt.date | None = None,
    spell: bool = True,
    site_pages: list[Path] | None = None,
) -> list[Problem]:
    """Every problem of ``paths`` (default: every page MkDocs builds under ``root``, the folder
    of mkdocs.yml and the rules files). Descriptions must be unique across the site, so the
    other pages (``site_pages``, default :func:`iopguide.project.pages`) are read for that too."""
    from iopguide import ROOT

    root = Path(root or ROOT).resolve()
    rules, today = load_rules(root), today or today_from_env()
    site = project.pages(root) if site_pages is None else [Path(p).resolve() for p in site_pages]
    targets = site if paths is None else [Path(p).resolve() for p in paths]
    pages, codes = [read_page(p, root) for p in targets], list(load_languages(root))
    language = {page.rel: page_language(page.rel, codes) for page in pages}
    problems = _check_each(pages, rules, today, codes)
    # codespell for English; translated pages get their language's Hunspell dictionary.
    problems += spelling.check([p for p in pages if spell and not language[p.rel]], rules)
    for code, own in rules.languages.items() if spell else ():
        problems += hunspell.check([p for p in pages if language[p.rel] == code], own)
    others = [read_page(p, root) for p in sorted(set(site) - set(targets))]
    return problems + duplicate_descriptions(pages + others, {p.rel for p in pages})
