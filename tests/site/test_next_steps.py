"""The "Next steps" section that closes the learning pages, in English and in Spanish.

Checked on the real site (the ``real_site`` fixture, built strictly once per session): the
section is there under its anchor, points readers to other pages of the site that exist, and
sends them to a professional.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup, Tag

from tests.helpers import BuildResult

#: (built page, the section's anchor, a word naming a professional in that language).
NEXT_STEPS = [
    (f"{prefix}{page}/", anchor, professional)
    for prefix, anchor, professional in (
        ("", "next-steps", "doctor"),
        ("es/", "proximos-pasos", "médico"),
    )
    for page in (
        "what-is-an-iop",
        "mental-health-and-co-occurring",
        "teens-and-families",
        "faq",
        "questions-to-ask",
    )
]


def _section(article: Tag, anchor: str) -> list[Tag]:
    heading = article.find(id=anchor)
    assert heading is not None, f"no heading #{anchor}"
    assert heading.name == "h2", f"#{anchor} is a {heading.name}, not a section heading (h2)"
    parts = []
    for sibling in heading.find_next_siblings():
        if sibling.name in ("h1", "h2"):
            break
        parts.append(sibling)
    return parts


@pytest.mark.parametrize(("url", "anchor", "professional"), NEXT_STEPS)
def test_page_ends_with_next_steps_to_other_pages_and_a_professional(
    real_site: BuildResult, url: str, anchor: str, professional: str
) -> None:
    soup = BeautifulSoup(real_site.page(url), "html.parser")
    article = soup.select_one("article")
    assert article is not None, f"{url}: the built page has no <article> element"
    parts = _section(article, anchor)

    targets = []
    for part in parts:
        if "admonition" in (part.get("class") or []):
            continue  # the closing crisis box is not a next step
        for link in part.find_all("a", href=True):
            href = link["href"]
            if urlsplit(href).scheme or href.startswith("#"):
                continue
            targets.append(href)
    assert len(targets) >= 2, f"{url}#{anchor}: fewer than 2 links to other pages: {targets}"
    for href in targets:
        path = PurePosixPath(url) / urlsplit(href).path
        built = real_site.site_dir / path / "index.html"
        assert built.resolve().is_file(), f"{url}#{anchor}: {href} leads to no built page"

    text = " ".join(" ".join(p.get_text(" ") for p in parts).split())
    assert professional in text, f"{url}#{anchor}: does not point to a {professional}"
