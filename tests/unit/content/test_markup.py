"""Markdown hygiene beyond the fixture pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.content.helpers import check_text, rules_and_lines

H1 = "# Page\n\n"  # line 9; the text starts on line 11


def test_examples_in_code_are_not_reported(tmp_path: Path) -> None:
    body = H1 + (
        "Write `<iframe>` or `![](https://example.org/x.png)` like this.\n\n"
        '```html\n<script>alert(1)</script>\n<img src="https://example.org/x.png">\n```\n\n'
        "~~~\n# not a heading\n~~~\n"
    )
    assert check_text(tmp_path, body) == []


def test_decorative_image_with_empty_alt_is_allowed_but_missing_alt_is_not(
    tmp_path: Path,
) -> None:
    body = H1 + '<img src="../assets/a.png" alt="">\n\n<img src="../assets/b.png">\n'
    assert rules_and_lines(check_text(tmp_path, body)) == [("image-alt", 13)]


def test_handlers_are_left_to_the_check_of_the_rendered_page(tmp_path: Path) -> None:
    """One rule id per problem: csp-inline-handler on the built page (tests/site/test_check.py)."""
    body = H1 + '[questions to ask](faq.md){ onclick="track()" }\n\n<div onclick="x()">hi</div>\n'
    assert check_text(tmp_path, body) == []


def test_local_media_and_external_links_are_fine(tmp_path: Path) -> None:
    body = H1 + (
        "![A chart](../assets/chart.png)\n\n"
        "The [SAMHSA helpline page](https://www.samhsa.gov/find-help/helplines/national-helpline)"
        " has more.\n"
    )
    assert check_text(tmp_path, body) == []


@pytest.mark.parametrize("text", ["here", "Read more", "more.", "Click here!", "this page"])
def test_vague_link_text(tmp_path: Path, text: str) -> None:
    assert rules_and_lines(check_text(tmp_path, H1 + f"See [{text}](faq.md).\n")) == [
        ("link-text", 11)
    ]


def test_link_without_address(tmp_path: Path) -> None:
    problems = check_text(tmp_path, H1 + "See [the questions]().\n")
    assert rules_and_lines(problems) == [("link-empty", 11)]
    assert problems[0].message == 'The link "the questions" has no address'


def test_empty_html_link(tmp_path: Path) -> None:
    assert rules_and_lines(check_text(tmp_path, H1 + '<a href="faq.md"> </a>\n')) == [
        ("link-empty", 11)
    ]


def test_setext_main_heading_counts(tmp_path: Path) -> None:
    body = "Page\n====\n\nText here.\n\n## Part\n\nMore.\n"
    assert check_text(tmp_path, body) == []


def test_citations_and_footnotes_are_not_links(tmp_path: Path) -> None:
    body = H1 + "A fact [@mccarty2014substance] and a note[^1].\n\n[^1]: The note.\n"
    assert check_text(tmp_path, body) == []


def test_spelling_skips_code_and_addresses(tmp_path: Path) -> None:
    body = H1 + (
        "`teh` in code, [a link](https://example.org/recieve), fine.\n\n"
        "But this is wrong: occured.\n"
    )
    problems = check_text(tmp_path, body, spell=True)
    assert rules_and_lines(problems) == [("spelling", 13)]
    assert problems[0].message == '"occured" looks misspelled'
    assert problems[0].fix.startswith('write "occurred"')


def test_link_text_in_code_is_text(tmp_path: Path) -> None:
    assert check_text(tmp_path, H1 + "Run [`make serve`](faq.md) to preview.\n") == []


def test_a_named_anchor_is_not_an_empty_link(tmp_path: Path) -> None:
    assert check_text(tmp_path, H1 + '<a id="costs"></a>Costs vary.\n') == []


def test_underlined_line_after_a_fence_is_not_a_heading(tmp_path: Path) -> None:
    """Python-Markdown renders "Text" and "===" after a fence as paragraph text, not an h1."""
    body = H1 + "```\ncode\n```\nText\n===\n\n## Part\n\nMore.\n"
    assert check_text(tmp_path, body) == []
