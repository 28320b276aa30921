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


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390x844", "1280x800"])
def test_every_page_has_no_axe_violation(
    browser, real_site: BuildResult, site_url: str, scheme: str, viewport: dict
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    failures: dict[str, str] = {}
    checked = 0
    try:
        for path in built_pages(real_site.site_dir):
            page.goto(site_url + path)
            page.wait_for_load_state("load")
            # The palette follows the reader's system setting: dark means Material's "slate".
            expected = "slate" if scheme == "dark" else "default"
            actual = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
            assert actual == expected, f"{path}: palette {actual!r}, expected {expected!r}"
            results = AXE.run(page)
            violations = results.response["violations"]
            if violations:
                failures[path or "(home)"] = _describe(violations)
            checked += 1
    finally:
        context.close()
    assert checked >= 16
    report = "\n".join(f"{path}:\n{text}" for path, text in failures.items())
    assert not failures, f"axe violations ({scheme}, {viewport}):\n{report}"


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
