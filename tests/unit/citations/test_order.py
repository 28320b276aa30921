"""Citations are numbered in reading order, whatever order Python-Markdown numbered them in."""

from __future__ import annotations

import re

import markdown

from iopguide.citations.layer import reading_order

SOURCE = """\
- In a list[^a].
- Two at once[^b][^c].

After the list[^d], and again[^a].

[^a]: Source A
[^b]: Source B
[^c]: Source C
[^d]: Source D
"""


def _render(source: str) -> str:
    md = markdown.Markdown(
        extensions=["footnotes"], extension_configs={"footnotes": {"USE_DEFINITION_ORDER": False}}
    )
    return md.convert(source)


def _numbers(html: str) -> list[tuple[str, str]]:
    return re.findall(r'href="#fn:(\w)">(\d+)<', html)


def _list_order(html: str) -> list[str]:
    return re.findall(r'<li id="fn:(\w)">', html)


def test_python_markdown_alone_numbers_out_of_reading_order() -> None:
    # The reason this pass exists: if this starts passing, upstream fixed it.
    assert _numbers(_render(SOURCE))[0] != ("a", "1")


def test_references_and_list_follow_reading_order() -> None:
    html = reading_order(_render(SOURCE))
    assert _numbers(html) == [("a", "1"), ("b", "2"), ("c", "3"), ("d", "4"), ("a", "1")]
    assert _list_order(html) == ["a", "b", "c", "d"]
    assert "Source A" in html.split('<li id="fn:b">')[0]


def test_page_without_footnotes_is_unchanged() -> None:
    html = "<p>No citations here.</p>"
    assert reading_order(html) is html


def test_unknown_list_shape_is_left_alone() -> None:
    html = _render(SOURCE).replace('<li id="fn:c">', '<li class="x" id="fn:c">')
    assert reading_order(html) == html
