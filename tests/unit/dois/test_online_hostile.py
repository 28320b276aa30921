"""Answers that used to crash ``python -m iopguide dois --online`` (issue 12, point 10).

Each case serves one bad answer for McCarty's DOI from a real HTTP server on 127.0.0.1 while
Zalta's DOI answers normally. The run must report "Could not check" for McCarty with a reason,
keep Zalta's result (it is recorded by --update-lock) and print no traceback.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from tests.unit.dois.conftest import (
    HANDLES,
    WORKS,
    FakeApi,
    Reply,
    crossref_message,
    short_deadline,
)
from tests.unit.dois.helpers import install, line_of, read_lock, run
from tests.unit.dois.test_online import MCCARTY, ZALTA, serve_both


def _work(**changes: Any) -> dict[str, Any]:
    """McCarty's Crossref record with some fields replaced."""
    data = crossref_message(MCCARTY)
    data["message"].update(changes)
    return data


def _deep(depth: int) -> str:
    return '{"status": "ok", "message": ' + "[" * depth + "]" * depth + "}"


# (case id, path served badly, replies, words the report must contain)
CASES: list[tuple[str, str, tuple[Reply, ...], str]] = [
    (
        "redirect-loop",
        HANDLES + MCCARTY,
        (Reply(302, "", headers={"Location": HANDLES + MCCARTY}),),
        "doi.org: the service sent too many redirects (a redirect loop)",
    ),
    (
        "deeply-nested-json",
        WORKS + MCCARTY,
        (Reply(200, _deep(40_000)),),
        "Crossref: the service answered HTTP 200 with JSON nested too deeply to read",
    ),
    (
        "container-title-is-a-string",
        WORKS + MCCARTY,
        (Reply(200, _work(**{"container-title": "Psychiatric Services"})),),
        "Crossref: unexpected answer (the record's container-title is not a list)",
    ),
    (
        "issued-is-a-string",
        WORKS + MCCARTY,
        (Reply(200, _work(issued="2014-06-01")),),
        "Crossref: unexpected answer (the record's issued is not a group of fields)",
    ),
    (
        "author-is-a-string",
        WORKS + MCCARTY,
        (Reply(200, _work(author="McCarty, Dennis")),),
        "Crossref: unexpected answer (the record's author is not a list)",
    ),
    (
        "family-name-is-a-number",
        WORKS + MCCARTY,
        (Reply(200, _work(author=[{"family": 7, "sequence": "first"}])),),
        "Crossref: unexpected answer (the record's author[0].family is not a text)",
    ),
    (
        "year-is-a-string",
        WORKS + MCCARTY,
        (Reply(200, _work(issued={"date-parts": [["2014", 6]]})),),
        "Crossref: unexpected answer (the record's issued.date-parts[0][0] is not a whole number)",
    ),
    (
        "title-nested-lists",
        WORKS + MCCARTY,
        (Reply(200, _work(title=[["Substance Abuse Intensive Outpatient Programs"]])),),
        "Crossref: unexpected answer (the record's title[0] is not a text)",
    ),
    (
        "message-is-a-list",
        WORKS + MCCARTY,
        (Reply(200, {"status": "ok", "message": ["not", "a", "record"]}),),
        "Crossref: unexpected answer (HTTP 200, no 'message' object)",
    ),
    (
        "handle-answer-is-a-list",
        HANDLES + MCCARTY,
        (Reply(200, "[1, 2, 3]"),),
        "doi.org: unexpected answer (HTTP 200, responseCode None)",
    ),
    (
        "not-json-at-all",
        WORKS + MCCARTY,
        (Reply(200, "<html><body>Service unavailable</body></html>"),),
        "Crossref: the service answered HTTP 200 with something that is not valid JSON",
    ),
    (
        "not-utf8",
        WORKS + MCCARTY,
        (Reply(200, b'{"message": "\xff\xfe\xfa"}'),),
        "Crossref: the service answered HTTP 200 with something that is not valid JSON",
    ),
    (
        "number-too-long-to-read",
        HANDLES + MCCARTY,
        (Reply(200, '{"responseCode": 1' + "0" * 5000 + "}"),),
        "doi.org: the service answered HTTP 200 with something that is not valid JSON",
    ),
    (
        "huge-body-announced",
        WORKS + MCCARTY,
        (Reply(200, b" " * 65536, repeat=64),),
        "Crossref: the answer is larger than 100,000 bytes (the max_response_bytes setting)",
    ),
    (
        "endless-body-without-length",
        WORKS + MCCARTY,
        (Reply(200, b"[" + b" " * 65535, repeat=10_000, length=False),),
        "Crossref: the answer is larger than 100,000 bytes (the max_response_bytes setting)",
    ),
    (
        "body-dripped-slower-than-the-deadline",
        WORKS + MCCARTY,
        # Each piece arrives within the 0.5 s read timeout, the whole takes 1.6 s.
        (Reply(200, b" ", repeat=8, drip=0.2),),
        "Crossref: no answer within 0.5 seconds (tried 3 times)",
    ),
    (
        "gzip-that-is-not-gzip",
        WORKS + MCCARTY,
        (Reply(200, b"this is not gzip data", headers={"Content-Encoding": "gzip"}),),
        "Crossref: the answer could not be read (DecodingError",
    ),
    (
        "retry-after-not-a-number",
        WORKS + MCCARTY,
        (Reply(503, "busy", headers={"Retry-After": "\u00b2"}),),
        "Crossref: the service answered HTTP 503 (tried 3 times)",
    ),
    (
        "redirect-to-another-scheme",
        HANDLES + MCCARTY,
        (Reply(301, "", headers={"Location": "ftp://127.0.0.1/x"}),),
        "doi.org: could not connect (UnsupportedProtocol",
    ),
]


@pytest.mark.parametrize(
    ("path", "replies", "reason"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_a_bad_answer_is_could_not_check_and_other_dois_keep_their_result(
    project: Path,
    fake_api: FakeApi,
    capsys: pytest.CaptureFixture[str],
    path: str,
    replies: tuple[Reply, ...],
    reason: str,
) -> None:
    install(project, lock=False)
    if "no answer within" in reason:
        short_deadline(project)  # the case is about the deadline
    serve_both(fake_api)
    fake_api.reply(path, *replies)
    code, out, err = run(project, capsys, "--online", "--update-lock")
    assert code == 1
    assert "Traceback" not in out + err
    line = line_of(project, MCCARTY)
    assert (
        f"bibliography.bib:{line}: [doi-check-failed] Could not check the DOI {MCCARTY} of "
        f"entry 'mccarty2014substance': {reason}"
    ) in err
    assert "This says nothing about the DOI itself" in err
    assert "1 match Crossref" in out and "1 could not be checked" in out
    records = read_lock(project)["dois"]
    assert ZALTA in records and records[ZALTA]["verified_by"] == "crossref"
    assert MCCARTY not in records


def test_every_dois_answer_is_bad_and_the_run_still_reports_each(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    serve_both(fake_api)
    fake_api.reply(HANDLES + MCCARTY, Reply(302, "", headers={"Location": HANDLES + MCCARTY}))
    fake_api.work(ZALTA, Reply(200, _deep(40_000)))
    code, out, err = run(project, capsys, "--online")
    assert code == 1
    assert "2 could not be checked" in out
    assert err.count("[doi-check-failed]") == 2
    assert "redirect loop" in err and "nested too deeply" in err


def test_a_gzipped_answer_is_read(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    """The size cap counts decoded bytes; a normal compressed answer still works."""
    install(project)
    serve_both(fake_api)
    body = gzip.compress(json.dumps(crossref_message(MCCARTY)).encode())
    fake_api.work(MCCARTY, Reply(200, body, headers={"Content-Encoding": "gzip"}))
    code, out, err = run(project, capsys, "--online")
    assert code == 0, err
    assert "2 match Crossref" in out


def test_a_compressed_answer_that_expands_past_the_cap_is_refused(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    serve_both(fake_api)
    bomb = gzip.compress(b" " * 5_000_000)  # about 5 kB on the wire
    assert len(bomb) < 100_000
    fake_api.work(MCCARTY, Reply(200, bomb, headers={"Content-Encoding": "gzip"}))
    code, _, err = run(project, capsys, "--online")
    assert code == 1
    assert "the answer is larger than 100,000 bytes" in err


def test_missing_and_null_fields_are_a_mismatch_not_a_crash(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    """A record with nothing in it (all optional fields absent or null) is compared normally."""
    install(project)
    serve_both(fake_api)
    empty = {
        "title": None,
        "author": None,
        "issued": {"date-parts": [[None]]},
        "container-title": [],
    }
    fake_api.work(MCCARTY, Reply(200, {"status": "ok", "message": empty}))
    code, _, err = run(project, capsys, "--online")
    assert code == 1
    assert err.count("[doi-crossref-mismatch]") == 4  # title, author, year, journal
    assert "(no title)" in err and "(no year)" in err
