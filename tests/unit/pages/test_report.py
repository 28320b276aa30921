"""The "Report a problem with this page" link: its address, and the issue form it opens."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from iopguide import ROOT
from iopguide.pages.hooks import PAGE_FIELD, TEMPLATE, check_form_url, report_url
from iopguide.report import format_problem

FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / TEMPLATE


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def test_link_fills_in_the_page_title_and_address() -> None:
    url = report_url(
        "https://github.com/owner/repo/issues/new",
        title="FAQ: cost & time",
        page_url="https://example.org/faq/?x=1#cost",
    )
    assert url is not None
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "github.com",
        "/owner/repo/issues/new",
    )
    assert _query(url) == {
        "template": [TEMPLATE],
        "title": ["Problem on the page: FAQ: cost & time"],
        PAGE_FIELD: ["https://example.org/faq/?x=1#cost"],
    }
    # Characters that would end the value or the address are encoded, not left raw.
    assert "&time" not in url and "#cost" not in url


def test_a_query_in_the_setting_is_kept_and_ours_wins() -> None:
    url = report_url(
        "https://git.example.org/issues/new?labels=content&title=old#top",
        title="Levels of care",
        page_url="https://example.org/levels-of-care/",
    )
    assert url is not None
    query = _query(url)
    assert query["labels"] == ["content"]
    assert query["title"] == ["Problem on the page: Levels of care"]
    assert not urlsplit(url).fragment


@pytest.mark.parametrize("value", [None, "", "   "])
def test_an_empty_setting_shows_no_link(value: object) -> None:
    assert report_url(value, title="FAQ", page_url="https://example.org/faq/") is None
    assert check_form_url(value) is None


@pytest.mark.parametrize(
    "value", ["github.com/owner/repo/issues/new", "mailto:", "javascript:alert(1)"]
)
def test_a_setting_that_is_not_a_web_address_is_reported(value: str) -> None:
    problem = check_form_url(value)
    assert problem is not None
    line = format_problem(problem)
    assert line.startswith("mkdocs.yml: [report-problem-url] extra.report_problem_url is ")
    assert "Fix: write the address of your repository's new-issue form" in line


def test_the_issue_form_has_the_field_the_link_fills_in() -> None:
    """Renaming the form's "page" field would silently stop the links from filling it in."""
    form = yaml.safe_load(FORM.read_text(encoding="utf-8"))
    ids = {item.get("id") for item in form["body"] if item.get("type") != "markdown"}
    assert PAGE_FIELD in ids
    assert {"problem"} <= ids
    page_field = next(item for item in form["body"] if item.get("id") == PAGE_FIELD)
    assert page_field["type"] == "input"
    # The form title starts the way the link's title does, so reports read alike.
    assert form["title"].strip() == "Problem on the page:"


def test_the_issue_form_warns_that_it_is_public_and_offers_crisis_help() -> None:
    form = yaml.safe_load(FORM.read_text(encoding="utf-8"))
    text = " ".join(
        item["attributes"]["value"] for item in form["body"] if item.get("type") == "markdown"
    )
    assert "public" in text and "health details" in text
    for number in ("988", "1-800-662-4357", "911"):
        assert number in text
