"""Front matter schema, reviewers and review dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from mkdocs.utils.meta import get_data

from iopguide.content.frontmatter import add_years, today_from_env
from iopguide.content.page import parse_front_matter
from tests.unit.content.helpers import FRONT, check_text, rules_and_lines

BODY = "# Page\n\nText.\n"


def with_front(**changes: str) -> str:
    front = FRONT
    for key, value in changes.items():
        start = front.index(f"\n{key}:") + 1
        end = front.index("\n", start)
        front = front[:start] + f"{key}: {value}" + front[end:]
    return front


def test_key_lines_come_from_the_yaml_nodes() -> None:
    fm = parse_front_matter(FRONT)
    assert fm.key_lines == {
        "title": 2,
        "description": 3,
        "last_reviewed": 4,
        "next_review": 5,
        "reviewed_by": 6,
    }
    assert fm.end_line == 7
    # dates stay text so the schema can explain a bad one
    assert fm.data is not None and fm.data["last_reviewed"] == "2026-06-01"


def test_quoted_dates_are_accepted(tmp_path: Path) -> None:
    front = with_front(last_reviewed='"2026-06-01"', next_review="'2028-05-01'")
    assert check_text(tmp_path, BODY, front=front) == []


def test_an_impossible_date_is_not_a_date(tmp_path: Path) -> None:
    problems = check_text(tmp_path, BODY, front=with_front(next_review="2028-13-01"))
    assert rules_and_lines(problems) == [("front-matter-date", 5)]


def test_a_title_that_is_a_number(tmp_path: Path) -> None:
    problems = check_text(tmp_path, BODY, front=with_front(title="2026"))
    assert rules_and_lines(problems) == [("front-matter-type", 2)]
    assert problems[0].message == "title must be text, not a number"


def test_a_long_description(tmp_path: Path) -> None:
    problems = check_text(tmp_path, BODY, front=with_front(description="word " * 40))
    assert rules_and_lines(problems) == [("description-length", 3)]
    assert problems[0].message.startswith("The description is 199 characters long")


def test_an_unknown_key_without_a_close_match(tmp_path: Path) -> None:
    front = FRONT.replace("reviewed_by", "colour: blue\nreviewed_by")
    problems = check_text(tmp_path, BODY, front=front)
    assert rules_and_lines(problems) == [("front-matter-unknown-key", 6)]
    assert problems[0].fix.startswith("remove it; the keys a page may have are: title, ")


def test_material_hide_key_is_allowed(tmp_path: Path) -> None:
    front = FRONT.replace("reviewed_by", "hide:\n  - toc\nreviewed_by")
    assert check_text(tmp_path, BODY, front=front) == []


def test_last_reviewed_in_the_future(tmp_path: Path) -> None:
    front = with_front(last_reviewed="2026-12-01", next_review="2027-12-01")
    assert rules_and_lines(check_text(tmp_path, BODY, front=front)) == [("review-date-future", 4)]


def test_review_period_boundary_is_allowed(tmp_path: Path) -> None:
    front = with_front(last_reviewed="2026-11-28", next_review="2028-11-28")
    assert check_text(tmp_path, BODY, front=front) == []
    front = with_front(last_reviewed="2026-11-28", next_review="2028-11-29")
    assert rules_and_lines(check_text(tmp_path, BODY, front=front)) == [("review-period", 5)]


@pytest.mark.parametrize(
    ("next_review", "expected"),
    [
        ("2026-11-27", "warning"),  # overdue: a date never fails the build
        ("2026-11-28", "warning"),  # due today
        ("2026-12-28", "warning"),  # 30 days
        ("2026-12-29", None),  # 31 days
    ],
)
def test_stale_window(tmp_path: Path, next_review: str, expected: str | None) -> None:
    front = with_front(last_reviewed="2025-06-01", next_review=next_review)
    problems = check_text(tmp_path, BODY, front=front)
    assert [p.severity.value for p in problems] == ([expected] if expected else [])


def test_today_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOPGUIDE_TODAY", "2030-01-02")
    assert today_from_env() == dt.date(2030, 1, 2)
    monkeypatch.setenv("IOPGUIDE_TODAY", "tomorrow")
    with pytest.raises(ValueError, match="IOPGUIDE_TODAY='tomorrow' is not a date"):
        today_from_env()


def test_add_years_on_29_february() -> None:
    assert add_years(dt.date(2028, 2, 29), 2) == dt.date(2030, 2, 28)


def test_front_matter_without_closing_line(tmp_path: Path) -> None:
    problems = check_text(tmp_path, BODY, front=FRONT.replace("---\n\n", "\n"))
    assert rules_and_lines(problems)[0] == ("front-matter-yaml", 1)
    assert "no closing '---' line" in problems[0].message


@pytest.mark.parametrize("front", ["---\n---\n\n", "---\n\n---\n\n"])
def test_front_matter_is_where_mkdocs_finds_it(tmp_path: Path, front: str) -> None:
    """Empty front matter is none for MkDocs (it renders those lines as rules): say so."""
    assert get_data(front + BODY)[1] == {}
    problems = check_text(tmp_path, BODY, front=front)
    assert rules_and_lines(problems) == [("front-matter-missing", 1)]


def test_yaml_anchors_and_aliases_are_refused_before_parsing(tmp_path: Path) -> None:
    # A 10-level alias bomb: parsed, it would stand for 13**10 list items.
    items, before = [], None
    for name in "abcdefghij":
        body = ", ".join(["x"] * 13 if before is None else [f"*{before}"] * 13)
        items.append(f"&{name} [{body}]")
        before = name
    front = FRONT.replace("---\n\n", f"hide: [{', '.join(items)}]\n---\n\n")
    problems = check_text(tmp_path, BODY, front=front)
    assert rules_and_lines(problems) == [("front-matter-yaml-alias", 7)]
    assert "(&a)" in problems[0].message
    fm = parse_front_matter(front)
    assert fm.data is None and fm.error is not None and fm.error.rule == "front-matter-yaml-alias"


def test_front_matter_too_deep_to_parse_is_named_not_a_crash(tmp_path: Path) -> None:
    # 3,000 levels took PyYAML's parser past Python's recursion limit: a RecursionError.
    front = FRONT.replace("---\n\n", "hide: " + "[" * 3000 + "]" * 3000 + "\n---\n\n")
    problems = check_text(tmp_path, BODY, front=front)
    assert rules_and_lines(problems) == [("front-matter-yaml", 7)]
    assert "nested more than 100 levels deep here" in problems[0].message


@pytest.mark.parametrize(
    ("key", "value", "shown"),
    [
        ("title", "'Levels <script> of care'", "'<' '>'"),
        (
            "description",
            "'A page about the \"IOP\" word and what it means for you and yours.'",
            "'\"'",
        ),
    ],
)
def test_characters_that_would_break_the_head(
    tmp_path: Path, key: str, value: str, shown: str
) -> None:
    # The theme writes title and description into <head> unescaped.
    problems = check_text(tmp_path, BODY, front=with_front(**{key: value}))
    assert rules_and_lines(problems) == [("front-matter-characters", 2 if key == "title" else 3)]
    assert problems[0].message == (
        f"The {key} contains {shown} that would break the page's title or description in its <head>"
    )


def test_typographic_quotes_are_fine(tmp_path: Path) -> None:
    front = with_front(
        description="A page about the “IOP” word and what it means for you and yours."
    )
    assert check_text(tmp_path, BODY, front=front) == []


def test_a_front_matter_quote_never_closed_is_named_where_it_opens(tmp_path: Path) -> None:
    """In the plain words mkdocs.yml gets, not YAML's "while scanning" lines below (fails on
    the code that named the line where YAML gave up, in YAML's words)."""
    front = FRONT.replace('"A test page"', '"A test page')
    [problem] = check_text(tmp_path, BODY, front=front)
    assert (problem.rule, problem.line, problem.column) == ("front-matter-yaml", 2, 8)
    assert problem.message.startswith("The front matter cannot be read at this line (YAML says:")
    assert problem.message.endswith("on line 7)") and problem.guide == "front-matter"
    assert problem.fix.startswith("check this line: put double quotes around a value")
