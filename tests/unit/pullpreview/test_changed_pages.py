"""Which pages pr-preview shows: those a pull request changed, wherever docs_dir is."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from iopguide.pullpreview import changed_pages

WHO = ["-c", "user.name=t", "-c", "user.email=t@t"]


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def base_commit(root: Path, monkeypatch: pytest.MonkeyPatch, pages: dict[str, str]) -> None:
    """A git repository at ``root`` whose one commit holds ``pages``: the pull request's base."""
    for name, text in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, *WHO, "commit", "-q", "-m", "base")
    monkeypatch.setenv("FIX_BASE", git(root, "rev-parse", "HEAD"))


def test_changed_and_new_pages_under_any_docs_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base_commit(tmp_path, monkeypatch, {"pages/a.md": "# A\n", "pages/same.md": "# Same\n"})
    (tmp_path / "pages" / "a.md").write_text("# A, changed\n")
    (tmp_path / "pages" / "new.md").write_text("# New\n")  # not yet added to git
    (tmp_path / "pages" / "notes.txt").write_text("not a page\n")

    assert changed_pages(tmp_path) == ["pages/a.md", "pages/new.md"]


def test_names_with_spaces_and_accents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git quotes such names and splits none of them: each is one page, as it is on disk."""
    base_commit(tmp_path, monkeypatch, {"docs/first steps.md": "# First\n"})
    (tmp_path / "docs" / "first steps.md").write_text("# First, changed\n")
    (tmp_path / "docs" / "guía.md").write_text("# Guía\n")

    assert changed_pages(tmp_path) == ["docs/first steps.md", "docs/guía.md"]
