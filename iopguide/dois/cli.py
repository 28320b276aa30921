"""``python -m iopguide dois``: the DOIs of bibliography.bib checked offline against
dois.lock.json (``make check``), or online against doi.org and Crossref (``--online``, which says
whether Crossref confirms or refutes each ``pending`` record); ``--record-pending`` (``make fix``)
records every new DOI as pending, ``--update-lock`` every DOI that fully matches Crossref."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from iopguide import ROOT
from iopguide.citations.bib import Bibliography, check_dois, parse_bibliography
from iopguide.dois import MESSAGES, lock, words
from iopguide.dois.config import CONFIG_FILE, PLACEHOLDER_EMAIL, ConfigError, load_doi_config
from iopguide.dois.online import check_online
from iopguide.report import Problem, print_report


class UsageError(Exception):
    pass


def _display(path: Path) -> str:
    for base in (ROOT, Path.cwd()):
        if path.resolve().is_relative_to(base.resolve()):
            return path.resolve().relative_to(base.resolve()).as_posix()
    return str(path)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m iopguide dois",
        description="Check the DOIs in bibliography.bib (offline against dois.lock.json, or "
        "online against doi.org and Crossref).",
    )
    add = parser.add_argument
    add("--online", action="store_true", help="ask doi.org and Crossref")
    add(
        "--update-lock",
        action="store_true",
        help="with --online: record every DOI that fully matches Crossref in dois.lock.json",
    )
    add(
        "--only-new",
        metavar="BASE_REF",
        help="with --online: check only DOIs that are not in bibliography.bib at this git ref",
    )
    add(
        "--record-pending",
        action="store_true",
        help="offline: record every DOI that dois.lock.json does not know yet as 'pending' "
        "(not shown to readers, not citable, until the online check confirms it)",
    )
    add("--key", action="append", default=[], help="check only this entry (repeatable)")
    add("--bib", type=Path, default=ROOT / "bibliography.bib", help=argparse.SUPPRESS)
    add("--lock", type=Path, default=ROOT / lock.LOCK_FILE, help=argparse.SUPPRESS)
    add("--config", type=Path, default=ROOT / CONFIG_FILE, help=argparse.SUPPRESS)
    return parser


def _dois_at(ref: str, bib_path: Path) -> set[str]:
    """DOIs of the bibliography as it was at a git ref (empty if the file did not exist)."""

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        folder = str(bib_path.resolve().parent)
        return subprocess.run(["git", "-C", folder, *args], capture_output=True, text=True)

    top = git("rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise UsageError(words("dois/checkout", error=top.stderr.strip()))
    if git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode != 0:
        raise UsageError(words("dois/no-ref", ref=ref))
    old = git("show", f"{ref}:./{bib_path.name}")  # ./ : relative to the bibliography's folder
    bib, problems = parse_bibliography(old.stdout, bib_path.name)
    return set() if old.returncode or problems else set(check_dois(bib)[0].values())


def _select(bib: Bibliography, args: argparse.Namespace) -> tuple[dict[str, str], list[Problem]]:
    """{key: DOI} of the well-formed, unique DOIs the command line asks for, and the problems."""
    good, problems = check_dois(bib)
    if unknown := [k for k in args.key if k not in bib.keys]:
        raise UsageError(words("dois/no-key", keys=", ".join(unknown), bib=bib.name))
    before = _dois_at(args.only_new, args.bib) if args.only_new else set()
    wanted = {k: d for k, d in good.items() if (k in args.key or not args.key) and d not in before}
    return wanted, problems


def _offline(bib: Bibliography, args: argparse.Namespace, lockfile: lock.Lock) -> int:
    problems = lock.check_offline(bib, lockfile)
    if keys := tuple(f"'{k}'" for k in args.key):
        problems = [p for p in problems if p.file != bib.name or any(k in p.message for k in keys)]
    good, records = check_dois(bib)[0].values(), lockfile.records
    unknown = words("dois/not-recorded")
    how = Counter(records[d]["verified_by"] if d in records else unknown for d in good)
    counts = ", ".join(f"{n} {label}" for label, n in sorted(how.items()))
    said = dict(count=len(good), s="s" if len(good) != 1 else "", bib=bib.name)
    print(words("dois/checked", lock=lockfile.display, counts=counts and f": {counts}", **said))
    return print_report(problems)


def _record_pending(bib: Bibliography, args: argparse.Namespace, lockfile: lock.Lock) -> int:
    """Add a pending record for every new DOI; refresh the details of pending records."""
    good, problems = _select(bib, args)
    added: list[str] = []
    refreshed: list[str] = []
    shown = lockfile.display
    for key, doi in good.items():
        if (record := lockfile.records.get(doi)) and record["verified_by"] != "pending":
            continue
        fresh = lock.new_record(bib, key, record["note"] if record else words("pending-note"))
        if fresh is None:  # the lock file's schema needs a title: say so, write nothing
            said = dict(key=key, type=bib.entry(key).type, lock=shown)
            problems.append(
                MESSAGES.say(bib.name, bib.line_of(key), "bib-policy-missing-field", **said)
            )
        elif record is None or {**fresh, "recorded_on": record["recorded_on"]} != record:
            lockfile.records[doi] = (
                {**fresh, "recorded_on": record["recorded_on"]} if record else fresh
            )
            (refreshed if record else added).append(key)
    if added or refreshed:
        lock.write_lock(lockfile)
    if added:
        print(words("dois/added", count=len(added), lock=shown, keys=", ".join(added)))
    if refreshed:
        print(words("dois/refreshed", count=len(refreshed), keys=", ".join(refreshed)))
    if not added and not refreshed:
        print(words("dois/no-new", lock=shown, bib=bib.name))
    return print_report(problems)


def _online(bib: Bibliography, args: argparse.Namespace) -> int:
    config = load_doi_config(args.config)
    lockfile = lock.read_lock(args.lock, _display(args.lock))
    items, problems = _select(bib, args)
    shown, pending = lockfile.display, lockfile.pending
    if config.contact_email == PLACEHOLDER_EMAIL:
        contact = MESSAGES.say(_display(args.config), None, "doi-contact", email=PLACEHOLDER_EMAIL)
        problems.append(contact)
    results, seconds = check_online(bib, items, config)
    verdicts = []
    for result in results:
        problems += result.problems
        key, doi, at = result.key, result.doi, lockfile.lines.get(result.doi)
        if doi not in pending:
            continue
        said: dict[str, Any] = dict(
            doi=doi, key=key, lock=shown, command=lock.verify_command([key])
        )
        if result.outcome == "verified":
            verdicts.append(words("dois/verified", **said))
            problems.append(MESSAGES.say(shown, at, "doi-pending-confirmed", **said))
        elif why := MESSAGES.get(f"refuted/{result.outcome}", {}).get("message"):
            verdicts.append(words("dois/refuted", why=why, **said))
            problems.append(MESSAGES.say(shown, at, "doi-pending-refuted", why=why, **said))
        else:
            verdicts.append(words("dois/failed", **said))
    outcomes = Counter(r.outcome for r in results)
    counts = {o: outcomes[o] for o in ("verified", "mismatch", "not_found", "not_in_crossref")}
    new, s = words("dois/new") if args.only_new else "", "s" if len(results) != 1 else ""
    print(
        words(
            "dois/online",
            count=len(results),
            new=new,
            s=s,
            seconds=seconds,
            failed=outcomes["failed"],
            **counts,
        )
    )
    if verdicts:
        print(words("dois/pending", lock=shown))
        print("\n".join(f"  {verdict}" for verdict in verdicts))
    verified = [r for r in results if r.outcome == "verified"]
    if args.update_lock:
        for result in verified:  # each field matched: the record keeps the entry's own values
            if record := lock.new_record(bib, result.key, note=None):  # a title matched
                lockfile.records[result.doi] = record
        if verified:
            lock.write_lock(lockfile)
        print(words("dois/recorded", count=len(verified), lock=shown))
    elif unrecorded := [
        r.key for r in verified if r.doi not in lockfile.records or r.doi in pending
    ]:
        command = lock.verify_command(unrecorded)
        print(words("dois/unrecorded", count=len(unrecorded), command=command, lock=shown))
    return print_report(problems)


def main(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if (args.update_lock or args.only_new) and not args.online:
        parser.error("--update-lock and --only-new need --online")
    if args.record_pending and args.online:
        parser.error("--record-pending works offline; use --update-lock with --online")
    if not args.bib.exists():
        print(words("dois/no-bib", bib=_display(args.bib)), file=sys.stderr)
        return 1
    try:
        bib, problems = lock.read_bib(args.bib, _display(args.bib))
        if bib is None:  # pybtex cannot read the file: nothing to check until it is fixed
            return print_report(problems)
        if args.online:
            return _online(bib, args)
        lockfile = lock.read_lock(args.lock, _display(args.lock))
        return (_record_pending if args.record_pending else _offline)(bib, args, lockfile)
    except lock.LockError as exc:
        return print_report(exc.problems)
    except (ConfigError, UsageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
