"""The rules files are the single source of every rule: change a file, the verdict changes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from iopguide import ROOT
from iopguide.content.checker import check_pages
from tests.site.content_site import RULES_FILES

TODAY = dt.date(2026, 11, 28)

# About 130 everyday words: Flesch-Kincaid and SMOG both well under grade 9.
PAGE = """---
title: "Plain page"
description: A plain page used to show that the rules files decide every verdict of the checks.
last_reviewed: 2026-06-01
next_review: 2028-05-01
reviewed_by: editorial-team
---

# Plain page

An intensive outpatient program is a kind of care for mental health and substance use. You go
to the program a few days a week. You sleep at home. Most groups meet for about three hours.
You talk with a small group and with a counselor. You learn skills to cope with stress. You
make a plan for hard days. Your family may join some of the sessions. The team checks how you
are doing each week. When you feel better, you can step down to less care. If you need more
help, the team can help you find it. You can ask the program any question at any time. It is
your care, and your voice matters. Bring a friend to the first visit if that helps you feel
calm. Write down your questions before you go. See [the questions page](questions.md).
"""


def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    for name in RULES_FILES:
        shutil.copy2(ROOT / name, root / name)
    (root / "mkdocs.yml").write_text("site_name: Rules source test\n", encoding="utf-8")
    (root / "docs" / "plain.md").write_text(PAGE, encoding="utf-8")
    return root


def verdict(root: Path) -> list[tuple[str, int | None]]:
    problems = check_pages([root / "docs" / "plain.md"], root, today=TODAY)
    return sorted((p.rule, p.line) for p in problems)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_page_passes_with_the_real_rules(tmp_path: Path) -> None:
    assert verdict(project(tmp_path)) == []


def test_a_lower_reading_ceiling_in_the_file_fails_the_page(tmp_path: Path) -> None:
    root = project(tmp_path)
    edit(root / "content-rules.yml", "  ceiling: 9\n", "  ceiling: 3\n")
    assert verdict(root) == [("reading-level", 9)]


def test_the_minimum_word_count_comes_from_the_file(tmp_path: Path) -> None:
    root = project(tmp_path)
    edit(root / "content-rules.yml", "  ceiling: 9\n", "  ceiling: 3\n")
    edit(root / "content-rules.yml", "  min_words: 100\n", "  min_words: 1000\n")
    assert verdict(root) == []


def test_a_new_term_in_terms_yml_is_reported(tmp_path: Path) -> None:
    root = project(tmp_path)
    with (root / "terms.yml").open("a", encoding="utf-8") as fh:
        fh.write("  - avoid: [step down]\n    prefer: move to\n    source: a test\n")
    assert verdict(root) == [("language", 15)]


def test_the_review_period_comes_from_the_file(tmp_path: Path) -> None:
    root = project(tmp_path)
    edit(root / "content-rules.yml", "  period_years: 2\n", "  period_years: 1\n")
    assert verdict(root) == [("review-period", 5)]


def test_the_warning_window_comes_from_the_file(tmp_path: Path) -> None:
    root = project(tmp_path)
    edit(root / "content-rules.yml", "  warn_days: 30\n", "  warn_days: 600\n")
    assert verdict(root) == [("review-due-soon", 5)]


def test_the_description_length_comes_from_the_schema_in_the_file(tmp_path: Path) -> None:
    root = project(tmp_path)
    edit(root / "content-rules.yml", "      maxLength: 160\n", "      maxLength: 60\n")
    assert verdict(root) == [("description-length", 3)]


def test_a_new_front_matter_key_is_allowed_once_the_schema_lists_it(tmp_path: Path) -> None:
    root = project(tmp_path)
    page = root / "docs" / "plain.md"
    edit(page, "reviewed_by:", "audience: families\nreviewed_by:")
    assert verdict(root) == [("front-matter-unknown-key", 6)]
    edit(
        root / "content-rules.yml",
        "    # Optional keys that Material for MkDocs understands.\n",
        "    audience: {type: string}\n",
    )
    assert verdict(root) == []


def test_reviewers_come_from_reviewers_yml(tmp_path: Path) -> None:
    root = project(tmp_path)
    edit(root / "docs" / "plain.md", "reviewed_by: editorial-team", "reviewed_by: clinical-lead")
    assert verdict(root) == [("reviewer-unknown", 6)]
    with (root / "reviewers.yml").open("a", encoding="utf-8") as fh:
        fh.write("clinical-lead:\n  name: A real person added by the publisher\n")
    assert verdict(root) == []


def test_vague_link_text_comes_from_the_file(tmp_path: Path) -> None:
    root = project(tmp_path)
    edit(root / "content-rules.yml", "vague_text: [", "vague_text: [the questions page, ")
    assert verdict(root) == [("link-text", 18)]
