"""``python -m iopguide dois --online`` against a local HTTP server playing doi.org and Crossref."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.unit.dois.conftest import (
    HANDLES,
    WORKS,
    FakeApi,
    Reply,
    crossref_message,
    short_deadline,
)
from tests.unit.dois.helpers import fixture_bib, install, line_of, read_lock, run

MCCARTY = "10.1176/appi.ps.201300249"
ZALTA = "10.1186/s12888-018-1816-6"
ZALTA_TITLE = (
    "Evaluating patterns and predictors of symptom change during a three-week intensive "
    "outpatient treatment for veterans with PTSD"
)


def serve_both(api: FakeApi) -> None:
    """Both fixture DOIs exist and match."""
    api.found(MCCARTY)
    api.work(MCCARTY)
    api.found(ZALTA)
    api.work(ZALTA, title=ZALTA_TITLE, family="Zalta", year=2018, journal="BMC Psychiatry")


def test_found_and_matching(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    serve_both(fake_api)
    code, out, err = run(project, capsys, "--online")
    assert code == 0, err
    assert "Checked 2 DOIs online" in out and "2 match Crossref" in out
    assert sorted(fake_api.paths()) == sorted(
        [HANDLES + MCCARTY, WORKS + MCCARTY, HANDLES + ZALTA, WORKS + ZALTA]
    )


def test_polite_user_agent_names_the_contact(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    serve_both(fake_api)
    run(project, capsys, "--online")
    agents = {seen.headers.get("User-Agent", "") for seen in fake_api.requests}
    assert agents and all("mailto:checks@iop-guide.test" in agent for agent in agents)


def test_update_lock_records_matching_dois(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project, lock=False)
    serve_both(fake_api)
    code, out, _ = run(project, capsys, "--online", "--update-lock")
    assert code == 0
    assert "Recorded 2 DOI(s)" in out
    records = read_lock(project)["dois"]
    assert records[MCCARTY]["verified_by"] == "crossref"
    assert records[MCCARTY]["first_author"] == "McCarty"
    assert records[MCCARTY]["year"] == 2014
    assert len(records[MCCARTY]["verified_on"]) == 10
    # The offline check now passes on the record the online run wrote.
    code, _, err = run(project, capsys)
    assert code == 0, err


def test_not_found_is_not_the_same_as_unreachable(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    serve_both(fake_api)
    fake_api.not_found(ZALTA)
    code, out, err = run(project, capsys, "--online")
    assert code == 1
    line = line_of(project, ZALTA)
    assert f"bibliography.bib:{line}: [doi-not-found]" in err
    assert "doi.org does not know it" in err
    assert "[doi-check-failed]" not in err
    assert "1 not found" in out
    assert WORKS + ZALTA not in fake_api.paths()  # no metadata asked for a missing DOI


def test_title_mismatch_is_reported_by_key_and_field_and_not_recorded(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project, lock=False)
    serve_both(fake_api)
    fake_api.work(MCCARTY, title="A different paper entirely")
    code, out, err = run(project, capsys, "--online", "--update-lock")
    assert code == 1
    assert "Recorded 1 DOI(s)" in out
    line = line_of(project, "title   = {Substance Abuse")
    assert f"bibliography.bib:{line}: [doi-crossref-mismatch]" in err
    assert "Entry 'mccarty2014substance': the title" in err
    assert "'A different paper entirely'" in err
    assert err.count("[doi-crossref-mismatch]") == 1
    records = read_lock(project)["dois"]
    assert MCCARTY not in records and ZALTA in records


def test_year_mismatch(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    serve_both(fake_api)
    fake_api.work(MCCARTY, year=2013)
    code, _, err = run(project, capsys, "--online")
    assert code == 1
    line = line_of(project, "year    = {2014}")
    assert f"bibliography.bib:{line}: [doi-crossref-mismatch]" in err
    assert "the year in the bibliography (2014)" in err and "(2013)" in err


def test_online_first_year_is_accepted(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    """Crossref's 'issued' is the earliest date; a bib year of the print issue still matches."""
    install(project)
    serve_both(fake_api)
    fake_api.work(MCCARTY, online_year=2013)
    code, _, err = run(project, capsys, "--online")
    assert code == 0, err


def test_429_then_success_honours_retry_after(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    serve_both(fake_api)
    busy = Reply(429, {"message": "slow down"}, headers={"Retry-After": "1"})
    fake_api.reply(WORKS + MCCARTY, busy, Reply(200, crossref_message(MCCARTY)))
    code, _, err = run(project, capsys, "--online")
    assert code == 0, err
    tries = [seen.at for seen in fake_api.requests if seen.path == WORKS + MCCARTY]
    assert len(tries) == 2
    # The configured backoff is 0.05 s; the second try waited for Retry-After (1 s) instead.
    assert tries[1] - tries[0] >= 0.9


def test_server_error_is_retried_then_reported_as_could_not_check(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    serve_both(fake_api)
    fake_api.reply(HANDLES + MCCARTY, Reply(500, "Internal Server Error"))
    code, out, err = run(project, capsys, "--online")
    assert code == 1
    assert "[doi-check-failed]" in err
    assert "doi.org: the service answered HTTP 500 (tried 3 times)" in err
    assert "This says nothing about the DOI itself" in err
    assert "[doi-not-found]" not in err
    assert fake_api.paths().count(HANDLES + MCCARTY) == 3  # attempts: 3 in the test config
    assert "1 could not be checked" in out


def test_slow_answer_times_out(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    short_deadline(project)
    serve_both(fake_api)
    fake_api.work(ZALTA, Reply(200, crossref_message(ZALTA), delay=2.0))
    code, _, err = run(project, capsys, "--online")
    assert code == 1
    assert "Crossref: no answer within 0.5 seconds (tried 3 times)" in err
    assert "zalta2018evaluating" in err


def test_malformed_json_is_reported(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    serve_both(fake_api)
    fake_api.work(MCCARTY, Reply(200, '{"status": "ok", "message": {"title": ['))
    code, _, err = run(project, capsys, "--online")
    assert code == 1
    assert "[doi-check-failed]" in err
    assert "Crossref: the service answered HTTP 200 with something that is not valid JSON" in err


def test_redirects_are_followed(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    serve_both(fake_api)
    moved = "/moved" + HANDLES + MCCARTY
    fake_api.reply(HANDLES + MCCARTY, Reply(301, "", headers={"Location": moved}))
    fake_api.reply(moved, Reply(200, {"responseCode": 1, "handle": MCCARTY}))
    code, _, err = run(project, capsys, "--online")
    assert code == 0, err
    assert moved in fake_api.paths()


def test_doi_of_another_agency_is_a_warning(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    serve_both(fake_api)
    fake_api.work(ZALTA, Reply(404, "Resource not found."))
    code, _, err = run(project, capsys, "--online")
    assert code == 0
    assert "warning: [doi-not-in-crossref]" in err


def test_concurrency_is_bounded(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = []
    for n in range(6):
        doi = f"10.5555/test.{n}"
        entries.append(
            f"@article{{mccarty2014n{n},\n  author = {{McCarty, Dennis}},\n"
            "  title = {Substance Abuse Intensive Outpatient Programs: Assessing the Evidence},\n"
            f"  journal = {{Psychiatric Services}},\n  year = {{2014}},\n  doi = {{{doi}}}\n}}\n"
        )
        fake_api.reply(HANDLES + doi, Reply(200, {"responseCode": 1}, delay=0.2))
        fake_api.work(doi)
    install(project, "\n".join(entries), lock=False)
    code, out, err = run(project, capsys, "--online")
    assert code == 0, err
    assert "6 match Crossref" in out
    assert fake_api.max_in_flight == 2  # concurrency: 2 in the test config


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_only_new_checks_only_dois_added_since_the_base(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    base = fixture_bib().replace("  doi     = {10.1186/s12888-018-1816-6}\n", "")
    install(project, base)
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "bibliography.bib")
    _git(project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "base")
    install(project)  # the pull request adds Zalta's DOI
    serve_both(fake_api)
    code, out, err = run(project, capsys, "--online", "--only-new", "main")
    assert code == 0, err
    assert "Checked 1 new DOI online" in out
    assert sorted(fake_api.paths()) == [HANDLES + ZALTA, WORKS + ZALTA]


def test_only_new_with_an_unknown_ref_explains(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    _git(project, "init", "-q", "-b", "main")
    code, _, err = run(project, capsys, "--online", "--only-new", "origin/main")
    assert code == 2
    assert "fetch-depth: 0" in err
    assert fake_api.requests == []


def test_only_new_outside_a_git_checkout_explains(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)  # tmp_path: no git repository above it
    code, _, err = run(project, capsys, "--online", "--only-new", "main")
    assert code == 2
    assert f"error: --only-new needs a git checkout; {project} is not in one" in err
    assert fake_api.requests == []


def test_crossref_title_without_the_subtitle_still_matches(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    """Crossref keeps many subtitles apart; the record keeps the bibliography's own title."""
    install(project, lock=False)
    serve_both(fake_api)
    fake_api.work(MCCARTY, title="Substance Abuse Intensive Outpatient Programs")
    code, _, err = run(project, capsys, "--online", "--update-lock")
    assert code == 0, err
    record = read_lock(project)["dois"][MCCARTY]
    assert record["title"] == (
        "Substance Abuse Intensive Outpatient Programs: Assessing the Evidence"
    )
