"""Sources whose DOI is ``pending`` in dois.lock.json: not on the Sources page, not citable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iopguide.citations.layer import CitationLayer, check
from iopguide.report import format_problem

BIB = """@article{mccarty2014fixture,
  author = {McCarty, Dan}, title = {Confirmed Title}, journal = {J}, year = {2014},
  doi = {10.1176/appi.ps.201300249}
}
@article{yasinski2022fixture,
  author = {Yasinski, Carly}, title = {Unconfirmed Title}, journal = {J}, year = {2022},
  doi = {10.1016/J.JPSYCHIRES.2022.06.029}
}
"""


def _record(key: str, how: str) -> dict[str, object]:
    record: dict[str, object] = {
        "key": key,
        "title": "T",
        "first_author": "A",
        "year": 2000,
        "journal": "J",
        "verified_by": how,
    }
    if how == "pending":
        record.update(recorded_on="2026-11-30", note="fixture")
    else:
        record.update(verified_on="2026-11-30")
    return record


def _project(tmp_path: Path, yasinski: str = "pending") -> Path:
    (tmp_path / "bibliography.bib").write_text(BIB, encoding="utf-8")
    lock = {
        "dois": {
            "10.1176/appi.ps.201300249": _record("mccarty2014fixture", "crossref"),
            "10.1016/j.jpsychires.2022.06.029": _record("yasinski2022fixture", yasinski),
        }
    }
    (tmp_path / "dois.lock.json").write_text(json.dumps(lock, indent=2), encoding="utf-8")
    (tmp_path / "docs").mkdir(exist_ok=True)
    return tmp_path


def _layer(root: Path) -> CitationLayer:
    layer = CitationLayer()
    assert layer.load(root / "bibliography.bib", root) == []
    return layer


def test_citing_a_pending_source_is_an_error_that_says_why(tmp_path: Path) -> None:
    layer = _layer(_project(tmp_path))
    layer.process_markdown(
        "Claim [@mccarty2014fixture].\n\nOther [@yasinski2022fixture].\n", "p.md"
    )
    assert [p.rule for p in layer.problems] == ["citation-pending"]
    text = format_problem(layer.problems[0])
    assert text.startswith("p.md:3:8: [citation-pending] the source 'yasinski2022fixture' cannot")
    assert "dois.lock.json records it as pending" in text
    assert "weekly online check" in text


def test_the_sources_page_leaves_a_pending_source_out(tmp_path: Path) -> None:
    layer = _layer(_project(tmp_path))
    out = layer.process_markdown("# Sources\n\n\\full_bibliography\n", "docs/sources.md")
    assert "Confirmed Title" in out and "#ref-mccarty2014fixture" in out
    assert "Unconfirmed Title" not in out and "yasinski2022fixture" not in out


def test_once_confirmed_the_source_is_listed_and_citable(tmp_path: Path) -> None:
    root = _project(tmp_path)
    layer = _layer(root)
    assert layer.pending == {"yasinski2022fixture"}
    _project(tmp_path, yasinski="crossref")  # the online check recorded it
    assert layer.load(root / "bibliography.bib", root) == []  # a changed lock is read again
    assert layer.pending == set()
    out = layer.process_markdown(
        "# Sources\n\n\\full_bibliography\n\n[@yasinski2022fixture]\n", "s"
    )
    assert layer.problems == []
    assert "Unconfirmed Title" in out


def test_a_broken_lock_stops_the_build_with_its_own_message(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "dois.lock.json").write_text("{ not json", encoding="utf-8")
    layer = CitationLayer()
    problems = layer.load(root / "bibliography.bib", root)
    assert [p.rule for p in problems] == ["doi-lock-invalid"]
    assert problems[0].file == "dois.lock.json"


def test_the_citations_command_reports_a_pending_citation(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "docs" / "page.md").write_text("Claim [@yasinski2022fixture].\n", encoding="utf-8")
    # The command reads the page list and bib_file from mkdocs.yml, as the build does.
    (root / "mkdocs.yml").write_text(
        "site_name: Fixture\nplugins:\n  - bibtex:\n      bib_file: bibliography.bib\n",
        encoding="utf-8",
    )
    problems = check(root)
    assert [(p.file, p.line, p.rule) for p in problems] == [("docs/page.md", 1, "citation-pending")]


@pytest.mark.parametrize("how", ["crossref", "manual"])
def test_only_pending_records_hide_a_source(tmp_path: Path, how: str) -> None:
    root = _project(tmp_path, yasinski=how)
    if how == "manual":
        lock = json.loads((root / "dois.lock.json").read_text())
        lock["dois"]["10.1016/j.jpsychires.2022.06.029"]["source"] = "fixture page"
        (root / "dois.lock.json").write_text(json.dumps(lock), encoding="utf-8")
    assert _layer(root).pending == set()


def test_a_pending_doi_written_with_an_escaped_underscore_is_pending(tmp_path: Path) -> None:
    # The DOI is read the one way (pybtex's field, "\_" unescaped), as the DOI check reads it.
    root = _project(tmp_path)
    bib = root / "bibliography.bib"
    bib.write_text(
        BIB.replace("10.1016/J.JPSYCHIRES.2022.06.029", "10.1016/J.JPSYCHIRES.2022\\_06.029"),
        encoding="utf-8",
    )
    lock = root / "dois.lock.json"
    lock.write_text(lock.read_text().replace("2022.06.029", "2022_06.029"), encoding="utf-8")
    assert _layer(root).pending == {"yasinski2022fixture"}
