"""The #anchors of our own pages, checked reading each built page once (LinkChecker's AnchorCheck
plugin fetched and parsed a page again for every #anchor linking to it)."""

from __future__ import annotations

import html.parser
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bs4.builder import HTMLTreeBuilder

from iopguide.links.linkchecker import LINK_ATTRIBUTES, Checked

_VOID = HTMLTreeBuilder.DEFAULT_EMPTY_ELEMENT_TAGS or set()


def page_of(url: str, base: str) -> str | None:
    """Site-relative page path of a local URL (``faq/``), or None if not ours."""
    if not url.startswith(base):
        return None
    path = urllib.parse.urlsplit(url).path
    return urllib.parse.unquote(path[len(urllib.parse.urlsplit(base).path) :])


class _PageScan(html.parser.HTMLParser):
    """A built page's anchors and links (line, href, #fragment checkable: srcset has none), and
    whether each link (by line and href, and by href) is in the page's Markdown text: inside
    Material's <article>, outside our iop- blocks (trust block). Read as BeautifulSoup's
    "html.parser" reads it (same lines, same nesting), three times faster without a tree."""

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: set[str] = set()
        self.links: list[tuple[int, str, bool]] = []
        self.in_text: dict[tuple[int | None, str], bool] = {}
        self.open: list[tuple[str, str]] = []  # (tag, "article" | "iop" | "") of open elements
        self.feed(path.read_text(encoding="utf-8", errors="replace"))
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        for name, value in attrs:
            if value is not None and (name == "id" or (name == "name" and tag == "a")):
                self.anchors.add(value)
            elif value is not None and name in LINK_ATTRIBUTES:
                kinds = {kind for _, kind in self.open}
                for place in ((line, value), (None, value)):
                    self.in_text.setdefault(place, "article" in kinds and "iop" not in kinds)
                if value.strip():
                    self.links.append((line, value.strip(), name != "srcset"))
        if tag not in _VOID:  # <br> has no end tag: nothing is inside it
            classes = (v.split() for n, v in attrs if n == "class" and v and "iop-" in v)
            iop = any(c.startswith("iop-") for names in classes for c in names)
            self.open.append((tag, "iop" if iop else "article" if tag == "article" else ""))

    def handle_endtag(self, tag: str) -> None:
        tags = [open_tag for open_tag, _ in self.open][::-1]  # the innermost open one, and what
        if tag in tags:  # is still open inside it, closed as BeautifulSoup closes them
            del self.open[len(tags) - 1 - tags.index(tag) :]


#: Each built page (``faq/index.html``) read once.
Scans = dict[str, _PageScan]


def fragment_found(fragment: str, anchors: set[str]) -> bool:
    """Does a browser find ``#fragment`` among these ids and ``<a name>``s? As written or
    percent-decoded, exactly; an empty fragment or ``#top`` is the top of the page."""
    decoded = urllib.parse.unquote(fragment)
    return fragment in anchors or decoded in anchors or decoded.lower() in ("", "top")


@dataclass
class Fragments:
    """The result of :func:`check_fragments`, and the links of every page it read."""

    scans: Scans
    urls: list[str]  # every page read, as a static host serves it (faq/index.html: faq/)
    checked: list[Checked]  # one per distinct target with a #fragment (anchor_missing if broken)
    external: list[Checked]  # every link to another website, one per place, not checked here
    index: dict[str, list[tuple[str, int | None, str]]]  # URL -> each (page, line, href) to it


def check_fragments(site_dir: Path, base: str) -> Fragments:
    """Check every internal link's #fragment against its target's ids, as a browser resolves it."""
    scans = {
        p.relative_to(site_dir).as_posix(): _PageScan(p) for p in sorted(site_dir.rglob("*.html"))
    }
    urls, checked, external = [], {}, []
    index: dict[str, list[tuple[str, int | None, str]]] = defaultdict(list)
    for built, scan in scans.items():
        page = built.removesuffix("index.html") if built.split("/")[-1] == "index.html" else built
        page_url = base + urllib.parse.quote(page, safe="/")
        urls.append(page_url)
        for line, href, checkable in scan.links:
            target = urllib.parse.urljoin(page_url, href)
            index[target].append((page, line, href))
            parts = urllib.parse.urlsplit(target)
            if not checkable or not target.startswith(base):
                if checkable and parts.scheme in ("http", "https"):
                    external.append(Checked(href, page_url, line, target, True, True, ""))
                continue
            # A folder is served from its index.html, with or without the closing slash (the
            # host redirects and the browser keeps the #fragment); a missing page or a file
            # that is not HTML is left to LinkChecker.
            path = (page_of(target, base) or "").lstrip("/")
            folder = path if path == "" or path.endswith("/") else path + "/"
            served = next((c for c in (folder + "index.html", path) if c in scans), None)
            if not parts.fragment or served is None or target in checked:
                continue
            found = fragment_found(parts.fragment, scans[served].anchors)
            result = "anchor found" if found else "anchor not found"
            item = Checked(href, page_url, line, target, False, True, result)
            item.anchor_missing = None if found else urllib.parse.unquote(parts.fragment)
            checked[target] = item
    return Fragments(scans, urls, list(checked.values()), external, index)
