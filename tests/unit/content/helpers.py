"""Write a throwaway page and check it with the real rules files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from iopguide import ROOT
from iopguide.content.checker import check_pages
from iopguide.report import Problem

TODAY = dt.date(2026, 11, 28)
FRONT = """---
title: "A test page"
description: A throwaway page written by a unit test of the IOP Guide content checks.
last_reviewed: 2026-06-01
next_review: 2028-05-01
reviewed_by: editorial-team
---

"""


def check_text(tmp_path: Path, body: str, *, front: str = FRONT, spell: bool = False) -> list:
    page = tmp_path / "page.md"
    page.write_text(front + body, encoding="utf-8")
    return check_pages([page], ROOT, today=TODAY, spell=spell)


def rules_and_lines(problems: list[Problem]) -> list[tuple[str, int | None]]:
    return sorted((p.rule, p.line) for p in problems)
