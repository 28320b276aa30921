"""The home, "learn" and "decide" pages: real content, cited the way our sources say.

Each check reads the real site, built once with ``mkdocs build --strict`` (the ``real_site``
fixture), and the real ``bibliography.bib``. Nothing here is a copy of the expected output: the
DOI a footnote must link to is read from the bibliography entry the page cites.
"""

from __future__ import annotations

import re

import pytest
import textstat
import yaml
from bs4 import BeautifulSoup, Tag
from pybtex.database import parse_file

from iopguide import ROOT
from tests.helpers import BuildResult

#: Each page (source file) and the sources it must cite, because its claims rest on them.
CITED_SOURCES: dict[str, set[str]] = {
    "index.md": {"mccarty2014substance"},
    "what-is-an-iop.md": {"mccarty2014substance", "meelee2013asam", "csat2006tip47"},
    "purpose-and-goals.md": {"mccarty2014substance", "csat2006tip47", "rauch2021intensive"},
    "what-happens.md": {
        "mccarty2014substance",
        "csat2006tip47",
        "meelee2013asam",
        "zalta2018evaluating",
        "driessen2019effectiveness",
    },
    "does-iop-work.md": {
        "mccarty2014substance",
        "gottheil1998randomized",
        "zalta2018evaluating",
        "rauch2021intensive",
        "peterson2023massed",
        "driessen2019effectiveness",
    },
    "is-iop-right-for-me.md": {"mccarty2014substance", "gottheil1998randomized"},
    "signs-you-need-more-support.md": {"lifeline2026988", "mccarty2014substance"},
    "inpatient-vs-outpatient.md": {
        "mccarty2014substance",
        "driessen2019effectiveness",
        "meelee2013asam",
    },
}

#: Crisis links every page must end with, inside the "If you need help now" box.
CRISIS_LINKS = {"tel:988", "sms:988", "tel:+18006624357", "tel:911"}

#: Words our style guide rules out (person-first, non-stigmatizing). Cited titles are exempt.
AVOIDED_WORDS = re.compile(
    r"\b(addicts?|abusers?|alcoholics?|substance abuse|drug abuse|clean|dirty|relapses?|"
    r"relapsed|junkies?)\b",
    re.IGNORECASE,
)

#: US school grade; the style guide's hard ceiling (the target is 8).
MAX_GRADE = 9.0

DOI_SYNTAX = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Z0-9]+$", re.IGNORECASE)

PAGES = sorted(CITED_SOURCES)


def _url(md: str) -> str:
    return "" if md == "index.md" else md.removesuffix(".md") + "/"


def _front_matter(md: str) -> dict:
    text = (ROOT / "docs" / md).read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    assert match, f"docs/{md} has no front matter"
    return yaml.safe_load(match.group(1))


def _article(real_site: BuildResult, md: str) -> Tag:
    soup = BeautifulSoup(real_site.page(_url(md)), "html.parser")
    article = soup.find("article")
    assert article is not None, f"docs/{md}: no <article> in the built page"
    return article


def _doi(key: str) -> str | None:
    entry = parse_file(str(ROOT / "bibliography.bib")).entries[key]
    return entry.fields.get("doi")


def _prose(article: Tag) -> str:
    """The page's running text: no footnotes, tables, headings or code."""
    article = BeautifulSoup(str(article), "html.parser")
    for tag in article.select("div.footnote, table, h1, h2, h3, h4, h5, h6, pre, code, sup"):
        tag.decompose()
    blocks = [p.get_text(" ", strip=True) for p in article.find_all(["p", "li"])]
    return "\n".join(b if b.endswith((".", "?", "!", ":")) else b + "." for b in blocks if b)


@pytest.mark.parametrize("md", PAGES)
def test_page_is_written_and_has_one_h1_matching_its_title(real_site: BuildResult, md: str) -> None:
    article = _article(real_site, md)
    text = article.get_text(" ", strip=True)
    assert "This page is being written" not in text, f"docs/{md} is still a placeholder"
    h1s = article.find_all("h1")
    assert len(h1s) == 1, f"docs/{md} has {len(h1s)} H1 headings; it needs exactly one"
    title = _front_matter(md)["title"]
    heading = h1s[0].get_text(strip=True).rstrip("¶")
    assert heading == title, f"docs/{md}: the H1 {heading!r} differs from the title {title!r}"


@pytest.mark.parametrize("md", PAGES)
def test_page_cites_its_sources_as_footnotes_with_doi_links(
    real_site: BuildResult, md: str
) -> None:
    article = _article(real_site, md)
    for key in sorted(CITED_SOURCES[md]):
        ref = article.find("sup", id=f"fnref:{key}")
        assert ref is not None, f"docs/{md} does not cite [@{key}] in its text"
        note = article.find("li", id=f"fn:{key}")
        assert note is not None, f"docs/{md}: no footnote for {key}"
        doi = _doi(key)
        if doi is None:
            # Books and web pages without a DOI must still say where to find them.
            continue
        assert DOI_SYNTAX.match(doi), f"bibliography.bib: {key} has a malformed DOI {doi!r}"
        hrefs = {a.get("href") for a in note.find_all("a")}
        assert f"https://doi.org/{doi}" in hrefs, (
            f"docs/{md}: the footnote for {key} has no working link to https://doi.org/{doi}"
        )


@pytest.mark.parametrize("md", PAGES)
def test_no_citation_sits_in_a_heading_or_table_header(real_site: BuildResult, md: str) -> None:
    article = _article(real_site, md)
    for tag in article.select("h1, h2, h3, h4, h5, h6, thead"):
        assert tag.find("sup") is None, f"docs/{md}: a citation in {tag.get_text(strip=True)!r}"


@pytest.mark.parametrize("md", PAGES)
def test_page_ends_with_the_crisis_box(real_site: BuildResult, md: str) -> None:
    article = _article(real_site, md)
    boxes = article.select("div.admonition.danger")
    assert boxes, f"docs/{md} has no 'If you need help now' box"
    last = boxes[-1]
    assert last.select_one(".admonition-title").get_text(strip=True) == "If you need help now"
    hrefs = {a.get("href") for a in last.find_all("a")}
    assert hrefs >= CRISIS_LINKS, f"docs/{md}: crisis box lacks {sorted(CRISIS_LINKS - hrefs)}"
    # The box ends the content: no text, list, table or other box may follow it (footnotes and
    # the blocks the theme adds after the content may).
    for sibling in last.find_next_siblings():
        is_content = sibling.name in {"p", "ul", "ol", "table"} or "admonition" in (
            sibling.get("class") or []
        )
        assert not is_content, (
            f"docs/{md}: content after the crisis box: {sibling.get_text(strip=True)[:60]!r}"
        )


@pytest.mark.parametrize("md", PAGES)
def test_page_uses_person_first_language(real_site: BuildResult, md: str) -> None:
    found = AVOIDED_WORDS.findall(_prose(_article(real_site, md)))
    assert not found, f"docs/{md} uses words our style guide avoids: {sorted(set(found))}"


@pytest.mark.parametrize("md", PAGES)
def test_page_reads_at_grade_nine_or_lower(real_site: BuildResult, md: str) -> None:
    prose = _prose(_article(real_site, md))
    assert len(prose.split()) > 100, f"docs/{md} has almost no prose"
    grade = textstat.flesch_kincaid_grade(prose)
    assert grade <= MAX_GRADE, f"docs/{md} reads at grade {grade:.1f}; shorten its sentences"


def test_does_iop_work_says_the_iop_was_not_shown_better_in_the_gottheil_trial(
    real_site: BuildResult,
) -> None:
    """The page must report the 1998 trial honestly: no advantage for the IOP."""
    article = _article(real_site, "does-iop-work.md")
    paragraphs = [p.get_text(" ", strip=True) for p in article.find_all("p") if p.find("sup")]
    gottheil = [p for p in paragraphs if "9 months" in p or "nine months" in p]
    assert any("not shown to be better" in p for p in gottheil), gottheil
