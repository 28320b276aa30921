"""One line per mistake in `make check` (iopguide.check._drop_repeats)."""

from __future__ import annotations

from iopguide.check import _drop_repeats
from iopguide.report import Problem

NAV = Problem(
    "mkdocs.yml",
    198,
    None,
    "nav-not-found",
    "The menu (nav:) lists 'what-happens.md', but there is no such page in docs/",
    "x",
)


def footer_link(page: str, link: str) -> Problem:
    return Problem(
        f"/tmp/check/site/{page}/index.html",
        189,
        None,
        "broken-link",
        f"On {page}/: the link '{link}' is broken (404 File not found)",
        "link to a page that exists; it comes from the theme or a plugin",
    )


def test_the_theme_links_to_a_page_gone_from_the_menu_are_left_out() -> None:
    gone = footer_link("does-iop-work", "../what-happens.md")
    other = footer_link("faq", "../somewhere-else.md")
    assert _drop_repeats([NAV, gone, other]) == [NAV, other]
    # Without the menu problem, the broken link is reported.
    assert _drop_repeats([gone]) == [gone]
