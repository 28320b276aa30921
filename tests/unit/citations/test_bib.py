"""bibliography.bib is read by pybtex: every error it reports named by line, never an exception;
what it accepts is never an error; house policy after."""

from __future__ import annotations

from pathlib import Path

import pybtex.database
import pytest
from pybtex.exceptions import PybtexError

from iopguide.citations.bib import load_bibliography, parse_bibliography
from iopguide.report import format_problem, sorted_problems

FIXTURES = Path(__file__).parents[2] / "fixtures" / "bibtex"

ARTICLE = """@article{alpha2020fixture,
  author  = {Alpha, Ann},
  title   = {A fixture article},
  journal = {Journal of Test Fixtures},
  year    = {2020},
  doi     = {10.5555/fixture.1}
}
"""


def _messages(problems: list) -> list[str]:
    ordered = sorted(sorted_problems(problems), key=lambda p: (p.line or 0, p.rule, p.message))
    return [format_problem(p).split(" Fix: ")[0] for p in ordered]


def _load(tmp_path: Path, text: str) -> tuple[object, list[str]]:
    path = tmp_path / "bibliography.bib"
    path.write_text(text, encoding="utf-8")
    bib, problems = load_bibliography(path, tmp_path)
    return bib, _messages(problems)


def test_a_clean_file_loads_with_the_line_of_each_entry_and_field(tmp_path: Path) -> None:
    text = "% comment line\n\n" + ARTICLE + "\n@misc{beta2019fixture,\n  title = {A page}\n}\n"
    bib, messages = _load(tmp_path, text)
    assert messages == []
    assert bib is not None
    assert bib.keys == ["alpha2020fixture", "beta2019fixture"]
    assert bib.line_of("alpha2020fixture") == 3
    assert bib.line_of("alpha2020fixture", "doi") == 8
    assert bib.line_of("beta2019fixture") == 11
    assert bib.line_of("beta2019fixture", "title") == 12


def test_missing_file(tmp_path: Path) -> None:
    bib, problems = load_bibliography(tmp_path / "bibliography.bib", tmp_path)
    assert bib is None
    assert [format_problem(p) for p in problems] == [
        "bibliography.bib: [bib-missing] the bibliography file bibliography.bib does not exist. "
        "Fix: restore bibliography.bib (git checkout -- bibliography.bib) or correct 'bib_file' "
        "under the bibtex plugin in mkdocs.yml. (See docs/style-guide.md#citations)"
    ]


def test_what_pybtex_accepts_is_accepted() -> None:
    """@string, @preamble, an unbalanced brace in @comment, a line starting with @ inside a
    value, a field named _number, an escaped underscore in a DOI, crossref."""
    bib, problems = load_bibliography(FIXTURES / "accepted.bib", FIXTURES)
    assert _messages(problems) == []
    assert bib is not None
    assert bib.keys == [
        "alpha2020escaped",
        "who2021statement",
        "beta2019volume",
        "gamma2019paper",
    ]
    alpha = bib.entry("alpha2020escaped")
    assert alpha.fields["journal"] == "Journal of Test Fixtures"  # from @string
    assert alpha.fields["_number"] == "7"
    assert bib.doi("alpha2020escaped") == "10.5555/978-3-030-44051-0_5"
    assert bib.entry("who2021statement").fields["note"].endswith("@WHO on social media")
    assert bib.line_of("gamma2019paper") == 33
    # crossref: the paper inherits the fields it lacks, but not the volume's DOI.
    paper = bib.entry("gamma2019paper")
    assert paper.fields["booktitle"] == "Proceedings of a Fixture Meeting"
    assert paper.fields["year"] == "2019"
    assert [str(p) for p in paper.persons["editor"]] == ["Beta, Bea"]
    assert bib.doi("gamma2019paper") is None


def test_every_pybtex_error_is_reported_with_its_line() -> None:
    bib, problems = load_bibliography(FIXTURES / "errors.bib", FIXTURES)
    assert bib is None
    assert _messages(problems) == [
        "errors.bib:5: [bib-duplicate-field] entry 'alpha2020twice' (line 2) has the field "
        "'title' twice (lines 4 and 5).",
        "errors.bib:12: [bib-name] entry 'beta2020commas' (line 10): a name in its editor field "
        "has too many commas: 'Editor, Ed, Jr, Extra'.",
        "errors.bib:18: [bib-duplicate-key] key 'Alpha2020Twice' on line 18 repeats the key "
        "'alpha2020twice' of line 2 (keys ignore upper and lower case).",
        "errors.bib:25: [bib-syntax] in the field 'journal' (line 25) of entry 'gamma2020bare' "
        "(line 22), the value Journal is not in {braces}.",
        "errors.bib:29: [bib-syntax] pybtex cannot read the field 'key' (line 29) of entry "
        "'delta2020space' (line 29): '=' expected, found ','.",
    ]


@pytest.mark.parametrize("name", ["accepted.bib", "errors.bib"])
def test_the_check_and_the_renderer_agree(name: str) -> None:
    """mkdocs-bibtex parses with pybtex in strict mode: it fails exactly when we report an
    error, and otherwise reads the same entries and fields we do."""
    path = FIXTURES / name
    _, problems = parse_bibliography(path.read_text(encoding="utf-8"), name)
    try:
        data = pybtex.database.parse_file(str(path))
    except PybtexError:
        assert problems
        return
    assert problems == []
    ours = parse_bibliography(path.read_text(encoding="utf-8"), name)[0].data
    assert ours.entries == data.entries
    assert list(ours.entries) == list(data.entries)


def test_the_real_bibliography_reads_as_pybtex_reads_it() -> None:
    from iopguide import ROOT

    path = ROOT / "bibliography.bib"
    bib, problems = parse_bibliography(path.read_text(encoding="utf-8"), "bibliography.bib")
    assert problems == []
    assert bib.data.entries == pybtex.database.parse_file(str(path)).entries
    lines = path.read_text(encoding="utf-8").splitlines()
    for key in bib.keys:
        assert lines[bib.line_of(key) - 1].lstrip().startswith("@"), key
        assert key in lines[bib.line_of(key) - 1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            ARTICLE.replace("{A fixture article}", "{A fixture article") + "\n@misc{b,\n}\n",
            "bibliography.bib:1: [bib-syntax] entry 'alpha2020fixture' (line 1) is not closed "
            "before the next entry on line 9; the "
            "field 'title' (line 3) may lack its closing '}'.",
        ),
        (
            ARTICLE.rstrip().removesuffix("}").replace("{2020}", "{2020"),
            "bibliography.bib:5: [bib-syntax] the file ends inside the field 'year' (line 5) of "
            "entry 'alpha2020fixture' (line 1): a '}' is missing.",
        ),
        (
            ARTICLE.replace("{Journal of Test Fixtures}", '"Journal} of"'),
            "bibliography.bib:4: [bib-syntax] pybtex cannot read the field 'journal' (line 4) of "
            "entry 'alpha2020fixture' (line 1): unbalanced braces.",
        ),
        (
            "Questions: write to editor@example.org\n" + ARTICLE,
            "bibliography.bib:1: [bib-syntax] the '@' on line 1 does not start an entry ('(' or "
            "'{' expected, found '@article{alpha2020fixture,').",
        ),
    ],
)
def test_syntax_errors(tmp_path: Path, text: str, expected: str) -> None:
    bib, messages = _load(tmp_path, text)
    assert bib is None
    assert messages == [expected]


def test_house_policy_is_labelled_as_policy(tmp_path: Path) -> None:
    text = (
        ARTICLE + "@article{beta2019fixture,\n  author = {Beta, Carl},\n  title = {No journal},\n"
        "  year = {2019}\n}\n"
        "@weird{delta:2020,\n  title = {Odd}\n}\n"
        "@book{eps2018fixture,\n  editor = {Eps, Ed},\n  title = {Book},\n  year = {2018}\n}\n"
        "@incollection{zeta2018chapter,\n  author = {Zeta, Zoe},\n  title = {Chapter},\n"
        "  crossref = {eps2018book}\n}\n"
    )
    bib, messages = _load(tmp_path, text)
    assert bib is not None
    assert messages == [
        "bibliography.bib:8: [bib-policy-missing-field] entry 'beta2019fixture' (@article) has "
        "no 'journal' field.",
        "bibliography.bib:13: [bib-policy-entry-type] entry 'delta:2020' has the type @weird, "
        "which this site does not format.",
        "bibliography.bib:13: [bib-policy-key-characters] key 'delta:2020' cannot be cited: a "
        "key may only use letters, digits, '_' and '-'.",
        "bibliography.bib:16: [bib-policy-missing-field] entry 'eps2018fixture' (@book) has no "
        "'publisher' field.",
        "bibliography.bib:21: [bib-policy-missing-field] entry 'zeta2018chapter' "
        "(@incollection) has no 'booktitle' field.",
        "bibliography.bib:21: [bib-policy-missing-field] entry 'zeta2018chapter' "
        "(@incollection) has no 'publisher' field.",
        "bibliography.bib:21: [bib-policy-missing-field] entry 'zeta2018chapter' "
        "(@incollection) has no 'year' field.",
        "bibliography.bib:24: [bib-crossref] entry 'zeta2018chapter' has crossref = "
        "{eps2018book}, but no entry has that key.",
    ]


@pytest.mark.parametrize(
    ("doi", "reason"),
    [
        ("10.1176/appi.ps.201300249", None),
        ("10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0", None),
        ("10.1007/978-3-030-44051-0\\_5", None),
        ("10.1176/appi ps", "the DOI '10.1176/appi ps' contains a space"),
        ("10.12/short.prefix", "'10.12/short.prefix' is not a well-formed DOI"),
        (
            "https://doi.org/10.1176/appi.ps.201300249",
            "the DOI 'https://doi.org/10.1176/appi.ps.201300249' starts with a web address",
        ),
    ],
)
def test_doi_syntax_follows_crossref(tmp_path: Path, doi: str, reason: str | None) -> None:
    _, messages = _load(tmp_path, ARTICLE.replace("10.5555/fixture.1", doi))
    if reason is None:
        assert messages == []
    else:
        assert len(messages) == 1
        assert messages[0].startswith(
            f"bibliography.bib:6: [bib-doi-syntax] entry 'alpha2020fixture': {reason}"
        )


def test_a_duplicate_doi_is_one_problem_with_one_rule(tmp_path: Path) -> None:
    text = ARTICLE + ARTICLE.replace("alpha2020fixture", "gamma2021fixture").replace(
        "fixture.1", "FIXTURE.1"
    )
    _, messages = _load(tmp_path, text)
    assert messages == [
        "bibliography.bib:13: [bib-duplicate-doi] entries 'alpha2020fixture' (line 1) and "
        "'gamma2021fixture' (line 8) have the same DOI '10.5555/FIXTURE.1'."
    ]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bibliography.bib"
    path.write_bytes(ARTICLE.replace("Ann", "Ren\xe9").encode("latin-1"))
    _, problems = load_bibliography(path, tmp_path)
    assert [(p.line, p.rule) for p in problems] == [(2, "bib-encoding")]


def test_the_reading_benchmark_runs_as_documented() -> None:
    """bench/RESULTS.md shows `.venv/bin/python bench/bibtex.py --repeat 5` (a small run)."""
    import subprocess
    import sys

    from iopguide import ROOT

    proc = subprocess.run(
        [sys.executable, "bench/bibtex.py", "--entries", "40", "--repeat", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    rows = [line.split("|")[1:-1] for line in proc.stdout.splitlines() if line[2:3].isdigit()]
    assert [int(row[0]) for row in rows] == [10, 20, 40]
    assert all(float(cell) >= 0 for row in rows for cell in row)


def test_the_check_fails_exactly_when_the_renderer_would_on_broken_files() -> None:
    """Small random edits (a deleted or added brace, comma, quote, @ ...) of a real file: the
    check reports a problem exactly when pybtex's strict parse (mkdocs-bibtex's) raises, and
    every problem has a line."""
    import random

    text = (FIXTURES / "accepted.bib").read_text(encoding="utf-8")
    chars = '{}@,="#%\\\n ()~$_a'
    rng = random.Random(14)
    failing = 0
    for _ in range(150):
        edited = list(text)
        for _ in range(rng.randint(1, 3)):
            pos = rng.randrange(len(edited))
            if rng.random() < 0.5:
                del edited[pos]
            else:
                edited.insert(pos, rng.choice(chars))
        broken = "".join(edited)
        _, problems = parse_bibliography(broken, "b.bib")
        try:
            pybtex.database.parse_string(broken, "bibtex")
        except PybtexError:
            failing += 1
            assert problems and all(p.line for p in problems), broken
        else:
            assert problems == [], broken
    assert failing > 30  # the edits did break files
