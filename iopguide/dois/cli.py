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
from iopguide.dois import MESSAGES, lock, shown, words
from iopguide.dois.config import CONFIG_FILE, PLACEHOLDER_EMAIL, ConfigError, load_doi_config
from iopguide.dois.online import check_online
from iopguide.report import Problem, ProblemsFound, print_report


class UsageError(Exception):
    pass


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
    bib, problems = parse_bibliography(old.stdout, bib_path.name, bib_path)
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
    if keys := set(args.key):  # these entries' problems in the bibliography
        named = [{p.values.get("key"), p.values.get("other")} & keys for p in problems]
        problems = [p for p, n in zip(problems, named, strict=True) if p.file != bib.name or n]
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
    for key, doi in good.items():
        if (record := lockfile.records.get(doi)) and record["verified_by"] != "pending":
            continue
        old = record or {"note": words("pending-note"), "recorded_on": None}
        fresh = lock.new_record(bib, key, old["note"], old["recorded_on"])
        if fresh is None:  # the lock file's schema needs a title: say so, write nothing
            said = dict(key=key, type=bib.entry(key).type, name="title", other="")
            problems.append(bib.say(bib.line_of(key), "bib-policy-missing-field", **said))
        elif fresh != record:
            lockfile.records[doi] = fresh
            (refreshed if record else added).append(key)
    if added or refreshed:
        lock.write_lock(lockfile)
    if added:
        print(words("dois/added", count=len(added), lock=lockfile.display, keys=", ".join(added)))
    if refreshed:
        print(words("dois/refreshed", count=len(refreshed), keys=", ".join(refreshed)))
    if not added and not refreshed:
        print(words("dois/no-new", lock=lockfile.display, bib=bib.name))
    return print_report(problems)


def _online(bib: Bibliography, args: argparse.Namespace) -> int:
    config = load_doi_config(args.config)
    lockfile = lock.read_lock(args.lock, shown(args.lock))
    items, problems = _select(bib, args)
    at_lock, pending = lockfile.display, lockfile.pending
    if config.contact_email == PLACEHOLDER_EMAIL:
        problems.append(
            MESSAGES.say(shown(args.config), None, "doi-contact", email=PLACEHOLDER_EMAIL)
        )
    results, seconds = check_online(bib, items, config)
    outcomes = dict.fromkeys(("verified", "mismatch", "not_found", "not_in_crossref", "failed"), 0)
    verdicts = []
    for result in results:
        problems += result.problems
        outcomes[result.outcome] += 1
        if (doi := result.doi) not in pending:
            continue
        key, at = result.key, lockfile.lines.get(doi)
        said: dict[str, Any] = dict(
            doi=doi, key=key, lock=at_lock, command=lock.verify_command([key])
        )
        if result.outcome == "verified":
            verdicts.append(words("dois/verified", **said))
            problems.append(MESSAGES.say(at_lock, at, "doi-pending-confirmed", **said))
        elif why := MESSAGES.get(f"refuted/{result.outcome}", {}).get("message"):
            verdicts.append(words("dois/refuted", why=why, **said))
            problems.append(MESSAGES.say(at_lock, at, "doi-pending-refuted", why=why, **said))
        else:
            verdicts.append(words("dois/failed", **said))
    new, s = words("dois/new") if args.only_new else "", "s" if len(results) != 1 else ""
    print(words("dois/online", count=len(results), new=new, s=s, seconds=seconds, **outcomes))
    if verdicts:
        print(words("dois/pending", lock=at_lock))
        print("\n".join(f"  {verdict}" for verdict in verdicts))
    verified = [r for r in results if r.outcome == "verified"]
    if args.update_lock:
        for result in verified:  # each field matched: the record keeps the entry's own values
            if record := lock.new_record(bib, result.key):  # None: no title to record
                lockfile.records[result.doi] = record
        if verified:
            lock.write_lock(lockfile)
        print(words("dois/recorded", count=len(verified), lock=at_lock))
    elif unrecorded := [
        r.key for r in verified if r.doi not in lockfile.records or r.doi in pending
    ]:
        command = lock.verify_command(unrecorded)
        print(words("dois/unrecorded", count=len(unrecorded), command=command, lock=at_lock))
    return print_report(problems)


def main(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if (args.update_lock or args.only_new) and not args.online:
        parser.error("--update-lock and --only-new need --online")
    if args.record_pending and args.online:
        parser.error("--record-pending works offline; use --update-lock with --online")
    if not args.bib.exists():
        print(words("dois/no-bib", bib=shown(args.bib)), file=sys.stderr)
        return 1
    try:
        bib, problems = lock.read_bib(args.bib, shown(args.bib))
        if bib is None:  # pybtex cannot read the file: nothing to check until it is fixed
            return print_report(problems)
        if args.online:
            return _online(bib, args)
        lockfile = lock.read_lock(args.lock, shown(args.lock))
        return (_record_pending if args.record_pending else _offline)(bib, args, lockfile)
    except ProblemsFound as exc:
        return print_report(exc.problems)
    except (ConfigError, UsageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
