"""Builds of small fixture sites (tests/fixtures/citations/<case>/) and of the real site.

Each case asserts the exact error text or the exact rendered HTML.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from iopguide import ROOT
from iopguide.citations.bib import load_bibliography
from iopguide.citations.scan import PLACEHOLDER
from iopguide.citations.style import ReferenceFormatter
from iopguide.dois.lock import pending_keys, read_lock
from iopguide.i18n import load_languages
from tests.helpers import BuildResult, build

FIXTURES = ROOT / "tests" / "fixtures" / "citations"
GUIDE = " (See docs/style-guide.md#citations)"


@pytest.fixture(scope="module")
def ok_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    result = build(FIXTURES / "site-ok", tmp_path_factory.mktemp("site-ok"))
    assert result.returncode == 0, result.output
    return result


def _article(result: BuildResult, url: str) -> BeautifulSoup:
    soup = BeautifulSoup(result.page(url), "html.parser")
    article = soup.select_one("article.md-content__inner")
    assert article is not None
    return article


def _paragraph(article: BeautifulSoup, starts: str) -> str:
    found = [str(p) for p in article.find_all("p") if p.get_text().startswith(starts)]
    assert len(found) == 1, f"no single paragraph starting {starts!r}"
    return found[0]


def _ref(n: int, key: str, times: int = 1) -> str:
    first = f'<sup id="fnref:{key}"><a class="footnote-ref" href="#fn:{key}">{n}</a></sup>'
    if times == 1:
        return first
    return f'<sup id="fnref{times}:{key}"><a class="footnote-ref" href="#fn:{key}">{n}</a></sup>'


A, B, G = "alpha2020fixture", "beta2019fixture", "gamma2021fixture"


@pytest.mark.parametrize(
    ("starts", "html"),
    [
        ("IOPs help", f"<p>IOPs help many people{_ref(1, A)}.</p>"),
        (
            "Two sources",
            f'<p>Two sources{_ref(1, A, 2)}<sup class="citation-separator">,</sup>'
            f"{_ref(2, B)}.</p>",
        ),
        (
            "A page number",
            f'<p>A page number{_ref(1, A, 3)}<sup class="citation-locator">(p. 5)</sup>.</p>',
        ),
        (
            "With a prefix",
            f"<p>With a prefix (see {_ref(2, B, 2)}"
            '<sup class="citation-locator">(pp. 3\u20135)</sup>).</p>',
        ),
        # The editor's own footnote keeps its text and is numbered where it is first used.
        ("An editor's own note", f"<p>An editor's own note{_ref(3, 'note')}.</p>"),
        ("Cited inside an admonition", f"<p>Cited inside an admonition{_ref(4, G)}.</p>"),
    ],
)
def test_citations_render_with_numbers_in_reading_order(
    ok_site: BuildResult, starts: str, html: str
) -> None:
    assert _paragraph(_article(ok_site, ""), starts) == html


def test_references_heading_and_list_in_ama_style(ok_site: BuildResult) -> None:
    article = _article(ok_site, "")
    heading = article.find("h2", id="references")
    assert heading is not None and heading.get_text() == "References"
    assert heading.find_next_sibling().get("class") == ["footnote"]
    items = [li for li in heading.find_next_sibling().find_all("li")]
    assert [li["id"] for li in items] == [f"fn:{A}", f"fn:{B}", "fn:note", f"fn:{G}"]
    for li in items:
        for backref in li.select("a.footnote-backref"):
            backref.decompose()
    assert [li.p.decode_contents().strip() for li in items] == [
        "Alpha AB, Beta C, Gamma D, et al. A fixture article about intensive outpatient "
        "programs. <em>Journal of Test Fixtures</em>. 2020;12(3):100\u2013110. "
        'doi:<a href="https://doi.org/10.5555/fixture.2020.1">10.5555/fixture.2020.1</a>',
        'Fixture Agency. <em>A Fixture Handbook</em>. Fixture Press; 2019. <a href="https://'
        'example.org/handbook">https://example.org/handbook</a>',
        "The editor's note, kept as written.",
        'Gamma D. A fixture web page. 2021. <a href="https://example.org/page">'
        "https://example.org/page</a>",
    ]


def test_a_page_without_citations_has_no_references_heading(ok_site: BuildResult) -> None:
    article = _article(ok_site, "plain/")
    assert article.find(id="references") is None
    assert article.find(class_="footnote") is None


@pytest.mark.parametrize(
    ("starts", "html"),
    [
        (
            "Inline code",
            "<p>Inline code: <code>[@alpha2020fixture]</code> and "
            "<code>@pytest.fixture</code>.</p>",
        ),
        (
            "Link text",
            '<p>Link text: <a href="https://github.com/squidfunk">@squidfunk</a>.</p>',
        ),
        ("Plain e-mail", "<p>Plain e-mail in brackets: [mail info@example.org].</p>"),
        (
            "Autolink",
            '<p>Autolink: <a href="mailto:info@example.org">info@example.org</a> and '
            '<a href="https://example.org/@user">https://example.org/@user</a>.</p>',
        ),
        ("Escaped", "<p>Escaped: [@alpha2020fixture].</p>"),
    ],
)
def test_text_that_looks_like_a_citation_renders_as_written(
    ok_site: BuildResult, starts: str, html: str
) -> None:
    assert _paragraph(_article(ok_site, "protected/"), starts) == html


def test_code_blocks_render_as_written(ok_site: BuildResult) -> None:
    article = _article(ok_site, "protected/")
    fenced, indented = article.find_all("pre")
    assert fenced.get_text() == (
        '@pytest.fixture\ndef cite():\n    return "[@alpha2020fixture] [@unknownkey]"\n'
    )
    # The decorator is still highlighted as a decorator (its "@" was never replaced).
    assert '<span class="nd">@pytest</span>' in str(fenced)
    assert str(indented) == "<pre><code>indented code [@alpha2020fixture]\n</code></pre>"
    assert article.find(id="references") is None


def test_sources_page_lists_every_entry_sorted_with_anchors(ok_site: BuildResult) -> None:
    items = _article(ok_site, "sources/").find_all("li")
    assert [li["id"] for li in items] == [f"ref-{A}", f"ref-{B}", f"ref-{G}"]
    assert items[1].decode_contents() == (
        'Fixture Agency. <em>A Fixture Handbook</em>. Fixture Press; 2019. <a href="https://'
        'example.org/handbook">https://example.org/handbook</a>'
    )


def test_no_placeholder_is_left_in_any_page(ok_site: BuildResult) -> None:
    for page in ok_site.site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert PLACEHOLDER not in text and "&#57408;" not in text, page


PAGE_ERRORS = [
    "ERROR   -  Citation problems; the site was not built:",
    "docs/index.md:8:20: [citation-unknown-key] unknown citation key 'alpa2020fixture' (did you "
    "mean 'alpha2020fixture'?). Fix: copy the key exactly from bibliography.bib, or add the "
    "source there first (see CONTRIBUTING, 'How to cite')." + GUIDE,
    "docs/index.md:10:13: [citation-key-case] citation key 'Alpha2020fixture' differs from "
    "'alpha2020fixture' in bibliography.bib only in upper/lower case. Fix: write it exactly as "
    "in bibliography.bib: [@alpha2020fixture]." + GUIDE,
    "docs/index.md:10:46: [citation-key-characters] citation key 'alpha2020fixture.' has "
    "characters a citation cannot use (only letters, digits, '_' and '-'). Fix: copy the key "
    "exactly from bibliography.bib; do not end a citation with a period inside the brackets."
    + GUIDE,
    "docs/index.md:12:12: [citation-in-heading] the citation [@beta2019fixture] is in a "
    "heading. Fix: headings cannot carry citations: move it to the first sentence under the "
    "heading." + GUIDE,
    "docs/index.md:14:26: [citation-syntax] cannot read the citation [@alpha2020fixture p. 5]: "
    "'@alpha2020fixture p. 5' has text after the key with no comma; write "
    "'@alpha2020fixture, p. 5' for a page. Fix: write citations as [@key], [@key, p. 5], "
    "[see @key, pp. 3-5] or [@key1; @key2]; if this is not a citation, write the @ as &#64;."
    + GUIDE,
    "docs/index.md:16:7: [citation-syntax] cannot read the citation [@gamma2021fixture; and "
    "more]: 'and more' is not a citation. Fix: write citations as [@key], [@key, p. 5], "
    "[see @key, pp. 3-5] or [@key1; @key2]; if this is not a citation, write the @ as &#64;."
    + GUIDE,
    "docs/index.md:24:1: [citation-footnote-collision] your footnote [^beta2019fixture] has the "
    "same label as the citation [@beta2019fixture] at docs/index.md:12:13; the reference list "
    "would replace your footnote. Fix: rename your footnote, e.g. [^beta2019fixture-note], in "
    "its reference and its definition." + GUIDE,
    "docs/second.md:7:38: [citation-unknown-key] unknown citation key 'zzz'. Fix: copy the key "
    "exactly from bibliography.bib, or add the source there first (see CONTRIBUTING, 'How to "
    "cite')." + GUIDE,
    "Found 8 errors.",
]


def _error_block(output: str) -> list[str]:
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("ERROR"))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("Found "))
    return lines[start : end + 1]


@pytest.mark.parametrize("strict", [True, False])
def test_every_citation_mistake_of_the_build_in_one_report(tmp_path: Path, strict: bool) -> None:
    previous = tmp_path / "site" / "index.html"
    previous.parent.mkdir()
    previous.write_text("the last good build", encoding="utf-8")
    result = build(FIXTURES / "page-errors", tmp_path / "site", strict=strict)
    assert result.returncode == 1
    assert "Traceback" not in result.output
    assert _error_block(result.output) == PAGE_ERRORS
    # The pages were checked before MkDocs empties site/: the last good build is still there.
    assert "Cleaning site directory" not in result.output
    assert previous.read_text(encoding="utf-8") == "the last good build"
    assert sorted(p.name for p in previous.parent.iterdir()) == ["index.html"]


BIB_ERRORS = {
    "bib-malformed": [
        "bibliography.bib:2: [bib-syntax] entry 'alpha2020fixture' (line 2) is not closed before "
        "the next entry on line 9; the field 'title' (line 4) may lack its closing '}'. "
        "Fix: check that every '{' has a matching '}' and that fields are separated by commas."
        + GUIDE,
    ],
    "bib-missing": [
        "bibliography.bib: [bib-missing] the bibliography file bibliography.bib does not exist. "
        "Fix: restore bibliography.bib (git checkout -- bibliography.bib) or correct 'bib_file' "
        "under the bibtex plugin in mkdocs.yml." + GUIDE,
    ],
    "bib-duplicate-key": [
        "bibliography.bib:9: [bib-duplicate-key] key 'Alpha2020Fixture' on line 9 repeats the "
        "key 'alpha2020fixture' of line 2 (keys ignore upper and lower case). Fix: keep one "
        "entry and delete the other, or give one of them a new key." + GUIDE,
    ],
    # Errors pybtex reports that once passed the check and crashed mkdocs-bibtex.
    "bib-pybtex-errors": [
        "bibliography.bib:6: [bib-duplicate-field] entry 'alpha2020fixture' (line 3) has the "
        "field 'title' twice (lines 5 and 6). Fix: keep one of them and delete the other." + GUIDE,
        "bibliography.bib:12: [bib-name] entry 'beta2019fixture' (line 11): a name in its "
        "author field has too many commas: 'Beta, Carl, Jr, Extra'. Fix: separate people with "
        "' and ', write each as 'Family, Given' (one comma) and put an organisation in double "
        "braces: "
        "{{Name of the Organisation}}." + GUIDE,
    ],
    "bib-rules": [
        "bibliography.bib:10: [bib-policy-missing-field] entry 'beta2019fixture' (@article) has "
        "no 'journal' field. Fix: add journal to the entry, copied from the source itself (never "
        "guessed)." + GUIDE,
        "bibliography.bib:14: [bib-doi-syntax] entry 'beta2019fixture': the DOI "
        "'https://doi.org/10.5555/fixture.2' starts with a web address or 'doi:'. Fix: write "
        "only the DOI itself: doi = {10.5555/fixture.2}." + GUIDE,
        "bibliography.bib:22: [bib-duplicate-doi] entries 'alpha2020fixture' (line 2) and "
        "'gamma2021fixture' (line 17) have the same DOI '10.5555/FIXTURE.1'. Fix: one source "
        "needs one entry: keep one and cite its key everywhere, or correct the DOI." + GUIDE,
    ],
}


@pytest.mark.parametrize("case", sorted(BIB_ERRORS))
@pytest.mark.parametrize("strict", [True, False])
def test_bibliography_errors_give_one_clean_message(
    tmp_path: Path, case: str, strict: bool
) -> None:
    result = build(FIXTURES / case, tmp_path / "site", strict=strict)
    assert result.returncode == 1
    assert "Traceback" not in result.output
    count = len(BIB_ERRORS[case])
    assert _error_block(result.output) == [
        "ERROR   -  bibliography.bib has problems; the site was not built:",
        *BIB_ERRORS[case],
        f"Found {count} error{'s' if count > 1 else ''}.",
    ]
    # Our check ran before mkdocs-bibtex parsed the file (it would have raised first).
    assert "Loading data from bib files" not in result.output


# ---------------------------------------------------------------- the real site


def test_real_sources_page_lists_every_entry_in_order(real_site: BuildResult) -> None:
    """Every entry but those whose DOI is still pending in dois.lock.json (decisions/0011)."""
    bib, problems = load_bibliography(ROOT / "bibliography.bib", ROOT)
    assert bib is not None, problems
    dois = {key: str(entry.fields.get("doi", "")) for key, entry in bib.data.entries.items()}
    pending = pending_keys(dois, read_lock(ROOT / "dois.lock.json"))
    formatter = ReferenceFormatter(bib)
    shown = [key for key in sorted(bib.keys, key=formatter.sort_key) if key not in pending]
    expected = [f"ref-{key}" for key in shown]
    soup = BeautifulSoup(real_site.page("sources/"), "html.parser")
    anchors = [el["id"] for el in soup.select("article [id^='ref-']")]
    assert anchors == expected
    assert len(expected) == len(bib.keys) - len(pending) > 0
    pages = [p.read_text(encoding="utf-8") for p in real_site.site_dir.rglob("*.html")]
    for key in pending:  # not on the Sources page, nor on any other page
        title = str(bib.entry(key).fields["title"])
        assert pages and all(title not in page for page in pages)


def test_real_spanish_sources_page_lists_the_same_sources_with_spanish_words(
    real_site: BuildResult,
) -> None:
    """es/sources/ lists the same entries in the same order as sources/, and the words
    languages.yml translates appear in Spanish there, never in English."""

    def entries(url: str) -> list[tuple[str, str]]:
        soup = BeautifulSoup(real_site.page(url), "html.parser")
        return [(el["id"], el.get_text(" ")) for el in soup.select("article [id^='ref-']")]

    english, spanish = entries("sources/"), entries("es/sources/")
    assert [key for key, _ in spanish] == [key for key, _ in english] != []
    words = load_languages(ROOT)["es"].reference_words
    english_text = " ".join(text for _, text in english)
    spanish_text = " ".join(text for _, text in spanish)
    translated = [phrase for phrase in words.phrases if f"{phrase}." in english_text]
    assert len(translated) >= 5, translated
    for phrase in translated:
        assert f"{phrase}." not in spanish_text, phrase
        assert f"{words.phrases[phrase]}." in spanish_text, phrase


def test_real_pages_that_cite_have_a_references_heading_above_the_list(
    real_site: BuildResult,
) -> None:
    citing = 0
    for page in sorted(real_site.site_dir.rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        assert PLACEHOLDER not in html, page
        if 'class="footnote-ref"' not in html:
            continue
        citing += 1
        soup = BeautifulSoup(html, "html.parser")
        heading = soup.find("h2", id="references")
        assert heading is not None, f"{page} cites but has no References heading"
        assert "footnote" in heading.find_next_sibling().get("class", []), page
        assert re.search(
            r"doi:<a href=\"https://doi\.org/10\.|<a[^>]+href=\"https?://",
            str(heading.find_next_sibling()),
        ), page
    assert citing > 0
