"""Helpers shared by the reader-facing browser tests (accessibility, privacy, trust, print)."""

from __future__ import annotations

from pathlib import Path

#: Viewports every page is checked at: a common phone and a laptop.
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

#: Crisis links every page must offer.
CRISIS_LINKS = {"tel:988", "sms:988", "tel:+18006624357", "tel:911"}


def is_redirect_stub(html: Path) -> bool:
    return 'http-equiv="refresh"' in html.read_text(encoding="utf-8")


def built_pages(site_dir: Path) -> list[str]:
    """URL paths of every built page (``""`` for home, ``"faq/"``, ``"404.html"``), redirect stubs
    of moved pages excluded (they only send the reader on)."""
    paths = []
    for html in sorted(site_dir.rglob("*.html")):
        if is_redirect_stub(html):
            continue
        rel = html.relative_to(site_dir).as_posix()
        paths.append(rel.removesuffix("index.html"))
    assert "" in paths and "404.html" in paths, f"unexpected site layout: {paths}"
    return paths


def content_pages(site_dir: Path) -> list[str]:
    """Every page built from a Markdown file (everything but the 404 page)."""
    return [p for p in built_pages(site_dir) if p != "404.html"]
