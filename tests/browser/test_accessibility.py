"""axe-core finds no accessibility problem on any page, in light and dark, on a phone and a laptop.

axe-core comes bundled with axe-playwright-python (axe 4.12.1 in 0.1.8); every rule that is on by
default runs (WCAG 2.0-2.2 A and AA plus best practices). A failure lists each rule, its impact,
the elements and axe's own summary of how to fix it.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.reader_pages import DESKTOP, PHONE, built_pages
from tests.helpers import BuildResult

pytestmark = pytest.mark.browser

AXE = Axe()
# Links in running text (footnote numbers, back-links and buttons have their own look).
IN_TEXT_LINKS = ", ".join(
    f"article {parent} a:not(.headerlink):not(.footnote-ref):not(.footnote-backref):not(.md-button)"
    for parent in ("p", "li")
)


def _describe(violations: list[dict]) -> str:
    lines = []
    for rule in violations:
        lines.append(f"  [{rule['id']}] ({rule['impact']}) {rule['help']} - {rule['helpUrl']}")
        for node in rule["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"      {node['target']}: {summary[:300]}")
    return "\n".join(lines)


def test_axe_version_is_known() -> None:
    """The figures in decisions/0006 were measured with this axe-core."""
    assert AXE.axe_script.startswith("/*! axe v4."), AXE.axe_script[:40]


#: Material's name for each palette (``data-md-color-scheme`` on ``<body>``).
SCHEMES = {"default": "light", "slate": "dark"}
SCHEME_NOW = "document.body.getAttribute('data-md-color-scheme')"
# The reader's palette toggle, clicked from script: the same change as a click, without leaving
# the mouse hovering or the focus on the button while axe looks at the page.
TOGGLE = "document.querySelector(\"form[data-md-component='palette'] label:not([hidden])\").click()"
# Colour transitions are over (axe must see the final colours).
SETTLED = "document.getAnimations().every(a => a.playState !== 'running')"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_palette_follows_the_system_setting(browser, site_url: str, scheme: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(site_url + "faq/", wait_until="load")
        actual = page.evaluate(SCHEME_NOW)
    finally:
        context.close()
    expected = "slate" if scheme == "dark" else "default"
    assert actual == expected, f"palette {actual!r} with a {scheme} system setting"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390x844", "1280x800"])
def test_every_page_has_no_axe_violation(
    browser, real_site: BuildResult, site_url: str, viewport: dict
) -> None:  # type: ignore[no-untyped-def]
    """Every page in both palettes: axe runs, the palette toggle switches light and dark in the
    same page load, and axe runs again. The choice is remembered, so pages alternate which
    palette comes first; each page is checked in both."""
    context = browser.new_context(viewport=viewport, color_scheme="light")
    page = context.new_page()
    failures: dict[str, str] = {}
    checked = {"light": 0, "dark": 0}
    try:
        for path in built_pages(real_site.site_dir):
            page.goto(site_url + path, wait_until="load")
            page.evaluate(AXE.axe_script)  # once per page load, for both runs
            for run in range(2):
                if run:
                    before = page.evaluate(SCHEME_NOW)
                    page.evaluate(TOGGLE)
                    page.wait_for_function(f"{SCHEME_NOW} !== {before!r}", timeout=5000)
                    page.wait_for_function(SETTLED, timeout=5000)
                current = page.evaluate(SCHEME_NOW)
                assert current in SCHEMES, f"{path}: unknown palette {current!r}"
                scheme = SCHEMES[current]
                violations = page.evaluate(
                    "axe.run({resultTypes: ['violations']}).then(r => r.violations)"
                )
                if violations:
                    failures[f"{path or '(home)'} ({scheme})"] = _describe(violations)
                checked[scheme] += 1
    finally:
        context.close()
    assert checked["light"] >= 16 and checked["dark"] >= 16, checked
    report = "\n".join(f"{path}:\n{text}" for path, text in failures.items())
    assert not failures, f"axe violations ({viewport}):\n{report}"


def test_links_in_text_are_underlined(browser, real_site: BuildResult, site_url: str) -> None:  # type: ignore[no-untyped-def]
    """Links inside paragraphs and list items do not rely on colour alone."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    plain: list[str] = []
    checked = 0
    try:
        for path in built_pages(real_site.site_dir):
            page.goto(site_url + path)
            decorations = page.locator(IN_TEXT_LINKS).evaluate_all(
                "els => els.map(a => [a.getAttribute('href'),"
                " getComputedStyle(a).textDecorationLine])"
            )
            checked += len(decorations)
            plain += [f"{path}: {href}" for href, line in decorations if "underline" not in line]
    finally:
        context.close()
    assert checked >= 30, "too few links in text: the test would prove nothing"
    assert not plain, "links in text without underline:\n" + "\n".join(plain)
