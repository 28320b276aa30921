"""`python -m iopguide reviews`: pages overdue or due within 30 days, for the weekly issue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from iopguide.content.reviews import due_pages, main, markdown
from tests.helpers import copy_project


def test_overdue_and_soon_pages_are_listed_soonest_first(tmp_path: Path, capsys) -> None:
    project = copy_project(tmp_path / "project")
    for name, date in (("faq.md", "2027-01-01"), ("privacy.md", "2027-01-20")):
        page = project / "docs" / name
        page.write_text(page.read_text().replace("next_review: 2028-11-28", f"next_review: {date}"))
    today = dt.date(2027, 1, 5)

    items = due_pages(project, today)

    assert [(i.file, str(i.next_review)) for i in items] == [
        ("docs/faq.md", "2027-01-01"),
        ("docs/privacy.md", "2027-01-20"),
    ]
    text = markdown(items, today)
    overdue = "| `docs/faq.md` (line 5) | 2027-01-01 | **overdue** by 4 days | editorial-team |"
    assert overdue in text
    assert "| `docs/privacy.md` (line 5) | 2027-01-20 | due in 15 days |" in text
    assert main(["--root", str(project), "--today", "2026-12-01"]) == 0
    assert capsys.readouterr().out.startswith("No page is overdue for review")
    assert main(["--root", str(project), "--today", "1 Jan"]) == 2
