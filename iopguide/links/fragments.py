"""The #anchors of our own pages, checked here, reading each built page once (LinkChecker's
AnchorCheck plugin fetched and parsed a page again for every #anchor linking to it)."""

from __future__ import annotations

import html.parser
import re
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from iopguide.links.linkchecker import LINK_ATTRIBUTES, Checked
from iopguide.links.locate import page_of

#: Attributes whose #fragment is checked when they point to a built HTML page (srcset holds
#: several URLs and never a fragment of a page).
FRAGMENT_ATTRIBUTES = frozenset(LINK_ATTRIBUTES) - {"srcset"}

#: (page, line, href as written): one place in the built site that links to a target.
Hit = tuple[str, int | None, str]

#: Links to other websites (kept for the online check, which also checks their #anchors).
_WEB = re.compile(r"\s*(?:https?:)?//", re.IGNORECASE)


class _PageScan(html.parser.HTMLParser):
    """One pass over a built page: the anchors it defines and every link, with its place.

    Python's own HTML parser without a tree: the same parser (and so the same line numbers) that
    BeautifulSoup's "html.parser" uses, about three times faster when only attributes are needed.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: set[str] = set()
        #: (line, column, href as written) of every link.
        self.links: list[tuple[int, int, str]] = []
        #: Indexes in ``links`` of the links to check here: with a #fragment, or to other sites.
        self.to_check: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.anchors.add(value)
            elif name in LINK_ATTRIBUTES and value.strip():
                if name in FRAGMENT_ATTRIBUTES and ("#" in value or _WEB.match(value)):
                    self.to_check.append(len(self.links))
                line, column = self.getpos()
                self.links.append((line, column + 1, value.strip()))


def scan_page(path: Path) -> _PageScan:
    scan = _PageScan()
    scan.feed(path.read_text(encoding="utf-8", errors="replace"))
    scan.close()
    return scan


def _page_url(base: str, built: str) -> str:
    """URL of a built file as a static host serves it: ``faq/index.html`` is ``faq/``."""
    page = built.removesuffix("index.html") if built.split("/")[-1] == "index.html" else built
    return base + urllib.parse.quote(page, safe="/")


def _served_file(scans: dict[str, _PageScan], path: str) -> str | None:
    """The built HTML file (site-relative) that a site path is served from, if there is one.

    A folder is served from its index.html, with or without the closing slash (a host
    redirects ``faq`` to ``faq/`` and the browser keeps the #fragment). Anything else (a missing
    page, which LinkChecker reports, or a file that is not HTML) has no anchors to check.
    """
    path = path.lstrip("/")
    folder = path if path == "" or path.endswith("/") else path + "/"
    for candidate in (folder + "index.html", path):
        if candidate in scans:
            return candidate
    return None


def fragment_found(fragment: str, anchors: set[str]) -> bool:
    """Does a browser find ``#fragment`` on a page with these ids and ``<a name>``s?

    As the HTML standard says: the fragment as written or percent-decoded (``#fn%3Akey`` is
    ``id="fn:key"``), matched exactly; an empty fragment or ``#top`` is the top of the page.
    """
    decoded = urllib.parse.unquote(fragment)
    return fragment in anchors or decoded in anchors or decoded.lower() in ("", "top")


@dataclass
class Fragments:
    """The result of :func:`check_fragments`, and the links of every page it read."""

    base: str
    scans: dict[str, _PageScan]
    #: One record per distinct target with a #fragment (``anchor_missing`` set when broken).
    checked: list[Checked]
    #: Every link to another website (http, https), one record per place, not checked here.
    external: list[Checked]
    _index: dict[str, list[Hit]] | None = None

    @property
    def pages(self) -> int:
        return len(self.scans)

    def linking_to(self, target: str) -> list[Hit]:
        """Every (page, line, href as written) whose link resolves to the URL ``target``."""
        if self._index is None:
            self._index = defaultdict(list)
            for built, scan in self.scans.items():
                page_url = _page_url(self.base, built)
                page = page_of(page_url, self.base) or ""
                for line, _, href in scan.links:
                    absolute = urllib.parse.urljoin(page_url, href)
                    self._index[absolute].append((page, line, href))
        return self._index.get(target, [])


def check_fragments(site_dir: Path, base: str) -> Fragments:
    """Check every internal link with a #fragment in the built site against the ids of its target.

    Each built page is read and parsed once (LinkChecker's AnchorCheck fetched and parsed a page
    again for every distinct #anchor linking to it). ``base`` is the URL the site is served at:
    links are resolved as a browser would, so same-page ``#x``, relative ``../faq/#x`` and
    root-relative ``/faq/#x`` links are all checked; links to other hosts are not.
    """
    scans = {
        path.relative_to(site_dir).as_posix(): scan_page(path)
        for path in sorted(site_dir.rglob("*.html"))
    }
    base_path = urllib.parse.urlsplit(base).path
    checked: dict[str, Checked] = {}
    external: list[Checked] = []
    for built, scan in scans.items():
        page_url = _page_url(base, built)
        for index in scan.to_check:
            line, column, href = scan.links[index]
            target = urllib.parse.urljoin(page_url, href)
            parts = urllib.parse.urlsplit(target)
            if not target.startswith(base):
                if parts.scheme in ("http", "https"):
                    item = Checked(href, page_url, line, column, target, True, True, "")
                    external.append(item)
                continue
            if not parts.fragment:
                continue
            path = urllib.parse.unquote(parts.path)[len(base_path) :]
            served = _served_file(scans, path)
            if served is None:
                continue
            if target not in checked:
                missing = None
                if not fragment_found(parts.fragment, scans[served].anchors):
                    missing = urllib.parse.unquote(parts.fragment)
                checked[target] = Checked(
                    url=href,
                    parent=page_url,
                    line=line,
                    column=column,
                    realurl=target,
                    extern=False,
                    valid=True,
                    result="anchor found" if missing is None else "anchor not found",
                    anchor_missing=missing,
                )
    return Fragments(base, scans, list(checked.values()), external)
