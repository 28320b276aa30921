"""Citations for JSON-LD: the keys the citation layer read in a page, entries from BibTeX."""

from __future__ import annotations

from pathlib import Path

from iopguide.citations.bib import Bibliography
from iopguide.citations.bib import load_bibliography as read
from iopguide.citations.layer import CitationLayer
from iopguide.pages.hooks import citations


def load_bibliography(path: Path) -> Bibliography | None:
    """The bibliography as PageHooks reads it for JSON-LD (None when pybtex cannot)."""
    return read(path, path.parent)[0]


BIB = r"""
@article{smith2020study,
  author = {Smith, Jane A. and Lee, Kim and others},
  title = {A {Study} of Things},
  journal = {Journal},
  year = {2020},
  pages = {1--9},
  doi = {10.1000/xyz123}
}
@book{agency2006guide,
  author = {{Center for Substance Abuse Treatment}},
  title = {A Guide},
  year = {2006},
  url = {https://www.ncbi.nlm.nih.gov/books/NBK64093/}
}
"""


def creative_work(key: str, bib: Bibliography) -> dict:
    """One entry as the page's JSON-LD gives it."""
    (work,) = citations([key], bib)
    return work


def test_cited_keys_in_reading_order_without_code(tmp_path: Path) -> None:
    path = tmp_path / "bibliography.bib"
    path.write_text(BIB, encoding="utf-8")
    markdown = (
        "IOPs help [@smith2020study]. More [see @agency2006guide, p. 3; @smith2020study].\n"
        "Mail us at help@example.org or [write](mailto:a@b.org).\n"
        "`[@notakey]`\n\n```\n[@alsonot]\n```\n[-@agency2006guide]\n"
    )
    layer = CitationLayer()
    layer.load(path, tmp_path)
    layer.process_markdown(markdown, "docs/page.md")
    works = citations(layer.cited["docs/page.md"], load_bibliography(path))
    assert [work["name"] for work in works] == ["A Study of Things", "A Guide"]


def test_creative_work_from_bibtex(tmp_path: Path) -> None:
    """Only what identifies a work: type, title, and its DOI link (or its web address)."""
    path = tmp_path / "bibliography.bib"
    path.write_text(BIB, encoding="utf-8")
    bib = load_bibliography(path)
    assert bib is not None
    assert creative_work("smith2020study", bib) == {
        "@type": "ScholarlyArticle",
        "name": "A Study of Things",
        "url": "https://doi.org/10.1000/xyz123",
    }
    assert creative_work("agency2006guide", bib) == {
        "@type": "Book",
        "name": "A Guide",
        "url": "https://www.ncbi.nlm.nih.gov/books/NBK64093/",
    }


def test_doi_wins_over_url_and_a_work_without_either_keeps_its_name(tmp_path: Path) -> None:
    path = tmp_path / "bibliography.bib"
    path.write_text(
        BIB + "@online{site2026page, title = {A Page}, url = {https://example.org/a},"
        " doi = {10.1000/abc}}\n" + "@misc{note2026plain, title = {A {Note} -- Plain}}\n",
        encoding="utf-8",
    )
    bib = load_bibliography(path)
    assert bib is not None
    assert creative_work("site2026page", bib) == {
        "@type": "WebPage",
        "name": "A Page",
        "url": "https://doi.org/10.1000/abc",
    }
    assert creative_work("note2026plain", bib) == {
        "@type": "CreativeWork",
        "name": "A Note \u2013 Plain",
    }


def test_unknown_keys_and_missing_bibliography_are_left_out(tmp_path: Path) -> None:
    path = tmp_path / "bibliography.bib"
    path.write_text(BIB, encoding="utf-8")
    bib = load_bibliography(path)
    assert [w["name"] for w in citations(["nobody2000x", "smith2020study"], bib)] == [
        "A Study of Things"
    ]
    assert load_bibliography(tmp_path / "missing.bib") is None
    assert citations(["smith2020study"], None) == []


def test_json_ld_has_no_latex(tmp_path: Path) -> None:
    path = tmp_path / "bibliography.bib"
    path.write_text(
        '@misc{koehler2020page, title = {K{\\"o}hler \\& \\emph{Sons}: $<$5 \\% of 50% -- a '
        "page}, url = {https://example.org/{~}k{_}s\\_t https://example.org/second}}\n"
        "@book{vol2019book, title = {A Volume}, publisher = {P}, year = {2019},"
        " doi = {10.5555/978-3-030-44051-0\\_5}}\n",
        encoding="utf-8",
    )
    bib = load_bibliography(path)
    assert bib is not None
    assert creative_work("koehler2020page", bib) == {
        "@type": "CreativeWork",
        "name": "K\u00f6hler & Sons: <5 % of 50% \u2013 a page",
        "url": "https://example.org/~k_s_t",
    }
    assert creative_work("vol2019book", bib) == {
        "@type": "Book",
        "name": "A Volume",
        "url": "https://doi.org/10.5555/978-3-030-44051-0_5",
    }
