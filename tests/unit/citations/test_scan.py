"""Finding citations outside code and links, and protecting every other "@"."""

from __future__ import annotations

import pytest

from iopguide.citations.scan import PLACEHOLDER, protect, restore, scan
from iopguide.markdown_tokens import code_lines


def _code(markdown: str) -> list[bool]:
    return code_lines(markdown.split("\n"))


def test_fenced_code_lines_include_the_fences() -> None:
    assert _code("text\n```py\n@x\n```\nafter") == [False, True, True, True, False]
    assert _code("~~~~\n```\n~~~~\nx") == [True, True, True, False]


def test_indented_code_after_a_paragraph() -> None:
    assert _code("Para\n\n    code\n\n    more\n\nText") == [
        False, False, True, True, True, False, False,
    ]  # fmt: skip


@pytest.mark.parametrize(
    "markdown",
    [
        "- item\n\n    continued paragraph",
        "1. item\n\n    continued paragraph",
        '!!! note "Title"\n\n    admonition body',
        "[^note]: first line\n\n    second paragraph of the footnote",
    ],
)
def test_indented_content_of_a_container_is_not_code(markdown: str) -> None:
    assert not any(_code(markdown))


def test_code_inside_an_admonition_needs_four_more_spaces() -> None:
    markdown = "!!! note\n    text\n\n        code\n\n    text"
    assert _code(markdown) == [False, False, False, True, False, False]


def test_a_lazy_continuation_line_is_not_code() -> None:
    assert not any(_code("Para\n    still the same paragraph"))


def test_items_prefix_key_locator_and_columns() -> None:
    result = scan("Text [see @a2020x, pp. 3-5; @b_2, p. 7; @c-3] end.", line_offset=4)
    assert len(result.blocks) == 1
    block = result.blocks[0]
    assert (block.line, block.column, block.in_heading) == (5, 6, False)
    assert [(i.prefix, i.key, i.locator, i.line, i.column) for i in block.items] == [
        ("see", "a2020x", "pp. 3-5", 5, 11),
        ("", "b_2", "p. 7", 5, 29),
        ("", "c-3", "", 5, 41),
    ]


@pytest.mark.parametrize(
    "markdown",
    [
        "`[@a]`",
        "``code with ` and [@a]``",
        "```\n[@a]\n```",
        "Para\n\n    [@a]",
        "<!-- [@a] -->",
        "<!--\n[@a]\n-->",
        "[@a](https://example.org)",
        "![@a](image.png)",
        "[@a][ref]",
        "[ref]: https://example.org/[@a]",
        "[mail info@example.org]",
        "<https://example.org/[@a]>",
        "\\[@a\\]",
        "[^a]",
        "[link](https://example.org/@a)",
    ],
)
def test_no_citation_in_code_links_urls_and_emails(markdown: str) -> None:
    result = scan(markdown)
    assert result.blocks == []
    assert result.issues == []


def test_headings_as_python_markdown_reads_them() -> None:
    source = "## Title [@a]\n\nText [@b]\n\nSetext [@c]\n===\n\n#Tight [@d]\n\nNo [@e]\n  ---\n"
    result = scan(source)
    assert [(b.items[0].key, b.in_heading) for b in result.blocks] == [
        ("a", True),
        ("b", False),
        ("c", True),
        ("d", True),
        ("e", False),
    ]


@pytest.mark.parametrize(
    ("markdown", "reason"),
    [
        (
            "[@a p. 5]",
            "'@a p. 5' has text after the key with no comma; write '@a, p. 5' for a page",
        ),
        ("[@a; and more]", "'and more' is not a citation"),
        ("[@a, ]", "'@a,' has a comma but no page after it"),
    ],
)
def test_citation_like_brackets_that_cannot_be_read(markdown: str, reason: str) -> None:
    result = scan(markdown)
    assert result.blocks == []
    assert [(i.line, i.column, i.raw, i.reason) for i in result.issues] == [
        (1, 1, markdown, reason)
    ]


def test_footnote_definitions_are_found_outside_code() -> None:
    result = scan(
        "Text[^a] [@a].\n\n[^a]: Note.\n\n```\n[^b]: not a note\n```\n  [^c]: Indented.\n"
    )
    assert [(f.label, f.line, f.column) for f in result.footnotes] == [("a", 3, 1), ("c", 8, 3)]


def _render_all(markdown: str) -> str:
    return protect(scan(markdown), lambda block: (f"<{block.items[0].key}>", True))


def test_protect_replaces_every_at_sign_except_in_rendered_citations() -> None:
    out = _render_all("Mail [info@example.org] `[@x]` and text [@a].")
    assert out == (f"Mail [info{PLACEHOLDER}example.org] `[{PLACEHOLDER}x]` and text<a>.")


def test_glued_citation_keeps_list_markers_and_line_starts() -> None:
    assert _render_all("- [@a]\n\n[@a] starts a line") == "- <a>\n\n<a> starts a line"


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("very intense\n[@a].", "very intense<a>."),  # same paragraph: attach to the word
        ("- item\n  [@a]", "- item<a>"),
        ("## Title\n[@a] text", "## Title\n<a> text"),  # never into a heading
        ("Para\n\n[@a] new", "Para\n\n<a> new"),
        ("hard break  \n[@a]", "hard break  \n<a>"),
        ("| a |\n[@a]", "| a |\n<a>"),
        ("[^n]: note\n[@a]", "[^n]: note\n<a>"),
        ("```\ncode\n```\n[@a]", "```\ncode\n```\n<a>"),
        # Indented code (as the tokenizer finds it) is not a paragraph; a list item's text
        # indented 4 spaces is.
        ("Para\n\n    code line\n[@a]", "Para\n\n    code line\n<a>"),
        ("1.  Item text\n    more\n    [@a].", "1.  Item text\n    more<a>."),
    ],
)
def test_citation_at_the_start_of_a_line(markdown: str, expected: str) -> None:
    assert _render_all(markdown) == expected


def test_code_blocks_keep_at_signs_outside_brackets() -> None:
    out = _render_all("```python\n@decorator\nx = '[@a]'\n```")
    assert out == f"```python\n@decorator\nx = '[{PLACEHOLDER}a]'\n```"


def test_email_autolink_becomes_an_entity_link() -> None:
    out = _render_all("Write to <info@example.org>.")
    assert out == 'Write to <a href="mailto:info&#64;example.org">info&#64;example.org</a>.'


def test_a_block_render_refuses_stays_as_written_but_protected() -> None:
    assert protect(scan("Bad [@zz]."), lambda block: None) == f"Bad [{PLACEHOLDER}zz]."


def test_restore_gives_back_every_form_of_the_placeholder() -> None:
    html = f"<code>{PLACEHOLDER}x</code> &#57408; &#xe040;"
    assert restore(html) == "<code>@x</code> @ @"


def test_citation_followed_by_a_footnote_or_another_citation() -> None:
    result = scan("Claim [@a][^note] and [@b][@c].")
    assert [b.items[0].key for b in result.blocks] == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("markdown", "raw", "lines"),
    [
        ("Text [@a;\n@b] more.", "[@a; @b]", 2),
        ("- item [see\n  @a, p. 5]", "[see @a, p. 5]", 2),
        ("[@a;\n@b;\n@c]", "[@a; @b; @c]", 3),
    ],
)
def test_a_citation_split_over_lines_is_an_issue(markdown: str, raw: str, lines: int) -> None:
    # mkdocs-bibtex reads a citation on one line only: split, it is shown to readers as typed.
    result = scan(markdown)
    assert result.blocks == []
    assert [(i.line, i.raw, i.reason) for i in result.issues] == [
        (
            1,
            raw,
            f"it is split over {lines} lines, so readers would see it as typed; "
            "write the whole citation on one line",
        )
    ]


@pytest.mark.parametrize(
    "markdown",
    ["A [link\n@x](y.md)", "A [link\n@x][ref]", "Mail [me\nat x@y.org] z", "[@a]\n\n[b\n\nc@d]"],
)
def test_wrapped_brackets_that_are_not_citations_are_left_alone(markdown: str) -> None:
    assert scan(markdown).issues == []


@pytest.mark.parametrize(
    "markdown",
    ["Named these goals\n[@a]:\n\n- one", "Goals:\n  [@a; @b, p. 5]:", "[see @a]:"],
)
def test_a_citation_that_starts_a_line_before_a_colon_is_an_issue(markdown: str) -> None:
    # Markdown reads "[...]:" at the start of a line as a link definition: shown as typed.
    result = scan(markdown)
    raw = markdown[markdown.index("[") : markdown.index("]:") + 1]
    assert result.blocks == []
    assert [(i.raw, i.reason) for i in result.issues] == [
        (
            raw,
            "it starts a line and is followed by ':', so Markdown reads it as a link definition "
            "and readers would see it as typed; move it to the end of the line before",
        )
    ]


@pytest.mark.parametrize(
    "markdown",
    ["[me@x.org]: https://example.org", "[note]:\n\nText", "[@handle]: https://example.org/a"],
)
def test_link_definitions_are_not_citation_issues(markdown: str) -> None:
    assert scan(markdown).issues == []
