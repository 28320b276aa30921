"""``pending`` DOI records: written for new sources, then confirmed or refuted online.

The online half talks HTTP to the loopback server of conftest.py, as test_online.py does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iopguide.dois import MESSAGES
from tests.unit.dois.conftest import FakeApi, Reply
from tests.unit.dois.helpers import fixture_bib, install, read_lock, run, write_lock
from tests.unit.dois.test_online import MCCARTY, ZALTA, serve_both


def _zalta_pending(project: Path) -> None:
    """The fixture's record with Zalta's DOI recorded as pending instead of manual."""
    data = read_lock(project)
    record = data["dois"][ZALTA]
    record["verified_by"] = "pending"
    del record["source"], record["verified_on"]
    record["recorded_on"] = "2026-11-30"
    record["note"] = "test fixture"
    write_lock(project, data)


# ------------------------------------------------------------------ offline: --record-pending


def test_record_pending_writes_a_record_for_each_new_doi(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    data = read_lock(project)
    del data["dois"][ZALTA]
    write_lock(project, data)
    code, _, err = run(project, capsys)
    assert code == 1 and "[doi-unverified]" in err  # before: a new DOI is an error

    code, out, err = run(project, capsys, "--record-pending")
    assert code == 0, err
    assert "Recorded 1 new source(s) as pending in" in out and "zalta2018evaluating" in out
    record = read_lock(project)["dois"][ZALTA]
    assert record["key"] == "zalta2018evaluating"
    assert record["verified_by"] == "pending"
    assert record["first_author"] == "Zalta" and record["year"] == 2018
    assert len(record["recorded_on"]) == 10 and record["note"]
    assert read_lock(project)["dois"][MCCARTY]["verified_by"] == "crossref"  # untouched

    code, out, err = run(project, capsys)  # after: a warning, make check passes
    assert code == 0, err
    assert "warning: [doi-pending]" in err and "1 pending" in out

    code, out, _ = run(project, capsys, "--record-pending")  # nothing more to do
    assert code == 0 and "No new DOI" in out


def test_a_pending_entry_can_be_corrected_without_a_mismatch(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pending record only repeats the entry: correcting the entry is not a mismatch, and
    --record-pending brings the record's details up to date."""
    install(project)
    _zalta_pending(project)
    install(project, fixture_bib().replace("year    = 2018", "year    = 2019"))
    _zalta_pending(project)
    code, _, err = run(project, capsys)
    assert code == 0, err
    assert "[doi-metadata-mismatch]" not in err
    code, out, _ = run(project, capsys, "--record-pending")
    assert code == 0 and "Updated the details of 1 pending record(s)" in out
    record = read_lock(project)["dois"][ZALTA]
    assert record["year"] == 2019 and record["recorded_on"] == "2026-11-30"
    assert record["note"] == "test fixture"


def test_an_entry_without_a_title_gets_no_record_the_lock_file_refuses(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Found by typing the records (DoiRecord): a pending record was written with "title": null,
    # which the lock file's own schema refuses, and every DOI command then failed on it.
    title = next(line for line in fixture_bib().splitlines() if "Evaluating patterns" in line)
    install(project, fixture_bib().replace(title + "\n", ""))
    data = read_lock(project)
    del data["dois"][ZALTA]
    write_lock(project, data)
    code, _, err = run(project, capsys, "--record-pending")
    assert code == 1
    assert "[bib-policy-missing-field] entry 'zalta2018evaluating' (@article) has no 'title'" in err
    assert ZALTA not in read_lock(project)["dois"]  # nothing written, the file still reads
    code, _, err = run(project, capsys)
    assert "[doi-lock-invalid]" not in err and "[doi-unverified]" in err


def test_record_pending_is_offline_only(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    install(project)
    with pytest.raises(SystemExit):
        run(project, capsys, "--record-pending", "--online")


# ------------------------------------------------------------------ online: the verdicts


def test_online_run_confirms_a_pending_record(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    _zalta_pending(project)
    serve_both(fake_api)
    code, out, err = run(project, capsys, "--online")
    assert code == 0, err
    assert "Pending sources (recorded as 'pending' in" in out
    assert f"  confirmed: zalta2018evaluating ({ZALTA}) matches Crossref" in out
    assert "warning: [doi-pending-confirmed]" in err  # keeps the weekly issue open
    assert "--update-lock --key zalta2018evaluating" in err
    assert read_lock(project)["dois"][ZALTA]["verified_by"] == "pending"  # not without asking

    run(project, capsys, "--online", "--update-lock")
    record = read_lock(project)["dois"][ZALTA]
    assert record["verified_by"] == "crossref" and "note" not in record
    code, out, err = run(project, capsys)  # the offline check no longer lists it
    assert code == 0 and "[doi-pending]" not in err


def test_online_run_refutes_a_pending_record_that_does_not_match(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    _zalta_pending(project)
    serve_both(fake_api)
    fake_api.work(ZALTA, title="Another paper", family="Zalta", year=2018, journal="BMC Psychiatry")
    code, out, err = run(project, capsys, "--online", "--update-lock")
    assert code == 1
    assert f"  refuted: zalta2018evaluating ({ZALTA}): the entry does not match" in out
    assert "[doi-pending-refuted]" in err and "[doi-crossref-mismatch]" in err
    assert read_lock(project)["dois"][ZALTA]["verified_by"] == "pending"


def test_online_run_refutes_a_pending_doi_that_does_not_exist(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    _zalta_pending(project)
    serve_both(fake_api)
    fake_api.not_found(ZALTA)
    code, out, err = run(project, capsys, "--online")
    assert code == 1
    assert "refuted: zalta2018evaluating" in out and "doi.org does not know this DOI" in out
    assert "[doi-pending-refuted]" in err and "[doi-not-found]" in err


def test_a_pending_record_that_could_not_be_checked_stays_pending(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    _zalta_pending(project)
    serve_both(fake_api)
    fake_api.work(ZALTA, Reply(503, "busy"))
    code, out, err = run(project, capsys, "--online", "--update-lock")
    assert code == 1
    assert "still pending: zalta2018evaluating" in out
    assert "[doi-pending-refuted]" not in err and "[doi-pending-confirmed]" not in err
    assert read_lock(project)["dois"][ZALTA]["verified_by"] == "pending"


def test_a_refutation_written_without_message_is_named_not_a_traceback(
    project: Path,
    fake_api: FakeApi,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On main: AttributeError ('str' object has no attribute 'get')."""
    monkeypatch.setitem(MESSAGES, "refuted/not_found", "doi.org does not know it")
    install(project)
    _zalta_pending(project)
    serve_both(fake_api)
    fake_api.not_found(ZALTA)
    code, _, err = run(project, capsys, "--online")
    assert code == 1
    assert "iopguide/dois/messages.yml:" in err and "[messages-file]" in err
    assert "'refuted/not_found'" in err
