"""Online DOI check: does the DOI exist (doi.org), and is it the paper we name (Crossref)?

- doi.org handle API, ``GET {DOI_API_URL}<doi>``: JSON ``responseCode`` 1 = found, 100 = not found.
- Crossref, ``GET {CROSSREF_API_URL}<doi>``: ``message.title``, ``author``, ``issued``,
  ``container-title``. A DOI registered with another agency (DataCite, mEDRA) answers 404 there.

Requests run a few at a time (``concurrency``), follow redirects, time out, and are retried with
exponential backoff on 429 and 5xx answers and on network errors, honouring ``Retry-After``. The
User-Agent names a contact address, as Crossref asks ("polite pool").
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from iopguide.dois.bib import BibEntry
from iopguide.dois.config import DoiConfig
from iopguide.dois.lock import GUIDE
from iopguide.dois.metadata import BIB_FIELD, FIELDS, Metadata, from_bib, same_title, squeeze
from iopguide.report import Problem, Severity

#: HTTP statuses worth another try: the service is busy or broken for a moment.
RETRY_STATUSES = {429, 500, 502, 503, 504}


@dataclass
class Answer:
    """What one URL answered, after retries."""

    url: str
    status: int | None = None
    data: Any = None
    #: Why there is no usable answer (network error, timeout, 5xx, bad JSON); None if usable.
    error: str | None = None
    attempts: int = 0


@dataclass
class DoiResult:
    entry: BibEntry
    doi: str
    #: verified | mismatch | not_found | not_in_crossref | failed
    outcome: str
    problems: list[Problem] = field(default_factory=list)
    #: The Crossref values that matched the bibliography (only when outcome is "verified").
    matched: Metadata | None = None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


async def fetch_json(client: httpx.AsyncClient, url: str, config: DoiConfig) -> Answer:
    """GET ``url`` and decode JSON, retrying temporary failures a bounded number of times."""
    answer = Answer(url)
    for attempt in range(1, config.attempts + 1):
        answer.attempts = attempt
        wait = config.backoff_seconds * 2 ** (attempt - 1)
        try:
            response = await client.get(url)
        except httpx.TimeoutException:
            answer.status = None
            answer.error = f"no answer within {config.timeout_seconds:g} seconds"
        except httpx.TransportError as exc:
            answer.status = None
            answer.error = f"could not connect ({type(exc).__name__}: {exc})"
        else:
            answer.status = response.status_code
            if response.status_code in RETRY_STATUSES:
                answer.error = f"the service answered HTTP {response.status_code}"
                wait = _retry_after(response) or wait
            else:
                try:
                    answer.data = response.json()
                    answer.error = None
                except (json.JSONDecodeError, UnicodeDecodeError):
                    answer.data = None
                    answer.error = (
                        f"the service answered HTTP {response.status_code} with something that "
                        "is not valid JSON"
                    )
                return answer
        if attempt < config.attempts:
            await asyncio.sleep(min(wait, config.max_wait_seconds))
    if answer.attempts > 1 and answer.error:
        answer.error += f" (tried {answer.attempts} times)"
    return answer


def _quote(doi: str) -> str:
    return urllib.parse.quote(doi, safe="/:;()-._")


def _first(values: Any) -> str | None:
    if isinstance(values, list) and values and isinstance(values[0], str):
        return values[0]
    if isinstance(values, str):
        return values
    return None


def _years(message: dict[str, Any]) -> list[int]:
    years = []
    for name in ("issued", "published-print", "published-online", "published"):
        parts = (message.get(name) or {}).get("date-parts") or []
        if parts and parts[0] and isinstance(parts[0][0], int):
            years.append(parts[0][0])
    return list(dict.fromkeys(years))


def _first_author(message: dict[str, Any]) -> str | None:
    authors = [a for a in message.get("author") or [] if isinstance(a, dict)]
    if not authors:
        return None
    first = next((a for a in authors if a.get("sequence") == "first"), authors[0])
    return first.get("family") or first.get("name")


def compare_with_crossref(
    entry: BibEntry, doi: str, message: dict[str, Any], display: str
) -> DoiResult:
    """Compare the four fields; one problem per mismatching field."""
    ours = from_bib(entry)
    title = _first(message.get("title"))
    subtitle = _first(message.get("subtitle"))
    containers = (message.get("container-title") or []) + (
        message.get("short-container-title") or []
    )
    journals = [j for j in containers if isinstance(j, str)]
    author = _first_author(message)
    years = _years(message)

    # The record keeps the bibliography's own values once Crossref confirms them, so the offline
    # check compares like with like.
    matched: dict[str, Any] = {}
    theirs: dict[str, str] = {}
    # title: with or without a subtitle on either side (Crossref often keeps it apart).
    if same_title(ours.title, title, subtitle):
        matched["title"] = ours.title
    shown = f"{title}: {subtitle}" if title and subtitle else title
    theirs["title"] = repr(shown) if shown else "no title"
    # first author
    if author and squeeze(author) == squeeze(ours.first_author):
        matched["first_author"] = ours.first_author
    theirs["first_author"] = repr(author) if author else "no author"
    # year: Crossref's issued date is the earliest of print and online; accept either.
    if ours.year is not None and ours.year in years:
        matched["year"] = ours.year
    theirs["year"] = " or ".join(str(y) for y in years) if years else "no year"
    # journal: a book or report has none; then Crossref's container is not compared.
    if ours.journal is None:
        matched["journal"] = None
    else:
        if any(squeeze(j) == squeeze(ours.journal) for j in journals):
            matched["journal"] = ours.journal
    theirs["journal"] = repr(journals[0]) if journals else "no journal"

    problems = []
    for name in FIELDS:
        if name in matched and (matched[name] is not None or name == "journal"):
            continue
        value = getattr(ours, name)
        problems.append(
            Problem(
                display,
                entry.line_of(BIB_FIELD[name]),
                None,
                "doi-crossref-mismatch",
                f"Entry '{entry.key}': the {FIELDS[name]} in the bibliography "
                f"({repr(value) if value not in (None, '') else 'missing'}) does not match what "
                f"Crossref records for DOI {entry.doi} ({theirs[name]})",
                f"check the DOI and the {BIB_FIELD[name]} field against the article itself; "
                "if the DOI points to another paper, find the right DOI (PubMed lists it)",
                guide=GUIDE,
            )
        )
    if problems:
        return DoiResult(entry, doi, "mismatch", problems)
    return DoiResult(entry, doi, "verified", [], Metadata(**matched))


def _failed(entry: BibEntry, doi: str, display: str, service: str, why: str) -> DoiResult:
    problem = Problem(
        display,
        entry.line_of("doi"),
        None,
        "doi-check-failed",
        f"Could not check the DOI {entry.doi} of entry '{entry.key}': {service}: {why}. "
        "This says nothing about the DOI itself",
        "run the check again later; if it keeps failing, open the DOI's page by hand",
        guide=GUIDE,
    )
    return DoiResult(entry, doi, "failed", [problem])


async def check_one(
    client: httpx.AsyncClient,
    entry: BibEntry,
    doi: str,
    config: DoiConfig,
    display: str,
) -> DoiResult:
    handle = await fetch_json(client, config.doi_api_url + _quote(doi), config)
    if handle.error and handle.status not in (404,):
        return _failed(entry, doi, display, "doi.org", handle.error)
    code = handle.data.get("responseCode") if isinstance(handle.data, dict) else None
    if handle.status == 404 or code == 100:
        problem = Problem(
            display,
            entry.line_of("doi"),
            None,
            "doi-not-found",
            f"The DOI {entry.doi} of entry '{entry.key}' does not exist: doi.org does not know it",
            "copy the DOI again from the article's page or PubMed; look for a typo or a "
            "missing character",
            guide=GUIDE,
        )
        return DoiResult(entry, doi, "not_found", [problem])
    if code != 1:
        why = f"unexpected answer (HTTP {handle.status}, responseCode {code!r})"
        return _failed(entry, doi, display, "doi.org", why)

    works = await fetch_json(client, config.crossref_api_url + _quote(doi), config)
    if works.status == 404:
        problem = Problem(
            display,
            entry.line_of("doi"),
            None,
            "doi-not-in-crossref",
            f"The DOI {entry.doi} of entry '{entry.key}' exists, but Crossref has no record of it "
            "(another agency, such as DataCite, registered it), so its title and authors could "
            "not be compared automatically",
            "compare the entry with the page the DOI opens, then add a 'manual' record with the "
            "page you consulted to dois.lock.json",
            severity=Severity.WARNING,
            guide=GUIDE,
        )
        return DoiResult(entry, doi, "not_in_crossref", [problem])
    if works.error:
        return _failed(entry, doi, display, "Crossref", works.error)
    message = works.data.get("message") if isinstance(works.data, dict) else None
    if works.status != 200 or not isinstance(message, dict):
        why = f"unexpected answer (HTTP {works.status}, no 'message' object)"
        return _failed(entry, doi, display, "Crossref", why)
    return compare_with_crossref(entry, doi, message, display)


async def _check_all(
    items: list[tuple[BibEntry, str]], config: DoiConfig, display: str
) -> list[DoiResult]:
    limit = asyncio.Semaphore(config.concurrency)
    headers = {"User-Agent": config.user_agent, "Accept": "application/json"}
    timeout = httpx.Timeout(config.timeout_seconds)
    limits = httpx.Limits(max_connections=config.concurrency)
    async with httpx.AsyncClient(
        headers=headers, timeout=timeout, follow_redirects=True, limits=limits, trust_env=True
    ) as client:

        async def run(entry: BibEntry, doi: str) -> DoiResult:
            async with limit:
                return await check_one(client, entry, doi, config, display)

        return list(await asyncio.gather(*(run(e, d) for e, d in items)))


def check_online(
    items: list[tuple[BibEntry, str]], config: DoiConfig, display: str
) -> tuple[list[DoiResult], float]:
    """Check every (entry, DOI) online: the results (in input order) and the seconds taken."""
    start = time.monotonic()
    results = asyncio.run(_check_all(items, config, display)) if items else []
    return results, time.monotonic() - start
