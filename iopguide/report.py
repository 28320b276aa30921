"""One way to report a problem to an editor, in the build, ``make check`` and the CLI:
``docs/page.md:12:5: [rule-id] What is wrong. Fix: what to do (See docs/...#section)``."""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

import yaml

from iopguide import ROOT


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
    #: The values the message was filled in with (``Messages.say``): read these, not the words.
    values: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        where = [self.file, self.line, self.column if self.line is not None else None]
        return ":".join(str(part) for part in where if part is not None)


class Messages(dict[str, dict[str, str]]):
    """A part's ``messages.yml``: data editors can change and translate. A YAML mistake in it, or
    a key the code asks for that it lacks, stops the command with one ``messages-file`` line."""

    def __init__(self, path: Path) -> None:
        self.file = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
        try:  # parsed once: the entries from the nodes that know their lines
            node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
            data = yaml.SafeLoader("").construct_document(node) if node is not None else None
        except yaml.YAMLError as exc:
            if "MESSAGES" not in globals():  # this file holds the words to say it with: YAML's
                mark = getattr(exc, "problem_mark", None)
                at = f"{self.file}:{mark.line + 1}:{mark.column + 1}" if mark else self.file
                raise SystemExit(f"{at}: [messages-file] {getattr(exc, 'problem', exc)}") from None
            own = MESSAGES.say(self.file, None, "messages-file", file=self.file)
            raise MessagesBroken([yaml_problem(self.file, exc, own)]) from None
        super().__init__(data if isinstance(data, dict) else {})
        named = node.value if isinstance(node, yaml.MappingNode) else []
        self.lines = {str(name.value): name.start_mark.line + 1 for name, _ in named}

    def _broken(self, key: str, why: str, **values: Any) -> MessagesBroken:
        """The problem ``messages-file/<why>`` with the entry ``key``."""
        if key.startswith("messages-file"):  # the words of this very problem
            raise SystemExit(f"{self.file}: [messages-file] {key}")
        said = dict(file=self.file, key=key, **values)
        line = self.lines.get(key)
        return MessagesBroken([MESSAGES.say(self.file, line, f"messages-file/{why}", **said)])

    def entry(self, key: str) -> dict[str, str]:
        """The entry ``key``: its ``message`` and any ``fix``, ``guide``, ``severity``."""
        found: Any = self.get(key)  # as the YAML gives it: maybe indented wrongly, words only...
        usable = isinstance(found, dict) and isinstance(found.get("message"), str)
        if usable and found.get("severity", "error") in set(Severity):
            return cast(dict[str, str], found)
        raise self._broken(key, "missing")

    def _filled(self, key: str, words: str, values: dict[str, Any]) -> str:
        try:
            return words.format(**values)
        except (KeyError, IndexError, ValueError, AttributeError, TypeError) as exc:
            raise self._broken(key, "placeholder", error=exc) from None

    def say(self, file: str, line: int | None, key: str, /, **values: Any) -> Problem:
        """The problem ``key`` at ``file:line``. ``column=``, ``severity=`` (else the entry's) and
        ``rule=`` (else ``key`` up to "/") are the problem's; the other values fill the words in."""
        text, column, rule = self.entry(key), values.pop("column", None), values.pop("rule", None)
        severity = values.pop("severity", None) or Severity(text.get("severity", "error"))
        message = self._filled(key, text["message"], values)
        fix = self._filled(key, text.get("fix", ""), values)
        rule, guide = rule or key.split("/")[0], text.get("guide", "")
        return Problem(file, line, column, rule, message, fix, severity, guide, values)

    def text(self, key: str, /, **values: Any) -> str:
        """The message ``key`` alone, filled in: a line or part of a sentence, not a problem."""
        return self._filled(key, self.entry(key)["message"], values)

    def text_if(self, key: str, /, **values: Any) -> str:
        """:meth:`text` of an entry the file may leave out (a hint, a note), else ""."""
        return self.text(key, **values) if key in self else ""

    def parser(self, command: str, key: str, root: str | None = None) -> argparse.ArgumentParser:
        """``python -m iopguide <command>``'s options, described by message ``key``; ``root``: the
        message of ``--root`` (a project folder; "" hides it) when the command takes one."""
        about = self.text(key)
        parser = argparse.ArgumentParser(f"python -m iopguide {command}", description=about)
        if root is not None:
            shown = self.text(root) if root else argparse.SUPPRESS
            parser.add_argument("--root", type=Path, help=shown)
        return parser


def yaml_problem(file: str, exc: Any, own: Problem | None = None, lines: int = 0) -> Problem:
    """A YAML error in any file, by its line (``lines`` above the YAML) in plain words. ``own``:
    the caller's problem: its rule id, Fix and guide; its message, what the words call the file."""
    at, opened = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    problem = str(getattr(exc, "problem", "") or exc).strip()
    context = str(getattr(exc, "context", "") or "").strip()
    said_by = (k for k in MESSAGES if MESSAGES.entry(k).get("yaml", "\0") in problem)
    key = next(said_by, "yaml-syntax")  # the entry whose 'yaml:' words YAML's problem holds
    mark = at or opened
    if ("flow" in context or "quoted" in context) and at and opened and opened.line != at.line:
        key, mark = "yaml-syntax/unclosed", opened  # never closed: named where it opens
    line, column = (mark.line + 1 + lines, mark.column + 1) if mark is not None else (None, None)
    said = {"problem": problem, "context": context, "line": at and at.line + 1 + lines}
    found = MESSAGES.say(file, line, key, column=column, file=own.message if own else file, **said)
    return replace(found, rule=own.rule, fix=own.fix, guide=own.guide) if own else found


def load_yaml(text: str, own: Problem) -> Any:
    """The YAML ``text`` of ``own``'s file; a syntax error stops with :func:`yaml_problem`."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProblemsFound([yaml_problem(own.file, exc, own)]) from None


def sentences(problem: Problem) -> str:
    """``What is wrong. Fix: what to do.``: a problem's words, without its place or rule."""
    fix = f" Fix: {problem.fix.rstrip('.')}." if problem.fix else ""
    return f"{problem.message.rstrip('.')}.{fix}"


def format_problem(problem: Problem) -> str:
    warning = "warning: " if problem.severity is Severity.WARNING else ""
    text = f"{problem.location()}: {warning}[{problem.rule}] {sentences(problem)}"
    return text + (f" (See docs/style-guide.md#{problem.guide})" if problem.guide else "")


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Sorted by place (then rule), exact duplicates removed, so every run prints the same."""
    return sorted(
        dict.fromkeys(problems), key=lambda p: (p.file, p.line or 0, p.column or 0, p.rule)
    )


def plural(count: int, word: str) -> str:
    """``1 error``, ``2 errors``: ``count/<word>`` (``/one`` for 1) in messages.yml."""
    return MESSAGES.text(f"count/{word}/one" if count == 1 else f"count/{word}", count=count)


def format_report(problems: Iterable[Problem]) -> str:
    """All problems of a run, one per line, sorted, with a closing count."""
    if not (items := sorted_problems(problems)):
        return ""
    errors = sum(1 for p in items if p.is_error)
    key = "text/found-warnings" if len(items) > errors else "text/found"
    said = dict(errors=plural(errors, "error"), warnings=plural(len(items) - errors, "warning"))
    return "\n".join([*map(format_problem, items), MESSAGES.text(key, **said)])


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


class ProblemsFound(Exception):
    """Stops a command with its problems (a hook raises MkDocs' ``PluginError`` with the text)."""

    def __init__(self, problems: Iterable[Problem], heading: str = "") -> None:
        self.problems = sorted_problems(problems)
        super().__init__("\n".join(filter(None, [heading, format_report(self.problems)])))


class MessagesBroken(ProblemsFound, SystemExit):
    """A ``messages.yml`` that cannot give its words. A SystemExit too, as MkDocs' ``Abort`` is:
    raised where MkDocs imports a hook, Python prints the report, not a traceback, and exits 1."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        super().__init__(problems)
        self.code = str(self)


def print_error(error: object) -> int:
    """A command's mistake that is no file's (a wrong option or path), on stderr; exit status 2."""
    print(MESSAGES.text("text/error", error=error), file=sys.stderr)
    return 2


def print_report(problems: Iterable[Problem]) -> int:
    """Print a report to stderr; the exit code a command should use (1 if any error)."""
    if items := list(problems):
        print(format_report(items), file=sys.stderr)
    return int(has_errors(items))


#: The problems of the runs collecting now (``check``, a ``make serve`` build), innermost last.
_collecting: list[list[Problem]] = []


@contextlib.contextmanager
def collecting() -> Iterator[list[Problem]]:
    """While active, hooks record the problems they would stop the build with (:func:`collect`)."""
    found: list[Problem] = []
    _collecting.append(found)
    try:
        yield found
    finally:
        _collecting.pop()


def collect(problems: Iterable[Problem]) -> bool:
    """Record problems in the active collector; False when no run is collecting."""
    if _collecting:
        _collecting[-1].extend(problems)
    return bool(_collecting)


def stop_build(problems: Iterable[Problem], heading: str = "") -> None:
    """Stop the build with every problem (``PluginError``), or record them while collecting."""
    items = list(problems)
    if not collect(items):
        from mkdocs.exceptions import PluginError

        raise PluginError(str(ProblemsFound(items, heading=heading)))


_LINE = re.compile(
    r"^(?P<file>[^\s:][^:]*?)(?::(?P<line>\d+)(?::(?P<column>\d+))?)?: (?:(?P<severity>warning): )?"
    r"\[(?P<rule>[a-z0-9-]+)\] (?P<message>.*?)\.?(?: Fix: (?P<fix>.*?)\.?)?"
    r"(?: \(See docs/[^#]*#(?P<guide>[^)]*)\))?$"
)


def parse_problems(text: str) -> list[Problem]:
    """The problems in a report printed by :func:`format_report` (a hook's error, as text)."""
    found = []
    for m in filter(None, map(_LINE.match, map(str.strip, text.splitlines()))):
        fields: dict[str, Any] = m.groupdict("") | {"severity": Severity(m["severity"] or "error")}
        fields |= {g: int(m[g]) if m[g] else None for g in ("line", "column")}
        found.append(Problem(**fields))
    return found


#: The top-level modules' words (the build, the preview, make check, reports).
MESSAGES = Messages(Path(__file__).with_name("messages.yml"))
