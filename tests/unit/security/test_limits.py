"""Bounded input: page size, YAML anchors and aliases, nesting (issue 12, point 6)."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import pytest

from iopguide import ROOT
from iopguide.security.files import (
    PublishRules,
    check_page_file,
    load_publish_rules,
    nesting,
)

RULES = load_publish_rules(ROOT)
FRONT = "---\ntitle: A page\n"
LIMIT = RULES.nesting_depth


def rules_of(text: str) -> list[tuple[str, int | None]]:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "x.md").write_text(text, encoding="utf-8")
        return [(p.rule, p.line) for p in check_page_file(Path(tmp) / "x.md", "docs/x.md", RULES)]


@pytest.mark.parametrize(
    ("yaml", "line"),
    [
        ("hide: [&a [x, x], &b [*a, *a]]\n", 3),
        ("base: &base\n  x: 1\nother: *base\n", 3),
        ("title: A page\nhide:\n  - &a toc\n", 5),
        ("merge:\n  <<: *missing\n", 4),
    ],
)
def test_yaml_anchors_and_aliases_are_refused(yaml: str, line: int) -> None:
    assert rules_of(f"{FRONT}{yaml}---\n\n# Page\n") == [("front-matter-yaml-alias", line)]


def test_ampersands_and_stars_in_text_are_not_aliases() -> None:
    text = f'{FRONT}description: "Tom & Jerry *love* it"\nnote: R&D\n---\n\n# A & *b*\n'
    assert rules_of(text) == []


def test_only_the_front_matter_mkdocs_reads_is_checked() -> None:
    # Not at the top of the page: MkDocs does not read it as front matter.
    assert rules_of("# Page\n\n---\nhide: [&a x, *a]\n---\n") == []


def _file_rules(
    tmp_path: Path, text: str, rules: PublishRules = RULES
) -> list[tuple[str, int | None]]:
    (tmp_path / "x.md").write_text(text, encoding="utf-8")
    return [(p.rule, p.line) for p in check_page_file(tmp_path / "x.md", "docs/x.md", rules)]


def test_a_page_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    big = "# Page\n\n" + "x" * RULES.page_bytes
    assert _file_rules(tmp_path, big) == [("page-too-large", None)]
    assert _file_rules(tmp_path, "# Page\n\n" + "x" * (RULES.page_bytes - 10)) == []


def test_size_counts_bytes_not_characters(tmp_path: Path) -> None:
    small = dataclasses.replace(RULES, page_bytes=100)
    text = "é" * 60  # 60 characters, 120 bytes
    assert _file_rules(tmp_path, text, small) == [("page-too-large", None)]


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("# Page\n\nText.\n", 0),
        ("- a\n    - b\n        - c\n", 3),
        ("- - - a\n", 3),
        ("1. a\n    1. b\n", 2),
        ("> a\n> > b\n>>> c\n", 3),
        ("<div markdown>\n\n<div markdown>\n\nx\n\n</div>\n\n</div>\n", 2),
        ("<div>\n<br>\n<img src='a.png'>\n<p/>\n</div>\n", 1),
        ("<div markdown>\n\n- a\n    > b\n\n</div>\n", 3),
    ],
)
def test_nesting_is_counted(text: str, depth: int) -> None:
    assert nesting(text)[0] == depth


def test_nesting_over_the_limit_is_refused_at_its_line() -> None:
    at_limit = "\n".join("    " * level + "- item" for level in range(LIMIT))
    assert rules_of(at_limit) == []
    over = at_limit + "\n" + "    " * LIMIT + "- one too many"
    assert rules_of(over) == [("page-too-deep", LIMIT + 1)]


@pytest.mark.parametrize(
    "text",
    [
        "- " * 10_000 + "x\n",
        ">" * 5_000 + " x\n",
        "<div markdown>\n\n" * 3_000 + "x\n\n" + "</div>\n\n" * 3_000,
    ],
)
def test_hostile_nesting_is_refused(text: str) -> None:
    assert [rule for rule, _ in rules_of(text)] == ["page-too-deep"]


@pytest.mark.parametrize("front", ["x: " + "[" * 3000 + "]" * 3000, "x: " + "{a: " * 3000])
def test_deep_front_matter_is_refused_at_its_line_before_it_is_parsed(front: str) -> None:
    # PyYAML's parser recursed 3,000 levels deep and crashed the build without naming the page.
    assert rules_of(f"{FRONT}{front}\n---\n\n# Page\n") == [("page-too-deep", 3)]


@pytest.mark.parametrize("levels", [LIMIT + 10, 3000])
def test_deep_front_matter_says_what_is_known_in_front_matter_words(
    tmp_path: Path, levels: int
) -> None:
    """On main: 'Lists, quotes or HTML blocks are nested 41 levels deep' at any depth."""
    page = tmp_path / "x.md"
    page.write_text(f"{FRONT}x: {'[' * levels}{']' * levels}\n---\n\n# Page\n", "utf-8")
    [problem] = check_page_file(page, "docs/x.md", RULES)
    assert (problem.rule, problem.line, problem.values) == ("page-too-deep", 3, {"most": LIMIT})
    said = f"The front matter has lists or mappings nested more than {LIMIT} levels deep here"
    assert problem.message == said
    assert problem.fix.endswith("the limit is 'limits: nesting_depth' in publishing.yml")


def test_front_matter_at_the_nesting_limit_is_published() -> None:
    front = "x: " + "[" * (LIMIT - 1) + "]" * (LIMIT - 1)  # the mapping is a level too
    assert rules_of(f"{FRONT}{front}\n---\n\n# Page\n") == []
    assert rules_of(f"{FRONT}x: {'[' * LIMIT}{']' * LIMIT}\n---\n\n# Page\n")


def test_every_real_page_is_within_the_limits() -> None:
    pages = sorted((ROOT / "docs").rglob("*.md"))
    assert len(pages) > 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert check_page_file(page, page.name, RULES) == [], page
        assert nesting(text)[0] <= 4, page


def test_a_page_that_is_not_utf8_is_named_with_its_line(tmp_path: Path) -> None:
    page = tmp_path / "x.md"
    page.write_bytes(b"---\ntitle: x\n---\n\n# Caf\xe9 menu\n")
    problems = check_page_file(page, "docs/x.md", RULES)
    assert [(p.rule, p.line, p.column) for p in problems] == [("page-encoding", 5, 6)]
    assert "0xe9" in problems[0].message


def test_windows_line_endings_and_a_bom_are_read_as_mkdocs_reads_them(tmp_path: Path) -> None:
    page = tmp_path / "x.md"
    page.write_bytes("\ufeff---\r\nhide: [&a x, *a]\r\n---\r\n\r\n# Page\r\n".encode())
    problems = check_page_file(page, "docs/x.md", RULES)
    assert [(p.rule, p.line) for p in problems] == [("front-matter-yaml-alias", 2)]
