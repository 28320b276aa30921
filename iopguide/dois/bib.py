"""Read the entries of a BibTeX file with the line number of every field.

pybtex (used by mkdocs-bibtex) does not keep line numbers, and an editor needs them. This small
reader understands what our bibliography uses: ``@type{key, name = {value} | "value" | number}``,
``@comment``, ``@string`` and ``@preamble`` (skipped). The citation checker (issue 3) reports BibTeX
syntax errors in detail; here an entry we cannot read is reported once, with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pybtex.richtext import Text

from iopguide.report import Problem

_ENTRY_START = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
_FIELD_NAME = re.compile(r"\s*([A-Za-z][A-Za-z0-9_:.+-]*)\s*=\s*", re.ASCII)
_SKIPPED_TYPES = {"comment", "string", "preamble"}


@dataclass
class BibEntry:
    """One entry: its key, type, raw field values and where each field starts."""

    key: str
    type: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        return self.fields.get(name.lower())

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name.lower(), self.line)

    @property
    def doi(self) -> str | None:
        value = self.get("doi")
        return value.strip() if value is not None else None


@dataclass
class BibFile:
    path: Path
    #: Path as shown to editors (relative to the project root).
    display: str
    entries: list[BibEntry]
    problems: list[Problem]


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _read_braced(text: str, start: int) -> int:
    """Index just past the brace that closes the one at ``start``; -1 if never closed."""
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _read_quoted(text: str, start: int) -> int:
    """Index just past the closing quote of a "value" (quotes inside braces do not count)."""
    depth = 0
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0:
            return i + 1
        i += 1
    return -1


def _parse_body(text: str, start: int, end: int, entry: BibEntry) -> str | None:
    """Parse ``name = value, ...`` between start and end. Returns an error message or None."""
    i = start
    while i < end:
        while i < end and text[i] in " \t\r\n,":
            i += 1
        if i >= end:
            return None
        match = _FIELD_NAME.match(text, i, end)
        if not match:
            return f"cannot read the field that starts with {text[i : i + 20].strip()!r}"
        name = match.group(1).lower()
        line = _line_at(text, match.start(1))
        i = match.end()
        parts: list[str] = []
        while True:
            if i >= end:
                return f"the field {name!r} has no value"
            ch = text[i]
            if ch == "{":
                close = _read_braced(text, i)
                if close == -1 or close > end:
                    return f"the field {name!r} has a '{{' that is never closed"
                parts.append(text[i + 1 : close - 1])
            elif ch == '"':
                close = _read_quoted(text, i)
                if close == -1 or close > end:
                    return f"the field {name!r} has a '\"' that is never closed"
                parts.append(text[i + 1 : close - 1])
            else:
                word = re.match(r"[A-Za-z0-9_.:+-]+", text[i:end])
                if not word:
                    return f"the field {name!r} has a value that is not in {{braces}}"
                close = i + word.end()
                parts.append(word.group(0))
            i = close
            while i < end and text[i] in " \t\r\n":
                i += 1
            if i < end and text[i] == "#":
                i += 1
                while i < end and text[i] in " \t\r\n":
                    i += 1
                continue
            break
        if name in entry.fields:
            return f"the field {name!r} appears twice"
        entry.fields[name] = "".join(parts)
        entry.field_lines[name] = line
    return None


def parse_bib_text(text: str, display: str, path: Path | None = None) -> BibFile:
    """Parse BibTeX text. Problems are reported against ``display`` (e.g. ``bibliography.bib``)."""
    entries: list[BibEntry] = []
    problems: list[Problem] = []
    pos = 0
    while True:
        match = _ENTRY_START.search(text, pos)
        if not match:
            break
        kind = match.group(1).lower()
        opener = match.end() - 1
        if match.group(2) == "{":
            close = _read_braced(text, opener)
        else:
            close = text.find(")", opener)
            close = close + 1 if close != -1 else -1
        line = _line_at(text, match.start())
        if close == -1:
            problems.append(
                Problem(
                    display,
                    line,
                    None,
                    "bib-syntax",
                    f"The entry that starts here (@{kind}) is never closed",
                    "add the missing '}' at the end of the entry",
                )
            )
            break
        pos = close
        if kind in _SKIPPED_TYPES:
            continue
        body_start = match.end()
        comma = text.find(",", body_start, close)
        if comma == -1:
            problems.append(
                Problem(
                    display,
                    line,
                    None,
                    "bib-syntax",
                    f"The @{kind} entry has no citation key",
                    "write it as @article{authorYYYYword, ...}",
                )
            )
            continue
        key = text[body_start:comma].strip()
        entry = BibEntry(key=key, type=kind, line=line)
        error = _parse_body(text, comma + 1, close - 1, entry)
        if error:
            problems.append(
                Problem(
                    display,
                    line,
                    None,
                    "bib-syntax",
                    f"Cannot read entry {key!r}: {error}",
                    "compare it with a correct entry in the same file",
                )
            )
        entries.append(entry)
    return BibFile(path or Path(display), display, entries, problems)


def read_bib(path: Path, display: str | None = None) -> BibFile:
    text = path.read_text(encoding="utf-8")
    return parse_bib_text(text, display or path.name, path)


def latex_to_text(value: str) -> str:
    """LaTeX as an editor typed it (braces, accents, ``\\&``) to plain text."""
    try:
        return Text.from_latex(value).render_as("text")
    except Exception:  # pybtex raises several types on odd LaTeX; fall back to raw text
        return value


def _split_authors(value: str) -> list[str]:
    """Split an author field on ' and ' outside braces."""
    names: list[str] = []
    depth = 0
    start = 0
    i = 0
    lower = value.lower()
    while i < len(value):
        ch = value[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and lower.startswith(" and ", i):
            names.append(value[start:i])
            start = i + 5
            i += 5
            continue
        i += 1
    names.append(value[start:])
    return [n.strip() for n in names if n.strip()]


def first_author_family(author_field: str | None) -> str | None:
    """Family name of the first author: ``{McCarty, Dennis and ...}`` -> ``McCarty``.

    A fully braced name (``{{Center for Substance Abuse Treatment}}``) is an organisation and is
    returned whole.
    """
    if not author_field:
        return None
    names = _split_authors(author_field.strip())
    if not names:
        return None
    first = names[0]
    if first.startswith("{") and _read_braced(first, 0) == len(first):
        return latex_to_text(first[1:-1]).strip()
    depth = 0
    for i, ch in enumerate(first):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            return latex_to_text(first[:i]).strip()
    words = first.split()
    return latex_to_text(words[-1]).strip() if words else None
