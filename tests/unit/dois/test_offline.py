"""``python -m iopguide dois`` offline: DOIs well-formed, unique and verified in dois.lock.json."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.dois.helpers import fixture_bib, install, line_of, read_lock, run, write_lock


def test_verified_bibliography_passes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    install(project)
    code, out, err = run(project, capsys)
    assert code == 0, err
    assert err == ""
    assert "Checked 2 DOIs" in out
    assert "1 crossref" in out and "1 manual" in out


def test_malformed_doi_names_line_and_fix(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = fixture_bib().replace(
        "doi     = {10.1176/appi.ps.201300249}",
        "doi     = {https://doi.org/10.1176/appi.ps.201300249}",
    )
    install(project, text)
    code, _, err = run(project, capsys)
    assert code == 1
    line = line_of(project, "https://doi.org/10.1176")
    assert f"bibliography.bib:{line}: [bib-doi-syntax]" in err
    assert "mccarty2014substance" in err
    assert "write only the DOI itself: doi = {10.1176/appi.ps.201300249}" in err


def test_duplicate_doi_is_an_error_whatever_the_case(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = fixture_bib() + (
        "\n@article{copy2014substance,\n  title = {Same paper},\n"
        "  doi = {10.1176/APPI.PS.201300249}\n}\n"
    )
    install(project, text)
    code, _, err = run(project, capsys)
    assert code == 1
    line = line_of(project, "10.1176/APPI.PS")
    assert f"bibliography.bib:{line}: [bib-duplicate-doi]" in err
    assert "'copy2014substance'" in err and "'mccarty2014substance'" in err


def test_doi_missing_from_lock_fails_with_the_command(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = fixture_bib() + (
        "\n@article{gottheil1998randomized,\n  author = {Gottheil, Edward},\n"
        "  title = {A randomized controlled study},\n  journal = {Psychiatric Services},\n"
        "  year = {1998},\n  doi = {10.1176/ps.49.6.782}\n}\n"
    )
    install(project, text)
    code, out, err = run(project, capsys)
    assert code == 1
    line = line_of(project, "10.1176/ps.49.6.782")
    assert f"bibliography.bib:{line}: [doi-unverified]" in err
    assert (
        "run '.venv/bin/python -m iopguide dois --online --update-lock "
        "--key gottheil1998randomized'" in err
    )
    assert "1 not recorded" in out


def test_field_that_differs_from_the_record_is_reported_on_its_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = fixture_bib().replace("year    = {2014}", "year    = {2015}")
    install(project, text)
    code, _, err = run(project, capsys)
    assert code == 1
    line = line_of(project, "year    = {2015}")
    assert f"bibliography.bib:{line}: [doi-metadata-mismatch]" in err
    assert "year of entry 'mccarty2014substance' (2015)" in err
    assert "(2014)" in err
    assert err.count("[doi-metadata-mismatch]") == 1


def test_markup_differences_are_not_mismatches(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = fixture_bib().replace(
        "Substance Abuse Intensive Outpatient Programs: Assessing the Evidence",
        "{Substance abuse intensive outpatient programs}: assessing the evidence.",
    )
    install(project, text)
    code, _, err = run(project, capsys)
    assert code == 0, err


def test_pending_record_is_listed_as_a_warning(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    data = read_lock(project)
    record = data["dois"]["10.1186/s12888-018-1816-6"]
    record["verified_by"] = "pending"
    del record["source"], record["verified_on"]
    record["recorded_on"] = "2026-11-30"
    record["note"] = "test fixture"
    write_lock(project, data)
    code, out, err = run(project, capsys)
    assert code == 0
    assert "warning: [doi-pending]" in err
    assert "zalta2018evaluating" in err
    assert "not shown to readers and cannot be cited" in err
    assert "--key zalta2018evaluating" in err
    assert "1 pending" in out


def test_pending_record_must_say_when_and_why(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    data = read_lock(project)
    record = data["dois"]["10.1186/s12888-018-1816-6"]
    record["verified_by"] = "pending"
    del record["source"], record["verified_on"]
    write_lock(project, data)
    code, _, err = run(project, capsys)
    assert code == 1
    assert "[doi-lock-invalid]" in err
    assert "'recorded_on' is a required property" in err
    assert "'note' is a required property" in err
    assert "'make fix' writes pending records for you" in err


def test_manual_record_must_name_its_source(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    data = read_lock(project)
    del data["dois"]["10.1186/s12888-018-1816-6"]["source"]
    write_lock(project, data)
    code, _, err = run(project, capsys)
    assert code == 1
    assert "[doi-lock-invalid]" in err
    assert "'source' is a required property" in err
    lock_lines = (project / "dois.lock.json").read_text().splitlines()
    line = next(i for i, t in enumerate(lock_lines, 1) if '"10.1186/s12888-018-1816-6"' in t)
    assert f"dois.lock.json:{line}:" in err


def test_lock_that_is_not_json_is_reported_with_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    lock = project / "dois.lock.json"
    lock.write_text(lock.read_text().replace('"year": 2014,', '"year": 2014'), encoding="utf-8")
    code, _, err = run(project, capsys)
    assert code == 1
    assert "dois.lock.json:" in err and "is not valid JSON" in err


def test_unused_record_is_a_warning(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = fixture_bib().replace("  doi     = {10.1186/s12888-018-1816-6}\n", "")
    install(project, text)
    code, _, err = run(project, capsys)
    assert code == 0
    assert "warning: [doi-lock-unused]" in err
    assert "10.1186/s12888-018-1816-6" in err


def test_missing_lock_file_means_nothing_is_verified(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project, lock=False)
    code, _, err = run(project, capsys)
    assert code == 1
    assert err.count("[doi-unverified]") == 2


def test_a_file_that_is_not_utf8_is_a_clean_message(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bib = install(project)
    bib.write_bytes(fixture_bib().replace("Lisa", "Lis\xe0").encode("latin-1"))
    code, out, err = run(project, capsys)
    assert code == 1
    line = line_of_bytes(bib, "Lis")
    assert err.startswith(f"{bib}:{line}: [bib-encoding] the file is not valid UTF-8 text.")
    assert "Traceback" not in out + err


def test_pybtex_errors_are_reported_as_the_build_reports_them(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        fixture_bib()
        .replace("  year    = {2014},", "  year    = {2014},\n  year    = {2015},")
        .replace("Alyson K. Zalta and", "Zalta, Alyson, K, x and")
    )
    bib = install(project, text)
    code, out, err = run(project, capsys)
    assert code == 1
    assert f"{bib}:{line_of(project, '{2015}')}: [bib-duplicate-field]" in err
    assert f"{bib}:{line_of(project, 'Zalta, Alyson')}: [bib-name]" in err
    assert "Found 2 errors." in err
    assert out == ""  # nothing checked until the file reads


def test_an_escaped_underscore_in_a_doi_is_the_doi(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project, fixture_bib().replace("10.1186/s12888-018-1816-6", "10.1186/s12888\\_018"))
    code, _, err = run(project, capsys)
    assert code == 1
    assert "The DOI 10.1186/s12888_018 of entry 'zalta2018evaluating' has not been verified" in err


def line_of_bytes(path: Path, needle: str) -> int:
    lines = path.read_bytes().split(b"\n")
    return next(i for i, line in enumerate(lines, start=1) if needle.encode() in line)


def test_an_unreadable_bibliography_is_one_problem_not_every_record_unused(
    project: Path,
) -> None:
    """make check's DOI stage: pybtex's problem alone; no lock record is "unused" because the
    bibliography could not be read (it said so for all of them)."""
    from iopguide.check import check_dois

    text = fixture_bib().replace(
        "@article{", "@article{dup,\n  title = {a},\n  title = {b}\n}\n\n@article{", 1
    )
    install(project, text)
    problems = check_dois(project)
    assert [p.rule for p in problems] == ["bib-duplicate-field"]
