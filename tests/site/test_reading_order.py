"""On every real page, citation numbers and the reference list follow reading order."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.helpers import BuildResult


def test_citations_numbered_in_reading_order_on_every_page(real_site: BuildResult) -> None:
    pages_with_citations = 0
    for path in sorted(real_site.site_dir.rglob("index.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        refs = soup.select("a.footnote-ref")
        if not refs:
            continue
        pages_with_citations += 1
        first_seen: list[str] = []
        for ref in refs:
            key = ref["href"].removeprefix("#fn:")
            if key not in first_seen:
                first_seen.append(key)
            assert ref.get_text() == str(first_seen.index(key) + 1), (path, key)
        listed = [li["id"].removeprefix("fn:") for li in soup.select("div.footnote > ol > li")]
        assert listed[: len(first_seen)] == first_seen, path
    assert pages_with_citations >= 10
