"""``python -m iopguide dois``: check the DOIs of bibliography.bib.

Offline (``make check``): every DOI is well-formed, unique and recorded in dois.lock.json with
matching title, first author, year and journal. Online (``--online``, needs internet): ask doi.org
and Crossref. ``--update-lock`` records the DOIs that fully match Crossref. The online run also
says, for each ``pending`` record, whether Crossref confirms or refutes it.
``--record-pending`` (offline) records every new DOI as ``pending``, so a new source can wait for
the online check without anyone writing JSON by hand.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import Counter
from pathlib import Path

from iopguide import ROOT
from iopguide.dois.bib import BibEntry, BibFile, parse_bib_text, read_bib
from iopguide.dois.config import (
    CONFIG_FILE,
    PLACEHOLDER_EMAIL,
    ConfigError,
    load_doi_config,
)
from iopguide.dois.lock import (
    LOCK_FILE,
    DoiRecord,
    Lock,
    LockError,
    check_offline,
    crossref_record,
    entries_with_doi,
    is_pending,
    pending_record,
    read_lock,
    verify_command,
    write_lock,
)
from iopguide.dois.online import DoiResult, check_online
from iopguide.report import Problem, Severity, print_report

BIB_FILE = "bibliography.bib"


class UsageError(Exception):
    pass


def _display(path: Path) -> str:
    for base in (ROOT, Path.cwd()):
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return str(path)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m iopguide dois",
        description="Check the DOIs in bibliography.bib (offline against dois.lock.json, or "
        "online against doi.org and Crossref).",
    )
    parser.add_argument("--online", action="store_true", help="ask doi.org and Crossref")
    parser.add_argument(
        "--update-lock",
        action="store_true",
        help="with --online: record every DOI that fully matches Crossref in dois.lock.json",
    )
    parser.add_argument(
        "--only-new",
        metavar="BASE_REF",
        help="with --online: check only DOIs that are not in bibliography.bib at this git ref",
    )
    parser.add_argument(
        "--record-pending",
        action="store_true",
        help="offline: record every DOI that dois.lock.json does not know yet as 'pending' "
        "(not shown to readers, not citable, until the online check confirms it)",
    )
    parser.add_argument(
        "--key", action="append", default=[], help="check only this entry (repeatable)"
    )
    parser.add_argument("--bib", type=Path, default=ROOT / BIB_FILE, help=argparse.SUPPRESS)
    parser.add_argument("--lock", type=Path, default=ROOT / LOCK_FILE, help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, default=ROOT / CONFIG_FILE, help=argparse.SUPPRESS)
    return parser


def _dois_at(ref: str, bib_path: Path) -> set[str]:
    """DOIs of the bibliography as it was at a git ref (empty if the file did not exist)."""
    folder = bib_path.resolve().parent

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True, check=False
        )

    top = git("rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise UsageError(f"--only-new needs a git checkout: {top.stderr.strip()}")
    if git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode != 0:
        raise UsageError(
            f"--only-new: the git ref {ref!r} does not exist here. In GitHub Actions, check out "
            "with 'fetch-depth: 0' so the base branch is available."
        )
    relative = bib_path.resolve().relative_to(Path(top.stdout.strip()).resolve()).as_posix()
    old = git("show", f"{ref}:{relative}")
    if old.returncode != 0:
        return set()
    good, _ = entries_with_doi(parse_bib_text(old.stdout, relative))
    return {doi for _, doi in good}


def _select(
    bib: BibFile, args: argparse.Namespace
) -> tuple[list[tuple[BibEntry, str]], list[Problem]]:
    good, problems = entries_with_doi(bib)
    problems = list(bib.problems) + problems
    if args.key:
        known = {entry.key for entry in bib.entries}
        unknown = [k for k in args.key if k not in known]
        if unknown:
            raise UsageError(f"no entry with the key {', '.join(unknown)} in {bib.display}")
        good = [(e, d) for e, d in good if e.key in args.key]
    if args.only_new:
        before = _dois_at(args.only_new, bib.path)
        good = [(e, d) for e, d in good if d not in before]
    return good, problems


def _offline(bib: BibFile, args: argparse.Namespace) -> int:
    lock = read_lock(args.lock, _display(args.lock))
    problems = check_offline(bib, lock)
    if args.key:
        keys = tuple(f"'{k}'" for k in args.key)
        problems = [
            p for p in problems if p.file != bib.display or any(k in p.message for k in keys)
        ]
    good, _ = entries_with_doi(bib)
    how = Counter(
        lock.records[d]["verified_by"] if d in lock.records else "not recorded" for _, d in good
    )
    parts = [f"{n} {label}" for label, n in sorted(how.items())]
    print(
        f"Checked {len(good)} DOI{'s' if len(good) != 1 else ''} in {bib.display} against "
        f"{lock.display}" + (f": {', '.join(parts)}." if parts else ".")
    )
    return print_report(problems)


def _record_pending(bib: BibFile, args: argparse.Namespace) -> int:
    """Add a pending record for every new DOI; refresh the details of pending records."""
    lock = read_lock(args.lock, _display(args.lock))
    good, problems = _select(bib, args)
    added, refreshed = [], []
    for entry, doi in good:
        record = lock.records.get(doi)
        if record is not None and not is_pending(record):
            continue
        fresh = pending_record(entry) if record is None else pending_record(entry, record["note"])
        if fresh is None:  # the lock file's schema needs a title: say so, write nothing
            problems.append(
                Problem(
                    bib.display,
                    entry.line,
                    None,
                    "bib-policy-missing-field",
                    f"entry '{entry.key}' (@{entry.type}) has no 'title' field, so its DOI "
                    f"cannot be recorded in {lock.display}",
                    "add the title to the entry, copied from the source itself (never guessed), "
                    "then run 'make fix' again",
                )
            )
        elif record is None:
            lock.records[doi] = fresh
            added.append(entry.key)
        else:
            fresh["recorded_on"] = record["recorded_on"]
            if fresh != record:
                lock.records[doi] = fresh
                refreshed.append(entry.key)
    if added or refreshed:
        write_lock(lock)
    if added:
        print(
            f"Recorded {len(added)} new source(s) as pending in {lock.display}: "
            f"{', '.join(added)}. They are not shown to readers and cannot be cited until the "
            "online check confirms them."
        )
    if refreshed:
        print(f"Updated the details of {len(refreshed)} pending record(s): {', '.join(refreshed)}.")
    if not added and not refreshed:
        print(f"No new DOI: {lock.display} already records every DOI of {bib.display}.")
    return print_report(problems)


def _pending_verdicts(
    results: list[DoiResult], pending: dict[str, DoiRecord], lock: Lock
) -> tuple[list[str], list[Problem]]:
    """What the online run says about each pending record: confirmed, refuted or unknown."""
    lock_display = lock.display
    lines: list[str] = []
    problems: list[Problem] = []
    for result in results:
        if result.doi not in pending:
            continue
        key, doi = result.entry.key, result.doi
        if result.outcome == "verified":
            lines.append(
                f"  confirmed: {key} ({doi}) matches Crossref; it can be cited once "
                f"{lock_display} records it as verified"
            )
            problems.append(
                Problem(
                    lock_display,
                    lock.lines.get(doi),
                    None,
                    "doi-pending-confirmed",
                    f"Crossref confirms the pending DOI {doi} of entry '{key}' (title, first "
                    "author, year and journal match)",
                    f"record it: run '{verify_command([key])}' and commit {lock_display}, or "
                    f"replace {lock_display} with the copy in this run's artifact; then the "
                    "source can be cited",
                    severity=Severity.WARNING,
                )
            )
        elif result.outcome in ("mismatch", "not_found"):
            why = (
                "doi.org does not know this DOI"
                if result.outcome == "not_found"
                else ("the entry does not match Crossref's record (see the problems below)")
            )
            lines.append(f"  refuted: {key} ({doi}): {why}; it stays pending and cannot be cited")
            problems.append(
                Problem(
                    lock_display,
                    lock.lines.get(doi),
                    None,
                    "doi-pending-refuted",
                    f"The pending DOI {doi} of entry '{key}' is refuted: {why}",
                    "compare the entry with the article itself and correct the DOI or the "
                    "details; if the source cannot be found, remove the entry and its record",
                )
            )
        else:
            lines.append(
                f"  still pending: {key} ({doi}): could not be checked this time "
                "(see below); the next run tries again"
            )
    return lines, problems


def _online(bib: BibFile, args: argparse.Namespace) -> int:
    config = load_doi_config(args.config)
    lock = read_lock(args.lock, _display(args.lock))
    items, problems = _select(bib, args)
    if config.contact_email == PLACEHOLDER_EMAIL:
        problems.append(
            Problem(
                _display(args.config),
                None,
                None,
                "doi-contact",
                f"The contact address for Crossref is still the placeholder {PLACEHOLDER_EMAIL}",
                "set dois.contact_email in checks.yml to an address the publisher reads",
                severity=Severity.WARNING,
            )
        )
    pending = {doi: r for doi, r in lock.records.items() if is_pending(r)}
    results, seconds = check_online(items, config, bib.display)
    for result in results:
        problems.extend(result.problems)
    verdicts, verdict_problems = _pending_verdicts(results, pending, lock)
    problems.extend(verdict_problems)
    outcomes = Counter(r.outcome for r in results)
    scope = " new" if args.only_new else ""
    print(
        f"Checked {len(results)}{scope} DOI{'s' if len(results) != 1 else ''} online in "
        f"{seconds:.1f} s: {outcomes['verified']} match Crossref, {outcomes['mismatch']} do not "
        f"match, {outcomes['not_found']} not found, {outcomes['not_in_crossref']} not in "
        f"Crossref, {outcomes['failed']} could not be checked."
    )
    if verdicts:
        print(f"Pending sources (recorded as 'pending' in {lock.display}):")
        print("\n".join(verdicts))
    verified = [
        (r, r.matched) for r in results if r.outcome == "verified" and r.matched is not None
    ]
    if args.update_lock:
        for result, matched in verified:
            lock.records[result.doi] = crossref_record(result.entry, matched)
        if verified:
            write_lock(lock)
        print(f"Recorded {len(verified)} DOI(s) as verified by Crossref in {lock.display}.")
    else:
        unrecorded = [
            r.entry.key
            for r, _ in verified
            if r.doi not in lock.records or is_pending(lock.records[r.doi])
        ]
        if unrecorded:
            print(
                f"{len(unrecorded)} DOI(s) match Crossref but are not recorded as verified: run "
                f"'{verify_command(unrecorded)}' and commit {lock.display}."
            )
    return print_report(problems)


def main(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if (args.update_lock or args.only_new) and not args.online:
        parser.error("--update-lock and --only-new need --online")
    if args.record_pending and args.online:
        parser.error("--record-pending works offline; use --update-lock with --online")
    if not args.bib.exists():
        print(f"{_display(args.bib)} does not exist: nothing to check.", file=sys.stderr)
        return 1
    try:
        bib = read_bib(args.bib, _display(args.bib))
        if bib.problems:  # pybtex cannot read the file: nothing to check until it is fixed
            return print_report(bib.problems)
        if args.record_pending:
            return _record_pending(bib, args)
        return _online(bib, args) if args.online else _offline(bib, args)
    except LockError as exc:
        return print_report(exc.problems)
    except (ConfigError, UsageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
