"""Problems as GitHub Actions shows them: annotations on the pull request's diff (escaped as in
docs.github.com/actions/reference/workflow-commands-for-github-actions), a job summary table."""

from __future__ import annotations

import os
from collections.abc import Iterable

from iopguide.fixcommit import append_summary as append_summary  # the one writer (stdlib)
from iopguide.report import MESSAGES, Problem, plural, sentences, sorted_problems


def in_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


#: GitHub's escapes of a message, of a property (file, title) and of a Markdown table cell.
_DATA = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A"})
_PROPERTY = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"})
_CELL = str.maketrans({"\\": "\\\\", "|": "\\|", "\r": " ", "\n": " "})


def annotation(problem: Problem) -> str:
    """One workflow command (``::error ...`` or ``::warning ...``) for a problem."""
    col = problem.column if problem.line is not None else None
    where = dict(file=problem.file, line=problem.line, col=col, title=f"[{problem.rule}]")
    props = ",".join(
        f"{k}={str(v).translate(_PROPERTY)}" for k, v in where.items() if v is not None
    )
    return f"::{problem.severity} {props}::{sentences(problem).translate(_DATA)}"


def summary(problems: Iterable[Problem]) -> str:
    """A Markdown table of every problem, for the job summary page."""
    if not (items := sorted_problems(problems)):
        return MESSAGES.text("text/summary-none")
    errors = sum(1 for p in items if p.is_error)
    counts = f"{plural(errors, 'error')}, {plural(len(items) - errors, 'warning')}"
    lines = [MESSAGES.text("text/summary", counts=counts), "|---|---|---|---|---|"]
    for p in items:
        cells = [p.severity, f"`{p.location()}`", p.rule, p.message, p.fix]
        lines.append(f"| {' | '.join(c.translate(_CELL) for c in cells)} |")
    return "\n".join(lines) + "\n"
