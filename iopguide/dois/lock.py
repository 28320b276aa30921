"""``dois.lock.json``: the committed record of verified DOI metadata, and the offline check.

Each record says how the DOI was verified:

- ``crossref``: an online run compared it with Crossref (``verified_on`` is the date);
- ``manual``: a person compared it with a named ``source`` (a PubMed or publisher page), for work
  done without internet; never guessed;
- ``pending``: not confirmed yet (``recorded_on`` is when it was added, ``note`` says why and where
  the details come from). Its entry is not shown to readers and cannot be cited
  (:func:`pending_keys`, used by the citation layer) until an online run confirms it.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, NotRequired, TypedDict

import jsonschema

from iopguide.citations.bib import check_dois
from iopguide.dois.bib import BibEntry, BibFile
from iopguide.dois.metadata import (
    BIB_FIELD,
    FIELDS,
    Metadata,
    canonical_doi,
    from_bib,
    mismatched_fields,
)
from iopguide.report import Problem, Severity

LOCK_FILE = "dois.lock.json"
GUIDE = "sources-and-dois"

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["dois"],
    "properties": {
        "about": {"type": "string"},
        "dois": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["key", "title", "first_author", "year", "journal", "verified_by"],
                "additionalProperties": False,
                "properties": {
                    "key": {"type": "string", "minLength": 1},
                    "title": {"type": "string", "minLength": 1},
                    "first_author": {"type": ["string", "null"]},
                    "year": {"type": ["integer", "null"]},
                    "journal": {"type": ["string", "null"]},
                    "verified_by": {"enum": ["crossref", "manual", "pending"]},
                    "verified_on": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                    "recorded_on": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                    "source": {"type": "string", "minLength": 1},
                    "note": {"type": "string"},
                },
                "allOf": [
                    {
                        "if": {"properties": {"verified_by": {"const": "crossref"}}},
                        "then": {"required": ["verified_on"]},
                    },
                    {
                        "if": {"properties": {"verified_by": {"const": "manual"}}},
                        "then": {"required": ["verified_on", "source"]},
                    },
                    {
                        "if": {"properties": {"verified_by": {"const": "pending"}}},
                        "then": {"required": ["recorded_on", "note"]},
                    },
                ],
            },
        },
    },
}


class DoiRecord(TypedDict):
    """One record of dois.lock.json, as :data:`SCHEMA` requires it."""

    key: str
    title: str
    first_author: str | None
    year: int | None
    journal: str | None
    verified_by: Literal["crossref", "manual", "pending"]
    verified_on: NotRequired[str]  # crossref, manual
    source: NotRequired[str]  # manual
    recorded_on: NotRequired[str]  # pending
    note: NotRequired[str]


@dataclass
class Lock:
    path: Path
    display: str
    records: dict[str, DoiRecord]
    #: Line of each record's DOI in the file, to point editors at it.
    lines: dict[str, int]
    about: str = ""

    def metadata(self, doi: str) -> Metadata:
        record = self.records[doi]
        return Metadata(
            title=record.get("title"),
            first_author=record.get("first_author"),
            year=record.get("year"),
            journal=record.get("journal"),
        )


class LockError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


def verify_command(keys: Iterable[str] = ()) -> str:
    command = ".venv/bin/python -m iopguide dois --online --update-lock"
    for key in keys:
        command += f" --key {key}"
    return command


def _record_lines(text: str) -> dict[str, int]:
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r'\s*"(10\.[^"]+)"\s*:', line)
        if match:
            lines.setdefault(canonical_doi(match.group(1)), number)
    return lines


def read_lock(path: Path, display: str | None = None) -> Lock:
    """Read and validate the lock file. A missing file is an empty record."""
    shown = display or path.name
    if not path.exists():
        return Lock(path, shown, {}, {})
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LockError(
            [
                Problem(
                    shown,
                    exc.lineno,
                    exc.colno,
                    "doi-lock-invalid",
                    f"{shown} is not valid JSON: {exc.msg}",
                    "undo your last edit to this file, or restore it with 'git checkout' ",
                )
            ]
        ) from exc
    lines = _record_lines(text)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = list(error.absolute_path)
        line = None
        if len(where) >= 2 and where[0] == "dois":
            line = lines.get(canonical_doi(str(where[1])))
        field_path = ".".join(str(p) for p in where) or "(top level)"
        problems.append(
            Problem(
                shown,
                line,
                None,
                "doi-lock-invalid",
                f"{field_path}: {error.message}",
                "each record needs key, title, first_author, year, journal and verified_by; "
                "'manual' records also need verified_on and source (what was consulted); "
                "'pending' records need recorded_on and note (why it is pending); "
                "'make fix' writes pending records for you",
            )
        )
    if problems:
        raise LockError(problems)
    # JSON (Any), valid against SCHEMA: each record is a DoiRecord.
    records: dict[str, DoiRecord] = {
        canonical_doi(doi): record for doi, record in data["dois"].items()
    }
    return Lock(path, shown, records, lines, data.get("about", ""))


def write_lock(lock: Lock) -> None:
    """Write the record sorted by DOI, atomically (a half-written file is never left behind)."""
    data: dict[str, Any] = {}
    if lock.about:
        data["about"] = lock.about
    data["dois"] = {doi: lock.records[doi] for doi in sorted(lock.records)}
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    fd, tmp = tempfile.mkstemp(dir=lock.path.parent, prefix=".dois.lock.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, lock.path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def crossref_record(entry: BibEntry, found: Metadata, today: date | None = None) -> DoiRecord:
    """The record of a DOI whose Crossref metadata matched the entry (titles included)."""
    if found.title is None:
        raise ValueError(f"Crossref gave no title for '{entry.key}': it cannot have matched")
    return {
        "key": entry.key,
        "title": found.title,
        "first_author": found.first_author,
        "year": found.year,
        "journal": found.journal,
        "verified_by": "crossref",
        "verified_on": (today or date.today()).isoformat(),
    }


PENDING_NOTE = (
    "Added as a new source; not confirmed yet. The weekly online check compares it with Crossref."
)


def pending_record(
    entry: BibEntry, note: str = PENDING_NOTE, today: date | None = None
) -> DoiRecord | None:
    """A ``pending`` record of an entry: its own details, not yet confirmed by anyone; None
    for an entry with no title (a record must have one; the entry's check asks for it)."""
    ours = from_bib(entry)
    if ours.title is None:
        return None
    return {
        "key": entry.key,
        "title": ours.title,
        "first_author": ours.first_author,
        "year": ours.year,
        "journal": ours.journal,
        "verified_by": "pending",
        "recorded_on": (today or date.today()).isoformat(),
        "note": note,
    }


def is_pending(record: DoiRecord | None) -> bool:
    return record is not None and record.get("verified_by") == "pending"


def pending_keys(dois_by_key: Mapping[str, str], lock: Lock) -> set[str]:
    """Keys of the entries whose DOI is recorded as ``pending``: not shown, not citable."""
    return {
        key
        for key, doi in dois_by_key.items()
        if doi and is_pending(lock.records.get(canonical_doi(doi)))
    }


def entries_with_doi(bib: BibFile) -> tuple[list[tuple[BibEntry, str]], list[Problem]]:
    """Entries whose DOI is well-formed and not a duplicate (the one DOI rule, shared with the
    build: iopguide/citations/bib.py), plus the problems of the others."""
    if bib.bibliography is None:
        return [], []
    good, problems = check_dois(bib.bibliography)
    return [(entry, good[entry.key]) for entry in bib.entries if entry.key in good], problems


def check_offline(bib: BibFile, lock: Lock) -> list[Problem]:
    """Every DOI well-formed, unique and recorded in the lock with the same metadata."""
    good, problems = entries_with_doi(bib)
    problems = list(bib.problems) + problems
    used: set[str] = set()
    for entry, doi in good:
        used.add(doi)
        line = entry.line_of("doi")
        if doi not in lock.records:
            problems.append(
                Problem(
                    bib.display,
                    line,
                    None,
                    "doi-unverified",
                    f"The DOI {entry.doi} of entry '{entry.key}' has not been verified yet: "
                    f"it is not in {lock.display}",
                    f"run '{verify_command([entry.key])}' on a computer with internet and commit "
                    f"{lock.display} (a pull request also runs this check for you); without "
                    "internet, run 'make fix' to record it as "
                    "pending: it is then not shown to readers until the online check confirms it",
                    guide=GUIDE,
                )
            )
            continue
        record = lock.records[doi]
        recorded = lock.metadata(doi)
        ours = from_bib(entry)
        # A pending record only repeats what the entry claimed; nobody confirmed it, so there is
        # nothing to compare with (the online check compares the entry itself with Crossref).
        for name in [] if is_pending(record) else mismatched_fields(ours, recorded):
            problems.append(
                Problem(
                    bib.display,
                    entry.line_of(BIB_FIELD[name]),
                    None,
                    "doi-metadata-mismatch",
                    f"The {FIELDS[name]} of entry '{entry.key}' ({_show(getattr(ours, name))}) "
                    f"differs from the verified record of DOI {entry.doi} in {lock.display} "
                    f"({_show(getattr(recorded, name))})",
                    f"correct the {BIB_FIELD[name]} field to match the article; if the DOI "
                    f"itself was wrong and you changed it, verify it with "
                    f"'{verify_command([entry.key])}'",
                    guide=GUIDE,
                )
            )
        if record["verified_by"] == "pending":
            problems.append(
                Problem(
                    bib.display,
                    line,
                    None,
                    "doi-pending",
                    f"The DOI {entry.doi} of entry '{entry.key}' is recorded as pending: "
                    "nobody has confirmed it yet, so the source is not shown to readers and "
                    "cannot be cited",
                    "wait for the weekly online check, which confirms or refutes it in its "
                    f"issue, or run '{verify_command([entry.key])}' where there is internet "
                    f"and commit {lock.display}",
                    severity=Severity.WARNING,
                    guide=GUIDE,
                )
            )
    for doi in sorted(set(lock.records) - used):
        problems.append(
            Problem(
                lock.display,
                lock.lines.get(doi),
                None,
                "doi-lock-unused",
                f"The record of DOI {doi} ('{lock.records[doi].get('key')}') is not used by any "
                "entry of the bibliography",
                f"remove the record from {lock.display}",
                severity=Severity.WARNING,
            )
        )
    return problems


def _show(value: object) -> str:
    return "missing" if value in (None, "") else repr(value)
