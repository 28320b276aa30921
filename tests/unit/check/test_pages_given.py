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


def test_a_folder_shows_the_problems_of_its_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``make check PAGE=docs/sub``: was "make check passed for docs/sub" and exit 0 (no problem's
    file is the folder), whatever its pages' problems."""
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "docs" / "sub" / "a.md").write_text("# A\n\n[gone](../nowhere.md)\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    assert check.main(["docs/sub"]) == 1
    out = capsys.readouterr().out
    assert "docs/sub/a.md:3:8: [link-missing-page] The link '../nowhere.md' points to" in out
    assert "passed" not in out
