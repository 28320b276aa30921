"""``make fix`` with a mkdocs.yml MkDocs cannot read: the house-format line and exit status 1,
never a traceback (iopguide.fix.main)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from iopguide.fix import main


def test_a_yaml_mistake_in_mkdocs_yml_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: [Test\nnav:\n  - Home: index.md\n")
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "published-urls.txt").write_text("/\n")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)  # no base: no renames

    assert main(["--root", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    first, *rest = err.splitlines()
    assert first.startswith("mkdocs.yml:") and "[yaml-syntax]" in first and " Fix: " in first
    assert rest == ["Found 1 error."]
    assert (tmp_path / "mkdocs.yml").read_text().startswith("site_name: [Test\n")  # unchanged
