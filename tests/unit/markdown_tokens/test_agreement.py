"""The checks see code, comments and raw HTML where Python-Markdown and the browser do.

Each hostile case is rendered by Python-Markdown with the site's superfences. An ``<img>``
without alt text that comes out as live HTML must be reported by the content check, and one that
comes out as code must not; a citation is found exactly when it is outside code. (A live
``<script>`` is refused on the rendered page: tests/site/test_published_html.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest

from iopguide.citations.scan import scan
from iopguide.markdown_tokens import COMMENT_RE, code_lines, code_spans, headings
from tests.unit.content.helpers import check_text

SCRIPT = "<script>alert(1)</script>"
CASES = {
    # A browser ends a comment at "<!-->": the script after it runs.
    "empty comment": f"Text.\n\n<!--> {SCRIPT} -->\n",
    "empty comment, one dash": f"Text.\n\n<!---> {SCRIPT} -->\n",
    "comment": f"Text.\n\n<!-- {SCRIPT} -->\n",
    # "\`" is an escaped backtick: no code span starts there.
    "escaped backtick": f"Text \\`{SCRIPT}` here.\n",
    "code span": f"Text `{SCRIPT}` here.\n",
    "double backtick span": f"Text ``a ` {SCRIPT}`` here.\n",
    # superfences does not open a fence on "```!": the lines below are HTML.
    "fence with a bang": f"Text.\n\n```!\n{SCRIPT}\n```\n",
    "fence": f"Text.\n\n```html\n{SCRIPT}\n```\n",
    "nested fences": f"Text.\n\n````md\n```\n{SCRIPT}\n```\n````\n",
    "after nested fences": f"Text.\n\n````md\n```\nx\n```\n````\n\n{SCRIPT}\n",
    "indented code": f"Text.\n\n    {SCRIPT}\n\nMore text.\n",
    "list item text": f"- Item\n\n    {SCRIPT}\n",
    "fence in a list": f"- Item\n\n    ```\n    {SCRIPT}\n    ```\n",
}


def _live_script(source: str, tag: str = "<script>") -> bool:
    md = markdown.Markdown(extensions=["pymdownx.superfences", "md_in_html", "attr_list"])
    html = md.convert(source)
    # A tag that is live in the page, outside any comment the browser sees.
    return tag in COMMENT_RE.sub("", html)


@pytest.mark.parametrize("name", CASES)
def test_the_content_check_sees_raw_html_where_the_browser_reads_it(
    tmp_path: Path, name: str
) -> None:
    source = "# A test page\n\n" + CASES[name].replace(SCRIPT, '<img src="a.png">')
    reported = any(p.rule == "image-alt" for p in check_text(tmp_path, source))
    assert reported == _live_script(source, "<img"), name


def test_the_cases_cover_both_verdicts() -> None:
    verdicts = {name: _live_script(source) for name, source in CASES.items()}
    assert verdicts["empty comment"] and verdicts["escaped backtick"]
    assert verdicts["fence with a bang"] and verdicts["after nested fences"]
    assert not verdicts["comment"] and not verdicts["code span"]
    assert not verdicts["indented code"] and not verdicts["nested fences"]


@pytest.mark.parametrize("name", CASES)
def test_citations_are_found_exactly_outside_code(name: str) -> None:
    source = CASES[name].replace(SCRIPT, "<b>[@alpha2020]</b>")
    md = markdown.Markdown(extensions=["pymdownx.superfences", "md_in_html"])
    html = COMMENT_RE.sub("", md.convert(source))
    in_text = "<b>[@alpha2020]</b>" in html
    assert bool(scan(source).blocks) == in_text, name


def test_fences_come_from_superfences_with_line_numbers() -> None:
    lines = ["a", "", "````md", "```", "inner", "```", "````", "after", "```!", "not code", "```"]
    flags = code_lines(lines)
    assert [i + 1 for i, code in enumerate(flags) if code] == [3, 4, 5, 6, 7]


def test_code_spans_are_python_markdowns() -> None:
    text = "a \\`not` b `x`\n\nnew `para` ``x ` y``\n\nopen ` here\n\nthere `"
    spans = [text[s:e] for s, e in code_spans(text)]
    assert spans == ["` b `", "`para`", "``x ` y``"]


def test_comments_end_where_a_browser_ends_them() -> None:
    found = [m.group() for m in COMMENT_RE.finditer("<!--> a <!---> b <!-- c --> d <!-- e --!> f")]
    assert found == ["<!-->", "<!--->", "<!-- c -->", "<!-- e --!>"]


HEADINGS = [
    "# A\ntext\nB\n===\n",  # a "#" line ends its paragraph; "B" starts none
    "Para\nTitle\n---\n",  # not a paragraph's first line: a rule
    "Para\n\nTitle\n---\nNext\n===\n",
    "Title\n  ---\n",  # an indented underline is text
    "#No space\n  # indented\n",
    "Para\n***\nTitle\n---\n",  # a block starts after a rule
    "- item\n---\n",
    "```\nx\n```\nT\n---\n",  # a fence stays in its paragraph
    "Text\n\n```\nT\n---\n```\n",
    "# A #\n## B ##\nTitle\n--- \nT\n=\t\n",
    "Title\n\n    code\n---\n",
]


@pytest.mark.parametrize("source", HEADINGS)
def test_headings_are_python_markdowns(source: str) -> None:
    html = markdown.Markdown(extensions=["pymdownx.superfences", "md_in_html"]).convert(source)
    rendered = [(int(level), text) for level, text in re.findall(r"<h(\d)>(.*?)</h", html)]
    found = headings(source.split("\n"))
    assert [(level, text) for _, level, text in found] == rendered
    assert all(
        source.split("\n")[line - 1].strip().lstrip("# ").startswith(t) for line, _, t in found
    )
