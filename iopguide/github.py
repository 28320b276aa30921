"""Problems as GitHub Actions sees them: annotations on the pull request's diff and a job summary.

When ``GITHUB_ACTIONS=true`` (set by GitHub on every runner), ``make check`` prints each problem as
a workflow command, which GitHub shows on the line of the changed file:

    ::error file=docs/faq.md,line=12,col=5,title=[citation-unknown-key]::unknown ... Fix: ...

and appends a Markdown table of every problem to the file named by ``GITHUB_STEP_SUMMARY``.
Escaping follows GitHub's runner (``%``, ``\\r``, ``\\n`` in the message; also ``:`` and ``,`` in
the properties); see https://docs.github.com/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from iopguide.report import Problem, sorted_problems


def in_actions(env: Mapping[str, str] | None = None) -> bool:
    return (env if env is not None else os.environ).get("GITHUB_ACTIONS") == "true"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _text(problem: Problem) -> str:
    text = f"{problem.message.rstrip('.')}."
    if problem.fix:
        text += f" Fix: {problem.fix.rstrip('.')}."
    return text


def annotation(problem: Problem) -> str:
    """One workflow command (``::error ...`` or ``::warning ...``) for a problem."""
    props = [f"file={escape_property(problem.file)}"]
    if problem.line is not None:
        props.append(f"line={problem.line}")
        if problem.column is not None:
            props.append(f"col={problem.column}")
    props.append(f"title={escape_property(f'[{problem.rule}]')}")
    kind = "error" if problem.is_error else "warning"
    return f"::{kind} {','.join(props)}::{escape_data(_text(problem))}"


def annotation_lines(problems: Iterable[Problem]) -> str:
    return "\n".join(annotation(p) for p in sorted_problems(problems))


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def summary(problems: Iterable[Problem], title: str = "make check") -> str:
    """A Markdown table of every problem, for the job summary page."""
    items = sorted_problems(problems)
    errors = sum(1 for p in items if p.is_error)
    warnings = len(items) - errors
    lines = [f"### {title}", ""]
    if not items:
        lines.append("No problems found.")
        return "\n".join(lines) + "\n"
    lines += [
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}. Each row says where, what is wrong, "
        "and how to fix it.",
        "",
        "| | where | rule | what is wrong | how to fix it |",
        "|---|---|---|---|---|",
    ]
    for p in items:
        mark = "error" if p.is_error else "warning"
        lines.append(
            f"| {mark} | `{_cell(p.location())}` | {_cell(p.rule)} | {_cell(p.message)} | "
            f"{_cell(p.fix)} |"
        )
    return "\n".join(lines) + "\n"


def write_summary(problems: Iterable[Problem], env: Mapping[str, str] | None = None) -> None:
    """Append the table to ``$GITHUB_STEP_SUMMARY`` when it is set."""
    target = (env if env is not None else os.environ).get("GITHUB_STEP_SUMMARY")
    if target:
        with Path(target).open("a", encoding="utf-8") as out:
            out.write(summary(problems))
