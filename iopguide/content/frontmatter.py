"""Front matter: the JSON Schema in content-rules.yml, reviewers.yml, and review dates."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from iopguide.content.page import Page
from iopguide.content.rules import Rules, say
from iopguide.report import Problem, Severity

GUIDE_FRONT_MATTER = "front-matter"
GUIDE_REVIEW = "review-dates"
TODAY_ENV = "IOPGUIDE_TODAY"
_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a group of 'key: value' lines",
}
_JSON_TYPES = {bool: "boolean", int: "number", float: "number", list: "array", dict: "object"}


def today_from_env(value: str | None = None) -> dt.date:
    """Today's date, or the date in IOPGUIDE_TODAY (YYYY-MM-DD) so tests are repeatable."""
    text = value if value is not None else os.environ.get(TODAY_ENV, "")
    try:
        return dt.date.fromisoformat(text) if text else dt.date.today()
    except ValueError:
        raise ValueError(f"{TODAY_ENV}={text!r} is not a date: write it as YYYY-MM-DD") from None


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February -> 28 February
        return day.replace(year=day.year + years, day=28)


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


class FrontMatterChecker:
    def __init__(self, rules: Rules, today: dt.date) -> None:
        self.rules = rules
        self.today = today
        self.schema = rules.front_matter_schema
        self.properties: dict[str, Any] = self.schema.get("properties", {})
        self.validator = Draft202012Validator(self.schema, format_checker=FormatChecker())

    def example(self, key: str) -> str:
        examples = self.properties.get(key, {}).get("examples") or []
        return f"{key}: {examples[0]}" if examples else f"{key}: ..."

    def check(self, page: Page) -> list[Problem]:
        fm = page.front_matter
        if not fm.present:
            required = ", ".join(self.schema.get("required", []))
            return [say(page.rel, 1, "front-matter-missing", required=required)]
        if fm.error is not None:
            rule = "front-matter-yaml-alias" if fm.alias else "front-matter-yaml"
            return [say(page.rel, fm.error[0], rule, what=fm.error[1])]
        data = fm.data or {}
        errors = sorted(self.validator.iter_errors(data), key=lambda e: [str(p) for p in e.path])
        problems = [p for err in errors for p in self._schema_problems(page, err)]
        # A misspelt key ('reviewd_by') also makes the real one missing: say it once.
        renamed = {p.fix.split("'")[1] for p in problems if p.fix.startswith("did you mean '")}
        problems = [
            p
            for p in problems
            if not (p.rule == "front-matter-missing-field" and p.message.split("'")[1] in renamed)
        ]
        return problems + self._reviewer(page, data) + self._dates(page, data)

    def _schema_problems(self, page: Page, err: ValidationError) -> list[Problem]:
        key = str(err.path[0]) if err.path else None
        line = page.front_matter.key_lines.get(key, 1) if key else 1
        prop = self.properties.get(key, {}) if key else {}
        what = f" ({prop['description']})" if prop.get("description") else ""

        def problem(rule: str, **values: Any) -> list[Problem]:
            return [say(page.rel, line, rule, **values)]

        if err.validator == "required" and not err.path:
            # jsonschema reports each missing field in its own error: "'title' is a required..."
            found = re.match(r"^'(.+?)' is a required property", err.message)
            name = found.group(1) if found else str(err.validator_value)
            what = self.properties.get(name, {}).get("description", "")
            what = f" ({what})" if what else ""
            return [
                say(
                    page.rel,
                    1,
                    "front-matter-missing-field",
                    name=name,
                    what=what,
                    example=self.example(name),
                )
            ]
        if err.validator == "additionalProperties" and not err.path:
            allowed = list(self.properties)
            problems = []
            for extra in [k for k in page.front_matter.data or {} if k not in self.properties]:
                close = difflib.get_close_matches(str(extra), allowed, n=1, cutoff=0.6)
                fix = (
                    f"did you mean '{close[0]}'? Rename the key"
                    if close
                    else f"remove it; the keys a page may have are: {', '.join(allowed)}"
                )
                at = page.front_matter.key_lines.get(str(extra), 1)
                problems.append(say(page.rel, at, "front-matter-unknown-key", key=extra, fix=fix))
            return problems
        if err.validator in {"minLength", "maxLength"} and key and isinstance(err.instance, str):
            low, high = prop.get("minLength"), prop.get("maxLength")
            bounds = (
                f"{low} to {high}"
                if low is not None and high is not None
                else (f"at least {low}" if low is not None else f"at most {high}")
            )
            advice = "say a little more" if err.validator == "minLength" else "shorten it"
            length = len(err.instance)
            return [
                say(
                    page.rel,
                    line,
                    "length",
                    rule=f"{key}-length",
                    key=key,
                    length=length,
                    bounds=bounds,
                    advice=advice,
                    what=what,
                )
            ]
        if err.validator == "pattern" and key and isinstance(err.instance, str):
            # The only patterns are on text the theme puts into <head> unescaped.
            bad = " ".join(repr(c) for c in dict.fromkeys(c for c in err.instance if c in '<>"'))
            return problem("front-matter-characters", key=key, bad=bad or "characters")
        if err.validator == "format" and err.validator_value == "date" and key:
            return problem(
                "front-matter-date", key=key, value=err.instance, example=self.example(key)
            )
        if err.validator == "type" and key:
            expected = err.validator_value  # the schema's "type": a name or a list of names
            names = [str(t) for t in (expected if isinstance(expected, list) else [expected])]
            given = (
                "empty"
                if err.instance is None
                else _TYPE_WORDS[_JSON_TYPES.get(type(err.instance), "string")]
            )
            return problem(
                "front-matter-type",
                key=key,
                expected=" or ".join(_TYPE_WORDS.get(t, t) for t in names),
                given=given,
                example=self.example(key),
                hint=", in double quotes" if expected == "string" else "",
            )
        location = ".".join(str(p) for p in err.path) or "front matter"
        fix = (
            f"write it like `{self.example(key)}`"
            if key
            else "compare with docs/_templates/page.md"
        )
        return problem("front-matter-invalid", location=location, error=err.message, fix=fix)

    def _reviewer(self, page: Page, data: dict[str, Any]) -> list[Problem]:
        value, reviewers = data.get("reviewed_by"), list(self.rules.reviewers)
        if not isinstance(value, str) or value in reviewers:
            return []
        close = difflib.get_close_matches(value, reviewers, n=1, cutoff=0.6)
        line = page.front_matter.key_lines.get("reviewed_by", 1)
        return [
            say(
                page.rel,
                line,
                "reviewer-unknown",
                value=value,
                hint=f"did you mean '{close[0]}'? " if close else "",
                keys=", ".join(sorted(reviewers)) or "(none yet)",
            )
        ]

    def _dates(self, page: Page, data: dict[str, Any]) -> list[Problem]:
        last, nxt = _date(data.get("last_reviewed")), _date(data.get("next_review"))
        years = self.rules.review_period_years
        problems: list[Problem] = []

        def add(key: str, rule: str, severity: Severity = Severity.ERROR, **values: Any) -> None:
            line = page.front_matter.key_lines.get(key, 1)
            problems.append(
                say(
                    page.rel,
                    line,
                    rule,
                    severity=severity,
                    last=last,
                    next=nxt,
                    years=years,
                    **values,
                )
            )

        if last is not None and last > self.today:
            add("last_reviewed", "review-date-future")
        if nxt is None:
            return problems
        if last is not None and nxt <= last:
            add("next_review", "review-date-order")
            return problems  # the order is the mistake to fix first
        if last is not None and nxt > add_years(last, years):
            add("next_review", "review-period", latest=add_years(last, years))
        days = (nxt - self.today).days
        if nxt < self.today:
            add("next_review", "review-overdue", Severity.WARNING)
        elif days <= self.rules.review_warn_days:
            when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            add("next_review", "review-due-soon", Severity.WARNING, when=when)
        return problems


def duplicate_descriptions(pages: list[Page], report_for: set[str]) -> list[Problem]:
    """Each description must be unique across the site (search results show it)."""
    seen: dict[str, list[Page]] = {}
    for page in pages:
        text = (page.front_matter.data or {}).get("description")
        if isinstance(text, str) and text.strip():
            seen.setdefault(" ".join(text.lower().split()), []).append(page)
    return [
        say(
            page.rel,
            page.front_matter.key_lines.get("description", 1),
            "description-duplicate",
            others=", ".join(p.rel for p in group if p is not page),
        )
        for group in seen.values()
        if len(group) > 1
        for page in group
        if page.rel in report_for
    ]
