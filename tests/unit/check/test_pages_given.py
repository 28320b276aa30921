"""``python -m iopguide check PAGE``: a page that is missing or outside the project is a usage
error (exit status 2, one ``error:`` line), said before any check runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from iopguide import check


@pytest.mark.parametrize(
    ("page", "said"),
    [
        ("docs/nope.md", "error: docs/nope.md does not exist\n"),
        ("../outside.md", "error: ../outside.md is not inside {root}\n"),
    ],
)
def test_a_page_missing_or_outside_the_project_is_a_usage_error(
    page: str,
    said: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    (tmp_path / "outside.md").write_text("# Outside\n", encoding="utf-8")
    monkeypatch.chdir(root)
    assert check.main([page]) == 2
    assert capsys.readouterr() == ("", said.format(root=root.resolve()))
