"""What counts as prose for the reading grade, and how it is graded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import textstat

from iopguide import ROOT
from iopguide.content.page import read_page
from iopguide.content.readability import grade_page, grade_text, main, prose, prose_blocks
from iopguide.content.rules import load_rules
from tests.site.content_site import RULES_FILES
from tests.unit.content.helpers import FRONT

PAGE = (
    FRONT
    + """# Heading words are not prose

Short words help [@mccarty2014substance]. See [levels of care](levels-of-care.md).

!!! note "Admonition titles are not prose"
    The body of a box is prose, e.g. this one.

| Table | Cells |
|-------|-------|
| are   | not   |

- A list item without a full stop
- Another item

```
code is not prose
```

Inline `code is not prose` either. <span>Tags go</span> but their words stay.

[^1]: Footnote definitions are not prose.
*[IOP]: Intensive outpatient program
"""
)


def test_prose_keeps_only_reader_sentences(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text(PAGE, encoding="utf-8")
    page = read_page(path, tmp_path)
    assert prose_blocks(page) == [
        (11, "Short words help. See levels of care."),
        (14, "The body of a box is prose, eg this one."),
        (20, "A list item without a full stop."),
        (21, "Another item."),
        (27, "Inline either. Tags go but their words stay."),
    ]


def test_short_pages_are_listed_but_not_graded(tmp_path: Path) -> None:
    rules = load_rules(ROOT)
    grade = grade_text("One short line.", rules)
    assert (grade.words, grade.graded, grade.over(rules)) == (3, False, {})


def test_grades_are_textstats_own(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text(PAGE, encoding="utf-8")
    page = read_page(path, tmp_path)
    grade = grade_page(page, load_rules(ROOT))
    text = prose(page)
    assert grade.scores == {
        "flesch_kincaid_grade": textstat.flesch_kincaid_grade(text),
        "smog_index": textstat.smog_index(text),
    }
    assert grade.words == textstat.lexicon_count(text)


def test_underlined_line_after_a_fence_is_prose(tmp_path: Path) -> None:
    """After a fence, "Sub" over "---" is a paragraph and a rule (as rendered), not a heading."""
    path = tmp_path / "page.md"
    path.write_text(FRONT + "# Title\n\n```\ncode\n```\nSub words here\n---\n", encoding="utf-8")
    assert prose_blocks(read_page(path, tmp_path)) == [(14, "Sub words here.")]


def test_a_broken_languages_file_is_a_problem_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in RULES_FILES:
        shutil.copy2(ROOT / name, tmp_path / name)
    (tmp_path / "mkdocs.yml").write_text("site_name: Readability test\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(PAGE, encoding="utf-8")
    text = (ROOT / "languages.yml").read_text(encoding="utf-8")
    (tmp_path / "languages.yml").write_text(text.replace("accessed:", "acessed:"), "utf-8")
    assert main(["--root", str(tmp_path)]) == 1
    assert "languages.yml: [languages-unknown-key] unknown key 'acessed'" in capsys.readouterr().err
