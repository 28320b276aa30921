"""GitHub workflow commands and the job summary, from problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from iopguide import github
from iopguide.report import Problem, Severity


def test_an_error_with_line_and_column() -> None:
    problem = Problem("docs/x.md", 12, 5, "link-missing-page", "No page", "Link to 'a.md'")
    assert github.annotation(problem) == (
        "::error file=docs/x.md,line=12,col=5,title=[link-missing-page]::No page. "
        "Fix: Link to 'a.md'."
    )


def test_a_warning_without_line() -> None:
    problem = Problem("docs/x.md", None, 3, "review-overdue", "Due", severity=Severity.WARNING)
    assert github.annotation(problem) == "::warning file=docs/x.md,title=[review-overdue]::Due."


def test_special_characters_are_escaped() -> None:
    # GitHub's runner: %, CR and LF in the message; also ':' and ',' in properties.
    problem = Problem("docs/a,b:c.md", 1, None, "r", "100% sure\r\nreally: yes, no", "x")
    text = github.annotation(problem)
    assert text.startswith("::error file=docs/a%2Cb%3Ac.md,line=1,title=[r]::")
    assert text.endswith("::100%25 sure%0D%0Areally: yes, no. Fix: x.")
    assert "\n" not in text


def test_annotations_only_under_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert github.in_actions()
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert not github.in_actions()
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert not github.in_actions()


def test_the_summary_table_lists_every_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    problems = [
        Problem("docs/b.md", 2, None, "rule-b", "Has | a pipe", "fix b"),
        Problem("docs/a.md", 1, 4, "rule-a", "First", "", severity=Severity.WARNING),
    ]
    target = tmp_path / "summary.md"
    target.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    github.append_summary(github.summary(problems))
    text = target.read_text()
    assert text.startswith("earlier step\n### make check\n")
    assert "1 error, 1 warning." in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "`" in line]
    assert rows == [
        "| warning | `docs/a.md:1:4` | rule-a | First |  |",
        "| error | `docs/b.md:2` | rule-b | Has \\| a pipe | fix b |",
    ]


def test_an_empty_run_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    github.append_summary(github.summary([]))
    assert "No problems found." in target.read_text()
    monkeypatch.delenv("GITHUB_STEP_SUMMARY")
    github.append_summary(github.summary([]))  # no summary file: nothing to write, no error
