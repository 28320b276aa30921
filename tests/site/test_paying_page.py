"""The "Paying for an IOP, and your rights" page (issue 15), checked on the real built site.

What a reader comes for must be there: each topic as a linkable section, each claim's source as a
resolved reference with its web address, every phone number as a tap-to-call link, crisis help,
and the page in the "Decide on care" menu.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup, Tag
from pybtex.database import parse_file

from iopguide import ROOT, project
from tests.helpers import BuildResult

PAGE = "paying-and-rights.md"

#: Topics the issue asks for, by section anchor.
SECTIONS = {
    "parity": "health plans and the federal parity law",
    "marketplace": "Marketplace plans",
    "medicare": "Medicare's IOP benefit",
    "medicaid": "Medicaid",
    "prior-authorization": "prior authorization",
    "appeal": "how to appeal a denial",
    "cost-questions": "questions to ask about cost",
    "privacy": "HIPAA and 42 CFR Part 2",
    "moud": "protection for people taking medicine for opioid use disorder",
    "check-a-program": "state license and accreditation",
}

#: The sources the page's claims rest on.
REQUIRED_CITATIONS = {
    "dol2026parity",
    "cms2026parity",
    "cms2026marketplace",
    "cms2026intensive",
    "cms2023outpatient",
    "macpac2026behavioral",
    "cms2026appeals",
    "cms2026review",
    "hhsocrmental",
    "hhs2024confidentiality",
    "hhs2024part2",
    "doj2022ada",
    "samhsa2011nssats",
    "samhsa2026findtreatment",
    "samhsa2026helpline",
}

#: Crisis links every page's own content offers.
CRISIS_HREFS = {"tel:988", "sms:988", "tel:+18006624357", "tel:911"}

#: A US phone number written in the page's text, like 1-866-444-3272.
PHONE = re.compile(r"\b1-\d{3}-\d{3}-\d{4}\b")


@pytest.fixture(scope="module")
def article(real_site: BuildResult) -> Tag:
    soup = BeautifulSoup(real_site.page("paying-and-rights/"), "html.parser")
    found = soup.select_one("article")
    assert found is not None, f"{PAGE}: the built page has no <article> element"
    return found


@pytest.mark.parametrize("anchor", sorted(SECTIONS))
def test_each_topic_has_its_own_section(article: Tag, anchor: str) -> None:
    ids = {h.get("id") for h in article.find_all(["h2", "h3"])}
    assert anchor in ids, f"{PAGE}: no section #{anchor} for {SECTIONS[anchor]}"


def test_every_claim_source_is_cited_and_links_to_its_page(article: Tag) -> None:
    cited = {
        li["id"].removeprefix("fn:")
        for li in article.select("div.footnote li[id]")
        if li["id"].startswith("fn:")
    }
    missing = REQUIRED_CITATIONS - cited
    assert not missing, f"{PAGE}: sources not cited: {sorted(missing)}"
    entries = parse_file(str(ROOT / "bibliography.bib")).entries
    for key in REQUIRED_CITATIONS:
        li = article.select_one(f'div.footnote li[id="fn:{key}"]')
        assert li is not None
        url = entries[key].fields["url"]
        assert url.startswith("https://") or url.startswith("http://www.samhsa.gov/"), (
            f"{key}: {url} is not a web address"
        )
        assert url in {a.get("href") for a in li.find_all("a")}, f"{PAGE}: no link to {url}"


def test_every_phone_number_in_the_text_is_a_call_link(article: Tag) -> None:
    """A reader on a phone taps a number to call it; a number in plain text cannot be tapped."""
    numbers = set()
    for text in article.find_all(string=PHONE):
        if text.find_parent("div", class_="footnote"):
            continue
        numbers.update(PHONE.findall(text))
    assert numbers >= {"1-866-444-3272", "1-800-514-0301", "1-800-662-4357"}, sorted(numbers)
    for number in numbers:
        links = [a for a in article.find_all("a", href=True) if a.get_text(strip=True) == number]
        assert links, f"{PAGE}: {number} is written but not a link"
        digits = number.replace("-", "")
        assert all(a["href"] == f"tel:+{digits}" for a in links), (
            f"{PAGE}: the link for {number} does not call {digits}"
        )


def test_page_offers_crisis_help_in_its_own_content(article: Tag) -> None:
    hrefs = {a["href"] for a in article.find_all("a", href=True)}
    missing = CRISIS_HREFS - hrefs
    assert not missing, f"{PAGE}: crisis links missing from the page: {sorted(missing)}"


def test_page_is_in_the_decide_on_care_menu() -> None:
    config = project.load_config(ROOT)  # as MkDocs reads it (!ENV, !!python/name: ...)
    sections = {next(iter(item)): item[next(iter(item))] for item in config["nav"]}
    decide = [next(iter(entry.values())) for entry in sections["Decide on care"]]
    assert PAGE in decide, f"mkdocs.yml: {PAGE} is not under 'Decide on care': {decide}"


def test_page_is_listed_as_published() -> None:
    """Once published, its address must keep working (published-urls.txt, style guide)."""
    urls = (ROOT / "published-urls.txt").read_text(encoding="utf-8").split()
    assert "/paying-and-rights/" in urls
