"""Online DOI check: does the DOI exist (doi.org's handle API), and is it the paper we name
(Crossref's works API; another agency's DOI answers 404)? Requests are bounded in number, time,
size and retries, and send a contact, as Crossref asks. Nothing an answer contains stops the run
(decisions/0011): that DOI is "could not check", every other keeps its result."""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import json
import time
import urllib.parse
from datetime import UTC, datetime
from typing import Any, NamedTuple

import httpx
import jsonschema

from iopguide.citations.bib import Bibliography
from iopguide.dois import MESSAGES, SCHEMAS, words
from iopguide.dois.config import DoiConfig
from iopguide.dois.lock import from_bib, mismatch, same_title, squeeze
from iopguide.report import Problem

#: HTTP statuses worth another try: the service is busy or broken for a moment.
RETRY_STATUSES = {429, 500, 502, 503, 504}


class DoiResult(NamedTuple):
    key: str
    doi: str
    outcome: str  # verified | mismatch | not_found | not_in_crossref | failed
    problems: list[Problem]


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if value.isascii() and value.isdigit():  # "²".isdigit() is true too
        return float(value)
    with contextlib.suppress(TypeError, ValueError):
        when = email.utils.parsedate_to_datetime(value)
        return max(
            0.0, (when.replace(tzinfo=when.tzinfo or UTC) - datetime.now(UTC)).total_seconds()
        )
    return None


async def _get(
    client: httpx.AsyncClient, url: str, limit: int
) -> tuple[int, bytes | None, float | None]:
    """GET ``url``: its status, its decoded body (None past ``limit`` bytes), its Retry-After."""
    async with client.stream("GET", url) as response:
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > limit:
                return response.status_code, None, None
        return response.status_code, bytes(body), _retry_after(response)


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
            async with asyncio.timeout(config.timeout_seconds):
                status, body, retry_after = await _get(client, url, config.max_response_bytes)
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
            if body is None:
                return None, None, words("why/too-large", limit=config.max_response_bytes)
            if status not in RETRY_STATUSES:
                try:
                    return status, json.loads(body), None
                except RecursionError:
                    return status, None, words("why/too-deep", status=status)
                except ValueError:  # not JSON, not UTF-8, or a number too long to read
                    return status, None, words("why/not-json", status=status)
            error, wait = words("why/status", status=status), retry_after or wait
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
    if error.validator == "type":
        value = error.validator_value  # the schema's "type": a name or a list of names
        kinds = [
            words(f"kind/{k}")
            for k in (value if isinstance(value, list) else [value])
            if k != "null"
        ]
        return words("why/shape", where=where, kinds=words("why/or").join(kinds))
    return words("why/form", where=where, validator=error.validator)


def compare_with_crossref(bib: Bibliography, key: str, message: dict[str, Any]) -> list[Problem]:
    """One problem per compared field that differs from Crossref's ``message``."""
    ours, get = from_bib(bib.entry(key)), message.get
    title, subtitle = (get("title") or [None])[0], (get("subtitle") or [None])[0]
    journals = [*(get("container-title") or []), *(get("short-container-title") or [])]
    authors = get("author") or [{}]
    first = next((a for a in authors if a.get("sequence") == "first"), authors[0])
    author = first.get("family") or first.get("name")
    years: list[int] = []
    for name in ("issued", "published-print", "published-online", "published"):
        year = (((get(name) or {}).get("date-parts") or [[None]])[0] or [None])[0]
        if type(year) is int and year not in years:  # not 2014.0, which the schema lets through
            years.append(year)
    shown = f"{title}: {subtitle}" if title and subtitle else title
    # Does each field match (Crossref's issued year is the earliest of print and online: either
    # matches; a book or report has no journal to compare), and what Crossref records.
    found = {
        "title": (same_title(ours.title, title, subtitle), repr(shown) if shown else None),
        "first_author": (
            bool(author)
            and ours.first_author is not None
            and squeeze(author) == squeeze(ours.first_author),
            repr(author) if author else None,
        ),
        "year": (ours.year in years, words("why/or").join(map(str, years))),
        "journal": (
            ours.journal is None or any(squeeze(j) == squeeze(ours.journal) for j in journals),
            repr(journals[0]) if journals else None,
        ),
    }
    return [
        mismatch("doi-crossref-mismatch", bib, key, name, ours, theirs or words(f"missing/{name}"))
        for name, (matches, theirs) in found.items()
        if not matches
    ]


def _failed(bib: Bibliography, key: str, doi: str, outcome: str, **said: Any) -> DoiResult:
    """A result with one problem, at the entry's DOI."""
    rule = {"failed": "doi-check-failed", "not_found": "doi-not-found"}.get(
        outcome, "doi-not-in-crossref"
    )
    found = MESSAGES.say(bib.name, bib.line_of(key, "doi"), rule, doi=bib.doi(key), key=key, **said)
    return DoiResult(key, doi, outcome, [found])


async def check_one(
    client: httpx.AsyncClient, bib: Bibliography, key: str, doi: str, config: DoiConfig
) -> DoiResult:
    quoted = urllib.parse.quote(doi, safe="/:;()-._")
    status, data, error = await fetch_json(client, config.doi_api_url + quoted, config)
    code = data.get("responseCode") if isinstance(data, dict) else None
    if status == 404 or code == 100:
        return _failed(bib, key, doi, "not_found")
    if error or code != 1:
        why = error or words("why/handle", status=status, code=code)
        return _failed(bib, key, doi, "failed", service="doi.org", why=why)
    status, data, error = await fetch_json(client, config.crossref_api_url + quoted, config)
    if status == 404:
        return _failed(bib, key, doi, "not_in_crossref")
    record: Any = data.get("message") if isinstance(data, dict) else None
    if not error and (status != 200 or not isinstance(record, dict)):
        error = words("why/no-message", status=status)
    if error or (error := record_shape_problem(record)):
        return _failed(bib, key, doi, "failed", service="Crossref", why=error)
    problems = compare_with_crossref(bib, key, record)
    return DoiResult(key, doi, "mismatch" if problems else "verified", problems)


def check_online(
    bib: Bibliography, items: dict[str, str], config: DoiConfig
) -> tuple[list[DoiResult], float]:
    """Check each {key: DOI} online: the results (in input order) and the seconds taken."""
    start, limit = time.monotonic(), asyncio.Semaphore(config.concurrency)
    headers = {"User-Agent": config.user_agent, "Accept": "application/json"}

    async def run(client: httpx.AsyncClient, key: str, doi: str) -> DoiResult:
        async with limit:
            try:
                return await check_one(client, bib, key, doi, config)
            except Exception as exc:  # one DOI's surprise must not end the run
                why = words("why/error", error=f"{type(exc).__name__}: {str(exc)[:200]}")
                return _failed(bib, key, doi, "failed", service=words("why/itself"), why=why)

    async def check_all() -> list[DoiResult]:
        async with httpx.AsyncClient(
            headers=headers,
            timeout=httpx.Timeout(config.timeout_seconds),
            follow_redirects=True,
            limits=httpx.Limits(max_connections=config.concurrency),
        ) as client:
            return list(await asyncio.gather(*(run(client, k, d) for k, d in items.items())))

    return (asyncio.run(check_all()) if items else []), time.monotonic() - start
