"""The `make serve` banner of problems (iopguide.preview)."""

from __future__ import annotations

from pathlib import Path

from iopguide.preview import BANNER_CLASS, add_banner, banner_html
from iopguide.report import Problem


def test_no_problem_no_banner(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html><body><p>x</p></body></html>")
    assert banner_html([]) == ""
    add_banner(tmp_path, [])
    assert (tmp_path / "index.html").read_text() == "<html><body><p>x</p></body></html>"


def test_every_page_gets_every_problem_escaped(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<html><body class="x"><p>home</p></body></html>')
    (tmp_path / "a" / "index.html").write_text("<html><body><p>a</p></body></html>")
    problems = [Problem("docs/a.md", 3, 7, "html-tag", "The tag <script> is not allowed", "x")]
    add_banner(tmp_path, problems)
    home = (tmp_path / "index.html").read_text()
    assert (
        (tmp_path / "a" / "index.html")
        .read_text()
        .startswith(f'<html><body><div class="{BANNER_CLASS}" role="alert">')
    )
    assert home.startswith(f'<html><body class="x"><div class="{BANNER_CLASS}" role="alert">')
    assert "Preview only: 1 problem to fix." in home
    assert "docs/a.md:3:7: [html-tag] The tag &lt;script&gt; is not allowed. Fix: x." in home
    assert "<script>" not in home


def test_a_backslash_in_a_problem_is_shown_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html><body><p>x</p></body></html>")
    add_banner(tmp_path, [Problem("bibliography.bib", 3, None, "doi", r"DOI 10.1/a\_b", "x")])
    assert r"DOI 10.1/a\_b" in (tmp_path / "index.html").read_text()
