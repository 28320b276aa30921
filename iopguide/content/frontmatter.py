"""Front matter: the schema in content-rules.yml, reviewers.yml, and review dates."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Iterable
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from iopguide.content.page import Page
from iopguide.content.rules import REVIEWERS_FILE, RULES_FILE, Rules
from iopguide.report import Problem, Severity

GUIDE_FRONT_MATTER = "front-matter"
GUIDE_REVIEW = "review-dates"
TODAY_ENV = "IOPGUIDE_TODAY"
_TYPE_WORDS: dict[str, str] = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a group of 'key: value' lines",
}


def today_from_env(value: str | None = None) -> dt.date:
    """Today's date, or the date in IOPGUIDE_TODAY (YYYY-MM-DD) so tests are repeatable."""
    text = value if value is not None else os.environ.get(TODAY_ENV, "")
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{TODAY_ENV}={text!r} is not a date: write it as YYYY-MM-DD") from None


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February -> 28 February
        return day.replace(year=day.year + years, day=28)


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of 'key: value' lines"
    if value is None:
        return "empty"
    return "text"


class FrontMatterChecker:
    def __init__(self, rules: Rules, today: dt.date) -> None:
        self.rules = rules
        self.today = today
        self.schema = rules.front_matter_schema
        self.properties: dict[str, Any] = self.schema.get("properties", {})
        self.validator = Draft202012Validator(self.schema, format_checker=FormatChecker())

    def problem(
        self,
        page: Page,
        line: int | None,
        rule: str,
        message: str,
        fix: str,
        guide: str = GUIDE_FRONT_MATTER,
        severity: Severity = Severity.ERROR,
    ) -> Problem:
        return Problem(page.rel, line, None, rule, message, fix, severity, guide)

    def example(self, key: str) -> str:
        examples = self.properties.get(key, {}).get("examples") or []
        return f"{key}: {examples[0]}" if examples else f"{key}: ..."

    def check(self, page: Page) -> list[Problem]:
        fm = page.front_matter
        if not fm.present:
            required = ", ".join(self.schema.get("required", []))
            return [
                self.problem(
                    page,
                    1,
                    "front-matter-missing",
                    "This page has no front matter (the block between two '---' lines at the top)",
                    f"copy the block from docs/_templates/page.md to the very top and fill in "
                    f"{required}",
                )
            ]
        if fm.error is not None and fm.alias:
            line, what = fm.error
            return [
                self.problem(
                    page,
                    line,
                    "front-matter-yaml-alias",
                    f"The front matter uses a YAML anchor or alias ({what}); pages may not use "
                    "anchors (&name) or aliases (*name): a few of them can stand for gigabytes "
                    "of data",
                    "write each value out in full, like `hide: [navigation, toc]`",
                )
            ]
        if fm.error is not None:
            line, what = fm.error
            return [
                self.problem(
                    page,
                    line,
                    "front-matter-yaml",
                    f"The front matter cannot be read ({what})",
                    "check this line: put double quotes around a value that contains a colon, "
                    'like title: "IOP Guide: the basics", and start each line with key: value',
                )
            ]
        data = fm.data or {}
        problems: list[Problem] = []
        for err in self._errors(data):
            problems += self._schema_problems(page, err)
        # A misspelt key ('reviewd_by') also makes the real one missing: say it once.
        renamed = {p.fix.split("'")[1] for p in problems if p.fix.startswith("did you mean '")}
        problems = [
            p
            for p in problems
            if not (p.rule == "front-matter-missing-field" and p.message.split("'")[1] in renamed)
        ]
        problems += self._reviewer(page, data)
        problems += self._dates(page, data)
        return problems

    def _errors(self, data: dict[str, Any]) -> Iterable[ValidationError]:
        return sorted(self.validator.iter_errors(data), key=lambda e: [str(p) for p in e.path])

    def _schema_problems(self, page: Page, err: ValidationError) -> list[Problem]:
        fm = page.front_matter
        key = str(err.path[0]) if err.path else None
        line = fm.key_lines.get(key, 1) if key else 1
        prop = self.properties.get(key, {}) if key else {}
        what = prop.get("description", "")
        if err.validator == "required" and not err.path:
            # jsonschema reports each missing field in its own error: "'title' is a required..."
            found = re.match(r"^'(.+?)' is a required property", err.message)
            name = found.group(1) if found else str(err.validator_value)
            what = self.properties.get(name, {}).get("description", "")
            return [
                self.problem(
                    page,
                    1,
                    "front-matter-missing-field",
                    f"The front matter has no '{name}'" + (f" ({what})" if what else ""),
                    f"add a line like `{self.example(name)}` between the '---' lines",
                )
            ]
        if err.validator == "additionalProperties" and not err.path:
            allowed = list(self.properties)
            given = err.instance  # the front matter: a mapping (its keys were checked)
            extras = (
                [k for k in given if k not in self.properties] if isinstance(given, dict) else []
            )
            problems = []
            for extra in extras:
                close = difflib.get_close_matches(str(extra), allowed, n=1, cutoff=0.6)
                fix = (
                    f"did you mean '{close[0]}'? Rename the key"
                    if close
                    else f"remove it; the keys a page may have are: {', '.join(allowed)}"
                )
                problems.append(
                    self.problem(
                        page,
                        fm.key_lines.get(str(extra), 1),
                        "front-matter-unknown-key",
                        f"Unknown front matter key '{extra}'",
                        fix,
                    )
                )
            return problems
        if err.validator in {"minLength", "maxLength"} and key and isinstance(err.instance, str):
            low, high = prop.get("minLength"), prop.get("maxLength")
            bounds = (
                f"{low} to {high}"
                if low is not None and high is not None
                else (f"at least {low}" if low is not None else f"at most {high}")
            )
            length = len(err.instance)
            advice = "say a little more" if err.validator == "minLength" else "shorten it"
            return [
                self.problem(
                    page,
                    line,
                    f"{key}-length",
                    f"The {key} is {length} characters long; it must be {bounds} characters",
                    f"{advice}" + (f" ({what})" if what else ""),
                )
            ]
        if err.validator == "pattern" and key and isinstance(err.instance, str):
            # The only patterns are on text the theme puts into <head> unescaped.
            bad = "".join(dict.fromkeys(c for c in err.instance if c in '<>"'))
            return [
                self.problem(
                    page,
                    line,
                    "front-matter-characters",
                    f"The {key} contains {' '.join(repr(c) for c in bad) or 'characters'} "
                    "that would break the page's title or description in its <head>",
                    "remove them; for quotation marks inside the text write “ ” or ’",  # noqa: RUF001
                )
            ]
        if err.validator == "format" and err.validator_value == "date" and key:
            return [
                self.problem(
                    page,
                    line,
                    "front-matter-date",
                    f"{key} '{err.instance}' is not a date",
                    f"write the date as YYYY-MM-DD, like `{self.example(key)}`",
                    guide=GUIDE_REVIEW,
                )
            ]
        if err.validator == "type" and key:
            expected = err.validator_value  # the schema's "type": a name or a list of names
            names = [str(t) for t in (expected if isinstance(expected, list) else [expected])]
            expected_words = " or ".join(_TYPE_WORDS.get(t, t) for t in names)
            hint = ", in double quotes" if expected == "string" else ""
            return [
                self.problem(
                    page,
                    line,
                    "front-matter-type",
                    f"{key} must be {expected_words}, not {_type_name(err.instance)}",
                    f"write it like `{self.example(key)}`{hint}",
                )
            ]
        location = ".".join(str(p) for p in err.path) or "front matter"
        return [
            self.problem(
                page,
                line,
                "front-matter-invalid",
                f"{location}: {err.message}",
                f"write it like `{self.example(key)}`"
                if key
                else "compare with docs/_templates/page.md",
            )
        ]

    def _reviewer(self, page: Page, data: dict[str, Any]) -> list[Problem]:
        value = data.get("reviewed_by")
        if not isinstance(value, str) or value in self.rules.reviewers:
            return []
        keys = ", ".join(sorted(self.rules.reviewers)) or "(none yet)"
        close = difflib.get_close_matches(value, list(self.rules.reviewers), n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return [
            self.problem(
                page,
                page.front_matter.key_lines.get("reviewed_by", 1),
                "reviewer-unknown",
                f"reviewed_by '{value}' is not a reviewer in {REVIEWERS_FILE}",
                f"{hint}use one of: {keys}; to add a reviewer, see CONTRIBUTING.md#reviewers",
                guide=GUIDE_REVIEW,
            )
        ]

    def _date(self, data: dict[str, Any], key: str) -> dt.date | None:
        value = data.get(key)
        if not isinstance(value, str):
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None

    def _dates(self, page: Page, data: dict[str, Any]) -> list[Problem]:
        last = self._date(data, "last_reviewed")
        nxt = self._date(data, "next_review")
        lines = page.front_matter.key_lines
        years = self.rules.review_period_years
        problems: list[Problem] = []

        def add(key: str, rule: str, message: str, fix: str, severity: Severity) -> None:
            problems.append(
                self.problem(page, lines.get(key, 1), rule, message, fix, GUIDE_REVIEW, severity)
            )

        error, warning = Severity.ERROR, Severity.WARNING
        if last is not None and last > self.today:
            add(
                "last_reviewed",
                "review-date-future",
                f"last_reviewed ({last}) is in the future",
                "use the date the whole page was last reviewed (today or earlier)",
                error,
            )
        if nxt is None:
            return problems
        if last is not None and nxt <= last:
            add(
                "next_review",
                "review-date-order",
                f"next_review ({nxt}) must be after last_reviewed ({last})",
                f"set next_review to a date up to {years} years after last_reviewed",
                error,
            )
        elif last is not None and nxt > add_years(last, years):
            add(
                "next_review",
                "review-period",
                f"next_review ({nxt}) is more than {years} years after last_reviewed ({last})",
                f"set next_review to {add_years(last, years)} or earlier "
                f"(the review period is set in {RULES_FILE})",
                error,
            )
        if last is not None and nxt <= last:
            return problems  # the order is the mistake to fix first
        if nxt < self.today:
            add(
                "next_review",
                "review-overdue",
                f'This page was due for review on {nxt}; readers see "This page is due for '
                'review" until it is reviewed',
                "ask the reviewer to check the whole page and its sources; then set "
                "last_reviewed to the review date and next_review to the next one",
                warning,
            )
        elif (nxt - self.today).days <= self.rules.review_warn_days:
            days = (nxt - self.today).days
            when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            add(
                "next_review",
                "review-due-soon",
                f"This page is due for review on {nxt} ({when})",
                "plan the review now: ask the reviewer to check the whole page before that date",
                warning,
            )
        return problems


def duplicate_descriptions(pages: list[Page], report_for: set[str]) -> list[Problem]:
    """Each description must be unique across the site (search results show it)."""
    seen: dict[str, list[Page]] = {}
    for page in pages:
        data = page.front_matter.data or {}
        text = data.get("description")
        if isinstance(text, str) and text.strip():
            seen.setdefault(" ".join(text.lower().split()), []).append(page)
    problems = []
    for group in seen.values():
        if len(group) < 2:
            continue
        for page in group:
            if page.rel not in report_for:
                continue
            others = ", ".join(p.rel for p in group if p is not page)
            problems.append(
                Problem(
                    page.rel,
                    page.front_matter.key_lines.get("description", 1),
                    None,
                    "description-duplicate",
                    f"This description is the same as the one of {others}",
                    "write a description that fits only this page: search results show it",
                    Severity.ERROR,
                    GUIDE_FRONT_MATTER,
                )
            )
    return problems
