"""Front matter: content-rules.yml's JSON Schema, reviewers, review dates, translation fields."""

from __future__ import annotations

import datetime as dt
import difflib
import os
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from iopguide.content.page import Page
from iopguide.content.rules import MESSAGES, Rules, say, words
from iopguide.i18n import checksum, original_of, parse_date, translation_name, translation_source
from iopguide.report import Problem, Severity, plural

TODAY_ENV = "IOPGUIDE_TODAY"
TRANSLATION_KEYS = ("translation_of", "translated_from", "source_checksum")
_KEYS = {"required", "additionalProperties"}  # missing and unknown keys: found before the schema
_JSON_TYPES = {bool: "boolean", int: "number", float: "number", list: "array", dict: "object"}


def today_from_env(value: str | None = None) -> dt.date:  # IOPGUIDE_TODAY: repeatable tests
    text = value if value is not None else os.environ.get(TODAY_ENV, "")
    try:
        return dt.date.fromisoformat(text) if text else dt.date.today()
    except ValueError:
        raise ValueError(words("today-not-a-date", name=TODAY_ENV, text=text)) from None


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February -> 28 February
        return day.replace(year=day.year + years, day=28)


class FrontMatterChecker:
    def __init__(self, rules: Rules, today: dt.date) -> None:
        self.rules, self.today, self.schema = rules, today, rules.front_matter_schema
        self.properties: dict[str, Any] = self.schema.get("properties", {})
        self.validator = Draft202012Validator(self.schema, format_checker=FormatChecker())

    def example(self, key: str) -> str:
        return f"{key}: {(self.properties.get(key, {}).get('examples') or ['...'])[0]}"

    def check(self, page: Page) -> list[Problem]:
        fm = page.front_matter
        if fm.error is not None:
            return [fm.error]
        if fm.data is None:
            required = ", ".join(self.schema.get("required", []))
            return [say(page.rel, 1, "front-matter-missing", required=required)]
        data, allowed, lines, problems = fm.data, list(self.properties), fm.key_lines, []
        closed = self.schema.get("additionalProperties") is False
        for extra in [key for key in data if key not in allowed and closed]:
            close = next(iter(difflib.get_close_matches(extra, allowed, n=1, cutoff=0.6)), None)
            rule = "front-matter-unknown-key/close" if close else "front-matter-unknown-key"
            values = {"key": extra, "keys": ", ".join(allowed), "renamed": close}
            problems.append(say(page.rel, lines.get(extra, 1), rule, **values))
        # A misspelt key ('reviewd_by') also makes the real one missing: say it once.
        renamed = {p.values["renamed"] for p in problems}
        for name in self.schema.get("required", []):
            if name not in data and name not in renamed:
                what = self.properties.get(name, {}).get("description", "")
                what, example = f" ({what})" if what else "", self.example(name)
                key = "front-matter-missing-field"
                problems.append(say(page.rel, 1, key, name=name, what=what, example=example))
        errors = sorted(self.validator.iter_errors(data), key=lambda e: [str(p) for p in e.path])
        problems += [self._value(page, e) for e in errors if e.path or e.validator not in _KEYS]
        return problems + self._reviewer(page, data) + self._dates(page, data)

    def _value(self, page: Page, err: ValidationError) -> Problem:
        key, instance = (str(err.path[0]) if err.path else None), err.instance
        prop = self.properties.get(key, {}) if key else {}
        values: dict[str, Any] = {"key": key, "value": instance, "example": self.example(str(key))}
        if key and isinstance(instance, str) and err.validator in {"minLength", "maxLength"}:
            low, high = prop.get("minLength"), prop.get("maxLength")
            bounds = "most" if low is None else "least" if high is None else "between"
            what = f" ({prop['description']})" if prop.get("description") else ""
            values |= {"rule": f"{key}-length", "length": len(instance), "what": what}
            values["bounds"] = words(f"length/{bounds}", low=low, high=high)
            rule = f"length/{err.validator}"
        elif key and isinstance(instance, str) and err.validator == "pattern":  # text in <head>
            bad = " ".join(repr(c) for c in dict.fromkeys(c for c in instance if c in '<>"'))
            rule, values["bad"] = "front-matter-characters", bad or words("characters/any")
        elif key and err.validator == "format" and err.validator_value == "date":
            rule = "front-matter-date"
        elif key and err.validator == "type":
            expected = err.validator_value  # the schema's "type": a name or a list of names
            kinds = [f"type/{t}" for t in (expected if isinstance(expected, list) else [expected])]
            rule = "front-matter-type/text" if expected == "string" else "front-matter-type"
            given = "null" if instance is None else _JSON_TYPES.get(type(instance), "string")
            values["expected"] = " or ".join(words(k) if k in MESSAGES else k[5:] for k in kinds)
            values["given"] = words(f"type/{given}")
        else:
            location = ".".join(str(p) for p in err.path)
            rule = "front-matter-invalid" if key else "front-matter-invalid/top"
            values |= {"location": location, "error": err.message}
        return say(page.rel, page.front_matter.key_lines.get(str(key), 1), rule, **values)

    def _reviewer(self, page: Page, data: dict[str, Any]) -> list[Problem]:
        value, reviewers = data.get("reviewed_by"), list(self.rules.reviewers)
        if not isinstance(value, str) or value in reviewers:
            return []
        close = next(iter(difflib.get_close_matches(value, reviewers, n=1, cutoff=0.6)), "")
        keys = ", ".join(sorted(reviewers)) or words("reviewer-unknown/none")
        line = page.front_matter.key_lines.get("reviewed_by", 1)
        rule = "reviewer-unknown/close" if close else "reviewer-unknown"
        return [say(page.rel, line, rule, value=value, close=close, keys=keys)]

    def _dates(self, page: Page, data: dict[str, Any]) -> list[Problem]:
        last, nxt = parse_date(data.get("last_reviewed")), parse_date(data.get("next_review"))
        years, lines = self.rules.review_period_years, page.front_matter.key_lines
        dates: dict[str, Any] = {"last": last, "next": nxt, "years": years}
        problems = []
        if last is not None and last > self.today:
            line = lines.get("last_reviewed", 1)
            problems.append(say(page.rel, line, "review-date-future", **dates))
        if nxt is None:
            return problems
        line, days, warning = lines.get("next_review", 1), (nxt - self.today).days, Severity.WARNING
        if last is not None and nxt <= last:  # the order is the mistake to fix first
            return [*problems, say(page.rel, line, "review-date-order", **dates)]
        if last is not None and nxt > (latest := add_years(last, years)):
            problems.append(say(page.rel, line, "review-period", latest=latest, **dates))
        if nxt < self.today:
            problems.append(say(page.rel, line, "review-overdue", severity=warning, **dates))
        elif days <= self.rules.review_warn_days:
            dates |= {"days": plural(days, "day"), "severity": warning}
            rule = "review-due-soon/today" if days == 0 else "review-due-soon"
            problems.append(say(page.rel, line, rule, **dates))
        return problems


def duplicate_descriptions(pages: list[Page], report_for: set[str]) -> list[Problem]:
    """Each description must be unique across the site (search results show it)."""
    seen: dict[str, list[Page]] = {}
    for page in pages:
        text = (page.front_matter.data or {}).get("description")
        if isinstance(text, str) and text.strip():
            seen.setdefault(" ".join(text.lower().split()), []).append(page)
    problems = []
    for group in (group for group in seen.values() if len(group) > 1):
        for page in (page for page in group if page.rel in report_for):
            others = ", ".join(p.rel for p in group if p is not page)
            line = page.front_matter.key_lines.get("description", 1)
            problems.append(say(page.rel, line, "description-duplicate", others=others))
    return problems


def translation_problems(page: Page, language: str | None) -> list[Problem]:
    """Which English page and version ``page`` translates (decisions/0014); None: an original."""
    data, lines = page.front_matter.data or {}, page.front_matter.key_lines
    if language is None:
        keys = [key for key in TRANSLATION_KEYS if key in data]
        return [say(page.rel, lines.get(k, 1), "translation-key", key=k) for k in keys]
    paired = original_of(page.rel)  # the i18n plugin pairs by file name, in the same folder
    expected = Path(paired).name
    if missing := [key for key in TRANSLATION_KEYS if key not in data]:
        english, unknown = page.path.with_name(expected), words("translation-source/no-fingerprint")
        fingerprint = checksum(english) if english.is_file() else unknown
        values: dict[str, Any] = {"expected": expected, "english": paired}
        values |= {"missing": ", ".join(missing), "fingerprint": fingerprint}
        return [say(page.rel, 1, "translation-source", **values)]
    named, line = str(data["translation_of"]), lines.get("translation_of", 1)
    source, rel = (translation_source(str(name), named) for name in (page.path, page.rel))
    if not Path(source).is_file():
        return [say(page.rel, line, "translation-source/no-page", name=named, rel=rel)]
    if named != expected:
        renamed = translation_name(rel, language)  # beside the page named, where it pairs
        pair = dict(paired=paired, named=named, renamed=renamed, expected=expected)
        return [say(page.rel, line, "translation-pair", **pair)]
    if str(data["source_checksum"]) == (current := checksum(Path(source))):
        return []
    line, warning = lines.get("source_checksum", line), Severity.WARNING
    return [say(page.rel, line, "translation-stale", severity=warning, rel=rel, current=current)]
