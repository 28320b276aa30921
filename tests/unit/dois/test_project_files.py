"""``python -m iopguide dois`` checks the bibliography of the project it runs in, the file the
bibtex plugin's ``bib_file`` names (as the build and make check read it), with its lock file."""

from __future__ import annotations

from pathlib import Path

import pytest

from iopguide.dois.cli import main

BIB = """@article{alpha2020fixture,
  title = {A fixture page},
  author = {Alpha, Ann},
  journal = {Journal of Fixtures},
  year = {2020},
  doi = {https://doi.org/10.1000/xyz123}
}
"""


def test_the_bibliography_mkdocs_yml_names_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """On main: IOP Guide's own bibliography.bib was checked, whatever folder it ran in."""
    config = "site_name: F\nplugins:\n  - bibtex:\n      bib_file: refs/sources.bib\n"
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "refs").mkdir()
    (tmp_path / "refs" / "sources.bib").write_text(BIB, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main([])
    err = capsys.readouterr().err
    assert code == 1
    assert "refs/sources.bib:6: [bib-doi-syntax]" in err, err


def test_a_project_without_a_bibliography_is_told_which_file_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: F\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main([]) == 1
    assert "bibliography.bib" in capsys.readouterr().err
