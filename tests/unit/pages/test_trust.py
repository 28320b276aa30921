"""Trust block data: NHS-style dates, reviewers from reviewers.yml, clean fallbacks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from iopguide import ROOT
from iopguide.content.rules import read_reviewers
from iopguide.i18n import load_languages, parse_date
from iopguide.pages.hooks import Reviewer, load_reviewers, trust_info
from iopguide.report import ProblemsFound

format_date = load_languages(ROOT)["en"].format_date


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.date(2026, 3, 3), "3 March 2026"),
        (dt.date(2028, 11, 28), "28 November 2028"),
        (dt.date(2027, 1, 1), "1 January 2027"),
    ],
)
def test_format_date_has_no_leading_zero(value: dt.date, text: str) -> None:
    assert format_date(value) == text


def test_parse_date_accepts_yaml_dates_and_iso_text() -> None:
    assert parse_date(dt.date(2026, 3, 3)) == dt.date(2026, 3, 3)
    assert parse_date(dt.datetime(2026, 3, 3, 10, 0)) == dt.date(2026, 3, 3)
    assert parse_date("2026-03-03") == dt.date(2026, 3, 3)
    assert parse_date("3 March 2026") is None
    assert parse_date(None) is None


def test_load_reviewers_reads_name_credentials_and_kind(tmp_path: Path) -> None:
    path = tmp_path / "reviewers.yml"
    path.write_text(
        "editorial-team:\n"
        "  name: IOP Guide editorial team\n"
        "  credentials: Health writers and editors\n"
        "dr-example:\n"
        "  name: Dr A. Example\n"
        "  credentials: [MD, board-certified psychiatrist]\n",
        encoding="utf-8",
    )
    reviewers = load_reviewers(read_reviewers(tmp_path))
    team = reviewers["editorial-team"]
    assert team.kind == "Organization"
    assert team.label == "IOP Guide editorial team, Health writers and editors"
    person = reviewers["dr-example"]
    assert person.kind == "Person"
    assert person.credentials == "MD, board-certified psychiatrist"


def test_load_reviewers_reads_the_file_as_the_content_check_does(tmp_path: Path) -> None:
    """One reader: a form the content check rejects is rejected here too, with its message."""
    path = tmp_path / "reviewers.yml"
    path.write_text(
        "reviewers:\n  editorial-team:\n    name: The team\n    type: organization\n",
        encoding="utf-8",
    )
    with pytest.raises(ProblemsFound, match=r"reviewer 'reviewers' in reviewers\.yml has no name"):
        load_reviewers(read_reviewers(tmp_path))


def test_missing_reviewers_file_falls_back_to_the_site_author(tmp_path: Path) -> None:
    reviewers = load_reviewers({})  # no reviewers.yml
    assert reviewers == {}
    meta = {"last_reviewed": "2026-03-03", "next_review": "2028-03-03"}
    for key in ("editorial-team", None, ""):
        info = trust_info({**meta, "reviewed_by": key}, reviewers, "IOP Guide editorial team", str)
        assert info is not None
        assert info.reviewer == Reviewer("editorial-team", "IOP Guide editorial team")
    info = trust_info({**meta, "reviewed_by": " dr-x "}, reviewers, "IOP Guide", str)
    assert info is not None and info.reviewer == Reviewer("dr-x", "dr-x")


def test_broken_reviewers_file_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "reviewers.yml"
    path.write_text("editorial-team:\n  name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ProblemsFound) as caught:
        load_reviewers(read_reviewers(tmp_path))
    text = str(caught.value)
    assert text.startswith("reviewers.yml:")
    assert "[rules-file]" in text and "Fix:" in text


def test_trust_info_needs_both_dates() -> None:
    meta = {"last_reviewed": dt.date(2026, 3, 3), "next_review": dt.date(2028, 3, 3)}
    info = trust_info(
        {**meta, "reviewed_by": "editorial-team"}, {}, "IOP Guide editorial team", format_date
    )
    assert info is not None
    assert (info.last_reviewed_text, info.next_review_text) == ("3 March 2026", "3 March 2028")
    assert info.reviewer.name == "IOP Guide editorial team"
    assert trust_info({"last_reviewed": dt.date(2026, 3, 3)}, {}, "x", format_date) is None
