"""``python -m iopguide dois``: the DOIs of bibliography.bib checked offline against
dois.lock.json, or online (doi.org: does it exist; Crossref: is it the paper we name), with
requests bounded in number, time, size and retries. Nothing an answer holds stops the run
(decisions/0011): that DOI is "could not check", every other keeps its result."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import email.utils
import json
import sys
import time
import urllib.parse
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import jsonschema

from iopguide import fix, project
from iopguide.citations.bib import Bibliography, check_dois, parse_bibliography, read_bibliography
from iopguide.citations.bibtex_adapter import bib_name
from iopguide.content.rules import relative
from iopguide.dois import MESSAGES, SCHEMAS, config, lock, words
from iopguide.dois.config import PLACEHOLDER_EMAIL, RETRY_STATUSES, DoiConfig, load_doi_config
from iopguide.dois.lock import from_bib, mismatch, same_title, squeeze
from iopguide.report import Problem, ProblemsFound, print_error, print_report


class DoiResult(NamedTuple):
    key: str
    doi: str
    outcome: str  # verified | mismatch | not_found | not_in_crossref | failed
    problems: list[Problem]


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if value.isascii() and value.isdigit():  # "²".isdigit() is true too
        return float(value)
    with contextlib.suppress(TypeError, ValueError):  # or an HTTP date
        when = email.utils.parsedate_to_datetime(value)
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        return max(0.0, (when - datetime.now(UTC)).total_seconds())
    return None


async def fetch_json(
    client: httpx.AsyncClient, url: str, config: DoiConfig
) -> tuple[int | None, Any, str | None]:
    """GET ``url`` and decode JSON, retrying temporary failures a bounded number of times:
    (status, JSON, why there is no usable answer). Never raises for anything the service sends."""
    status, error = None, ""
    for attempt in range(1, config.attempts + 1):
        wait, status = config.backoff_seconds * 2 ** (attempt - 1), None
        try:
            # A total deadline: httpx's timeout is per read, so a server that sends one byte
            # at a time would never time out without it.
            async with (
                asyncio.timeout(config.timeout_seconds),
                client.stream("GET", url) as response,
            ):
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > config.max_response_bytes:
                        return None, None, words("why/too-large", limit=config.max_response_bytes)
        except (httpx.TimeoutException, TimeoutError):
            error = words("why/timeout", seconds=config.timeout_seconds)
        except httpx.TooManyRedirects:  # asking again gives the same loop
            return None, None, words("why/redirects")
        except httpx.TransportError as exc:
            error = words("why/connect", error=f"{type(exc).__name__}: {exc}")
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            # e.g. a redirect to something that is not a web address, a body that cannot be
            # decompressed: the same next time, so no retry.
            return None, None, words("why/unreadable", error=f"{type(exc).__name__}: {exc}")
        else:
            status = response.status_code
            if status not in RETRY_STATUSES:
                try:
                    return status, json.loads(body), None
                except RecursionError:
                    return status, None, words("why/too-deep", status=status)
                except ValueError:  # not JSON, not UTF-8, or a number too long to read
                    return status, None, words("why/not-json", status=status)
            error, wait = words("why/status", status=status), _retry_after(response) or wait
        if attempt < config.attempts:
            await asyncio.sleep(min(wait, config.max_wait_seconds))
    if config.attempts > 1:
        error = words("why/tried", why=error, attempts=config.attempts)
    return status, None, error


_CROSSREF_VALIDATOR = jsonschema.Draft202012Validator(SCHEMAS["crossref"])


def record_shape_problem(message: Any) -> str | None:
    """Why a Crossref ``message`` cannot be read, in a few words; None when it can. Built from
    the failing path and expected type only: the value itself may be huge or deeply nested."""
    error = jsonschema.exceptions.best_match(_CROSSREF_VALIDATOR.iter_errors(message))
    if error is None:
        return None
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    where = where.lstrip(".") or "message"
    if error.validator == "type":  # the schema's "type": a name or a list of names
        value = error.validator_value
        names = [value] if isinstance(value, str) else [k for k in value if k != "null"]
        kinds = words("why/or").join(words(f"kind/{k}") for k in names)
        return words("why/shape", where=where, kinds=kinds)
    return words("why/form", where=where, validator=error.validator)


def compare_with_crossref(bib: Bibliography, key: str, message: dict[str, Any]) -> list[Problem]:
    """One problem per compared field that differs from Crossref's ``message``."""
    ours, get = from_bib(bib.entry(key)), message.get
    title, subtitle = (get("title") or [None])[0], (get("subtitle") or [None])[0]
    journals = [*(get("container-title") or []), *(get("short-container-title") or [])]
    authors = get("author") or [{}]
    first = next((a for a in authors if a.get("sequence") == "first"), authors[0])
    author = first.get("family") or first.get("name")
    dates = ("issued", "published-print", "published-online", "published")
    parts = [(get(name) or {}).get("date-parts") or [[None]] for name in dates]
    # Not 2014.0, which the schema lets through.
    years = list(dict.fromkeys(y for p in parts if type(y := (p[0] or [None])[0]) is int))
    full, mine = f"{title}: {subtitle}" if title and subtitle else title, ours.first_author
    # Does each field match (Crossref's issued year is the earliest of print and online: either
    # matches; a book or report has no journal to compare), and what Crossref records.
    author_ok = bool(author) and mine is not None and squeeze(author) == squeeze(mine)
    journal_ok = ours.journal is None or squeeze(ours.journal) in map(squeeze, journals)
    found = {
        "title": (same_title(ours.title, title, subtitle), full and repr(full)),
        "first_author": (author_ok, author and repr(author)),
        "year": (ours.year in years, words("why/or").join(map(str, years))),
        "journal": (journal_ok, journals and repr(journals[0])),
    }
    return [
        mismatch("doi-crossref-mismatch", bib, key, name, ours, theirs or words(f"missing/{name}"))
        for name, (matches, theirs) in found.items()
        if not matches
    ]


def _failed(
    bib: Bibliography, key: str, doi: str, outcome: str, rule: str, **said: Any
) -> DoiResult:
    """A result with one problem, at the entry's DOI."""
    found = MESSAGES.say(bib.name, bib.line_of(key, "doi"), rule, doi=bib.doi(key), key=key, **said)
    return DoiResult(key, doi, outcome, [found])


async def check_one(
    client: httpx.AsyncClient, bib: Bibliography, key: str, doi: str, config: DoiConfig
) -> DoiResult:
    quoted = urllib.parse.quote(doi, safe="/:;()-._")
    status, data, error = await fetch_json(client, config.doi_api_url + quoted, config)
    code = data.get("responseCode") if isinstance(data, dict) else None
    if status == 404 or code == 100:
        return _failed(bib, key, doi, "not_found", "doi-not-found")
    if error or code != 1:
        why = error or words("why/handle", status=status, code=code)
        return _failed(bib, key, doi, "failed", "doi-check-failed", service="doi.org", why=why)
    status, data, error = await fetch_json(client, config.crossref_api_url + quoted, config)
    if status == 404:
        return _failed(bib, key, doi, "not_in_crossref", "doi-not-in-crossref")
    record: Any = data.get("message") if isinstance(data, dict) else None
    if not error and (status != 200 or not isinstance(record, dict)):
        error = words("why/no-message", status=status)
    if error or (error := record_shape_problem(record)):
        return _failed(bib, key, doi, "failed", "doi-check-failed", service="Crossref", why=error)
    problems = compare_with_crossref(bib, key, record)
    return DoiResult(key, doi, "mismatch" if problems else "verified", problems)


def check_online(
    bib: Bibliography, items: dict[str, str], config: DoiConfig
) -> tuple[list[DoiResult], float]:
    """Check each {key: DOI} online: the results (in input order) and the seconds taken."""
    # Bounded here, not by httpx's pool limit: a request queued there spends its deadline waiting.
    start, limit = time.monotonic(), asyncio.Semaphore(config.concurrency)

    async def run(client: httpx.AsyncClient, key: str, doi: str) -> DoiResult:
        async with limit:
            try:
                return await check_one(client, bib, key, doi, config)
            except Exception as exc:  # one DOI's surprise must not end the run
                why = words("why/error", error=f"{type(exc).__name__}: {str(exc)[:200]}")
                itself = words("why/itself")
                return _failed(bib, key, doi, "failed", "doi-check-failed", service=itself, why=why)

    async def check_all() -> list[DoiResult]:
        async with httpx.AsyncClient(
            headers={"User-Agent": config.user_agent, "Accept": "application/json"},
            timeout=config.timeout_seconds,
            follow_redirects=True,
        ) as client:
            return list(await asyncio.gather(*(run(client, k, d) for k, d in items.items())))

    return (asyncio.run(check_all()) if items else []), time.monotonic() - start


def _dois_at(ref: str, bib_path: Path) -> set[str]:
    """DOIs of the bibliography as it was at a git ref (empty if the file did not exist)."""
    folder = bib_path.resolve().parent
    if fix.git(folder, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}") is None:
        checkout = fix.git(folder, "rev-parse", "--show-toplevel") is not None
        said = {"ref": ref, "folder": folder}
        raise config.ConfigError(words("dois/no-ref" if checkout else "dois/checkout", **said))
    old = fix.git(folder, "show", f"{ref}:./{bib_path.name}")  # ./ : the bibliography's folder
    bib, problems = parse_bibliography(old or "", bib_path.name)
    return set() if old is None or problems else set(check_dois(bib)[0].values())


def _select(bib: Bibliography, args: argparse.Namespace) -> tuple[dict[str, str], list[Problem]]:
    """{key: DOI} of the well-formed, unique DOIs the command line asks for, and the problems."""
    good, problems = check_dois(bib)
    if unknown := [k for k in args.key if k not in bib.keys]:
        raise config.ConfigError(words("dois/no-key", keys=", ".join(unknown), bib=bib.name))
    before = _dois_at(args.only_new, args.bib) if args.only_new else set()
    wanted = {k: d for k, d in good.items() if (k in args.key or not args.key) and d not in before}
    return wanted, problems


def _offline(bib: Bibliography, args: argparse.Namespace, lockfile: lock.Lock) -> int:
    good, problems = lock.check_offline(bib, lockfile)
    if keys := set(args.key):  # these entries' problems in the bibliography
        named = [{p.values.get("key"), p.values.get("other")} & keys for p in problems]
        problems = [p for p, n in zip(problems, named, strict=True) if p.file != bib.name or n]
    records, unknown = lockfile.records, words("dois/not-recorded")
    how = Counter(records[d]["verified_by"] if d in records else unknown for d in good.values())
    counts = ", ".join(f"{n} {label}" for label, n in sorted(how.items()))
    said = dict(count=len(good), bib=bib.name, lock=lockfile.display)
    key = "dois/checked/one" if len(good) == 1 else "dois/checked"  # each language its plural
    print(words(key, counts=counts and f": {counts}", **said))
    return print_report(problems)


def _record_pending(bib: Bibliography, args: argparse.Namespace, lockfile: lock.Lock) -> int:
    """Add a pending record for every new DOI; refresh the details of pending records."""
    good, problems = _select(bib, args)
    added, refreshed = list[str](), list[str]()
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


def _online(
    bib: Bibliography, args: argparse.Namespace, lockfile: lock.Lock, config: DoiConfig
) -> int:
    items, problems = _select(bib, args)
    at_lock, pending = lockfile.display, lockfile.pending
    if (email := config.contact_email) == PLACEHOLDER_EMAIL:
        problems.append(
            MESSAGES.say(relative(args.config, args.root), None, "doi-contact", email=email)
        )
    results, seconds = check_online(bib, items, config)
    outcomes = dict.fromkeys(("verified", "mismatch", "not_found", "not_in_crossref", "failed"), 0)
    verdicts = []
    for result in results:
        problems += result.problems
        outcomes[result.outcome] += 1
        if (doi := result.doi) not in pending:
            continue
        why = MESSAGES.text_if(f"refuted/{result.outcome}") or None
        verdict = "verified" if result.outcome == "verified" else "refuted" if why else "failed"
        said: dict[str, Any] = dict(doi=doi, key=result.key, lock=at_lock, why=why)
        said["command"] = lock.verify_command([result.key])
        verdicts.append(words(f"dois/{verdict}", **said))
        rules = {"verified": "doi-pending-confirmed", "refuted": "doi-pending-refuted"}
        if rule := rules.get(verdict):
            problems.append(MESSAGES.say(at_lock, lockfile.lines.get(doi), rule, **said))
    new, key = words("dois/new") if args.only_new else "", "dois/online"
    key += "/one" if len(results) == 1 else ""  # a message for one DOI: each language its plural
    print(words(key, count=len(results), new=new, seconds=seconds, **outcomes))
    if verdicts:
        print(words("dois/pending", lock=at_lock))
        print("\n".join(f"  {verdict}" for verdict in verdicts))
    verified = [r for r in results if r.outcome == "verified"]
    if args.update_lock:
        # Each field matched: the record keeps the entry's own values (None: no title to record).
        lockfile.records |= {r.doi: rec for r in verified if (rec := lock.new_record(bib, r.key))}
        if verified:
            lock.write_lock(lockfile)
        print(words("dois/recorded", count=len(verified), lock=at_lock))
    elif keys := [r.key for r in verified if r.doi not in lockfile.records or r.doi in pending]:
        command = lock.verify_command(keys)
        print(words("dois/unrecorded", count=len(keys), command=command, lock=at_lock))
    return print_report(problems)


def main(argv: list[str]) -> int:
    parser = MESSAGES.parser("dois", "help/dois")
    add = parser.add_argument
    add("--online", action="store_true", help=words("help/online"))
    add("--update-lock", action="store_true", help=words("help/update-lock"))
    add("--only-new", metavar="BASE_REF", help=words("help/only-new"))
    add("--record-pending", action="store_true", help=words("help/record-pending"))
    add("--key", action="append", default=[], help=words("help/key"))
    for option in ("--bib", "--lock", "--config"):
        add(option, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    # The project's files as the build finds them: the bibliography its mkdocs.yml names.
    args.root = root = project.root_of(None)
    named = bib_name(project.config_despite_mistakes(root))
    args.bib = args.bib or root / named
    args.lock = args.lock or root / lock.LOCK_FILE
    args.config = args.config or root / config.CONFIG_FILE
    if (args.update_lock or args.only_new) and not args.online:
        parser.error(words("help/need-online"))
    if args.record_pending and args.online:
        parser.error(words("help/offline"))
    if not args.bib.exists():
        print(words("dois/no-bib", bib=relative(args.bib, root)), file=sys.stderr)
        return 1
    try:
        # As the build reads it (crossrefs inherited; the citation check reports a wrong one)
        bib, problems = read_bibliography(args.bib, relative(args.bib, root))
        if bib is None:  # pybtex cannot read the file: nothing to check until it is fixed
            return print_report(problems)
        settings = load_doi_config(args.config) if args.online else None  # its error first
        lockfile = lock.read_lock(args.lock, relative(args.lock, root))
        if settings is not None:
            return _online(bib, args, lockfile, settings)
        return (_record_pending if args.record_pending else _offline)(bib, args, lockfile)
    except ProblemsFound as exc:
        return print_report(exc.problems)
    except config.ConfigError as exc:
        return print_error(exc)
