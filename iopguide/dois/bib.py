"""Read the entries of a BibTeX file with the line number of every field.

pybtex (used by mkdocs-bibtex) does not keep line numbers, and an editor needs them. The reading
itself is the citation checker's (iopguide/citations/bib.py: entries, then each field with its
line); this module gives the DOI check its view of the entries. ``@comment``, ``@string`` and
``@preamble`` are skipped; a broken entry is reported with its line, in the citation checker's
words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pybtex.richtext import Text

from iopguide.citations.bib import read_fields, read_value, scan_entries
from iopguide.report import Problem


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


def parse_bib_text(text: str, display: str, path: Path | None = None) -> BibFile:
    """Parse BibTeX text. Problems are reported against ``display`` (e.g. ``bibliography.bib``).

    The entries are found and their fields read by the citation checker's reader
    (iopguide/citations/bib.py), so both checks read the file the same way and report a broken
    entry with the same words.
    """
    positions, problems = scan_entries(text, display)
    entries: list[BibEntry] = []
    for position in positions:
        if not position.key or position.body < 0 or position.end < 0:
            continue  # scan_entries reported it (no key, no comma after the key, not closed)
        fields = read_fields(text, position)
        entry = BibEntry(position.key, position.type, position.line, fields.values, fields.lines)
        if fields.error:
            problems.append(
                Problem(
                    display,
                    position.line,
                    None,
                    "bib-syntax",
                    f"Cannot read entry {position.key!r}: {fields.error}",
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
    if first.startswith("{") and read_value(first, 0) == len(first):
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
