"""Read bibliography.bib with pybtex, the parser mkdocs-bibtex renders with, and check it.

pybtex is the one BibTeX reader (decisions/0012-pybtex-one-parser.md): a subclass of its scanner
records the line of each entry and field, and every error pybtex reports becomes a Problem at its
line. House policy (entry types, fields, key characters) and the one DOI rule come after.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pybtex.errors
from pybtex.database import BibliographyData, BibliographyDataError, Entry, InvalidNameString
from pybtex.database.input.bibtex import DuplicateField, LowLevelParser, Parser, UndefinedMacro
from pybtex.exceptions import PybtexError
from pybtex.scanner import PrematureEOF, PybtexSyntaxError, TokenRequired

from iopguide.citations.latex import clean_url
from iopguide.report import Problem

GUIDE = "citations"

#: Crossref's pattern for modern DOIs, and for early Wiley DOIs (10.1002/(SICI)...).
DOI_RE = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Z0-9]+$|^10\.1002/\S+$", re.IGNORECASE)
_DOI_PREFIXES = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
#: Keys mkdocs-bibtex can cite: its citation regex reads ``@[\w-]+``.
CITABLE_KEY_RE = re.compile(r"^[\w-]+$")

#: House policy: fields each entry type needs ("a|b": either one).
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "article": ("author", "title", "journal", "year"),
    "book": ("author|editor", "title", "publisher", "year"),
    "booklet": ("title",),
    "inbook": ("author|editor", "title", "chapter|pages", "publisher", "year"),
    "incollection": ("author", "title", "booktitle", "publisher", "year"),
    **dict.fromkeys(("inproceedings", "conference"), ("author", "title", "booktitle", "year")),
    "proceedings": ("title", "year"),
    **dict.fromkeys(("techreport", "report"), ("author", "title", "institution", "year")),
    **dict.fromkeys(("phdthesis", "mastersthesis"), ("author", "title", "school", "year")),
    **dict.fromkeys(("manual", "misc"), ("title",)),
    "online": ("title", "url"),
    "unpublished": ("author", "title", "note"),
}
_CLOSING = "check that every '{' has a matching '}' and that fields are separated by commas"


@dataclass
class Bibliography:
    """The parsed bibliography: pybtex data plus the line of each entry and field."""

    path: Path
    name: str  # as shown to editors
    data: BibliographyData
    lines: dict[str, int] = field(default_factory=dict)
    field_lines: dict[str, dict[str, int]] = field(default_factory=dict)  # lower-case key, field

    @property
    def keys(self) -> list[str]:
        return list(self.data.entries.keys())

    def entry(self, key: str) -> Entry:
        return self.data.entries[key]

    def line_of(self, key: str, field_name: str = "") -> int | None:
        line = self.field_lines.get(key.lower(), {}).get(field_name.lower())
        return line or self.lines.get(key.lower())

    def doi(self, key: str) -> str | None:
        """The DOI as readers use it (``\\_`` unescaped), None without a doi field."""
        value = self.entry(key).fields.get("doi")
        return None if value is None else clean_url(value)

    def problem(self, line: int | None, rule: str, message: str, fix: str) -> Problem:
        return Problem(self.name, line, None, rule, message, fix, guide=GUIDE)


@dataclass
class _Where:
    """Where pybtex was when it reported an error (its own line counter)."""

    line: int | None
    key: str | None = None
    entry_line: int = 0
    field: str | None = None
    field_line: int = 0
    found: str = ""  # the text pybtex met where it expected something else
    in_value: bool = False


_NEXT = re.compile(r"\s*([^\r\n]{0,30})")


class _Scanner(LowLevelParser):  # type: ignore[misc]  # pybtex has no types
    """pybtex's BibTeX scanner, remembering the line where each command and field starts."""

    entry_line = field_line = 0
    in_value = False

    def parse_command(self) -> Any:
        self.entry_line = self.field_line = self.lineno
        self.in_value = False
        self.field_lines: dict[str, int] = {}
        self.repeated: dict[str, int] = {}
        return super().parse_command()

    def parse_field(self) -> None:
        self.eat_whitespace()
        self.field_line = self.lineno
        super().parse_field()
        if name := (self.current_field_name or "").lower():
            seen = self.repeated if name in self.field_lines else self.field_lines
            seen.setdefault(name, self.field_line)

    def parse_value_part(self) -> str:
        self.in_value = True
        part: str = super().parse_value_part()
        self.in_value = False
        return part

    def where(self, line: int | None) -> _Where:
        found = _NEXT.match(self.text, self.pos)  # matches anywhere, perhaps nothing
        text = found.group(1).strip() if found else ""
        key, name = self.current_entry_key, self.current_field_name
        return _Where(line, key, self.entry_line, name, self.field_line, text, self.in_value)


class _Parser(Parser):  # type: ignore[misc]  # pybtex has no types
    """pybtex's BibTeX parser, collecting every error with where it happened."""

    def __init__(self) -> None:
        super().__init__()
        self.errors: list[tuple[PybtexError, _Where]] = []
        self.lines: dict[str, int] = {}
        self.field_lines: dict[str, dict[str, int]] = {}
        self.repeated: dict[str, dict[str, int]] = {}

    def handle_error(self, error: PybtexError) -> None:
        self.errors.append((error, self.scanner.where(getattr(error, "lineno", None))))

    def parse_string(self, text: str) -> BibliographyData:
        # As Parser.parse_string, with our scanner; errors pybtex reports through pybtex.errors
        # (duplicate keys, names) are captured and placed at their entry.
        self.unnamed_entry_counter = 1
        hooks = {"handle_error": self.handle_error, "want_entry": self.data.want_entry}
        self.scanner = scanner = _Scanner(text, macros=self.macros, **hooks)
        with pybtex.errors.capture() as captured:
            for command, body in scanner:
                if command.lower() == "preamble":
                    self.process_preamble(*body)
                elif command.lower() != "string":
                    key = body[0] or ""
                    where = _Where(scanner.entry_line, key, scanner.entry_line)
                    first = self.lines.get(key.lower())
                    self.process_entry(command, *body)
                    self.errors += [(e, self._person_field(e, where, body[1])) for e in captured]
                    captured.clear()
                    if first is None:
                        self.lines[key.lower()] = scanner.entry_line
                        self.field_lines[key.lower()] = scanner.field_lines
                        self.repeated[key.lower()] = scanner.repeated
        return self.data

    def _person_field(
        self, error: PybtexError, at: _Where, fields: list[tuple[str, list[str]]]
    ) -> _Where:
        """For a bad name, the author or editor field it is in (and that field's line)."""
        if isinstance(error, InvalidNameString):
            bad = ast.literal_eval(str(error).split(" in ", 1)[1])
            for name, parts in fields:
                if name in self.person_fields and bad in " ".join("".join(parts).split()):
                    line = self.scanner.field_lines.get(name.lower(), at.entry_line)
                    return replace(at, field=name.lower(), field_line=line)
        return at


def _message(error: PybtexError, at: _Where, parser: _Parser) -> tuple[int | None, str, str, str]:
    """(line, rule, message, fix) for one pybtex error, in editors' words."""
    key = (at.key or "").lower()
    entry = f"entry '{at.key}' (line {at.entry_line})" if at.key else f"line {at.entry_line}"
    field = f"the field '{at.field}' (line {at.field_line})"
    in_field = f"{field} of " if at.field else ""
    if isinstance(error, BibliographyDataError) and "repeated" in str(error):
        first = parser.lines.get(key)
        same = next((k for k in parser.data.entries if k.lower() == key), "")
        text = f"key '{at.key}' is used twice: on line {first} and on line {at.line}"
        if same != at.key:
            text = f"key '{at.key}' on line {at.line} repeats the key '{same}' of line {first} "
            text += "(keys ignore upper and lower case)"
        fix = "keep one entry and delete the other, or give one of them a new key"
        return at.line, "bib-duplicate-key", text, fix
    if isinstance(error, DuplicateField):
        name = str(error).rsplit(" ", 2)[-2].lower()
        line = parser.repeated.get(key, {}).get(name, at.line)
        text = f"{entry} has the field '{name}' twice (lines "
        text += f"{parser.field_lines.get(key, {}).get(name)} and {line})"
        return line, "bib-duplicate-field", text, "keep one of them and delete the other"
    if isinstance(error, InvalidNameString):
        text = f"{entry}: a name in its {at.field or 'author'} field has too many commas: "
        fix = "separate people with ' and ', write each as 'Family, Given' (one comma) and put "
        fix += "an organisation in double braces: {{Name of the Organisation}}"
        line = at.field_line if at.field else at.line
        return line, "bib-name", text + str(error).split(" in ", 1)[-1], fix
    if isinstance(error, UndefinedMacro):
        value = error.args[0]
        text = f"in {in_field}{entry}, the value {value} is not in {{braces}}"
        fix = f"write the value in braces: {at.field or 'name'} = {{{value}}}"
        return at.line, "bib-syntax", text, fix
    if isinstance(error, PrematureEOF) and at.in_value:
        text = f"the file ends inside {in_field}{entry}: a '}}' is missing"
        return at.field_line, "bib-syntax", text, _CLOSING
    if isinstance(error, PrematureEOF):
        text = f"{entry} is not closed: the file ends before its closing '}}'"
        return at.entry_line or at.line, "bib-syntax", text, _CLOSING
    if not isinstance(error, PybtexSyntaxError):
        return at.line, "bib-syntax", f"pybtex cannot read the file: {error}", _CLOSING
    found = at.found if isinstance(error, TokenRequired) else ""
    reason = str(error.args[0]) + (f", found '{found}'" if found else "")
    if not at.key and at.entry_line and "expected" in reason:
        text = f"the '@' on line {at.entry_line} does not start an entry ({reason})"
        fix = "BibTeX reads every '@' outside an entry as the start of one: write @type{key, "
        fix += "... }, or put the text inside an entry's field"
        return at.entry_line, "bib-syntax", text, fix
    if at.found.startswith("@") and at.key:
        text = f"{entry} is not closed before the next entry on line {at.line}"
        text += f"; {field} may lack its closing '}}'" if at.field else ""
        return at.entry_line, "bib-syntax", text, _CLOSING
    return at.line, "bib-syntax", f"pybtex cannot read {in_field}{entry}: {reason}", _CLOSING


def parse_bibliography(text: str, name: str, path: Path) -> tuple[Bibliography, list[Problem]]:
    """Parse BibTeX text with pybtex; the problems are every error pybtex reported."""
    parser = _Parser()
    try:
        data = parser.parse_string(text)
    except PybtexError as error:  # pybtex could not go on: report it with what came before
        parser.errors.append((error, parser.scanner.where(getattr(error, "lineno", None))))
        data = parser.data
    bib = Bibliography(path, name, data, parser.lines, parser.field_lines)
    return bib, [bib.problem(*_message(error, at, parser)) for error, at in parser.errors]


def read_bibliography(path: Path, name: str) -> tuple[Bibliography | None, list[Problem]]:
    """Read a .bib file as pybtex does (UTF-8); None when the file is missing or not UTF-8."""
    bad = Bibliography(path, name, BibliographyData())
    if not path.is_file():
        fix = "restore bibliography.bib (git checkout -- bibliography.bib) or correct "
        fix += "'bib_file' under the bibtex plugin in mkdocs.yml"
        text = f"the bibliography file {name} does not exist"
        return None, [bad.problem(None, "bib-missing", text, fix)]
    raw = path.read_bytes()
    try:
        return parse_bibliography(raw.decode("utf-8"), name, path)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        fix = "save bibliography.bib as UTF-8 (retype the accented letters on this line)"
        return None, [bad.problem(line, "bib-encoding", "the file is not valid UTF-8 text", fix)]


def inherit_crossrefs(bib: Bibliography) -> list[Problem]:
    """Give each entry with ``crossref`` the fields it lacks from the entry it names, as
    BibTeX does (not the DOI: a DOI names one work)."""
    problems = []
    for key, entry in bib.data.entries.items():
        target = entry.fields.get("crossref")
        parent = None if target is None else bib.data.entries.get(target)
        if target is not None and parent is None:
            text = f"entry '{key}' has crossref = {{{target}}}, but no entry has that key"
            fix = "correct the key in crossref, or add the entry it names"
            problems.append(bib.problem(bib.line_of(key, "crossref"), "bib-crossref", text, fix))
        if parent is not None:
            for name, value in parent.fields.items():
                if name.lower() not in ("doi", "crossref") and name not in entry.fields:
                    entry.fields[name] = value
            for role, people in parent.persons.items():
                entry.persons.setdefault(role, list(people))
    return problems


def doi_problem(doi: str) -> str | None:
    """Why a DOI is not well-formed (in editors' words), or None if it is fine."""
    if not doi:
        return "the doi field is empty"
    if _DOI_PREFIXES.match(doi):
        return f"the DOI '{doi}' starts with a web address or 'doi:'"
    if any(ch.isspace() for ch in doi):
        return f"the DOI '{doi}' contains a space"
    if DOI_RE.match(doi):
        return None
    return f"'{doi}' is not a well-formed DOI (a DOI looks like 10.1176/appi.ps.201300249)"


def _doi_fix(doi: str) -> str:
    bare = _DOI_PREFIXES.sub("", doi).strip()
    if bare != doi and DOI_RE.match(bare):
        return f"write only the DOI itself: doi = {{{bare}}}"
    return (
        "copy the DOI again from the article's page or from PubMed; it starts with '10.' "
        "and has no spaces"
    )


def check_dois(bib: Bibliography) -> tuple[dict[str, str], list[Problem]]:
    """The one DOI rule, for the build and the DOI check alike: every DOI well-formed and used
    by one entry. Returns {key: DOI in lower case} of the good ones, and the problems."""
    good: dict[str, str] = {}
    first: dict[str, str] = {}
    problems: list[Problem] = []
    for key in bib.keys:
        doi = bib.doi(key)
        if doi is None:
            continue
        line = bib.line_of(key, "doi")
        if reason := doi_problem(doi):
            text = f"entry '{key}': {reason}"
            problems.append(bib.problem(line, "bib-doi-syntax", text, _doi_fix(doi)))
        elif (other := first.setdefault(doi.lower(), key)) != key:
            text = f"entries '{other}' (line {bib.line_of(other)}) and '{key}' (line "
            text += f"{bib.line_of(key)}) have the same DOI '{doi}'"
            fix = "one source needs one entry: keep one and cite its key everywhere, or correct "
            problems.append(bib.problem(line, "bib-duplicate-doi", text, fix + "the DOI"))
        else:
            good[key] = doi.lower()
    return good, problems


def _has_field(entry: Entry, names: str) -> bool:
    return any(
        entry.persons.get(name)
        if name in ("author", "editor")
        else entry.fields.get(name, "").strip()
        for name in names.split("|")
    )


def check_policy(bib: Bibliography) -> list[Problem]:
    """House policy: entry types the site formats, their fields, and citable keys."""
    problems: list[Problem] = []
    for key, entry in bib.data.entries.items():
        line = bib.line_of(key)
        if not CITABLE_KEY_RE.match(key):
            text = f"key '{key}' cannot be cited: a key may only use letters, digits, '_' and '-'"
            fix = "rename the key (house style: authorYYYYword, e.g. mccarty2014substance) "
            fix += "and update the pages that cite it"
            problems.append(bib.problem(line, "bib-policy-key-characters", text, fix))
        required = REQUIRED_FIELDS.get(entry.type)
        if required is None:
            text = f"entry '{key}' has the type @{entry.original_type}, which this site does not "
            text += "format"
            fix = "use one of: " + ", ".join(f"@{t}" for t in REQUIRED_FIELDS)
            problems.append(bib.problem(line, "bib-policy-entry-type", text, fix))
        for names in required or ():
            if not _has_field(entry, names):
                label = " or ".join(f"'{n}'" for n in names.split("|"))
                text = f"entry '{key}' (@{entry.type}) has no {label} field"
                fix = f"add {label.replace(chr(39), '')} to the entry, copied from the source "
                fix += "itself (never guessed)"
                problems.append(bib.problem(line, "bib-policy-missing-field", text, fix))
    return problems


def load_bibliography(path: Path, root: Path) -> tuple[Bibliography | None, list[Problem]]:
    """Read and check a .bib file: (bibliography, or None if pybtex cannot read it, problems)."""
    try:
        name = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        name = path.as_posix()
    bib, problems = read_bibliography(path, name)
    if bib is None or problems:
        return None, problems
    problems = inherit_crossrefs(bib)
    return bib, problems + check_policy(bib) + check_dois(bib)[1]
