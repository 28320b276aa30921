"""make check's DOI stage checks the bibliography and lock file the build read."""

from __future__ import annotations

from pathlib import Path

from iopguide import ROOT, check

BIB = """@article{alpha2020fixture,
  title = {A fixture page},
  author = {Alpha, Ann},
  journal = {J},
  year = {2020},
  doi = {10.1000/xyz123}
}
"""


def test_the_dois_of_the_bibliography_mkdocs_yml_names_are_checked(tmp_path: Path) -> None:
    """A bib_file other than bibliography.bib: the build reads it, and so does the DOI stage
    (it read bibliography.bib, missing here, and checked nothing)."""
    hook = ROOT / "overrides" / "hooks" / "citations.py"
    config = f"site_name: F\nplugins:\n  - bibtex:\n      bib_file: sources.bib\nhooks: [{hook}]\n"
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    (tmp_path / "sources.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nText [@alpha2020fixture].\n", "utf-8")
    problems, notes = check.run(tmp_path, tmp_path / "site")
    assert [(p.file, p.line, p.rule) for p in problems if p.rule.startswith("doi")] == [
        ("sources.bib", 6, "doi-unverified")
    ]
    assert notes[1] == "DOIs: 1 error(s), 0 warning(s)"
