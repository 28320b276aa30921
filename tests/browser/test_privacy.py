"""Tracked by no one: no request leaves the site, no cookie is set, nothing external is linked in.

In Chromium, every request of every page (and of a search) is recorded through ``page.route``;
any request to a host other than the test server is aborted and reported. A static scan of the
built files then finds no external script, stylesheet, font, image, frame or preconnect.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.browser.reader_pages import DESKTOP, PHONE, built_pages
from tests.helpers import BuildResult

#: Schemes that never reach the network.
LOCAL_SCHEMES = {"data", "blob", "about"}


def _record_requests(context, site_url: str) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    own_host = urlsplit(site_url).netloc
    ours: list[str] = []
    foreign: list[str] = []

    def route(route) -> None:  # type: ignore[no-untyped-def]
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES or parts.netloc == own_host:
            ours.append(url)
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    context.route("**/*", route)
    return ours, foreign


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390x844", "1280x800"])
def test_no_third_party_request_and_no_cookie(
    browser, real_site: BuildResult, site_url: str, viewport: dict
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=viewport)
    ours, foreign = _record_requests(context, site_url)
    try:
        pages = built_pages(real_site.site_dir)
        # Every page opens in its own tab at once, and each is then left until its network has
        # been idle for 0.5 s: the same wait as one tab after another, but the waits overlap
        # (one after another they added 0.5 s per page).
        tabs = [context.new_page() for _ in pages]
        for tab, path in zip(tabs, pages, strict=True):
            tab.goto(site_url + path, wait_until="commit")
        for tab, path in zip(tabs, pages, strict=True):
            tab.wait_for_load_state("networkidle")
            assert tab.url == site_url + path, f"{path}: the tab ended on {tab.url}"
        for tab in tabs:
            tab.close()
        # Use search, as a reader would: it loads a worker and the search index.
        page = context.new_page()
        page.goto(site_url)
        page.wait_for_load_state("networkidle")
        page.keyboard.press("/")
        page.keyboard.type("program")
        page.wait_for_selector(".md-search-result__item", timeout=15000)
        page.wait_for_load_state("networkidle")
        cookies = context.cookies()
    finally:
        context.close()
    assert len(ours) > len(pages), "the test recorded no request: interception did not run"
    assert any(u.endswith("search_index.json") for u in ours), "search was not used"
    assert foreign == [], f"requests to other hosts: {sorted(set(foreign))}"
    assert cookies == [], f"cookies were set: {cookies}"


# Attributes that make a browser fetch something, by tag.
FETCHING = {
    "script": ["src"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "iframe": ["src"],
    "frame": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "audio": ["src"],
    "video": ["src", "poster"],
    "track": ["src"],
    "input": ["src"],
}
# <link rel=...> values that fetch or connect.
FETCHING_RELS = {
    "stylesheet",
    "preconnect",
    "dns-prefetch",
    "preload",
    "prefetch",
    "modulepreload",
    "prerender",
    "icon",
    "apple-touch-icon",
    "manifest",
}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)", re.IGNORECASE)


def _external(url: str) -> bool:
    url = url.strip()
    return url.startswith(("http://", "https://", "//"))


def external_resources(site_dir: Path) -> list[str]:
    """Every reference to a resource on another host in the built HTML and CSS."""
    found: list[str] = []
    for html in sorted(site_dir.rglob("*.html")):
        rel = html.relative_to(site_dir).as_posix()
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag, attrs in FETCHING.items():
            for element in soup.find_all(tag):
                for attr in attrs:
                    for value in str(element.get(attr) or "").split(","):
                        if value and _external(value.split()[0] if value.split() else value):
                            found.append(f"{rel}: <{tag} {attr}={value.strip()!r}>")
        for link in soup.find_all("link"):
            rels = {r.lower() for r in link.get("rel") or []}
            if rels & FETCHING_RELS and _external(str(link.get("href") or "")):
                found.append(f"{rel}: <link rel={sorted(rels)} href={link.get('href')!r}>")
        for style in soup.find_all("style"):
            for m in CSS_URL.finditer(style.get_text()):
                if _external(m.group(1) or m.group(2)):
                    found.append(f"{rel}: <style> loads {m.group(1) or m.group(2)}")
        for element in soup.find_all(style=True):
            for m in CSS_URL.finditer(element["style"]):
                if _external(m.group(1) or m.group(2)):
                    found.append(f"{rel}: style attribute loads {m.group(1) or m.group(2)}")
    for css in sorted(site_dir.rglob("*.css")):
        rel = css.relative_to(site_dir).as_posix()
        for m in CSS_URL.finditer(css.read_text(encoding="utf-8", errors="replace")):
            if _external(m.group(1) or m.group(2)):
                found.append(f"{rel}: loads {m.group(1) or m.group(2)}")
    return found


def test_static_scan_finds_no_external_resource(real_site: BuildResult) -> None:
    pages = list(real_site.site_dir.rglob("*.html"))
    assert len(pages) >= 16
    assert external_resources(real_site.site_dir) == []


def test_static_scan_catches_external_resources(tmp_path: Path) -> None:
    """The scan itself works: each kind of external resource is reported."""
    (tmp_path / "index.html").write_text(
        "<!doctype html><html><head>"
        '<link rel="preconnect" href="https://fonts.gstatic.com">'
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<script src="https://www.googletagmanager.com/gtag/js"></script>'
        "<style>@font-face{src:url(https://cdn.example/font.woff2)}</style>"
        '</head><body><img src="//tracker.example/pixel.gif" alt="">'
        '<a href="https://example.org/">a link is not a request</a></body></html>',
        encoding="utf-8",
    )
    (tmp_path / "extra.css").write_text('@import "https://cdn.example/x.css";', encoding="utf-8")
    found = external_resources(tmp_path)
    assert len(found) == 6, found
    assert not any("example.org" in f for f in found)
