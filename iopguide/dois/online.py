"""Online DOI check: does the DOI exist (doi.org), and is it the paper we name (Crossref)?

- doi.org handle API, ``GET {DOI_API_URL}<doi>``: JSON ``responseCode`` 1 = found, 100 = not found.
- Crossref, ``GET {CROSSREF_API_URL}<doi>``: ``message.title``, ``author``, ``issued``,
  ``container-title``. A DOI registered with another agency (DataCite, mEDRA) answers 404 there.

Requests run a few at a time (``concurrency``), follow redirects, time out, and are retried with
exponential backoff on 429 and 5xx answers and on network errors, honouring ``Retry-After``. The
User-Agent names a contact address, as Crossref asks ("polite pool").

Nothing an answer contains can stop the run: a redirect loop, a body that never ends or is larger
than ``max_response_bytes``, text that is not JSON or nests too deeply, a record whose fields have
unexpected types (checked against :data:`CROSSREF_SCHEMA` before anything reads them), or any
other surprise becomes "could not check" for that one DOI; every other DOI keeps its result.
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
import jsonschema

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
    if value.isascii() and value.isdigit():  # "²".isdigit() is true too
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class _TooLarge(Exception):
    """The answer is longer than the configured limit."""


async def _get(client: httpx.AsyncClient, url: str, limit: int) -> tuple[httpx.Response, bytes]:
    """GET ``url`` and read at most ``limit`` bytes of its (decoded) body."""
    async with client.stream("GET", url) as response:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _TooLarge
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > limit:
                raise _TooLarge
        return response, bytes(body)


def _decode(body: bytes) -> Any:
    """The JSON in ``body``; ValueError or RecursionError when it cannot be read."""
    return json.loads(body)


async def fetch_json(client: httpx.AsyncClient, url: str, config: DoiConfig) -> Answer:
    """GET ``url`` and decode JSON, retrying temporary failures a bounded number of times.

    Never raises for anything the service sends: every failure ends up in ``Answer.error``.
    """
    answer = Answer(url)
    for attempt in range(1, config.attempts + 1):
        answer.attempts = attempt
        wait = config.backoff_seconds * 2 ** (attempt - 1)
        answer.status = None
        try:
            # A total deadline: httpx's own timeout is per read, so a server that sends one
            # byte at a time would never time out without it.
            async with asyncio.timeout(config.timeout_seconds):
                response, body = await _get(client, url, config.max_response_bytes)
        except (httpx.TimeoutException, TimeoutError):
            answer.error = f"no answer within {config.timeout_seconds:g} seconds"
        except httpx.TooManyRedirects:
            answer.error = "the service sent too many redirects (a redirect loop)"
            return answer  # asking again gives the same loop
        except _TooLarge:
            answer.error = (
                f"the answer is larger than {config.max_response_bytes:,} bytes "
                "(the max_response_bytes setting)"
            )
            return answer
        except httpx.TransportError as exc:
            answer.error = f"could not connect ({type(exc).__name__}: {exc})"
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            # e.g. a redirect to an address that is not a web address, a body that cannot be
            # decompressed: the same next time, so no retry.
            answer.error = f"the answer could not be read ({type(exc).__name__}: {exc})"
            return answer
        else:
            answer.status = response.status_code
            if response.status_code in RETRY_STATUSES:
                answer.error = f"the service answered HTTP {response.status_code}"
                wait = _retry_after(response) or wait
            else:
                try:
                    answer.data = _decode(body)
                    answer.error = None
                except RecursionError:
                    answer.data = None
                    answer.error = (
                        f"the service answered HTTP {response.status_code} with JSON nested "
                        "too deeply to read"
                    )
                except ValueError:  # not JSON, not UTF-8, or a number too long to read
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


_TEXTS = {"type": ["array", "null"], "items": {"type": "string"}}
_DATE = {
    "type": ["object", "null"],
    "properties": {
        "date-parts": {
            "type": ["array", "null"],
            "items": {"type": ["array", "null"], "items": {"type": ["integer", "null"]}},
        }
    },
}
#: The shape of the parts of a Crossref work record that we read (other fields are ignored).
#: A record that does not fit is "could not check", never a crash.
CROSSREF_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": _TEXTS,
        "subtitle": _TEXTS,
        "container-title": _TEXTS,
        "short-container-title": _TEXTS,
        "author": {
            "type": ["array", "null"],
            "items": {
                "type": "object",
                "properties": {
                    "family": {"type": ["string", "null"]},
                    "name": {"type": ["string", "null"]},
                    "sequence": {"type": ["string", "null"]},
                },
            },
        },
        "issued": _DATE,
        "published-print": _DATE,
        "published-online": _DATE,
        "published": _DATE,
    },
}
_CROSSREF_VALIDATOR = jsonschema.Draft202012Validator(CROSSREF_SCHEMA)


def record_shape_problem(message: Any) -> str | None:
    """Why a Crossref ``message`` cannot be read, in a few words; None when it can.

    Built from the failing path and expected type only: the offending value itself may be huge
    or deeply nested, so it is never put in the message.
    """
    error = jsonschema.exceptions.best_match(_CROSSREF_VALIDATOR.iter_errors(message))
    if error is None:
        return None
    where = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path
    ).lstrip(".")
    if error.validator == "type":
        value = error.validator_value  # the schema's "type": a name or a list of names
        kinds = [str(k) for k in (value if isinstance(value, list) else [value])]
        expected = " or ".join(_KIND_WORDS.get(k, k) for k in kinds if k != "null")
        return f"the record's {where or 'message'} is not {expected}"
    return f"the record's {where or 'message'} has an unexpected form ({error.validator})"


#: JSON types in editors' words.
_KIND_WORDS: dict[str, str] = {
    "array": "a list",
    "object": "a group of fields",
    "string": "a text",
    "integer": "a whole number",
}


def _first(values: Any) -> str | None:
    if isinstance(values, list) and values and isinstance(values[0], str):
        return values[0]
    return None


def _texts(values: Any) -> list[str]:
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []


def _years(message: dict[str, Any]) -> list[int]:
    years = []
    for name in ("issued", "published-print", "published-online", "published"):
        date_value = message.get(name)
        parts = date_value.get("date-parts") if isinstance(date_value, dict) else None
        if (
            isinstance(parts, list)
            and parts
            and isinstance(parts[0], list)
            and parts[0]
            and isinstance(parts[0][0], int)
            and not isinstance(parts[0][0], bool)
        ):
            years.append(parts[0][0])
    return list(dict.fromkeys(years))


def _first_author(message: dict[str, Any]) -> str | None:
    authors = message.get("author")
    authors = [a for a in authors if isinstance(a, dict)] if isinstance(authors, list) else []
    if not authors:
        return None
    first = next((a for a in authors if a.get("sequence") == "first"), authors[0])
    name = first.get("family") or first.get("name")
    return name if isinstance(name, str) else None


def compare_with_crossref(
    entry: BibEntry, doi: str, message: dict[str, Any], display: str
) -> DoiResult:
    """Compare the four fields; one problem per mismatching field."""
    ours = from_bib(entry)
    title = _first(message.get("title"))
    subtitle = _first(message.get("subtitle"))
    journals = _texts(message.get("container-title")) + _texts(message.get("short-container-title"))
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
    shape = record_shape_problem(message)
    if shape:
        return _failed(entry, doi, display, "Crossref", f"unexpected answer ({shape})")
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
                try:
                    return await check_one(client, entry, doi, config, display)
                except Exception as exc:  # one DOI's surprise must not end the run
                    why = f"unexpected error ({type(exc).__name__}: {str(exc)[:200]})"
                    return _failed(entry, doi, display, "the check itself", why)

        return list(await asyncio.gather(*(run(e, d) for e, d in items)))


def check_online(
    items: list[tuple[BibEntry, str]], config: DoiConfig, display: str
) -> tuple[list[DoiResult], float]:
    """Check every (entry, DOI) online: the results (in input order) and the seconds taken."""
    start = time.monotonic()
    results = asyncio.run(_check_all(items, config, display)) if items else []
    return results, time.monotonic() - start
