"""check_pages and load_rules keep results between calls in one process (`mkdocs serve`
rebuilds), and work them out again whenever a page, a rules file or the word list changes."""

from __future__ import annotations

import shutil
from pathlib import Path

from iopguide import ROOT
from iopguide.content.checker import check_pages
from iopguide.content.rules import load_rules

from .helpers import FRONT, TODAY

RULES = [
    "content-rules.yml",
    "terms.yml",
    "terms-es.yml",
    "languages.yml",
    "reviewers.yml",
    ".codespell-words.txt",
]


def project(tmp_path: Path) -> Path:
    for name in RULES:
        shutil.copy2(ROOT / name, tmp_path / name)
    (tmp_path / "mkdocs.yml").write_text("site_name: Cache test\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    return tmp_path


def test_an_edited_page_is_checked_again(tmp_path: Path) -> None:
    root = project(tmp_path)
    page = root / "docs" / "page.md"
    page.write_text(FRONT + "# A test page\n\nA short and plain page.\n", encoding="utf-8")
    assert check_pages([page], root, today=TODAY) == []
    page.write_text(
        FRONT + "# A test page\n\nA short and plain page about an addict.\n", encoding="utf-8"
    )
    problems = check_pages([page], root, today=TODAY)
    assert [p.file for p in problems] == ["docs/page.md"]
    assert "addict" in problems[0].message
    page.write_text(FRONT + "# A test page\n\nA short and plain page.\n", encoding="utf-8")
    assert check_pages([page], root, today=TODAY) == []


def test_a_rules_change_applies_to_an_unchanged_page(tmp_path: Path) -> None:
    root = project(tmp_path)
    page = root / "docs" / "page.md"
    page.write_text(FRONT + "# A test page\n\nA short and plain page.\n", encoding="utf-8")
    assert check_pages([page], root, today=TODAY) == []
    terms = root / "terms.yml"
    terms.write_text(
        terms.read_text(encoding="utf-8").replace(
            "  - avoid: [addict,", "  - avoid: [plain, addict,"
        ),
        encoding="utf-8",
    )
    problems = check_pages([page], root, today=TODAY)
    assert [(p.file, p.line) for p in problems] == [("docs/page.md", 11)]
    assert "'plain'" in problems[0].message.replace('"', "'")


def test_a_word_list_change_applies_to_an_unchanged_page(tmp_path: Path) -> None:
    root = project(tmp_path)
    page = root / "docs" / "page.md"
    page.write_text(
        FRONT + "# A test page\n\nWe recieve every question kindly.\n", encoding="utf-8"
    )
    found = [p for p in check_pages([page], root, today=TODAY) if p.rule == "spelling"]
    assert [(p.line, "recieve" in p.message) for p in found] == [(11, True)]
    words = root / ".codespell-words.txt"
    words.write_text(words.read_text(encoding="utf-8") + "\nrecieve\n", encoding="utf-8")
    assert [p for p in check_pages([page], root, today=TODAY) if p.rule == "spelling"] == []


def test_the_day_is_part_of_the_result(tmp_path: Path) -> None:
    root = project(tmp_path)
    page = root / "docs" / "page.md"
    page.write_text(FRONT + "# A test page\n\nA short and plain page.\n", encoding="utf-8")
    assert check_pages([page], root, today=TODAY) == []
    later = TODAY.replace(year=2029)
    assert any(p.file == "docs/page.md" for p in check_pages([page], root, today=later))


def test_load_rules_reads_a_changed_file_again(tmp_path: Path) -> None:
    root = project(tmp_path)
    first = load_rules(root)
    assert load_rules(root).reading_ceiling == first.reading_ceiling
    rules_file = root / "content-rules.yml"
    text = rules_file.read_text(encoding="utf-8")
    assert "  ceiling: 9\n" in text
    rules_file.write_text(text.replace("  ceiling: 9\n", "  ceiling: 11\n"), encoding="utf-8")
    changed = load_rules(root)
    assert changed.reading_ceiling == 11
    assert changed.fingerprint != first.fingerprint


def test_a_languages_change_applies_to_an_unchanged_page(tmp_path: Path) -> None:
    root = project(tmp_path)
    page = root / "docs" / "page.es.md"  # a Spanish page once languages.yml lists Spanish
    page.write_text(FRONT + "# A test page\n\nA short and plain page.\n", encoding="utf-8")
    (root / "languages.yml").unlink()  # English only: the page is an original
    assert check_pages([page], root, today=TODAY, spell=False) == []
    shutil.copy2(ROOT / "languages.yml", root / "languages.yml")
    problems = check_pages([page], root, today=TODAY, spell=False)
    assert [p.rule for p in problems] == ["translation-source"]
