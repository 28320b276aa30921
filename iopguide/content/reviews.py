"""``python -m iopguide reviews``: pages due for review and stale translations, as Markdown for the
weekly workflow's standing issue. Exit status 0 whatever the dates (2 on wrong usage, 1 on a
broken rules file)."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass

from iopguide import project
from iopguide.content.frontmatter import TODAY_ENV, today_from_env, translation_problems
from iopguide.content.page import Page, read_page
from iopguide.content.rules import MESSAGES, Rules, load_rules, words
from iopguide.i18n import page_language, parse_date
from iopguide.report import Problem, ProblemsFound, plural, print_error


@dataclass(frozen=True, order=True)
class Due:
    next_review: dt.date
    file: str
    line: int
    reviewed_by: str


def due_pages(pages: list[Page], today: dt.date, within: int) -> list[Due]:
    """Pages whose next_review is before ``today + within`` days, soonest first."""
    found = []
    for page in pages:
        data, lines = page.front_matter.data or {}, page.front_matter.key_lines
        if (nxt := parse_date(data.get("next_review"))) and (nxt - today).days <= within:
            line, reviewer = lines.get("next_review", 1), str(data.get("reviewed_by") or "")
            found.append(Due(nxt, page.rel, line, reviewer))
    return sorted(found)


def stale_translations(pages: list[Page], rules: Rules) -> list[Problem]:
    """The ``translation-stale`` warnings of the translated ``pages``, in their order."""
    found = list[Problem]()
    for page in pages:
        if (language := page_language(page.rel, rules.codes)) is not None:
            problems = translation_problems(page, language)
            found += [p for p in problems if p.rule == "translation-stale"]
    return found


def stale_markdown(stale: list[Problem]) -> str:
    """The stale translations as Markdown, for the same issue."""
    if not stale:
        return words("reviews/no-stale") + "\n"
    lines = [words("reviews/stale") + "\n", words("reviews/stale-table")]
    lines += [words("reviews/stale-row", problem=p) for p in stale]
    return "\n".join(lines) + "\n"


def markdown(items: list[Due], today: dt.date, within: int) -> str:
    """The list as Markdown, for the standing issue (empty list: one sentence)."""
    if not items:
        return words("reviews/none-due", within=within, today=today) + "\n"
    lines = [words("reviews/due", within=within, today=today) + "\n", words("reviews/due-table")]
    for item in items:
        days = (item.next_review - today).days
        key = "reviews/overdue" if days < 0 else "reviews/due-in" if days else "reviews/due-today"
        status, reviewer = words(key, days=plural(abs(days), "day")), item.reviewed_by or "-"
        lines.append(words("reviews/due-row", item=item, status=status, reviewer=reviewer))
    lines.append("\n" + words("reviews/after"))
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    parser = MESSAGES.parser("reviews", "help/reviews", root="")
    parser.add_argument("--within", type=int, help=words("help/within"))
    parser.add_argument("--today", help=words("help/reviews-today", env=TODAY_ENV))
    args = parser.parse_args(argv)
    root = project.root_of(args.root)
    try:
        today, rules = today_from_env(args.today), load_rules(root)
        within = rules.review_warn_days if args.within is None else args.within
        pages = [read_page(path, root) for path in sorted(project.pages(root))]  # each read once
    except ValueError as exc:
        return print_error(exc)
    except ProblemsFound as exc:
        print(exc, file=sys.stderr)
        return 1
    sys.stdout.write(markdown(due_pages(pages, today, within), today, within))
    sys.stdout.write("\n" + stale_markdown(stale_translations(pages, rules)))
    return 0
