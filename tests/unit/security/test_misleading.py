"""Misleading links and text (iopguide.security.published)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iopguide import ROOT
from iopguide.report import ProblemsFound
from iopguide.security.published import (
    check_hidden,
    check_link,
    check_offsite,
    digits,
    load_crisis_lines,
)

CRISIS = load_crisis_lines(ROOT)
OWN = {"iop.example"}


def rules(href: str, text: str) -> list[str]:
    return [f.rule for f in check_link(href, text, CRISIS, OWN)]


def test_the_crisis_file_holds_the_numbers_of_the_reference_notes() -> None:
    # 988 (call and text), SAMHSA 1-800-662-4357, its TTY 1-800-487-4889, 911; other help
    # lines a page cites may follow.
    assert {"988", "8006624357", "8004874889", "911"} <= set(CRISIS.call)
    assert "988" in CRISIS.text
    assert CRISIS.call["8006624357"] == "SAMHSA National Helpline"


@pytest.mark.parametrize(
    ("href", "text", "expected"),
    [
        ("tel:988", "Call 988", []),
        ("sms:988", "text 988", []),
        ("tel:+18006624357", "1-800-662-4357", []),
        ("tel:+18006624357", "the SAMHSA National Helpline", []),
        ("tel:911", "call 911 (24/7)", []),
        ("tel:+18006624358", "1-800-662-4357", ["tel-mismatch"]),
        ("tel:+18006624358", "SAMHSA helpline", ["tel-unknown"]),
        ("sms:911", "text 911", ["tel-unknown"]),
        ("tel:%2B1%20800%20662%204357", "1 (800) 662-4357", []),
    ],
)
def test_phone_links(href: str, text: str, expected: list[str]) -> None:
    assert rules(href, text) == expected


@pytest.mark.parametrize(
    ("href", "text", "expected"),
    [
        ("https://findtreatment.gov/", "FindTreatment.gov", []),
        ("https://www.samhsa.gov/find-help", "samhsa.gov", []),
        ("https://store.samhsa.gov/", "samhsa.gov", []),
        ("https://evil.example/", "samhsa.gov", ["link-host-mismatch"]),
        ("https://988lifeline.example/", "https://988lifeline.org", ["link-host-mismatch"]),
        ("mailto:a@evil.example", "help@samhsa.gov", ["link-host-mismatch"]),
        ("../faq/", "samhsa.gov", ["link-host-mismatch"]),
        ("https://github.com/x/mkdocs.yml", "mkdocs.yml", []),
        ("https://x.example/", "Questions to ask", []),
    ],
)
def test_link_text_that_names_another_host(href: str, text: str, expected: list[str]) -> None:
    assert rules(href, text) == expected


def test_http_addresses_except_this_site() -> None:
    assert check_offsite("http://findtreatment.gov/", OWN) is not None
    assert check_offsite(" HTTP://findtreatment.gov/", OWN) is not None
    assert check_offsite("http://iop.example/faq/", OWN) is None
    assert check_offsite("https://findtreatment.gov/", OWN) is None


@pytest.mark.parametrize(
    "url", ["\\\\evil.example/x.png", "/\\evil.example/x.png", "https:\\\\evil.example/x"]
)
def test_backslashes_are_slashes_in_a_web_address(url: str) -> None:
    # A browser loads each from evil.example: in a web address a backslash is a slash.
    found = check_offsite(url, OWN, fetch=True)
    assert found is not None and found.rule == "third-party-request"
    assert found.values["host"] == "evil.example"
    found = check_offsite("http:\\\\evil.example/", OWN)
    assert found is not None and found.rule == "http-link"


def test_a_link_goes_to_the_host_a_browser_opens() -> None:
    [found] = check_link("\\\\evil.example/", "samhsa.gov", CRISIS, OWN)
    assert found.values["target"] == "evil.example"


def test_hidden_characters() -> None:
    finding = check_hidden("Call 988 \u202enow")
    assert finding is not None and "U+202E" in finding.message
    assert check_hidden("SAM\u200bHSA") is not None
    assert check_hidden("Plain words, ñ and é.") is None


def test_digits_drop_the_us_country_code() -> None:
    assert digits("+1 (800) 662-4357") == digits("800.662.4357") == "8006624357"


def test_a_broken_crisis_file_is_a_clear_problem(tmp_path: Path) -> None:
    (tmp_path / "crisis-lines.yml").write_text("lines:\n  - name: x\n    call: 988\n")
    with pytest.raises(ProblemsFound, match=r"crisis-lines.yml: \[crisis-lines\]"):
        load_crisis_lines(tmp_path)


def test_a_missing_crisis_file_is_a_clear_problem(tmp_path: Path) -> None:
    # Read like every rules file (content.rules.read_yaml): "restore it from git".
    with pytest.raises(
        ProblemsFound, match=r"crisis-lines.yml: \[rules-file\] crisis-lines.yml is"
    ):
        load_crisis_lines(tmp_path)


def test_a_yaml_mistake_in_the_crisis_file_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "crisis-lines.yml").write_text("lines:\n  - name: x\n  call: [988\n")
    with pytest.raises(ProblemsFound, match=r"crisis-lines.yml:3:3: \[rules-file\]"):
        load_crisis_lines(tmp_path)


def test_templates_get_each_line_by_id() -> None:
    assert CRISIS.by_id["samhsa"]["call"] == "1-800-662-4357"
    assert CRISIS.by_id["samhsa"]["tel"] == "tel:+18006624357"
    assert CRISIS.by_id["lifeline"]["sms"] == "sms:988"
