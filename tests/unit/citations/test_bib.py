"""bibliography.bib checks: every problem named by line, never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from iopguide.citations.bib import load_bibliography, scan_entries
from iopguide.report import format_problem, sorted_problems

ARTICLE = """@article{alpha2020fixture,
  author  = {Alpha, Ann},
  title   = {A fixture article},
  journal = {Journal of Test Fixtures},
  year    = {2020},
  doi     = {10.5555/fixture.1}
}
"""


def _load(tmp_path: Path, text: str) -> tuple[object, list[str]]:
    path = tmp_path / "bibliography.bib"
    path.write_text(text, encoding="utf-8")
    bib, problems = load_bibliography(path, tmp_path)
    return bib, [format_problem(p).split(" Fix: ")[0] for p in sorted_problems(problems)]


def test_a_clean_file_loads_with_the_line_of_each_entry(tmp_path: Path) -> None:
    text = "% comment line\n\n" + ARTICLE + "\n@misc{beta2019fixture,\n  title = {A page}\n}\n"
    bib, messages = _load(tmp_path, text)
    assert messages == []
    assert bib is not None
    assert bib.keys == ["alpha2020fixture", "beta2019fixture"]
    assert bib.line_of("alpha2020fixture") == 3
    assert bib.line_of("beta2019fixture") == 11


def test_missing_file(tmp_path: Path) -> None:
    bib, problems = load_bibliography(tmp_path / "bibliography.bib", tmp_path)
    assert bib is None
    assert [format_problem(p) for p in problems] == [
        "bibliography.bib: [bib-missing] the bibliography file bibliography.bib does not exist. "
        "Fix: restore bibliography.bib (git checkout -- bibliography.bib) or correct 'bib_file' "
        "under the bibtex plugin in mkdocs.yml. (See docs/style-guide.md#citations)"
    ]


def test_unclosed_entry_names_its_first_line_and_the_next_entry(tmp_path: Path) -> None:
    text = (
        ARTICLE.replace("{A fixture article}", "{A fixture article") + "\n@misc{b,\n title={x}}\n"
    )
    bib, messages = _load(tmp_path, text)
    assert bib is None
    assert messages == [
        "bibliography.bib:1: [bib-syntax] entry 'alpha2020fixture' is not closed: a '}' is "
        "missing before the next entry, on line 9."
    ]


def test_unclosed_last_entry(tmp_path: Path) -> None:
    _, messages = _load(tmp_path, ARTICLE.rstrip().removesuffix("}"))
    assert messages == [
        "bibliography.bib:1: [bib-syntax] entry 'alpha2020fixture' is not closed: a '}' is "
        "missing before the end of the file."
    ]


def test_missing_comma_after_key(tmp_path: Path) -> None:
    _, messages = _load(tmp_path, ARTICLE.replace("alpha2020fixture,", "alpha2020fixture"))
    assert messages == [
        "bibliography.bib:1: [bib-syntax] entry 'alpha2020fixture' has no comma after its key."
    ]


def test_pybtex_syntax_error_is_named_by_line_and_entry(tmp_path: Path) -> None:
    _, messages = _load(tmp_path, ARTICLE.replace("{Journal of Test Fixtures}", "Journal"))
    assert messages == [
        "bibliography.bib:4: [bib-syntax] the file cannot be read in entry 'alpha2020fixture' "
        "(starts on line 1): the value Journal is not in {braces}."
    ]


def test_duplicate_keys_name_both_lines(tmp_path: Path) -> None:
    text = ARTICLE + "\n" + ARTICLE + "\n" + ARTICLE.replace("alpha2020fixture", "ALPHA2020fixture")
    bib, messages = _load(tmp_path, text)
    assert bib is None
    assert messages == [
        "bibliography.bib:9: [bib-duplicate-key] key 'alpha2020fixture' is used twice: on line 1 "
        "and on line 9.",
        "bibliography.bib:17: [bib-duplicate-key] key 'ALPHA2020fixture' on line 17 repeats the "
        "key 'alpha2020fixture' of line 1 (keys ignore upper and lower case).",
    ]


def test_entry_rules(tmp_path: Path) -> None:
    text = (
        ARTICLE + "@article{beta2019fixture,\n  author = {Beta, Carl},\n  title = {No journal},\n"
        "  year = {2019},\n  doi = {doi:10.5555/fixture.2}\n}\n"
        + ARTICLE.replace("alpha2020fixture", "gamma2021fixture").replace("fixture.1", "FIXTURE.1")
        + "@weird{delta:2020,\n  title = {Odd}\n}\n"
        + "@book{eps2018fixture,\n  editor = {Eps, Ed},\n  title = {Book},\n  year = {2018}\n}\n"
    )
    bib, messages = _load(tmp_path, text)
    assert bib is not None
    assert messages == [
        "bibliography.bib:8: [bib-doi-syntax] entry 'beta2019fixture' has the DOI "
        "'doi:10.5555/fixture.2', which is not a valid DOI.",
        "bibliography.bib:8: [bib-missing-field] entry 'beta2019fixture' (@article) has no "
        "'journal' field.",
        "bibliography.bib:14: [bib-duplicate-doi] entries 'alpha2020fixture' (line 1) and "
        "'gamma2021fixture' (line 14) have the same DOI '10.5555/FIXTURE.1'.",
        "bibliography.bib:21: [bib-entry-type] entry 'delta:2020' has the type @weird, which "
        "this site does not format.",
        "bibliography.bib:21: [bib-key-characters] key 'delta:2020' cannot be cited: a key may "
        "only use letters, digits, '_' and '-'.",
        "bibliography.bib:24: [bib-missing-field] entry 'eps2018fixture' (@book) has no "
        "'publisher' field.",
    ]


@pytest.mark.parametrize(
    ("doi", "valid"),
    [
        ("10.1176/appi.ps.201300249", True),
        # Crossref's second pattern: early Wiley DOIs.
        ("10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0", True),
        ("10.1176/appi ps", False),
        ("10.12/short.prefix", False),
        ("https://doi.org/10.1176/appi.ps.201300249", False),
    ],
)
def test_doi_syntax_follows_crossref(tmp_path: Path, doi: str, valid: bool) -> None:
    _, messages = _load(tmp_path, ARTICLE.replace("10.5555/fixture.1", doi))
    expected = (
        f"bibliography.bib:1: [bib-doi-syntax] entry 'alpha2020fixture' has the DOI '{doi}', "
        "which is not a valid DOI."
    )
    assert messages == ([] if valid else [expected])


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bibliography.bib"
    path.write_bytes(ARTICLE.replace("Ann", "Ren\xe9").encode("latin-1"))
    _, problems = load_bibliography(path, tmp_path)
    assert [(p.line, p.rule) for p in problems] == [(2, "bib-encoding")]


def test_scanner_skips_comments_strings_and_at_signs_inside_values() -> None:
    text = (
        '@comment{anything}\n@string{jtf = "Journal"}\n'
        "@misc{a,\n  note = {write to info@example.org},\n  title = {x}\n}\n"
    )
    positions, problems = scan_entries(text, "bibliography.bib")
    assert problems == []
    assert [(p.type, p.key, p.line) for p in positions] == [("misc", "a", 3)]


def test_the_doi_check_reads_the_bibliography_with_the_same_reader() -> None:
    # One line-numbered reader: the DOI check sees the same entries, lines and DOIs as the
    # citation check (and pybtex, which renders them).
    from iopguide import ROOT
    from iopguide.dois.bib import parse_bib_text

    path = ROOT / "bibliography.bib"
    bib, problems = load_bibliography(path, ROOT)
    assert problems == [] and bib is not None
    read = parse_bib_text(path.read_text(encoding="utf-8"), "bibliography.bib")
    assert read.problems == []
    assert {e.key: e.line for e in read.entries} == {k: bib.line_of(k) for k in bib.keys}
    for entry in read.entries:
        expected = bib.entry(entry.key).fields.get("doi")
        assert entry.doi == (str(expected).strip() if expected is not None else None)
        if entry.doi:
            line = path.read_text(encoding="utf-8").splitlines()[entry.line_of("doi") - 1]
            assert entry.doi in line


def test_a_broken_entry_is_reported_once_by_the_doi_check() -> None:
    from iopguide.dois.bib import parse_bib_text

    text = (
        "@article{nocomma2020 title = {A}, year = {2020}}\n"
        "@article{fine2020,\n  title = {B},\n  doi = {10.1234/b}\n}\n"
    )
    read = parse_bib_text(text, "broken.bib")
    assert [(p.line, p.rule) for p in read.problems] == [(1, "bib-syntax")]
    assert "no comma after its key" in read.problems[0].message
    assert [(e.key, e.line, e.doi, e.line_of("doi")) for e in read.entries] == [
        ("fine2020", 2, "10.1234/b", 4)
    ]
