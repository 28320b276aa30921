"""One shared way to report a problem to an editor.

Every checker returns :class:`Problem` records. :func:`format_problem` prints them as

    docs/page.md:12:5: [rule-id] What is wrong. Fix: what to do (https://.../style-guide/#section)

and :func:`format_report` sorts all problems of a run by file and line, so an editor sees every
mistake at once, in the same words in the build, in ``make check`` and in the CLI.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TextIO

#: Base address of the style guide page inside the built site, used in "how to fix" links.
STYLE_GUIDE = "style-guide/"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake, located as precisely as we know it."""

    file: str
    line: int | None
    column: int | None
    rule: str
    message: str
    fix: str = ""
    severity: Severity = field(default=Severity.ERROR, compare=False)
    #: Anchor of the style guide section that explains the rule (e.g. "citations").
    guide: str = field(default="", compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


def format_problem(problem: Problem) -> str:
    """Format one problem on one line, in words for editors."""
    text = f"{problem.location()}: "
    if problem.severity is Severity.WARNING:
        text += "warning: "
    text += f"[{problem.rule}] {problem.message.rstrip('.')}."
    if problem.fix:
        text += f" Fix: {problem.fix.rstrip('.')}."
    if problem.guide:
        text += f" (See docs/{STYLE_GUIDE.rstrip('/')}.md#{problem.guide})"
    return text


def _sort_key(p: Problem) -> tuple[str, int, int, str]:
    return (p.file, p.line or 0, p.column or 0, p.rule)


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems sorted by file, line and column; exact duplicates removed. Problems at the
    same place keep the order they were found in, so every run prints the same report."""
    return sorted(dict.fromkeys(problems), key=_sort_key)


def format_report(problems: Iterable[Problem]) -> str:
    """All problems of a run, one per line, sorted, with a closing count."""
    items = sorted_problems(problems)
    if not items:
        return ""
    lines = [format_problem(p) for p in items]
    errors = sum(1 for p in items if p.is_error)
    warnings = len(items) - errors
    summary = f"{errors} error{'s' if errors != 1 else ''}"
    if warnings:
        summary += f", {warnings} warning{'s' if warnings != 1 else ''}"
    lines.append(f"Found {summary}.")
    return "\n".join(lines)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


class ProblemsFound(Exception):
    """Raised to stop a build or command when problems with errors were found.

    MkDocs hooks raise :class:`mkdocs.exceptions.PluginError` built from this message, which MkDocs
    prints without a traceback.
    """

    def __init__(self, problems: Iterable[Problem], heading: str = "") -> None:
        self.problems = sorted_problems(problems)
        text = format_report(self.problems)
        super().__init__(f"{heading}\n{text}" if heading else text)


def print_report(problems: Iterable[Problem], stream: TextIO | None = None) -> int:
    """Print a report and return the exit code a command should use (1 if any error)."""
    items = sorted_problems(problems)
    out = stream or sys.stderr
    if items:
        print(format_report(items), file=out)
    return 1 if has_errors(items) else 0


class PendingProblems:
    """Problems that several hooks of one build find before rendering, reported together.

    The content hook keeps one (:class:`iopguide.content.hooks.ContentHooks`): the citation hook
    adds its problems there instead of stopping the build; the content hook, which runs last,
    adds its own and stops the build once with every problem of both. So an
    editor who made a citation mistake and a front matter mistake sees both in one run.
    """

    def __init__(self) -> None:
        self._items: list[tuple[str, list[Problem]]] = []

    def add(self, heading: str, problems: Iterable[Problem]) -> None:
        items = list(problems)
        if items:
            self._items.append((heading, items))

    def take(self) -> list[tuple[str, list[Problem]]]:
        """Everything added so far (heading and problems per hook); empties the list."""
        items, self._items = self._items, []
        return items


class Collector:
    """Problems of a whole ``python -m iopguide check`` run, gathered instead of raised.

    While a collector is active (``with collecting() as found:``), hooks that would stop the build
    (:func:`stop_build`) add their problems here and let the build go on, so MkDocs' own checks
    of the menu, links and anchors, and the checks after the build, still run and report too.
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []


_collector: list[Collector] = []


class collecting:
    """Context manager: collect the problems hooks would stop the build with."""

    def __enter__(self) -> Collector:
        found = Collector()
        _collector.append(found)
        return found

    def __exit__(self, *_: object) -> None:
        _collector.pop()


def collect(problems: Iterable[Problem]) -> bool:
    """Record problems in the active collector; False when no ``check`` run is collecting."""
    if not _collector:
        return False
    _collector[-1].problems.extend(problems)
    return True


def stop_build(problems: Iterable[Problem], heading: str = "") -> None:
    """Stop the build with every problem (a MkDocs ``PluginError``), or, during a
    ``python -m iopguide check`` run, record them and let the build go on."""
    items = list(problems)
    if collect(items):
        return
    from mkdocs.exceptions import PluginError

    raise PluginError(str(ProblemsFound(items, heading=heading)))


_LINE = re.compile(
    r"^(?P<file>[^\s:][^:]*?)(?::(?P<line>\d+)(?::(?P<col>\d+))?)?: (?P<warn>warning: )?"
    r"\[(?P<rule>[a-z0-9-]+)\] (?P<rest>.*)$"
)


def parse_problems(text: str) -> list[Problem]:
    """The problems in a report printed by :func:`format_report` (the inverse of
    :func:`format_problem`, for reports that reach us only as text, such as a hook's error)."""
    found = []
    for raw in text.splitlines():
        match = _LINE.match(raw.strip())
        if not match:
            continue
        rest = match["rest"]
        guide = ""
        see = re.search(r" \(See docs/[^#]*#([^)]*)\)$", rest)
        if see:
            guide, rest = see[1], rest[: see.start()]
        message, _, fix = rest.partition(" Fix: ")
        found.append(
            Problem(
                match["file"],
                int(match["line"]) if match["line"] else None,
                int(match["col"]) if match["col"] else None,
                match["rule"],
                message.rstrip("."),
                fix.rstrip("."),
                Severity.WARNING if match["warn"] else Severity.ERROR,
                guide,
            )
        )
    return found
