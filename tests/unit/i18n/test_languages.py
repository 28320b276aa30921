"""languages.yml: which language a page is in, dates in each language, translation fingerprints."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from iopguide import ROOT
from iopguide.i18n import checksum, load_languages, original_of, page_language

CODES = list(load_languages(ROOT))


def test_english_is_the_original_and_spanish_a_translation() -> None:
    assert CODES[0] == "en" and "es" in CODES


def test_review_dates_in_each_language() -> None:
    languages = load_languages(ROOT)
    date = dt.date(2026, 11, 28)
    assert languages["es"].format_date(date) == "28 de noviembre de 2026"
    assert languages["en"].format_date(date) == "28 November 2026"
    assert languages["es"].format_date(dt.date(2027, 1, 3)) == "3 de enero de 2027"


def test_the_file_name_says_the_language() -> None:
    assert page_language("docs/get-help-now.es.md", CODES) == "es"
    assert page_language("index.es.md", CODES) == "es"
    assert page_language("docs/get-help-now.md", CODES) is None
    # A dot in a name is not a language, and English is never a suffix.
    assert page_language("docs/v1.2.md", CODES) is None
    assert page_language("docs/index.en.md", CODES) is None
    assert original_of("docs/get-help-now.es.md") == "docs/get-help-now.md"


def test_the_fingerprint_follows_the_text_not_the_line_endings(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"# Title\n\nText.\n")
    first = checksum(page)
    page.write_bytes(b"# Title\r\n\r\nText.\r\n")
    assert checksum(page) == first
    page.write_bytes(b"# Title\n\nOther text.\n")
    assert checksum(page) != first and len(first) == 12


def test_the_spanish_pages_record_the_english_page_they_translate() -> None:
    """Every docs/*.es.md names an existing English page; its fingerprint is current, or the
    content check warns (tested in tests/unit/content/test_translation.py)."""
    pages = sorted((ROOT / "docs").glob("*.es.md"))
    assert len(pages) >= 2
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert f"translation_of: {original_of(page.name)}" in text, page.name
