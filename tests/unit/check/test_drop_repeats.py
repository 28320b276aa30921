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
    values={"value": "what-happens.md", "docs": "docs", "hint": "change it to a page"},
)


def footer_link(page: str, link: str) -> Problem:
    return Problem(
        f"/tmp/check/site/{page}/index.html",
        189,
        None,
        "broken-link",
        f"On {page}/: the link '{link}' is broken (404 File not found)",
        "link to a page that exists; it comes from the theme or a plugin",
        values={"where": f"On {page}/", "href": link, "reason": "404 File not found"},
    )


def test_the_theme_links_to_a_page_gone_from_the_menu_are_left_out() -> None:
    gone = footer_link("does-iop-work", "../what-happens.md")
    other = footer_link("faq", "../somewhere-else.md")
    assert _drop_repeats([NAV, gone, other]) == [NAV, other]
    # Without the menu problem, the broken link is reported.
    assert _drop_repeats([gone]) == [gone]


def test_the_bibliography_line_for_a_key_a_page_names_is_left_out() -> None:
    def unknown(file: str, key: str) -> Problem:
        return Problem(
            file, 4, None, "citation-unknown-key", f"cites '{key}'", "", values={"key": key}
        )

    page, repeat, other = (
        unknown("docs/faq.md", "a2020x"),
        unknown("bibliography.bib", "a2020x"),
        unknown("bibliography.bib", "b2021y"),
    )
    assert _drop_repeats([page, repeat, other]) == [page, other]


def test_the_line_for_a_bibliography_elsewhere_is_left_out_too() -> None:
    """bib_file: refs/sources.bib (on main only a line naming bibliography.bib was left out)."""
    page, repeat = (
        Problem(file, line, None, "citation-unknown-key", "", "", values={"key": "a2020x"})
        for file, line in (("docs/faq.md", 4), ("refs/sources.bib", None))
    )
    assert _drop_repeats([page, repeat]) == [page]
