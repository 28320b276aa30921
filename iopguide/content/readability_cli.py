"""``python -m iopguide readability [paths]``: a table of the reading grade of every page.

Grades come from textstat 0.7.8 (Flesch-Kincaid grade and SMOG) on each page's prose (see
:mod:`iopguide.content.readability` for what counts). Exits 1 when a graded page is above the
ceiling in content-rules.yml, so the table and the build agree.
"""

from __future__ import annotations

import sys

from iopguide.content.checker import discover_pages
from iopguide.content.cli import parser, resolve_paths
from iopguide.content.page import read_page
from iopguide.content.readability import grade_page
from iopguide.content.rules import READING_MEASURES, load_rules
from iopguide.report import ProblemsFound


def main(argv: list[str]) -> int:
    args = parser(
        "python -m iopguide readability", "Print the reading grade of every page."
    ).parse_args(argv)
    root = args.root.resolve()
    try:
        rules = load_rules(root)
        paths = resolve_paths(args.paths, root) or discover_pages(root)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ProblemsFound as exc:
        print(exc, file=sys.stderr)
        return 1
    grades = [grade_page(read_page(p, root), rules) for p in paths]
    names = [READING_MEASURES[m] for m in READING_MEASURES]
    width = max([len("page"), *(len(g.page) for g in grades)])
    header = f"{'page':<{width}}  {'words':>5}  {'sentences':>9}  " + "  ".join(
        f"{n:>14}" for n in names
    )
    print(header + "  result")
    print("-" * (len(header) + 8))
    failed = 0
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
