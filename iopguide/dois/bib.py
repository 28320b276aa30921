"""The DOI check's view of a bibliography: each entry with its DOI and the line of each field.

The file is read by the citation checker's reader (iopguide/citations/bib.py: pybtex, with
pybtex's line numbers), so both checks read it the way mkdocs-bibtex does and report a broken
file in the same words. Field values are pybtex's; the DOI is unescaped (``\\_`` -> ``_``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pybtex.database import Entry

from iopguide.citations.bib import Bibliography, inherit_crossrefs, parse_bibliography
from iopguide.citations.bib import read_bibliography as read_checked
from iopguide.report import Problem


@dataclass
class BibEntry:
    """One entry: its key, type, pybtex entry, DOI and where each field starts."""

    key: str
    type: str
    line: int
    entry: Entry
    doi: str | None
    field_lines: dict[str, int] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        value: str | None = self.entry.fields.get(name)  # pybtex (untyped): field text
        return value

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name.lower(), self.line)


@dataclass
class BibFile:
    path: Path
    #: Path as shown to editors (relative to the project root).
    display: str
    entries: list[BibEntry]
    #: Why the file cannot be read (then ``entries`` is empty).
    problems: list[Problem]
    bibliography: Bibliography | None = None


def _view(bib: Bibliography | None, problems: list[Problem], path: Path, display: str) -> BibFile:
    if bib is None or problems:
        return BibFile(path, display, [], problems)
    inherit_crossrefs(bib)  # the citation check reports a crossref to a missing entry
    entries = [
        BibEntry(
            key,
            entry.type,
            bib.line_of(key) or 0,
            entry,
            bib.doi(key),
            bib.field_lines.get(key.lower(), {}),
        )
        for key, entry in bib.data.entries.items()
    ]
    return BibFile(path, display, entries, [], bib)


def parse_bib_text(text: str, display: str, path: Path | None = None) -> BibFile:
    """Parse BibTeX text. Problems are reported against ``display`` (e.g. ``bibliography.bib``)."""
    path = path or Path(display)
    return _view(*parse_bibliography(text, display, path), path, display)


def read_bib(path: Path, display: str | None = None) -> BibFile:
    display = display or path.name
    return _view(*read_checked(path, display), path, display)
