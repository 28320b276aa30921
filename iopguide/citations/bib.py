"""Load bibliography.bib with line numbers and check every entry before anything renders it.

pybtex parses the file but cannot say on which line an entry starts, so a small scanner that
mirrors pybtex's reading rules (an ``@`` at the top level starts a command) finds each
``@type{key,`` and its line, and :func:`read_fields` reads each field with its line. This is the
project's one line-numbered BibTeX reader: the DOI check (iopguide/dois/bib.py) uses it too.
Every problem becomes an :class:`iopguide.report.Problem` naming ``bibliography.bib:LINE``;
nothing here raises on bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pybtex.errors
from pybtex.database import BibliographyData, Entry
from pybtex.database.input.bibtex import Parser
from pybtex.scanner import PybtexSyntaxError

from iopguide.report import Problem

GUIDE = "citations"

#: Crossref's recommended pattern for modern DOIs (matched case-insensitively).
DOI_RE = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Z0-9]+$", re.IGNORECASE)
#: Crossref's second pattern: early Wiley DOIs, e.g. 10.1002/(SICI)1097-...<693::AID-ASI4>3.0.CO;2-0
WILEY_DOI_RE = re.compile(r"^10\.1002/[^\s]+$")


def valid_doi(doi: str) -> bool:
    return bool(DOI_RE.match(doi) or WILEY_DOI_RE.match(doi))


#: Keys mkdocs-bibtex can cite: its citation regex reads ``@[\w-]+``.
CITABLE_KEY_RE = re.compile(r"^[\w-]+$")

#: Fields each entry type needs ("a|b": either one). BibTeX's standard types, plus biblatex's
#: ``online`` and ``report``, which reference managers export for web pages and reports.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "article": ("author", "title", "journal", "year"),
    "book": ("author|editor", "title", "publisher", "year"),
    "inbook": ("author|editor", "title", "chapter|pages", "publisher", "year"),
    "incollection": ("author", "title", "booktitle", "publisher", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "conference": ("author", "title", "booktitle", "year"),
    "techreport": ("author", "title", "institution", "year"),
    "report": ("author", "title", "institution", "year"),
    "phdthesis": ("author", "title", "school", "year"),
    "mastersthesis": ("author", "title", "school", "year"),
    "manual": ("title",),
    "misc": ("title",),
    "online": ("title", "url"),
    "unpublished": ("author", "title", "note"),
}
PERSON_FIELDS = ("author", "editor")
_NON_ENTRIES = {"comment", "string", "preamble"}


@dataclass(frozen=True)
class EntryPosition:
    """Where an entry starts in the file, as the scanner saw it."""

    type: str
    key: str
    line: int
    column: int
    #: Offset where the fields start (just after ``key,``); -1 when the key is not followed
    #: by a comma (the fields cannot be read).
    body: int = -1
    #: Offset of the character that closes the entry; -1 when the entry is not closed.
    end: int = -1


@dataclass
class Bibliography:
    """The parsed bibliography: pybtex data plus the line each entry starts on."""

    path: Path
    #: Path shown to editors (relative to the project root).
    name: str
    data: BibliographyData
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def keys(self) -> list[str]:
        return list(self.data.entries.keys())

    def entry(self, key: str) -> Entry:
        return self.data.entries[key]

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key.lower())


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


def _problem(name: str, line: int | None, rule: str, message: str, fix: str) -> Problem:
    return Problem(name, line, None, rule, message, fix, guide=GUIDE)


_START_RE = re.compile(r"@[ \t]*([A-Za-z][\w-]*)\s*([{(])")
_KEY_RE = re.compile(r"\s*([^\s,{}()]*)\s*")


def scan_entries(text: str, name: str) -> tuple[list[EntryPosition], list[Problem]]:
    """Find each ``@type{key,`` with its line; report unclosed entries and a missing comma."""
    positions: list[EntryPosition] = []
    problems: list[Problem] = []
    pos = 0
    while (at := text.find("@", pos)) != -1:
        match = _START_RE.match(text, at)
        if not match:
            pos = at + 1  # pybtex reports the syntax error with its own line number
            continue
        kind = match.group(1).lower()
        opener = match.group(2)
        closer = "}" if opener == "{" else ")"
        line, column = _line_col(text, at)
        body = match.end()
        key = ""
        if kind not in _NON_ENTRIES:
            key_match = _KEY_RE.match(text, body)
            assert key_match is not None  # the pattern matches the empty string
            key = key_match.group(1)
            after = text[key_match.end() : key_match.end() + 1]
            if not key:
                problems.append(
                    _problem(
                        name,
                        line,
                        "bib-syntax",
                        f"the @{kind} entry has no key",
                        f"write a key right after '@{kind}{{', then a comma, "
                        f"e.g. @{kind}{{smith2020title,",
                    )
                )
            elif after not in {",", closer}:
                problems.append(
                    _problem(
                        name,
                        line,
                        "bib-syntax",
                        f"entry '{key}' has no comma after its key",
                        f"write a comma right after the key '{key}' on this line",
                    )
                )
            body_at = key_match.end() + 1 if key and after == "," else -1
            positions.append(EntryPosition(kind, key, line, column, body_at))
        # Find the end of the entry by counting braces (and parentheses for @type(...)).
        depth, i, end = 1, body, -1
        while i < len(text):
            char = text[i]
            if char == opener or (opener == "(" and char == "{") or char == "{":
                depth += 1
            elif char == closer or char == "}":
                depth -= 1
                if depth == 0:
                    end = i
                    break
            elif (
                char == "@"
                and text[text.rfind("\n", 0, i) + 1 : i].strip() == ""
                and _START_RE.match(text, i)
            ):
                break  # an entry starts at the beginning of a line while this one is open
            i += 1
        if kind not in _NON_ENTRIES:
            positions[-1] = replace(positions[-1], end=end)
        if end == -1:
            what = f"entry '{key}'" if key else f"the @{kind} command"
            problems.append(
                _problem(
                    name,
                    line,
                    "bib-syntax",
                    f"{what} is not closed: a '{closer}' is missing before "
                    + ("the next entry" if i < len(text) else "the end of the file"),
                    "check that every '{' in this entry has a matching '}', and end the entry "
                    f"with '{closer}'",
                )
            )
            pos = i
            if i < len(text):
                problems[-1] = _problem(
                    name,
                    line,
                    "bib-syntax",
                    f"{what} is not closed: a '{closer}' is missing before the next entry, on "
                    f"line {_line_col(text, i)[0]}",
                    problems[-1].fix,
                )
        else:
            pos = end + 1
    return positions, problems


_FIELD_NAME = re.compile(r"\s*([A-Za-z][A-Za-z0-9_:.+-]*)\s*=\s*", re.ASCII)


def read_value(text: str, start: int) -> int:
    """Index just past the {braced} or "quoted" value that opens at ``start``; -1 if never
    closed. Braces nest; a quote closes a quoted value only outside braces."""
    quoted = text[start] == '"'
    depth = 0
    i = start + 1 if quoted else start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and not quoted:
                return i + 1
        elif ch == '"' and quoted and depth == 0:
            return i + 1
        i += 1
    return -1


@dataclass
class EntryFields:
    """The raw values of an entry's fields (names in lower case) and the line of each."""

    values: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    #: Why the fields could not all be read ("" when they could).
    error: str = ""


def read_fields(text: str, position: EntryPosition) -> EntryFields:
    """Read ``name = {value} | "value" | word`` (joined with ``#``) between an entry's key and
    its closing brace, as found by :func:`scan_entries`, with the line of each field."""
    found = EntryFields()
    if position.body < 0 or position.end < 0:
        found.error = "the entry is not complete"
        return found
    i, end = position.body, position.end
    while i < end:
        while i < end and text[i] in " \t\r\n,":
            i += 1
        if i >= end:
            return found
        match = _FIELD_NAME.match(text, i, end)
        if not match:
            found.error = f"cannot read the field that starts with {text[i : i + 20].strip()!r}"
            return found
        name = match.group(1).lower()
        line = text.count("\n", 0, match.start(1)) + 1
        i = match.end()
        parts: list[str] = []
        while True:
            if i >= end:
                found.error = f"the field {name!r} has no value"
                return found
            ch = text[i]
            if ch in '{"':
                close = read_value(text, i)
                if close == -1 or close > end:
                    found.error = f"the field {name!r} has a '{ch}' that is never closed"
                    return found
                parts.append(text[i + 1 : close - 1])
            else:
                word = re.match(r"[A-Za-z0-9_.:+-]+", text[i:end])
                if not word:
                    found.error = f"the field {name!r} has a value that is not in {{braces}}"
                    return found
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
        if name in found.values:
            found.error = f"the field {name!r} appears twice"
            return found
        found.values[name] = "".join(parts)
        found.lines[name] = line
    return found


def _duplicates(positions: list[EntryPosition], name: str) -> list[Problem]:
    problems = []
    seen: dict[str, EntryPosition] = {}
    for pos in positions:
        if not pos.key:
            continue
        first = seen.setdefault(pos.key.lower(), pos)
        if first is pos:
            continue
        if first.key == pos.key:
            message = f"key '{pos.key}' is used twice: on line {first.line} and on line {pos.line}"
        else:
            message = (
                f"key '{pos.key}' on line {pos.line} repeats the key '{first.key}' of line "
                f"{first.line} (keys ignore upper and lower case)"
            )
        problems.append(
            _problem(
                name,
                pos.line,
                "bib-duplicate-key",
                message,
                "keep one entry and delete the other, or give one of them a new key",
            )
        )
    return problems


def _has_field(entry: Entry, names: str) -> bool:
    for name in names.split("|"):
        if name in PERSON_FIELDS:
            if entry.persons.get(name):
                return True
        elif str(entry.fields.get(name, "")).strip():
            return True
    return False


def check_entries(bib: Bibliography) -> list[Problem]:
    """Entry type, required fields, key characters, DOI syntax and duplicate DOIs."""
    problems: list[Problem] = []
    dois: dict[str, str] = {}
    for key, entry in bib.data.entries.items():
        line = bib.line_of(key)
        kind = entry.type.lower()
        if not CITABLE_KEY_RE.match(key):
            problems.append(
                _problem(
                    bib.name,
                    line,
                    "bib-key-characters",
                    f"key '{key}' cannot be cited: a key may only use letters, digits, '_' and '-'",
                    "rename the key (house style: authorYYYYword, e.g. mccarty2014substance) "
                    "and update the pages that cite it",
                )
            )
        required = REQUIRED_FIELDS.get(kind)
        if required is None:
            problems.append(
                _problem(
                    bib.name,
                    line,
                    "bib-entry-type",
                    f"entry '{key}' has the type @{entry.type}, which this site does not format",
                    "use one of: " + ", ".join(f"@{t}" for t in REQUIRED_FIELDS),
                )
            )
        else:
            missing = [names for names in required if not _has_field(entry, names)]
            for names in missing:
                label = " or ".join(f"'{n}'" for n in names.split("|"))
                problems.append(
                    _problem(
                        bib.name,
                        line,
                        "bib-missing-field",
                        f"entry '{key}' (@{kind}) has no {label} field",
                        f"add {label.replace(chr(39), '')} to the entry, copied from the source "
                        "itself (never guessed)",
                    )
                )
        doi = str(entry.fields.get("doi", "")).strip()
        if "doi" in entry.fields and not valid_doi(doi):
            problems.append(
                _problem(
                    bib.name,
                    line,
                    "bib-doi-syntax",
                    f"entry '{key}' has the DOI '{doi}', which is not a valid DOI",
                    "write only the DOI itself, starting with '10.' (no 'https://doi.org/', "
                    "no 'doi:'), e.g. doi = {10.1176/appi.ps.201300249}",
                )
            )
        elif doi:
            first = dois.setdefault(doi.lower(), key)
            if first != key:
                first_line = bib.line_of(first)
                problems.append(
                    _problem(
                        bib.name,
                        line,
                        "bib-duplicate-doi",
                        f"entries '{first}' (line {first_line}) and '{key}' (line {line}) have "
                        f"the same DOI '{doi}'",
                        "one source needs one entry: keep one, delete the other and cite the "
                        "kept key everywhere",
                    )
                )
    return problems


def _syntax_problem(error: Exception, name: str, positions: list[EntryPosition]) -> Problem:
    line = getattr(error, "lineno", None)
    owner = None
    for pos in positions:
        if line is not None and pos.line <= line:
            owner = pos
    where = f" in entry '{owner.key}' (starts on line {owner.line})" if owner else ""
    reason = error.args[0] if error.args else str(error)
    if type(error).__name__ == "UndefinedMacro":
        reason = f"the value {reason} is not in {{braces}}"
    return _problem(
        name,
        line,
        "bib-syntax",
        f"the file cannot be read{where}: {reason}",
        "put every field as name = {value}, separate fields with commas, and check that "
        "every '{' has a matching '}'",
    )


def load_bibliography(path: Path, root: Path) -> tuple[Bibliography | None, list[Problem]]:
    """Read, parse and check a .bib file. Returns (bibliography or None, problems)."""
    try:
        name = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        name = path.as_posix()
    if not path.is_file():
        return None, [
            _problem(
                name,
                None,
                "bib-missing",
                f"the bibliography file {name} does not exist",
                "restore bibliography.bib (git checkout -- bibliography.bib) or correct "
                "'bib_file' under the bibtex plugin in mkdocs.yml",
            )
        ]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        return None, [
            _problem(
                name,
                line,
                "bib-encoding",
                "the file is not valid UTF-8 text",
                "save bibliography.bib as UTF-8 (retype the accented letters on this line)",
            )
        ]
    positions, problems = scan_entries(text, name)
    problems += _duplicates(positions, name)
    if problems:
        return None, problems
    with pybtex.errors.capture() as captured:
        try:
            # The BibTeX parser itself, not parse_string(): that looks the parser up through
            # package entry points, which costs more than parsing a small file.
            data = Parser().parse_string(text)
        except PybtexSyntaxError as error:  # raised when pybtex cannot recover
            captured.append(error)
            data = None
    syntax = [e for e in captured if isinstance(e, PybtexSyntaxError)]
    if syntax or data is None:
        return None, [_syntax_problem(e, name, positions) for e in syntax[:1]] or [
            _problem(name, None, "bib-syntax", "the file cannot be read", "check the syntax")
        ]
    lines = {pos.key.lower(): pos.line for pos in positions}
    bib = Bibliography(path=path, name=name, data=data, lines=lines)
    return bib, check_entries(bib)
