"""The Spanish edition in Chromium (issue 16): the page language, the hreflang alternates and the
language switch in the header, with a mouse and with the keyboard."""

from __future__ import annotations

import pytest

from tests.browser.reader_pages import DESKTOP, PHONE

pytestmark = pytest.mark.browser

ALTERNATES = """() => Object.fromEntries([...document.querySelectorAll(
  'head link[rel="alternate"][hreflang]')].map(l => [l.hreflang, l.href]))"""


def test_lang_and_hreflang_both_ways(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(site_url + "get-help-now/")
        assert page.evaluate("document.documentElement.lang") == "en"
        english = page.evaluate(ALTERNATES)
        page.goto(site_url + "es/get-help-now/")
        assert page.evaluate("document.documentElement.lang") == "es"
        spanish = page.evaluate(ALTERNATES)
        expected = {"en": site_url + "get-help-now/", "es": site_url + "es/get-help-now/"}
        assert english == spanish == expected
        # The style guide is for editors and stays in English (issue 16).
        page.goto(site_url + "style-guide/")
        assert page.evaluate(ALTERNATES) == {"en": site_url + "style-guide/"}
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390x844", "1280x800"])
def test_the_switch_leads_to_the_translation_and_back(
    browser, site_url: str, viewport: dict
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(site_url + "get-help-now/")
        page.get_by_role("button", name="Select language").hover()
        page.get_by_role("link", name="Español").click()
        page.wait_for_url(site_url + "es/get-help-now/")
        assert page.evaluate("document.documentElement.lang") == "es"
        assert page.locator("h1").inner_text().startswith("Ayuda ahora")
        page.get_by_role("button", name="Seleccionar idioma").hover()
        page.get_by_role("link", name="English").click()
        page.wait_for_url(site_url + "get-help-now/")
        assert page.locator("h1").inner_text().startswith("Get help now")
    finally:
        context.close()


def test_the_switch_works_with_the_keyboard(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(site_url + "es/")
        link = page.get_by_role("link", name="English")
        for _ in range(40):
            page.keyboard.press("Tab")
            if link.evaluate("a => a === document.activeElement"):
                break
        else:
            pytest.fail("Tab never reaches the language switch")
        page.keyboard.press("Enter")
        page.wait_for_url(site_url)
        assert page.evaluate("document.documentElement.lang") == "en"
    finally:
        context.close()


def _search(page, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    # The index loads when search opens: wait until the worker is ready (the result list shows
    # Material's "Type to start searching", in the page's language), or what was typed before
    # is dropped.
    page.locator(".md-search__input").click()
    page.wait_for_function(
        """() => document.querySelector('.md-search-result__meta').innerText ===
          JSON.parse(document.getElementById('__config').textContent)
            .translations['search.result.placeholder']""",
        timeout=30000,
    )
    page.keyboard.type(query)
    # The worker loads lunr's Spanish files first: slower than English on a busy machine.
    page.wait_for_selector(".md-search-result__item", timeout=30000)
    return page.locator(".md-search-result__link").evaluate_all("els => els.map(e => e.href)")


def test_spanish_search_finds_spanish_pages_with_spanish_stemming(  # type: ignore[no-untyped-def]
    browser, site_url: str
) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(site_url + "es/")
        hrefs = _search(page, "llamar")
        assert any(h.startswith(site_url + "es/get-help-now/") for h in hrefs), hrefs
        assert all(h.startswith(site_url + "es/") for h in hrefs), hrefs
        page.goto(site_url + "es/get-help-now/")
        hrefs = _search(page, "consejería")
        assert hrefs and all(h.startswith(site_url + "es/") for h in hrefs), hrefs
    finally:
        context.close()


def test_english_search_finds_only_english_pages(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(site_url + "get-help-now/")
        # "988" is on the English and the Spanish help pages alike.
        hrefs = _search(page, "988")
        assert any(h.startswith(site_url + "get-help-now/") for h in hrefs), hrefs
        assert not any("/es/" in h for h in hrefs), hrefs
    finally:
        context.close()
