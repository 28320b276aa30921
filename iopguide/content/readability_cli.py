"""``python -m iopguide readability [paths]``: a table of the reading grade of every page.

Grades come from textstat 0.7.8 (Flesch-Kincaid grade and SMOG) on each page's prose (see
:mod:`iopguide.content.readability` for what counts). Exits 1 when a graded page is above the
ceiling in content-rules.yml, so the table and the build agree. Translated pages (docs/*.es.md)
get their own table: the reading ease of their language (Fernández-Huerta for Spanish).
"""

from __future__ import annotations

import sys
from pathlib import Path

import textstat

from iopguide import project
from iopguide.content.cli import parser, resolve_paths
from iopguide.content.page import read_page
from iopguide.content.readability import grade_page, prose, reading_ease
from iopguide.content.rules import EASE_MEASURES, READING_MEASURES, Rules, load_rules
from iopguide.i18n import load_languages, page_language
from iopguide.report import ProblemsFound


def main(argv: list[str]) -> int:
    args = parser(
        "python -m iopguide readability", "Print the reading grade of every page."
    ).parse_args(argv)
    root = project.root_of(args.root)
    try:
        rules = load_rules(root)
        paths = resolve_paths(args.paths, root) or project.pages(root)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ProblemsFound as exc:
        print(exc, file=sys.stderr)
        return 1
    codes = list(load_languages(root))
    translated = [p for p in paths if page_language(p.name, codes) in rules.languages]
    paths = [p for p in paths if p not in translated]
    failed = _translated_table(translated, root, rules, codes) if translated else 0
    grades = [grade_page(read_page(p, root), rules) for p in paths]
    names = [READING_MEASURES[m] for m in READING_MEASURES]
    width = max([len("page"), *(len(g.page) for g in grades)])
    header = f"{'page':<{width}}  {'words':>5}  {'sentences':>9}  " + "  ".join(
        f"{n:>14}" for n in names
    )
    print(header + "  result")
    print("-" * (len(header) + 8))
    for grade in grades:
        scores = "  ".join(f"{grade.scores[m]:>14.1f}" for m in READING_MEASURES)
        over = {m for m in grade.over(rules.reading_ceiling) if m in rules.reading_measures}
        if not grade.graded:
            result = f"not graded (under {rules.reading_min_words} words)"
        elif over:
            failed += 1
            result = "TOO HARD: " + ", ".join(READING_MEASURES[m] for m in over)
        else:
            result = "ok"
        print(f"{grade.page:<{width}}  {grade.words:>5}  {grade.sentences:>9}  {scores}  {result}")
    measured = ", ".join(READING_MEASURES[m] for m in rules.reading_measures)
    print(
        f"\nCeiling: US school grade {rules.reading_ceiling:g} ({measured}), set in "
        f"content-rules.yml. {failed} page{'s' if failed != 1 else ''} above it."
    )
    return 1 if failed else 0


def _translated_table(paths: list[Path], root: Path, rules: Rules, codes: list[str]) -> int:
    """Translated pages: the reading ease of their language (higher is easier)."""
    failed = 0
    width = max(len("page"), *(len(p.relative_to(root).as_posix()) for p in paths))
    print(f"{'page':<{width}}  {'words':>5}  {'reading ease':>12}  result")
    print("-" * (width + 36))
    for path in paths:
        page = read_page(path, root)
        code = str(page_language(path.name, codes))
        own = rules.languages[code]
        text = prose(page)
        words = textstat.lexicon_count(text) if text else 0
        score = reading_ease(text, own.reading_measure, code) if text else 0.0
        if words < rules.reading_min_words:
            result = f"not graded (under {rules.reading_min_words} words)"
        elif score < own.reading_floor:
            failed += 1
            result = f"TOO HARD: under {own.reading_floor:g}"
        else:
            result = "ok"
        name = EASE_MEASURES[own.reading_measure]
        print(f"{page.rel:<{width}}  {words:>5}  {score:>12.1f}  {result} ({code}, {name})")
    print()
    return failed
