"""`python -m iopguide reviews`: pages overdue or due within 30 days, for the weekly issue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from iopguide.content.page import Page, read_page
from iopguide.content.reviews import (
    due_pages,
    main,
    markdown,
    stale_markdown,
    stale_translations,
)
from iopguide.content.rules import load_rules
from iopguide.i18n import checksum
from iopguide.project import pages
from tests.helpers import copy_project


def _pages(project: Path) -> list[Page]:
    return [read_page(path, project) for path in sorted(pages(project))]


def test_overdue_and_soon_pages_are_listed_soonest_first(tmp_path: Path, capsys) -> None:
    project = copy_project(tmp_path / "project")
    for name, date in (("faq.md", "2027-01-01"), ("privacy.md", "2027-01-20")):
        page = project / "docs" / name
        page.write_text(page.read_text().replace("next_review: 2028-11-28", f"next_review: {date}"))
    today = dt.date(2027, 1, 5)

    items = due_pages(_pages(project), today, 30)

    assert [(i.file, str(i.next_review)) for i in items] == [
        ("docs/faq.md", "2027-01-01"),
        ("docs/privacy.md", "2027-01-20"),
    ]
    text = markdown(items, today, 30)
    overdue = "| `docs/faq.md` (line 5) | 2027-01-01 | **overdue** by 4 days | editorial-team |"
    assert overdue in text
    assert "| `docs/privacy.md` (line 5) | 2027-01-20 | due in 15 days |" in text
    assert main(["--root", str(project), "--today", "2026-12-01"]) == 0
    assert capsys.readouterr().out.startswith("No page is overdue for review")
    assert main(["--root", str(project), "--today", "1 Jan"]) == 2


def test_stale_translations_are_listed_for_the_weekly_issue(tmp_path: Path, capsys) -> None:
    project = copy_project(tmp_path / "project")
    assert stale_translations(_pages(project), load_rules(project)) == []
    main(["--root", str(project), "--today", "2026-12-01"])
    assert "No translation is out of date" in capsys.readouterr().out
    english = project / "docs" / "get-help-now.md"
    english.write_text(english.read_text(encoding="utf-8") + "\nOne more sentence.\n", "utf-8")

    stale = stale_translations(_pages(project), load_rules(project))

    assert [(p.file, p.rule) for p in stale] == [("docs/get-help-now.es.md", "translation-stale")]
    main(["--root", str(project), "--today", "2026-12-01"])
    out = capsys.readouterr().out
    assert "| `docs/get-help-now.es.md` (line " in out and "| `docs/get-help-now.md` |" in out
    assert f'source_checksum: "{checksum(english)}"' in out
    assert stale_markdown([]).startswith("No translation is out of date")


def test_due_soon_is_the_checks_own_warn_days(tmp_path: Path, capsys) -> None:
    """One rule for "due soon": review.warn_days of content-rules.yml, for the weekly list too."""
    project = copy_project(tmp_path / "project")
    rules = project / "content-rules.yml"
    rules.write_text(rules.read_text().replace("  warn_days: 30\n", "  warn_days: 10\n"))
    page = project / "docs" / "faq.md"
    page.write_text(page.read_text().replace("next_review: 2028-11-28", "next_review: 2027-01-20"))
    assert main(["--root", str(project), "--today", "2027-01-05"]) == 0
    assert capsys.readouterr().out.startswith("No page is overdue for review or due within 10 days")
    main(["--root", str(project), "--today", "2027-01-12"])
    assert "| `docs/faq.md` (line 5) | 2027-01-20 | due in 8 days |" in capsys.readouterr().out
    assert main(["--root", str(project), "--today", "2027-01-05", "--within", "30"]) == 0
    assert "| `docs/faq.md` (line 5) | 2027-01-20 | due in 15 days |" in capsys.readouterr().out


def test_a_mistake_in_mkdocs_yml_is_one_line_not_a_traceback(tmp_path: Path, capsys) -> None:
    """The page list comes from mkdocs.yml: its mistake is reported like a rules file's."""
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8") + "nav: [\n"
    config.write_text(text, encoding="utf-8")
    assert main(["--root", str(project), "--today", "2026-12-01"]) == 1
    line = text.count("\n") + 1  # YAML stops at the end of the file
    assert capsys.readouterr().err.startswith(f"mkdocs.yml:{line}:1: [yaml-syntax] mkdocs.yml ")


def test_without_root_the_project_is_the_current_folder_as_for_every_command(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "faq.md"
    page.write_text(page.read_text().replace("next_review: 2028-11-28", "next_review: 2027-01-01"))
    monkeypatch.chdir(project)

    assert main(["--today", "2026-12-20"]) == 0
    assert "| `docs/faq.md` (line 5) | 2027-01-01 | due in 12 days |" in capsys.readouterr().out
