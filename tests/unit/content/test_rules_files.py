"""A broken rules file is reported to the editor like any other mistake."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iopguide import ROOT
from iopguide.content import checker as cli
from iopguide.content.rules import load_rules
from iopguide.report import ProblemsFound
from tests.site.content_site import RULES_FILES


def project(tmp_path: Path) -> Path:
    for name in RULES_FILES:
        shutil.copy2(ROOT / name, tmp_path / name)
    (tmp_path / "mkdocs.yml").write_text("site_name: Rules test\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    return tmp_path


def test_the_real_rules_load() -> None:
    rules = load_rules(ROOT)
    assert rules.reading_ceiling == 9
    assert rules.review_period_years == 2
    assert rules.review_warn_days == 30
    assert set(rules.reviewers) == {"editorial-team"}
    assert rules.reviewers["editorial-team"]["name"] == "IOP Guide editorial team"
    assert all(term.source and term.prefer for term in rules.terms)


def test_a_yaml_mistake_in_terms_names_the_file_and_line(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "terms.yml").write_text("terms:\n  - avoid: [addict\n    prefer: x\n")
    with pytest.raises(ProblemsFound) as caught:
        load_rules(root)
    assert str(caught.value).startswith("terms.yml:")
    assert "[rules-file] terms.yml cannot be read" in str(caught.value)


def test_a_reviewer_without_a_name(tmp_path: Path) -> None:
    root = project(tmp_path)
    with (root / "reviewers.yml").open("a") as fh:
        fh.write("jane-doe:\n  credentials: PhD\n")
    with pytest.raises(ProblemsFound, match=r"reviewer 'jane-doe' in reviewers\.yml has no name"):
        load_rules(root)


def test_the_command_reports_a_broken_rules_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    (root / "content-rules.yml").write_text("readability: [\n")
    page = ROOT / "tests" / "fixtures" / "content" / "pages" / "clean.md"
    assert cli.main(["--root", str(root), str(page)]) == 1
    assert "content-rules.yml:" in capsys.readouterr().err


def test_a_bracket_never_closed_in_terms_is_named_where_it_opens(tmp_path: Path) -> None:
    """In the plain words mkdocs.yml gets (fails on the code that gave YAML's own words)."""
    root = project(tmp_path)
    (root / "terms.yml").write_text("terms:\n  - avoid: [addict\n    prefer: x\n")
    with pytest.raises(ProblemsFound) as caught:
        load_rules(root)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.column, problem.rule) == (
        "terms.yml",
        2,
        12,
        "rules-file",
    )
    assert problem.message.startswith("terms.yml cannot be read at this line (YAML says: ")
    assert problem.fix == "check the indentation and put quotes around values that contain a colon"
