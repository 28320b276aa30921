"""The pull request preview: screenshots of the changed pages and their summary (issue 13, 3).

Runs the workflow's own command in a clone with a changed page, in real headless Chromium.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import pytest

from iopguide.content.page import read_page
from iopguide.content.readability import grade_page
from iopguide.content.rules import load_rules
from tests.helpers import build
from tests.site.test_check import as_pull_request, edit, run, runnable_copy

pytestmark = pytest.mark.browser


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_changed_pages_get_screenshots_and_a_summary_row(tmp_path: Path) -> None:
    project = runnable_copy(tmp_path / "project")
    as_pull_request(project)
    faq = project / "docs" / "faq.md"
    edit(faq, "Every\nprogram is different.", "Every\nprogram is different. Ask many questions.")
    faq_es = project / "docs" / "faq.es.md"  # published at es/faq/, not faq.es/
    edit(faq_es, "Cada programa es diferente.", "Cada programa es diferente. Pregunte mucho.")
    site = build(project, project / "site")
    assert site.returncode == 0, site.output
    summary = tmp_path / "summary.md"

    result = run(
        [sys.executable, "-m", "iopguide", "pr-preview", "site", "--out", "shots"],
        project,
        GITHUB_STEP_SUMMARY=str(summary),
        FIX_BASE="origin/main",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    shots = sorted((project / "shots").glob("*.png"))
    assert [s.name for s in shots] == [
        "faq-desktop-1280px.png",
        "faq-phone-390px.png",
        "faq.es-desktop-1280px.png",
        "faq.es-phone-390px.png",
    ]
    assert png_size(shots[0])[0] == 1280 and png_size(shots[1])[0] == 390
    assert png_size(shots[1])[1] > 900  # the whole page, not only the first screen
    assert png_size(shots[3])[1] > 900  # the Spanish page, not a short 404 page
    rules = load_rules(project)
    grade = grade_page(read_page(faq, project), rules)
    row = next(line for line in summary.read_text().splitlines() if "`docs/faq.md`" in line)
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[2] == str(grade.words)
    assert cells[1] == ", ".join(f"{v:.1f}" for v in grade.scores.values())
    assert cells[3].endswith("sources)") and int(cells[3].split()[0]) > 0
    assert "docs/index.md" not in summary.read_text()  # unchanged pages are not listed
