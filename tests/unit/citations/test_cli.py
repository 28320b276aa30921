"""``python -m iopguide citations``: the build's checks without a build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from iopguide import project
from iopguide.citations.layer import CitationLayer, main

BIB = "@misc{alpha2020fixture,\n  title = {A fixture page}\n}\n"
CONFIG = """site_name: Fixture
exclude_docs: |
  _templates/
  *.draft.md
plugins:
  - bibtex:
      bib_file: bibliography.bib
"""


def _project(tmp_path: Path, page: str) -> Path:
    (tmp_path / "docs" / "_templates").mkdir(parents=True)
    (tmp_path / "bibliography.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "docs" / "index.md").write_text(page, encoding="utf-8")
    # Not published (mkdocs.yml excludes them), so not checked.
    (tmp_path / "docs" / "_templates" / "page.md").write_text("[@your-key]", encoding="utf-8")
    (tmp_path / "docs" / "next.draft.md").write_text("[@unfinished]", encoding="utf-8")
    return tmp_path


def test_clean_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path, "---\ntitle: T\n---\n\nText [@alpha2020fixture].\n")
    assert main(["--root", str(root)]) == 0
    assert capsys.readouterr().out == "Citations: no problems found.\n"


def test_problems_are_printed_with_their_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path, "---\ntitle: T\n---\n\nText [@alpha2020fixtur].\n")
    assert main(["--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "docs/index.md:5:7: [citation-unknown-key] unknown citation key 'alpha2020fixtur' (did "
        "you mean 'alpha2020fixture'?). Fix: copy the key exactly from bibliography.bib, or add "
        "the source there first (see CONTRIBUTING, 'How to cite'). (See "
        "docs/style-guide.md#citations)",
        "Found 1 error.",
    ]


def test_broken_bibliography_through_the_real_command(tmp_path: Path) -> None:
    root = _project(tmp_path, "Text [@alpha2020fixture].\n")
    (root / "bibliography.bib").write_text(BIB.replace("}\n}", "}\n"), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "iopguide", "citations", "--root", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(
        "bibliography.bib:1: [bib-syntax] entry 'alpha2020fixture' (line 1) is not closed: the "
        "file ends before its closing '}'"
    )


def test_no_bibtex_plugin_is_one_problem_in_the_build_and_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path, "Text.\n")
    (root / "mkdocs.yml").write_text(CONFIG.split("plugins:")[0], encoding="utf-8")
    said = (
        "mkdocs.yml: [citation-config] the citation hook needs the bibtex plugin with 'bib_file: "
        "bibliography.bib'. Fix: add it under 'plugins:'."
    )
    assert main(["--root", str(root)]) == 1
    assert capsys.readouterr().err.splitlines() == [said, "Found 1 error."]
    with pytest.raises(PluginError) as build:
        CitationLayer().on_config(project.load_config(root))
    assert str(build.value) == said
