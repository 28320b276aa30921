"""Reading DOIs and the compared fields from BibTeX (pybtex's reading), with line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from iopguide.citations.bib import Bibliography, doi_problem, read_bibliography
from iopguide.citations.latex import to_text
from iopguide.dois.lock import from_bib, mismatched_fields, same_title, squeeze

FIXTURE = Path(__file__).parents[2] / "fixtures" / "dois" / "sources.bib"


def fixture() -> Bibliography:
    bib, problems = read_bibliography(FIXTURE, FIXTURE.name)
    assert bib is not None and problems == []
    return bib


def read_text(folder: Path, text: str, name: str = "x.bib") -> tuple[Bibliography | None, list]:
    (folder / name).write_text(text, encoding="utf-8")
    return read_bibliography(folder / name, name)


def test_entries_fields_and_lines() -> None:
    bib = fixture()
    assert bib.keys == ["mccarty2014substance", "zalta2018evaluating", "csat2006tip47"]
    mccarty, zalta, report = bib.keys
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    assert "10.1176/appi.ps.201300249" in lines[bib.line_of(mccarty, "doi") - 1]
    assert "title" in lines[bib.line_of(zalta, "title") - 1]
    assert bib.entry(zalta).fields.get("year") == "2018"  # a bare number
    people = bib.entry(zalta).persons["author"]
    assert [str(p) for p in people] == ["Zalta, Alyson K.", "Held, Philip"]
    assert bib.doi(report) is None


def test_metadata_from_bib() -> None:
    bib = fixture()
    zalta = from_bib(bib.entry("zalta2018evaluating"))
    assert zalta.first_author == "Zalta"
    assert zalta.year == 2018
    assert zalta.journal == "BMC Psychiatry"
    assert zalta.title is not None and zalta.title.endswith("veterans with PTSD")
    assert from_bib(bib.entry("csat2006tip47")).journal is None


@pytest.mark.parametrize(
    ("author", "family"),
    [
        ("McCarty, Dennis and Braude, Lisa", "McCarty"),
        ("Dennis McCarty and Lisa Braude", "McCarty"),
        ("{Center for Substance Abuse Treatment}", "Center for Substance Abuse Treatment"),
        ('M{\\"u}ller, Anna', "M\u00fcller"),
        ("{Smith and Sons}, Ltd and Doe, Jane", "Smith and Sons"),
        ("van der Berg, Anna", "van der Berg"),
    ],
)
def test_first_author_family_name(tmp_path: Path, author: str, family: str) -> None:
    bib, _ = read_text(tmp_path, f"@article{{a, author = {{{author}}}, title = {{T}}}}")
    assert bib is not None and from_bib(bib.entry("a")).first_author == family


def test_fields_are_read_as_pybtex_reads_them(tmp_path: Path) -> None:
    text = (
        "@article{a,\n  author = {Alpha, Ann},\n"
        '  title = {50% of {PTSD} cases in M{\\"u}nchen \\& Wien},\n'
        "  journal = {Hum. Brain Mapp.},\n  year = {2020},\n"
        "  doi = {10.1007/978-3-030-44051-0\\_5}\n}\n"
    )
    bib, problems = read_text(tmp_path, text)
    assert bib is not None and problems == []
    assert bib.doi("a") == "10.1007/978-3-030-44051-0_5"
    assert bib.line_of("a", "doi") == 6
    ours = from_bib(bib.entry("a"))
    assert ours.title == "50% of PTSD cases in M\u00fcnchen & Wien"  # not cut at the bare %
    assert ours.journal == "Hum. Brain Mapp."
    assert ours.first_author == "Alpha"


def test_normalize_ignores_markup_case_punctuation_and_accents() -> None:
    assert squeeze(to_text("Care for {PTSD} \\& depression")) == squeeze(
        "care for PTSD and Depression."
    )
    assert squeeze("<i>Müller</i>&amp;co") == squeeze("Muller & Co")
    assert squeeze("The Lancet") == squeeze("Lancet")
    assert squeeze("Substance abuse: assessing") != squeeze("Substance use: assessing")
    assert squeeze("post-traumatic stress") == squeeze("Posttraumatic Stress")


def test_mismatched_fields_names_each_field() -> None:
    ours = from_bib(fixture().entry("mccarty2014substance"))
    other = type(ours)(title=ours.title, first_author="Braude", year=2015, journal=ours.journal)
    assert mismatched_fields(ours, other) == ["first_author", "year"]
    assert mismatched_fields(ours, ours) == []


def test_doi_syntax() -> None:
    assert doi_problem("10.1176/appi.ps.201300249") is None
    assert doi_problem("10.1002/(SICI)1097-4679(199802)54:2<239::AID-JCLP11>3.0.CO;2-R") is None
    problem = doi_problem("https://doi.org/10.1176/appi.ps.201300249")
    assert problem is not None and "web address" in problem
    assert doi_problem("10.1176 /appi") is not None
    assert doi_problem("11.1176/appi") is not None
    assert doi_problem("") is not None


def test_a_file_pybtex_cannot_read_gives_its_problems_and_no_entries(tmp_path: Path) -> None:
    text = "@article{ok2020a,\n  title = {Fine},\n  doi = {10.1234/abc}\n}\n\n@article{bad,\n"
    text += "  title = {Never closed\n"
    bib, problems = read_text(tmp_path, text, "broken.bib")
    assert bib is None
    assert [(p.line, p.rule) for p in problems] == [(7, "bib-syntax")]
    message = problems[0].message
    assert "the file ends inside the field 'title' (line 7) of entry 'bad'" in message


def test_titles_match_with_or_without_a_subtitle() -> None:
    full = "Massed vs Intensive Outpatient Prolonged Exposure: A Randomized Clinical Trial"
    assert same_title(full, "Massed vs Intensive Outpatient Prolonged Exposure")
    assert same_title(
        full, "Massed vs Intensive Outpatient Prolonged Exposure", "A Randomized Clinical Trial"
    )
    assert same_title("Massed vs intensive outpatient prolonged exposure", full)
    assert same_title("Post-traumatic stress in veterans", "Posttraumatic Stress in Veterans")
    # The same main title with another subtitle is another work.
    assert not same_title(full, "Massed vs Intensive Outpatient Prolonged Exposure: A Pilot Study")
    assert not same_title(full, None)
