"""Keyboard only: the skip link comes first, Tab reaches the crisis links and search, and focus
is always visible."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.reader_pages import CRISIS_LINKS, DESKTOP, PHONE

pytestmark = pytest.mark.browser

ACTIVE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    href: el.getAttribute("href") || "",
    cls: el.className || "",
    name: el.getAttribute("name") || "",
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    shadow: style.boxShadow !== "none",
  };
}"""


def _tab_through(page, presses: int) -> list[dict]:  # type: ignore[no-untyped-def]
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(ACTIVE))
    return seen


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390x844", "1280x800"])
def test_tab_reaches_skip_link_then_crisis_links(browser, site_url: str, viewport: dict) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(site_url + "what-is-an-iop/")
        seen = _tab_through(page, 8)
    finally:
        context.close()
    assert "md-skip" in seen[0]["cls"], f"the first Tab stop is not the skip link: {seen[0]}"
    hrefs = [s["href"] for s in seen]
    assert set(hrefs) >= CRISIS_LINKS, f"Tab order {hrefs} misses crisis links"
    # Crisis links come before the header and the content.
    assert hrefs.index("tel:988") <= 2, hrefs
    for stop in seen:
        assert stop["outline"] or stop["shadow"], f"no visible focus on {stop}"


def test_skip_link_moves_focus_to_the_content(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(site_url + "what-is-an-iop/")
        page.keyboard.press("Tab")
        assert "md-skip" in page.evaluate("document.activeElement.className")
        # Shown once focused (it fades in; wait for the end of the transition).
        expect(page.locator(".md-skip")).to_have_css("opacity", "1")
        page.keyboard.press("Enter")
        target = page.evaluate("location.hash")
        assert target, "the skip link did not go anywhere"
        assert page.locator(f"article {target}").count() == 1, target
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390x844", "1280x800"])
def test_tab_reaches_search(browser, site_url: str, viewport: dict) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(site_url + "faq/")
        page.wait_for_load_state("networkidle")  # Material's scripts are listening
        seen: list[dict] = []
        for _ in range(30):  # Tab until the search box has focus (it comes within the header)
            page.keyboard.press("Tab")
            seen.append(page.evaluate(ACTIVE))
            if seen[-1]["tag"] == "input" and seen[-1]["name"] == "query":
                break
        stop = seen[-1]
        assert stop["name"] == "query", f"Tab never reached the search box: {seen}"
        assert stop["outline"] or stop["shadow"], "the search box shows no focus"
        page.keyboard.type("program")
        page.wait_for_selector(".md-search-result__item", timeout=15000)
        assert page.locator(".md-search-result__item").count() >= 1
        assert page.locator(".md-search__input").is_visible()
    finally:
        context.close()


def test_search_opens_from_keyboard_on_phone(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    """Material's "/" shortcut opens the search box on a phone too."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(site_url + "faq/")
        page.wait_for_load_state("networkidle")  # Material's scripts are listening
        page.keyboard.press("/")
        active = page.evaluate(ACTIVE)
        assert active["tag"] == "input" and active["name"] == "query", active
        assert page.locator(".md-search__input").is_visible()
    finally:
        context.close()
