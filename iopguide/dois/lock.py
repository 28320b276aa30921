"""``dois.lock.json``, the committed record of verified DOI metadata (its schema and kinds of
record: schemas.yml), and the offline DOI check."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import jsonschema
from pybtex.database import Entry

from iopguide.citations.bib import Bibliography, check_dois
from iopguide.citations.latex import to_text
from iopguide.citations.style import family_name
from iopguide.dois import MESSAGES, SCHEMAS, words
from iopguide.report import Problem, ProblemsFound

LOCK_FILE = "dois.lock.json"
#: The compared fields, and the BibTeX field an editor changes to fix each.
FIELDS = {"title": "title", "first_author": "author", "year": "year", "journal": "journal"}
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMAS["lock"])


class Metadata(NamedTuple):
    title: str | None
    first_author: str | None
    year: int | None
    journal: str | None


@dataclass
class Lock:
    path: Path
    display: str
    records: dict[str, Any]
    #: Line of each record's DOI in the file, to point editors at it.
    lines: dict[str, int]
    about: str = ""

    @property
    def pending(self) -> set[str]:
        return {doi for doi, record in self.records.items() if record["verified_by"] == "pending"}


def from_bib(entry: Entry) -> Metadata:
    """The compared fields of an entry, as the site renders them."""
    people = entry.persons.get("author") or entry.persons.get("editor")
    year = re.search(r"\d{4}", entry.fields.get("year") or entry.fields.get("date") or "")
    return Metadata(
        to_text(entry.fields.get("title") or "") or None,
        family_name(people[0]) if people else None,
        int(year[0]) if year else None,
        to_text(entry.fields.get("journal") or entry.fields.get("journaltitle") or "") or None,
    )


def squeeze(value: object) -> str:
    """The comparable form of a title, name or journal: markup, accents, case, punctuation,
    spaces ("post-traumatic" = "posttraumatic") and a leading "the" ignored, ``&`` read as "and"."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", "" if value is None else str(value)))
    text = unicodedata.normalize("NFKD", text.replace("&", " and "))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = re.sub(r"[^\w]+", " ", text.casefold()).replace("_", " ").split()
    return "".join(words[1:] if words[:1] == ["the"] else words)


def same_title(ours: str | None, title: str | None, subtitle: str | None = None) -> bool:
    """Do two titles name the same work? Either side may leave out the subtitle (after ':'), as
    Crossref often does; two different subtitles under the same main title do not match."""
    if not ours or not title:
        return False
    theirs = {squeeze(title), squeeze(f"{title}: {subtitle}" if subtitle else title)}
    ours_main = squeeze(ours.split(":", 1)[0]) if ":" in ours else None
    theirs_main = squeeze(title.split(":", 1)[0]) if ":" in title else None
    return squeeze(ours) in theirs or squeeze(ours) == theirs_main or ours_main in theirs


def mismatched_fields(ours: Metadata, recorded: Metadata) -> list[str]:
    """The compared fields whose comparable values differ."""

    def same(name: str, a: Any, b: Any) -> bool:
        if name == "title" and a and b:
            return same_title(a, b)
        return bool(a == b) if name == "year" else squeeze(a) == squeeze(b)

    return [n for n, a, b in zip(FIELDS, ours, recorded, strict=True) if not same(n, a, b)]


def verify_command(keys: Iterable[str]) -> str:
    command = ".venv/bin/python -m iopguide dois --online --update-lock"
    return " ".join([command, *(f"--key {key}" for key in keys)])


def read_lock(path: Path, display: str | None = None) -> Lock:
    """Read and validate the lock file. A missing file is an empty record."""
    shown = display or path.name
    if not path.exists():
        return Lock(path, shown, {}, {})
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        said = {"column": exc.colno, "lock": shown, "why": exc.msg}
        invalid = MESSAGES.say(shown, exc.lineno, "doi-lock-invalid/json", **said)
        raise ProblemsFound([invalid]) from exc
    found = enumerate((re.match(r'[ \t]*"(10\.[^"]+)"\s*:', s) for s in text.split("\n")), 1)
    lines = {m[1].strip().lower(): n for n, m in reversed([*found]) if m}  # the first wins
    problems = []
    for error in sorted(_VALIDATOR.iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = list(error.absolute_path)
        at = lines.get(str(where[1]).strip().lower()) if where[1:] and where[0] == "dois" else None
        field = ".".join(str(p) for p in where) or words("missing/where")
        problems.append(MESSAGES.say(shown, at, "doi-lock-invalid", where=field, why=error.message))
    if problems:
        raise ProblemsFound(problems)
    records = {doi.strip().lower(): record for doi, record in data["dois"].items()}
    return Lock(path, shown, records, lines, data.get("about", ""))


def write_lock(lock: Lock) -> None:
    """Write the records sorted by DOI; atomically (a reader never sees half a file)."""
    data: dict[str, Any] = {"about": lock.about} if lock.about else {}
    data["dois"] = {doi: lock.records[doi] for doi in sorted(lock.records)}
    tmp = lock.path.with_name(f".{lock.path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(lock.path)


def new_record(
    bib: Bibliography, key: str, note: str | None = None, since: str | None = None
) -> dict[str, Any] | None:
    """An entry's own details: ``pending`` with a ``note`` (recorded ``since`` today or a given
    day), or ``crossref``, matched today. None without a title (the schema needs one)."""
    ours, today = from_bib(bib.entry(key)), date.today().isoformat()
    if ours.title is None:
        return None
    how = {"verified_by": "crossref", "verified_on": today}
    if note is not None:
        how = {"verified_by": "pending", "recorded_on": since or today, "note": note}
    return {"key": key, **ours._asdict(), **how}


def pending_keys(dois_by_key: Mapping[str, str], lock: Lock) -> set[str]:
    """Keys of the entries whose DOI is ``pending``: not shown, not citable."""
    pending = lock.pending
    return {key for key, doi in dois_by_key.items() if doi and doi.strip().lower() in pending}


def check_offline(bib: Bibliography, lock: Lock) -> tuple[dict[str, str], list[Problem]]:
    """Every DOI well-formed, unique (the build's rule) and recorded with the same metadata:
    {key: DOI} of the well-formed, unique ones, and the problems."""
    good, problems = check_dois(bib)
    for key, doi in good.items():
        record, said = lock.records.get(doi), _values(bib, key, lock.display)
        if record is None or record["verified_by"] == "pending":  # pending: nothing to compare
            rule = "doi-unverified" if record is None else "doi-pending"
            problems.append(MESSAGES.say(bib.name, bib.line_of(key, "doi"), rule, **said))
            continue
        ours, recorded = from_bib(bib.entry(key)), Metadata(*(record[name] for name in FIELDS))
        problems += [
            mismatch("doi-metadata-mismatch", bib, key, n, ours, _show(recorded, n), lock.display)
            for n in mismatched_fields(ours, recorded)
        ]
    for doi in sorted(set(lock.records) - set(good.values())):
        said = {"doi": doi, "key": lock.records[doi]["key"], "lock": lock.display}
        problems.append(MESSAGES.say(lock.display, lock.lines.get(doi), "doi-lock-unused", **said))
    return good, problems


def _values(bib: Bibliography, key: str, lock: str) -> dict[str, Any]:
    return {"doi": bib.doi(key), "key": key, "lock": lock, "command": verify_command([key])}


def _show(metadata: Metadata, name: str) -> str:
    value = getattr(metadata, name)
    return words("missing/value") if value in (None, "") else repr(value)


def mismatch(
    rule: str, bib: Bibliography, key: str, name: str, ours: Metadata, theirs: str, lock: str = ""
) -> Problem:
    """The field ``name`` of an entry differs from what is recorded (``theirs``)."""
    said = {"words": words(f"field/{name}"), "field": FIELDS[name], "ours": _show(ours, name)}
    at = bib.line_of(key, FIELDS[name])
    return MESSAGES.say(bib.name, at, rule, theirs=theirs, **said, **_values(bib, key, lock))
