"""Read bibliography.bib with pybtex, as mkdocs-bibtex does (decisions/0012), every error a Problem
at its line (its scanner subclassed to keep lines); then house policy and the one DOI rule."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pybtex.errors
import yaml
from pybtex.database import BibliographyData, BibliographyDataError, Entry, InvalidNameString
from pybtex.database.input.bibtex import DuplicateField, LowLevelParser, Parser, UndefinedMacro
from pybtex.exceptions import PybtexError
from pybtex.scanner import PrematureEOF, PybtexSyntaxError, TokenRequired

from iopguide.citations import MESSAGES, words
from iopguide.citations.latex import clean_url
from iopguide.content.rules import relative
from iopguide.report import Problem

#: Crossref's pattern for modern DOIs, and for early Wiley DOIs (10.1002/(SICI)...).
DOI_RE = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Z0-9]+$|^10\.1002/\S+$", re.IGNORECASE)
_DOI_PREFIXES = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
#: Keys mkdocs-bibtex can cite: its citation regex reads ``@[\w-]+``.
CITABLE_KEY_RE = re.compile(r"^[\w-]+$")

#: House policy (a data file): the entry types the site formats, the fields each needs.
REQUIRED_FIELDS: dict[str, list[str]] = yaml.safe_load(
    Path(__file__).with_name("entry-types.yml").read_bytes()
)


@dataclass
class Bibliography:
    """pybtex's data, and the line of each entry ("") and field by lower-case key and name."""

    name: str  # as shown to editors
    data: BibliographyData
    lines: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def keys(self) -> list[str]:
        return list(self.data.entries.keys())

    def entry(self, key: str) -> Entry:
        return self.data.entries[key]

    def line_of(self, key: str, field_name: str = "") -> int | None:
        lines = self.lines.get(key.lower(), {})
        return lines.get(field_name.lower()) or lines.get("")

    def doi(self, key: str) -> str | None:
        """The DOI as readers use it (``\\_`` unescaped), None without a doi field."""
        value = self.entry(key).fields.get("doi")
        return None if value is None else clean_url(value)

    def say(self, line: int | None, what: str, /, **values: Any) -> Problem:
        return MESSAGES.say(self.name, line, what, **values)


@dataclass
class _Where:  # where pybtex was when it reported an error, and the text it met
    line: int | None
    key: str | None = None
    entry_line: int = 0
    field: str | None = None
    field_line: int = 0
    found: str = ""
    in_value: bool = False


_NEXT = re.compile(r"\s*([^\r\n]{0,30})")  # matches anywhere (perhaps nothing)


class _Scanner(LowLevelParser):  # type: ignore[misc]  # remembers where commands, fields start
    entry_line = field_line = 0
    in_value = False

    def parse_command(self) -> Any:
        self.entry_line = self.field_line = self.lineno
        self.in_value = False
        self.lines: dict[str, int] = {"": self.lineno}
        self.repeated: dict[str, int] = {}
        return super().parse_command()

    def parse_field(self) -> None:
        self.eat_whitespace()
        self.field_line = self.lineno
        super().parse_field()
        if name := (self.current_field_name or "").lower():
            (self.repeated if name in self.lines else self.lines).setdefault(name, self.field_line)

    def parse_value_part(self) -> str:
        self.in_value = True
        part: str = super().parse_value_part()
        self.in_value = False
        return part


class _Parser(Parser):  # type: ignore[misc]  # collects every error with where it happened
    def __init__(self) -> None:
        super().__init__()
        self.errors: list[tuple[PybtexError, _Where]] = []
        self.lines: dict[str, dict[str, int]] = {}
        self.repeated: dict[str, dict[str, int]] = {}

    def handle_error(self, error: PybtexError) -> None:
        s, line = self.scanner, getattr(error, "lineno", None)
        found = _NEXT.match(s.text, s.pos).group(1).strip()  # type: ignore[union-attr]
        at = (s.current_entry_key, s.entry_line, s.current_field_name, s.field_line, found)
        self.errors.append((error, _Where(line, *at, s.in_value)))

    def parse_string(self, text: str) -> BibliographyData:
        # Parser.parse_string with our scanner; pybtex.errors' reports are placed at their entry.
        self.unnamed_entry_counter = 1
        hooks = {"handle_error": self.handle_error, "want_entry": self.data.want_entry}
        self.scanner = scanner = _Scanner(text, macros=self.macros, **hooks)
        with pybtex.errors.capture() as captured:
            for command, body in scanner:
                if command.lower() == "preamble":
                    self.process_preamble(*body)
                elif command.lower() != "string":
                    key, line = (body[0] or "").lower(), scanner.entry_line
                    at = _Where(line, body[0] or "", line)
                    self.process_entry(command, *body)
                    self.errors += [(e, self._person_field(e, at, body[1])) for e in captured]
                    captured.clear()
                    self.lines.setdefault(key, scanner.lines)
                    self.repeated.setdefault(key, scanner.repeated)
        return self.data

    def _person_field(self, error: PybtexError, at: _Where, fields: list[Any]) -> _Where:
        """For a bad name, the author or editor field it is in (and that field's line)."""
        if isinstance(error, InvalidNameString):
            bad = ast.literal_eval(str(error).split(" in ", 1)[1])
            for name, parts in fields:
                if name in self.person_fields and bad in " ".join("".join(parts).split()):
                    line = self.scanner.lines.get(name.lower(), at.entry_line)
                    return replace(at, field=name.lower(), field_line=line)
        return at


def _problem(bib: Bibliography, error: PybtexError, at: _Where, parser: _Parser) -> Problem:
    """One pybtex error, in editors' words."""
    key, say, line, n = (at.key or "").lower(), bib.say, at.line, at.entry_line
    entry = words("entry", key=at.key, line=n) if at.key else words("line", line=n)
    field = words("field", field=at.field, line=at.field_line)
    where = {"entry": entry, "in_field": words("in-field", field=field) if at.field else ""}
    if isinstance(error, BibliographyDataError) and "repeated" in str(error):
        same = next((k for k in parser.data.entries if k.lower() == key), "")
        first = parser.lines.get(key, {}).get("")
        what = "bib-duplicate-key" if same == at.key else "bib-duplicate-key/case"
        return say(line, what, key=at.key, first=first, same=same, line=line)
    if isinstance(error, DuplicateField):
        name = str(error).rsplit(" ", 2)[-2].lower()
        lines, repeated = parser.lines.get(key, {}), parser.repeated.get(key, {})
        first, line = lines.get(name), repeated.get(name, line)
        return say(line, "bib-duplicate-field", entry=entry, name=name, first=first, line=line)
    if isinstance(error, InvalidNameString):
        line, name = at.field_line if at.field else line, str(error).split(" in ", 1)[-1]
        return say(line, "bib-name", entry=entry, field=at.field or "author", name=name)
    if isinstance(error, UndefinedMacro):
        where["field"] = at.field or "name"
        return say(line, "bib-syntax/undefined-macro", value=error.args[0], **where)
    if isinstance(error, PrematureEOF):
        if at.in_value:
            return say(at.field_line, "bib-syntax/eof-in-value", **where)
        return say(at.entry_line or line, "bib-syntax/eof", **where)
    if not isinstance(error, PybtexSyntaxError):
        return say(line, "bib-syntax/unreadable", error=error)
    found = words("found", found=at.found) if isinstance(error, TokenRequired) and at.found else ""
    reason = str(error.args[0]) + found
    if not at.key and at.entry_line and "expected" in reason:
        return say(at.entry_line, "bib-syntax/stray-at", line=at.entry_line, reason=reason)
    if at.found.startswith("@") and at.key:
        what = "bib-syntax/unclosed-field" if at.field else "bib-syntax/unclosed"
        return say(at.entry_line, what, entry=entry, line=line, field=field)
    return say(line, "bib-syntax", reason=reason, **where)


def parse_bibliography(text: str, name: str) -> tuple[Bibliography, list[Problem]]:
    """Parse BibTeX text with pybtex; the problems are every error pybtex reported."""
    parser = _Parser()
    try:
        data = parser.parse_string(text)
    except PybtexError as error:  # pybtex could not go on: report it with what came before
        parser.handle_error(error)
        data = parser.data
    bib = Bibliography(name, data, parser.lines)
    return bib, [_problem(bib, error, at, parser) for error, at in parser.errors]


def read_bibliography(path: Path, name: str) -> tuple[Bibliography | None, list[Problem]]:
    """Read a .bib file as pybtex does (UTF-8), crossrefs inherited: (bibliography, crossref
    problems), or (None, why not) when it is missing, not UTF-8 or pybtex reports errors."""
    if not path.is_file():
        return None, [MESSAGES.say(name, None, "bib-missing", name=name)]
    raw = path.read_bytes()
    try:
        bib, problems = parse_bibliography(raw.decode("utf-8"), name)
    except UnicodeDecodeError as error:
        return None, [MESSAGES.say(name, raw[: error.start].count(b"\n") + 1, "bib-encoding")]
    return (None, problems) if problems else (bib, inherit_crossrefs(bib))


def inherit_crossrefs(bib: Bibliography) -> list[Problem]:
    """Crossref fields inherited as BibTeX does, but not the DOI (a DOI names one work)."""
    problems = []
    for key, entry in bib.data.entries.items():
        if (target := entry.fields.get("crossref")) is None:
            continue
        if (parent := bib.data.entries.get(target)) is None:
            line = bib.line_of(key, "crossref")
            problems.append(bib.say(line, "bib-crossref", key=key, target=target))
            continue
        for name, value in parent.fields.items():
            if name.lower() not in ("doi", "crossref") and name not in entry.fields:
                entry.fields[name] = value
        for role, people in parent.persons.items():
            entry.persons.setdefault(role, list(people))
    return problems


def doi_problem(doi: str) -> str | None:
    """Why a DOI is not well-formed (in editors' words), or None if it is fine."""
    checks = {"doi-empty": not doi, "doi-prefix": bool(_DOI_PREFIXES.match(doi))}
    checks |= {"doi-space": any(c.isspace() for c in doi), "doi-malformed": not DOI_RE.match(doi)}
    return next((words(reason, doi=doi) for reason, bad in checks.items() if bad), None)


def check_dois(bib: Bibliography) -> tuple[dict[str, str], list[Problem]]:
    """The one DOI rule (build and DOI check): each DOI well-formed and in one entry; returns
    {key: DOI in lower case} of the good ones, and the problems."""
    first: dict[str, str] = {}  # DOI in lower case: the first entry with it
    problems: list[Problem] = []
    for key in bib.keys:
        if (doi := bib.doi(key)) is None:
            continue
        line, bare = bib.line_of(key, "doi"), _DOI_PREFIXES.sub("", doi).strip()
        if reason := doi_problem(doi):
            prefixed = bare != doi and DOI_RE.match(bare)
            what = "bib-doi-syntax/prefix" if prefixed else "bib-doi-syntax"
            problems.append(bib.say(line, what, key=key, reason=reason, bare=bare))
        elif (other := first.setdefault(doi.lower(), key)) != key:
            at = {"other_line": bib.line_of(other), "line": bib.line_of(key)}
            problems.append(bib.say(line, "bib-duplicate-doi", other=other, key=key, doi=doi, **at))
    return {key: doi for doi, key in first.items()}, problems


def check_policy(bib: Bibliography) -> list[Problem]:
    """House policy: entry types the site formats, their fields, and citable keys."""
    problems: list[Problem] = []
    types = ", ".join(f"@{t}" for t in REQUIRED_FIELDS)
    for key, entry in bib.data.entries.items():
        line, kind = bib.line_of(key), entry.type
        if not CITABLE_KEY_RE.match(key):
            problems.append(bib.say(line, "bib-policy-key-characters", key=key))
        if (required := REQUIRED_FIELDS.get(kind)) is None:
            at = {"type": entry.original_type, "types": types}
            problems.append(bib.say(line, "bib-policy-entry-type", key=key, **at))
        for names in required or ():
            if not any(
                entry.persons.get(n) or entry.fields.get(n, "").strip() for n in names.split("|")
            ):
                name, _, other = names.partition("|")
                what = "bib-policy-missing-field/either" if other else "bib-policy-missing-field"
                problems.append(bib.say(line, what, key=key, type=kind, name=name, other=other))
    return problems


def load_bibliography(path: Path, root: Path) -> tuple[Bibliography | None, list[Problem]]:
    """Read and check a .bib file: (bibliography, or None if pybtex cannot read it, problems)."""
    bib, problems = read_bibliography(path, relative(path.resolve(), root.resolve()))
    return bib, problems + (check_policy(bib) + check_dois(bib)[1] if bib else [])
