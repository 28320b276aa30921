"""A real HTTP server on 127.0.0.1 that plays doi.org's handle API and Crossref's works API.

Tests queue replies per path; each request takes the next queued reply (the last one repeats).
Every request is logged with its time and headers, so tests can check retries, pauses and the
User-Agent. Nothing in iopguide is mocked: the checker talks HTTP to this server.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

HANDLES = "/api/handles/"
WORKS = "/works/"


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | dict[str, Any] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    #: Send the body this many times over (a huge answer without building it in memory).
    repeat: int = 1
    #: Seconds to wait before each copy of the body (a server that drips its answer).
    drip: float = 0.0
    #: Announce the length (Content-Length); without it the body ends when the connection closes.
    length: bool = True


@dataclass
class Seen:
    path: str
    at: float
    headers: dict[str, str]


class FakeApi:
    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[Seen] = []
        self.in_flight = 0
        #: Exceptions the server side met (e.g. the client closed the connection early).
        self.server_errors: list[str] = []
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self.base = ""

    # --- what tests call -------------------------------------------------------------------
    def reply(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def found(self, doi: str) -> None:
        self.reply(HANDLES + doi, Reply(200, {"responseCode": 1, "handle": doi}))

    def not_found(self, doi: str) -> None:
        self.reply(HANDLES + doi, Reply(404, {"responseCode": 100, "handle": doi}))

    def work(self, doi: str, *replies: Reply, **fields: Any) -> None:
        if not replies:
            replies = (Reply(200, crossref_message(doi, **fields)),)
        self.reply(WORKS + doi, *replies)

    def paths(self) -> list[str]:
        return [seen.path for seen in self.requests]

    def env(self) -> dict[str, str]:
        return {"DOI_API_URL": self.base + HANDLES, "CROSSREF_API_URL": self.base + WORKS}

    # --- the server side -------------------------------------------------------------------
    def answer(self, path: str) -> Reply:
        with self.lock:
            queue = self.routes.get(path)
            if not queue:
                return Reply(404, {"status": "error", "message": "Resource not found."})
            return queue.pop(0) if len(queue) > 1 else queue[0]


def crossref_message(
    doi: str,
    title: str = "Substance Abuse Intensive Outpatient Programs: Assessing the Evidence",
    family: str = "McCarty",
    year: int = 2014,
    journal: str = "Psychiatric Services",
    online_year: int | None = None,
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "DOI": doi,
        "type": "journal-article",
        "title": [title],
        "author": [
            {"given": "Dennis", "family": family, "sequence": "first"},
            {"given": "Lisa", "family": "Braude", "sequence": "additional"},
        ],
        "issued": {"date-parts": [[year, 6, 1]]},
        "published-print": {"date-parts": [[year, 6]]},
        "container-title": [journal],
        "short-container-title": ["PS"],
    }
    if online_year is not None:
        message["published-online"] = {"date-parts": [[online_year, 12, 1]]}
        message["issued"] = {"date-parts": [[online_year, 12, 1]]}
    return {"status": "ok", "message-type": "work", "message": message}


def _handler(api: FakeApi) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            with api.lock:
                api.requests.append(Seen(self.path, time.monotonic(), dict(self.headers)))
                api.in_flight += 1
                api.max_in_flight = max(api.max_in_flight, api.in_flight)
            try:
                reply = api.answer(self.path)
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body
                if isinstance(body, dict):
                    body = json.dumps(body)
                data = body.encode() if isinstance(body, str) else body
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                if reply.length:
                    self.send_header("Content-Length", str(len(data) * reply.repeat))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                for _ in range(reply.repeat):
                    if reply.drip:
                        time.sleep(reply.drip)
                    self.wfile.write(data)
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)
            finally:
                with api.lock:
                    api.in_flight -= 1

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


class _Server(http.server.ThreadingHTTPServer):
    """Keeps the server's own errors (a client that hung up) out of the report under test."""

    api: FakeApi

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        self.api.server_errors.append(repr(sys.exc_info()[1]))


@pytest.fixture
def fake_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApi]:
    """The fake doi.org + Crossref, with DOI_API_URL and CROSSREF_API_URL pointing at it."""
    api = FakeApi()
    server = _Server(("127.0.0.1", 0), _handler(api))
    server.api = api
    server.daemon_threads = True
    api.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    for name, value in api.env().items():
        monkeypatch.setenv(name, value)
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()


#: Short pauses so the suite stays fast; the logic is the same as with real values. The time
#: allowed for one answer is the real default (timeout_seconds is a deadline for the whole
#: answer, redirects included: a redirect loop of 20 hops must not run into it on a busy
#: machine); the tests about slow answers shorten it with :func:`short_deadline`.
FAST_CONFIG = """\
dois:
  contact_email: checks@iop-guide.test
  timeout_seconds: 10
  attempts: 3
  backoff_seconds: 0.05
  max_wait_seconds: 2
  concurrency: 2
  max_response_bytes: 100000
"""


#: The deadline of the slow-answer tests, far below their servers' delays (2 s, 1.6 s).
SHORT_DEADLINE = 0.5


def short_deadline(project: Path) -> None:
    """Give the project's DOI check a deadline of SHORT_DEADLINE seconds per answer."""
    config = project / "checks.yml"
    text = config.read_text(encoding="utf-8").replace(
        "timeout_seconds: 10", f"timeout_seconds: {SHORT_DEADLINE}"
    )
    config.write_text(text, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A temp folder with the fast checks.yml; tests add bibliography.bib and dois.lock.json."""
    (tmp_path / "checks.yml").write_text(FAST_CONFIG, encoding="utf-8")
    return tmp_path
