"""The practical and policy pages: crisis links, the closing help box, citations and anchors.

Checked on the real site, built strictly once per session (the ``real_site`` fixture), so the
tests see what a reader sees: rendered links, footnotes and heading ids.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import textstat
import yaml
from bs4 import BeautifulSoup, Tag
from pybtex.database import parse_file

from iopguide import ROOT
from tests.helpers import BuildResult, build

#: Links every crisis box must hold: (href, what a reader is offered).
CRISIS_LINKS = {
    "tel:988": "call 988",
    "sms:988": "text 988",
    "tel:+18006624357": "the SAMHSA National Helpline",
    "tel:911": "911",
}

#: The pages this file covers, by source file name.
PAGES = [
    "levels-of-care.md",
    "questions-to-ask.md",
    "faq.md",
    "get-help-now.md",
    "editorial-policy.md",
    "privacy.md",
    "teens-and-families.md",
    "mental-health-and-co-occurring.md",
]

#: Every page but "Get help now" ends its content with this box.
PAGES_WITH_HELP_BOX = [p for p in PAGES if p != "get-help-now.md"]

#: Sources each page must cite, because its claims rest on them.
REQUIRED_CITATIONS = {
    "levels-of-care.md": {
        "meelee2013asam",
        "asam2023criteria",
        "csat2006tip47",
        "mccarty2014substance",
    },
    "questions-to-ask.md": {
        "meelee2013asam",
        "samhsa2026helpline",
        "samhsa2021tip63",
        "hhs2024confidentiality",
        "csat2006tip47",
    },
    "faq.md": {
        "meelee2013asam",
        "mccarty2014substance",
        "gottheil1998randomized",
        "bulkes2022comparing",
        "hhs2024confidentiality",
        "samhsa2026helpline",
        "csat2006tip47",
    },
    "get-help-now.md": {
        "lifeline2026988",
        "lifeline2026expect",
        "fcc2026988",
        "samhsa2023asl",
        "vcl2026veterans",
        "samhsa2026oorm",
        "nimh2026action",
        "harvard2026means",
        "samhsa2026helpline",
        "samhsa2026findtreatment",
        "coloradooss988",
    },
    "teens-and-families.md": {
        "meelee2013asam",
        "bero2024treatment",
        "mccauley2018efficacy",
        "csat2006tip47",
        "hhs2024confidentiality",
        "kerwin2015what",
        "anderson2017treating",
    },
    "mental-health-and-co-occurring.md": {
        "puspitasari2021feasibility",
        "zalta2018evaluating",
        "rauch2021intensive",
        "samhsa2020tip42",
        "mccarty2014substance",
        "samhsa2015medication",
        "samhsa2021tip63",
    },
    "privacy.md": {"samhsa2026helpline"},
}


#: Words our style guide rules out (person-first, non-stigmatizing), outside cited titles.
AVOIDED_WORDS = re.compile(
    r"\b(addicts?|abusers?|alcoholics?|substance abuse|drug abuse|clean|dirty|relapses?|"
    r"relapsed|junkies?)\b",
    re.IGNORECASE,
)

#: US school grade: the style guide's hard ceiling (the target is 8).
MAX_GRADE = 9.0


def _url(md: str) -> str:
    return md.removesuffix(".md") + "/"


def _article(site: BuildResult, md: str) -> Tag:
    soup = BeautifulSoup(site.page(_url(md)), "html.parser")
    article = soup.select_one("article")
    assert article is not None, f"{md}: the built page has no <article> element"
    return article


def _front_matter(md: str) -> dict:
    text = (ROOT / "docs" / md).read_text(encoding="utf-8")
    _, block, _ = text.split("---", 2)
    return yaml.safe_load(block)


def _hrefs(element: Tag) -> set[str]:
    return {a["href"] for a in element.find_all("a", href=True)}


def test_get_help_page_offers_every_crisis_line_as_a_working_link(real_site: BuildResult) -> None:
    article = _article(real_site, "get-help-now.md")
    hrefs = _hrefs(article)
    for href, what in CRISIS_LINKS.items():
        assert href in hrefs, f"Get help now: no {href} link for {what}"
    assert "tel:+18004874889" in hrefs, "Get help now: no tel: link for the helpline's TTY line"
    assert any(h.startswith("https://findtreatment.gov") for h in hrefs), (
        "Get help now: no https link to FindTreatment.gov"
    )
    assert any(h.startswith("https://988lifeline.org") for h in hrefs), (
        "Get help now: no https link to the 988 chat at 988lifeline.org"
    )


def _section(article: Tag, anchor: str) -> Tag:
    """The heading with id ``anchor`` and everything up to the next heading of its level."""
    heading = article.find(id=anchor)
    assert heading is not None, f"no section #{anchor}"
    section = BeautifulSoup("<div></div>", "html.parser").div
    assert section is not None
    level = heading.name
    for sibling in heading.find_next_siblings():
        if sibling.name in ("h1", "h2") or sibling.name == level:
            break
        section.append(BeautifulSoup(str(sibling), "html.parser"))
    return section


#: Every way to reach help the page offers, by section: (links that must be there, words).
GET_HELP_SECTIONS = {
    "veterans": ({"tel:988", "sms:838255"}, ("then press 1", "Veterans Crisis Line")),
    "spanish": ({"tel:988", "sms:988"}, ("then press 2", "AYUDA")),
    "deaf-and-hard-of-hearing": ({"sms:988"}, ("videophone", "ASL")),
    "overdose": ({"tel:911"}, ("naloxone", "without a prescription")),
    "keep-safe": ({"tel:988", "sms:988"}, ("Firearms", "Medicines")),
    "samhsa-helpline": ({"tel:+18006624357", "tel:+18004874889", "sms:435748"}, ("TTY",)),
}


@pytest.mark.parametrize("anchor", sorted(GET_HELP_SECTIONS))
def test_get_help_page_offers_each_way_to_reach_help(real_site: BuildResult, anchor: str) -> None:
    section = _section(_article(real_site, "get-help-now.md"), anchor)
    links, words = GET_HELP_SECTIONS[anchor]
    missing = links - _hrefs(section)
    assert not missing, f"Get help now #{anchor}: no {sorted(missing)} link"
    text = " ".join(section.get_text(" ").split())
    for word in words:
        assert word in text, f"Get help now #{anchor}: does not say {word!r}"
    cited = section.select("sup a[href^='#fn:']")
    assert cited, f"Get help now #{anchor}: no source is cited"


def test_get_help_page_links_to_each_chat(real_site: BuildResult) -> None:
    hrefs = _hrefs(_article(real_site, "get-help-now.md"))
    for start in (
        "https://www.veteranscrisisline.net/",
        "https://988lifeline.org/es/",
        "https://988lifeline.org/",
    ):
        assert any(h.startswith(start) for h in hrefs), f"Get help now: no link to {start}"


def _built_pages(site: BuildResult) -> list[Path]:
    pages = sorted(site.site_dir.rglob("*.html"))
    return [p for p in pages if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]


def test_every_call_link_calls_and_every_text_link_texts(real_site: BuildResult) -> None:
    """A tel: link only opens the dialler, so its words must not offer a text, and a text link
    must say it texts: "call or text 988" on a tel: link left texters with a dialler."""
    problems = []
    checked = 0
    for path in _built_pages(real_site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        rel = path.relative_to(real_site.site_dir)
        for a in soup.select("a[href^='tel:'], a[href^='sms:']"):
            words = " ".join(a.get_text(" ").split()).lower()
            checked += 1
            if a["href"].startswith("tel:") and "text" in words:
                problems.append(f"{rel}: call link {a['href']} says {words!r}")
            if a["href"].startswith("sms:") and "text" not in words:
                problems.append(f"{rel}: text link {a['href']} says {words!r}")
    assert checked > 100, f"only {checked} call and text links found"
    assert not problems, "\n".join(problems)


def test_every_content_page_ends_with_a_report_a_problem_link(real_site: BuildResult) -> None:
    """The link opens the issue form with this page's title and canonical address filled in."""
    checked = 0
    for path in _built_pages(real_site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        trust = soup.select_one("article .iop-trust")
        if trust is None:
            continue  # the 404 page, which has no page of its own to report
        rel = path.relative_to(real_site.site_dir)
        words = {"es": "Informar un problema con esta página (formulario en inglés)"}
        text = words.get(rel.parts[0], "Report a problem with this page")
        links = trust.find_all("a", string=text)
        assert len(links) == 1, f"{rel}: {len(links)} report links"
        url = urlsplit(links[0]["href"])
        assert (url.scheme, url.path.endswith("/issues/new")) == ("https", True), f"{rel}: {url}"
        query = parse_qs(url.query)
        canonical = soup.find("link", rel="canonical")
        assert canonical is not None, f"{rel}: no canonical link"
        assert query["page"] == [canonical["href"]], f"{rel}: page {query.get('page')}"
        assert query["template"] == ["report-a-problem.yml"], f"{rel}: {query}"
        h1 = soup.select_one("article h1")
        assert h1 is not None
        title = h1.get_text(strip=True).rstrip("¶")
        assert query["title"] == [f"Problem on the page: {title}"], f"{rel}: {query['title']}"
        checked += 1
    assert checked >= len(PAGES) + 10, f"only {checked} pages have the report link"


def test_a_report_form_address_that_is_not_a_web_address_stops_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPORT_PROBLEM_URL", "github.com/owner/repo/issues/new")
    result = build(ROOT, tmp_path / "site")
    assert result.returncode != 0
    assert (
        "mkdocs.yml: [report-problem-url] extra.report_problem_url is "
        "'github.com/owner/repo/issues/new', which is not a web address." in result.output
    ), result.output


def test_get_help_page_puts_911_first(real_site: BuildResult) -> None:
    """The most urgent help comes first: 911 before any other number."""
    article = _article(real_site, "get-help-now.md")
    phone_links = [
        a["href"] for a in article.find_all("a", href=True) if a["href"].startswith("tel:")
    ]
    assert phone_links, "Get help now: no tel: links at all"
    assert phone_links[0] == "tel:911", f"Get help now: the first number is {phone_links[0]}"
    first_h2 = article.find("h2")
    first_911 = article.find("a", href="tel:911")
    assert first_h2 is not None and first_911 is not None
    assert first_911 in first_h2.find_all_previous("a"), (
        "Get help now: 911 is not above the first section"
    )


def test_crisis_box_link_text_says_what_the_link_does(real_site: BuildResult) -> None:
    """Link text is descriptive: a screen reader user hears what each link does."""
    article = _article(real_site, "get-help-now.md")
    texts = {a.get_text(strip=True).lower() for a in article.find_all("a", href=True)}
    assert {"call 988", "text 988", "911", "1-800-662-4357"} <= texts, sorted(texts)


def test_every_page_of_the_site_has_every_crisis_number(real_site: BuildResult) -> None:
    """Crisis help on every page a reader can land on (the site-wide banner and our boxes)."""
    pages = sorted(real_site.site_dir.rglob("index.html"))
    checked = []
    for path in pages:
        html = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in html:
            continue  # a redirect stub for a moved page, not a page a reader sees
        hrefs = _hrefs(BeautifulSoup(html, "html.parser"))
        missing = [href for href in CRISIS_LINKS if href not in hrefs]
        rel = path.relative_to(real_site.site_dir)
        assert not missing, f"{rel}: crisis links missing: {missing}"
        checked.append(rel)
    assert len(checked) >= len(PAGES), f"only {len(checked)} pages were checked"


@pytest.mark.parametrize("md", PAGES)
def test_page_has_every_crisis_number_as_a_link(real_site: BuildResult, md: str) -> None:
    # In the page content itself, not only in the site-wide banner: these pages must still
    # offer help if a theme change drops the banner.
    hrefs = _hrefs(_article(real_site, md))
    missing = [href for href in CRISIS_LINKS if href not in hrefs]
    assert not missing, f"{md}: crisis links missing from the page: {missing}"


@pytest.mark.parametrize("md", PAGES_WITH_HELP_BOX)
def test_page_ends_with_the_help_box(real_site: BuildResult, md: str) -> None:
    article = _article(real_site, md)
    boxes = article.select("div.admonition.danger")
    assert boxes, f"{md}: no 'If you need help now' box"
    box = boxes[-1]
    title = box.select_one(".admonition-title")
    assert title is not None and title.get_text(strip=True) == "If you need help now", (
        f"{md}: the last danger box is not titled 'If you need help now'"
    )
    hrefs = _hrefs(box)
    for href, what in CRISIS_LINKS.items():
        assert href in hrefs, f"{md}: the help box has no {href} link for {what}"
    # A call link and a text link, each saying what it does (tel: only dials, sms: only texts).
    links = {a.get_text(strip=True).lower(): a["href"] for a in box.find_all("a", href=True)}
    assert links.get("call 988") == "tel:988", f"{md}: box links {links}"
    assert links.get("text 988") == "sms:988", f"{md}: box links {links}"
    # Nothing of the page's own content comes after the box: no further section heading (only
    # the References heading that the citation layer adds) and no other box.
    later_headings = [
        h.get_text(strip=True).rstrip("¶")
        for h in box.find_all_next(["h2", "h3", "h4"])
        if h.find_parent("article") is article
    ]
    assert all(h == "References" for h in later_headings), (
        f"{md}: content after the help box: {later_headings}"
    )
    assert not box.find_all_next("div", class_="admonition"), f"{md}: a box follows the help box"


@pytest.mark.parametrize("md", sorted(REQUIRED_CITATIONS))
def test_page_cites_its_sources(real_site: BuildResult, md: str) -> None:
    article = _article(real_site, md)
    cited = {
        li["id"].removeprefix("fn:")
        for li in article.select("div.footnote li[id]")
        if li["id"].startswith("fn:")
    }
    missing = REQUIRED_CITATIONS[md] - cited
    assert not missing, f"{md}: sources not cited: {sorted(missing)}"
    entries = parse_file(str(ROOT / "bibliography.bib")).entries
    for li in article.select("div.footnote li[id]"):
        key = li["id"].removeprefix("fn:")
        # Each footnote is a real reference, not an empty or unresolved one.
        text = li.get_text(" ", strip=True)
        assert len(text) > 20 and "@" not in text, f"{md}: footnote for {key} looks unresolved"
        # A source with a DOI links to it; one without says where to find it.
        fields = entries[key].fields
        hrefs = {a.get("href") for a in li.find_all("a")}
        if "doi" in fields:
            assert f"https://doi.org/{fields['doi']}" in hrefs, f"{md}: no DOI link for {key}"
        elif "url" in fields:
            assert fields["url"] in hrefs, f"{md}: no link to {fields['url']} for {key}"


@pytest.mark.parametrize("md", PAGES)
def test_page_has_one_h1_matching_its_title_and_no_skipped_levels(
    real_site: BuildResult, md: str
) -> None:
    article = _article(real_site, md)
    h1s = article.find_all("h1")
    assert len(h1s) == 1, f"{md}: {len(h1s)} H1 headings"
    assert h1s[0].get_text(strip=True).rstrip("¶") == _front_matter(md)["title"]
    levels = [int(h.name[1]) for h in article.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"{md}: heading level jumps from h{before} to h{after}"


def test_editorial_policy_has_stable_anchors(real_site: BuildResult) -> None:
    """Other pages and error messages link to these ids; renaming a heading must not break them."""
    article = _article(real_site, "editorial-policy.md")
    ids = {h.get("id") for h in article.find_all("h2")}
    expected = {
        "who-writes",
        "review-cycle",
        "sources",
        "not-medical-advice",
        "no-ads",
        "report-a-mistake",
    }
    assert expected <= ids, f"editorial-policy.md: missing anchors {sorted(expected - ids)}"


def test_questions_page_is_a_checklist_covering_every_topic(real_site: BuildResult) -> None:
    article = _article(real_site, "questions-to-ask.md")
    boxes = article.select("li.task-list-item input[type=checkbox]")
    assert len(boxes) >= 30, f"questions-to-ask.md: only {len(boxes)} checklist items"
    ids = {h.get("id") for h in article.find_all("h2")}
    topics = {
        "licensing",
        "staff",
        "schedule",
        "cost",
        "therapies",
        "medicines",
        "family",
        "aftercare",
        "privacy",
        "crisis",
    }
    assert topics <= ids, f"questions-to-ask.md: missing topics {sorted(topics - ids)}"


def test_faq_asks_each_question_as_its_own_heading(real_site: BuildResult) -> None:
    article = _article(real_site, "faq.md")
    questions = {
        h.get("id"): h.get_text(strip=True).rstrip("¶")
        for h in article.find_all("h2")
        # the sources, and the links onward (tests/site/test_next_steps.py), are not questions
        if h.get("id") not in ("references", "next-steps")
    }
    expected = {
        "how-long",
        "work-and-school",
        "cost",
        "virtual-iop",
        "missed-day",
        "confidential",
        "family",
        "after",
        "compare",
    }
    assert expected <= set(questions), (
        f"faq.md: missing questions {sorted(expected - set(questions))}"
    )
    for anchor, text in questions.items():
        assert text.endswith("?"), f"faq.md: heading #{anchor} is not a question: {text!r}"


@pytest.mark.parametrize("md", PAGES)
def test_front_matter_is_read_as_metadata_not_shown_as_text(
    real_site: BuildResult, md: str
) -> None:
    """A colon in an unquoted description once made YAML fail and print the block on the page."""
    text = _article(real_site, md).get_text(" ")
    assert "last_reviewed:" not in text and "reviewed_by:" not in text, (
        f"{md}: the front matter is shown on the page; quote values that contain ': '"
    )


def _prose(article: Tag) -> str:
    """The running text a reader reads: no footnotes, headings, code or citation marks."""
    article = BeautifulSoup(str(article), "html.parser")
    for tag in article.select("div.footnote, h1, h2, h3, h4, h5, h6, pre, code, sup"):
        tag.decompose()
    blocks = [p.get_text(" ", strip=True) for p in article.find_all(["p", "li"])]
    return "\n".join(b if b.endswith((".", "?", "!", ":")) else b + "." for b in blocks if b)


@pytest.mark.parametrize("md", PAGES)
def test_page_is_plain_and_person_first(real_site: BuildResult, md: str) -> None:
    prose = _prose(_article(real_site, md))
    assert len(prose.split()) > 150, f"{md} has almost no text"
    found = sorted({w.lower() for w in AVOIDED_WORDS.findall(prose)})
    assert not found, f"{md} uses words our style guide avoids: {found}"
    grade = textstat.flesch_kincaid_grade(prose)
    assert grade <= MAX_GRADE, f"{md} reads at US grade {grade:.1f}; shorten its sentences"


def test_every_crisis_and_help_line_names_its_source_in_the_bibliography() -> None:
    """crisis-lines.yml promises "the key of its source in bibliography.bib" for every line."""
    lines = yaml.safe_load((ROOT / "crisis-lines.yml").read_text(encoding="utf-8"))["lines"]
    keys = set(parse_file(str(ROOT / "bibliography.bib")).entries)
    assert lines
    for line in lines:
        assert line["source"] in keys, f"{line['id']}: source {line['source']!r} is not a key"
