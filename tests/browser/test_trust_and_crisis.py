"""Trust signals and crisis help that every reader sees.

- Crisis help (988 call and text, SAMHSA, 911) is visible on a 390x844 phone without scrolling, on
  every page, as working tel:/sms: links, and cannot be dismissed.
- Every content page ends with "Page last reviewed: ... · Next review due: ...", the reviewer, a
  link to the editorial policy and "Report a problem with this page", with dates from its front
  matter.
- The footer says "not medical advice" and "no ads" and links to the editorial policy and privacy.
- The 404 page offers the same help, a search and a way home.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml
from playwright.sync_api import expect

from iopguide import ROOT
from iopguide.i18n import load_languages
from tests.browser.reader_pages import (
    CRISIS_LINKS,
    PHONE,
    WORDS,
    built_pages,
    content_pages,
    language_of,
    source_of,
)
from tests.helpers import BuildResult

pytestmark = pytest.mark.browser

IN_VIEW = """(el) => {
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight
    && r.left >= 0 && r.right <= document.documentElement.clientWidth
    && s.visibility !== "hidden" && s.display !== "none" && parseFloat(s.opacity) > 0;
}"""


def _front_matter(url_path: str) -> dict:
    name = source_of(url_path)
    text = (ROOT / "docs" / name).read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n", text, re.DOTALL)
    assert match, f"docs/{name} has no front matter"
    return yaml.safe_load(match.group(1))


def _date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def test_crisis_links_visible_on_phone_without_scrolling(
    browser, real_site: BuildResult, site_url: str
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    problems: list[str] = []
    try:
        for path in built_pages(real_site.site_dir):
            page.goto(site_url + path)
            page.wait_for_load_state("load")
            banner = page.locator("aside.iop-crisis")
            if banner.count() != 1:
                problems.append(f"{path}: {banner.count()} crisis banners")
                continue
            if banner.get_attribute("aria-label") != WORDS[language_of(path)]["crisis"]:
                problems.append(f"{path}: the crisis banner has no accessible name")
            if banner.locator("button").count():
                problems.append(f"{path}: the crisis banner can be dismissed")
            for href in sorted(CRISIS_LINKS):
                link = banner.locator(f'a[href="{href}"]')
                if link.count() != 1:
                    problems.append(f"{path}: no {href} link in the crisis banner")
                elif not link.evaluate(IN_VIEW):
                    problems.append(f"{path}: {href} is not visible without scrolling")
            # Longer words (Spanish) wrap instead of running off a phone screen.
            if banner.evaluate("(el) => el.scrollWidth > el.clientWidth"):
                problems.append(f"{path}: the crisis banner is wider than the phone screen")
            text = " ".join(banner.inner_text().split())
            for words in ("988", "1-800-662-4357", "911"):
                if words not in text:
                    problems.append(f"{path}: the banner does not show {words}: {text!r}")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_trust_block_on_every_content_page(browser, real_site: BuildResult, site_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    problems: list[str] = []
    checked = 0
    try:
        for path in content_pages(real_site.site_dir):
            meta = _front_matter(path)
            last, nxt = _date(meta["last_reviewed"]), _date(meta["next_review"])
            code = language_of(path)
            words, format_date = WORDS[code], load_languages(ROOT)[code].format_date
            page.goto(site_url + path)
            block = page.locator("article .iop-trust")
            if block.count() != 1:
                problems.append(f"{path}: {block.count()} trust blocks")
                continue
            dates = " ".join(block.locator(".iop-trust__dates").inner_text().split())
            expected = f"{words['last']} {format_date(last)} · {words['next']} {format_date(nxt)}"
            if dates != expected:
                problems.append(f"{path}: {dates!r} != {expected!r}")
            times = block.locator(".iop-trust__dates time").evaluate_all(
                "els => els.map(e => e.dateTime)"
            )
            if times != [last.isoformat(), nxt.isoformat()]:
                problems.append(f"{path}: <time datetime> {times}")
            reviewer = block.locator(".iop-trust__reviewer").inner_text()
            if not reviewer.startswith(words["reviewed"]) or len(reviewer) < 20:
                problems.append(f"{path}: reviewer line {reviewer!r}")
            policy = block.locator("a", has_text=words["policy"])
            href = policy.get_attribute("href") if policy.count() == 1 else None
            # Relative to the page, so the site works under any address.
            # Each language's own editorial policy (es/editorial-policy/ for Spanish pages).
            expected_href = {
                "": "editorial-policy/",
                "editorial-policy/": "./",
                "es/": "editorial-policy/",
                "es/editorial-policy/": "./",
            }.get(path, "../editorial-policy/")
            if href != expected_href:
                problems.append(f"{path}: editorial policy link {href!r} != {expected_href!r}")
            # "Report a problem with this page": a visible link to the issue form, last of all.
            report = block.get_by_role("link", name=words["report"])
            if report.count() != 1 or not report.is_visible():
                problems.append(f"{path}: no visible {words['report']!r} link")
            elif not (report.get_attribute("href") or "").startswith("https://"):
                problems.append(f"{path}: report link {report.get_attribute('href')!r}")
            elif block.locator("a").last.inner_text() != words["report"]:
                problems.append(f"{path}: the report link is not the last link of the page")
            # Near the end of the content: nothing but the page's own end follows it.
            after = block.evaluate(
                "el => { let n = el.nextElementSibling, c = 0; while (n) {"
                " if (n.textContent.trim()) c++; n = n.nextElementSibling; } return c; }"
            )
            if after:
                problems.append(f"{path}: {after} content elements follow the trust block")
            checked += 1
        # The link works: it leads to the editorial policy page.
        page.goto(site_url + "faq/")
        page.locator("article .iop-trust").get_by_role(
            "link", name="How we write and review"
        ).click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/editorial-policy/"), page.url
    finally:
        context.close()
    assert checked >= 15
    assert not problems, "\n".join(problems)


def test_reviewer_comes_from_reviewers_yml(real_site: BuildResult) -> None:
    """The reviewer's name on the page is the one reviewers.yml gives (or the site author)."""
    path = ROOT / "reviewers.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    data = data.get("reviewers", data) if isinstance(data, dict) else {}
    entry = data.get("editorial-team") if isinstance(data, dict) else None
    name = "IOP Guide editorial team"
    if isinstance(entry, dict) and entry.get("name"):
        name = entry["name"]
    html = real_site.page("faq/")
    assert f"Reviewed by {name}" in html


def test_footer_note_and_links(browser, real_site: BuildResult, site_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        for path in built_pages(real_site.site_dir):
            page.goto(site_url + path)
            footer = page.locator("footer .iop-footer")
            assert footer.count() == 1, path
            text = " ".join(footer.inner_text().split())
            words = WORDS[language_of(path)]
            assert words["not_advice"] in text.lower(), f"{path}: {text}"
            assert words["no_ads"] in text, f"{path}: {text}"
            prefix = "es/" if language_of(path) == "es" else ""
            for label, slug in (
                (words["editorial"], prefix + "editorial-policy/"),
                (words["privacy"], prefix + "privacy/"),
            ):
                # The resolved address (a link on the policy page itself is "./").
                href = footer.get_by_role("link", name=label).evaluate("a => a.href")
                assert href == site_url + slug, f"{path}: {label} -> {href}"
        # Each footer link resolves to a real page.
        page.goto(site_url + "faq/")
        page.locator("footer .iop-footer").get_by_role("link", name="Privacy").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/privacy/") and page.locator("h1").count() == 1
    finally:
        context.close()


def test_404_page_offers_help_search_and_home(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(site_url + "404.html")
        article = page.locator("article")
        assert "can't find that page" in article.locator("h1").inner_text()
        hrefs = set(
            article.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        )
        assert hrefs >= CRISIS_LINKS, hrefs
        assert article.get_by_role("link", name="Go to the IOP Guide home page").count() == 1
        # The search link opens the site's search box, ready to type in.
        article.get_by_role("link", name="Search IOP Guide").click()
        page.wait_for_load_state("load")
        expect(page.locator(".md-search__input")).to_be_focused()
        page.keyboard.type("program")
        page.wait_for_selector(".md-search-result__item", timeout=15000)
        assert page.locator(".md-search-result__item").count() >= 1
    finally:
        context.close()
