"""On paper: title, content, references with their addresses, review dates and crisis numbers; no
navigation and no search (print media emulated in Chromium)."""

from __future__ import annotations

import pytest

from tests.browser.reader_pages import DESKTOP

pytestmark = pytest.mark.browser

DISPLAY = "(sel) => Array.from(document.querySelectorAll(sel), e => getComputedStyle(e).display)"
AFTER = "(el) => getComputedStyle(el, '::after').content"


@pytest.fixture
def printed(browser, site_url: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(site_url + "inpatient-vs-outpatient/")
    page.wait_for_load_state("load")
    page.emulate_media(media="print")
    yield page
    context.close()


def test_navigation_and_search_are_hidden(printed) -> None:  # type: ignore[no-untyped-def]
    for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search"):
        displays = printed.evaluate(DISPLAY, selector)
        assert displays, f"{selector} not on the page: the test would prove nothing"
        assert set(displays) == {"none"}, f"{selector} prints: {displays}"


def test_title_content_dates_and_crisis_numbers_print(printed) -> None:  # type: ignore[no-untyped-def]
    for selector in ("aside.iop-crisis", "article h1", "article p", ".iop-trust", ".iop-footer"):
        displays = printed.evaluate(DISPLAY, selector)
        assert displays and "none" not in displays, f"{selector} does not print: {displays}"
    crisis = " ".join(printed.locator("aside.iop-crisis").inner_text().split())
    for number in ("988", "1-800-662-4357", "911"):
        assert number in crisis, crisis
    dates = printed.locator(".iop-trust__dates").inner_text()
    assert "Page last reviewed:" in dates and "Next review due:" in dates


def test_external_links_print_their_address(printed) -> None:  # type: ignore[no-untyped-def]
    reference = printed.locator(".footnote a[href^='https://doi.org/']").first
    assert reference.count() == 1, "no DOI link in the references: the test would prove nothing"
    href = reference.get_attribute("href")
    assert printed.evaluate(AFTER, reference.element_handle()) == f'" (" "{href}" ")"' or (
        href in printed.evaluate(AFTER, reference.element_handle())
    )
    # Links inside the site and phone links print as they are.
    internal = printed.locator("article a[href^='../']").first
    assert printed.evaluate(AFTER, internal.element_handle()) in ("none", "normal")


def test_screen_shows_no_link_addresses(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    """The addresses are for paper only."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(site_url + "inpatient-vs-outpatient/")
        reference = page.locator(".footnote a[href^='https://doi.org/']").first
        assert page.evaluate(AFTER, reference.element_handle()) in ("none", "normal")
    finally:
        context.close()
