"""``python -m iopguide links SITE_DIR [--external]``: check the links of the built site.

``mkdocs build --strict`` checks links written in Markdown only. This check runs LinkChecker over
the built HTML, so links from templates (overrides/), raw HTML and plugins are checked too. The
site is served on 127.0.0.1 by a small local server (folder URLs such as ``faq/`` resolve to
``faq/index.html`` as on a real host; a folder without ``index.html`` is a 404), and LinkChecker
starts at every page, so pages outside the navigation are checked as well. The #anchors of our
own pages are checked here (:func:`check_fragments`), reading each built page once: LinkChecker's
AnchorCheck plugin fetched and parsed a page again for every #anchor linking to it.

Every broken link is reported where an editor can fix it: the Markdown page and line when the link
comes from the page's text, the template file and line when it comes from overrides/, else the
built page and line. LinkChecker reports a broken target once; we list every page that has it.

With ``--external``, the external links found are then checked online with the rate limit of
``linkcheckerrc``; links that failed for a temporary reason are retried a bounded number of times;
403/429/503 answers from hosts known to block bots are "unverified", not "broken".
"""

from __future__ import annotations

import argparse
import configparser
import functools
import html.parser
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup

from iopguide import ROOT, localserver
from iopguide.dois.config import ConfigError, LinksConfig, load_links_config
from iopguide.i18n import load_languages
from iopguide.report import Problem, Severity, print_report

RC_FILE = "linkcheckerrc"
#: Offline, the only host is our own server: no reason to wait between requests. LinkChecker
#: waits 1/rate to 6/rate seconds between two requests to a host, one request at a time (the
#: wait is taken under a lock shared by all its threads): 1000 cost 3.5 ms per link.
LOCAL_RATE = 1_000_000
#: Offline, one LinkChecker thread. Its checking is CPU-bound (one core: Python's GIL), and when
#: many threads start at once they queue behind its per-host wait before the first answer lifts
#: it: on 2026-11-28, 10 threads took 5.2 s on the real site, 1 thread 2.2 s (same links).
LOCAL_THREADS = 1
#: Attributes that hold links in the built HTML (what LinkChecker follows).
LINK_ATTRIBUTES = ("href", "src", "action", "data", "poster", "cite", "srcset")
#: Results that may be gone on the next try.
TRANSIENT = re.compile(
    r"timed? ?out|timeout|ConnectionError|Connection refused|RemoteDisconnected|"
    r"\b(?:429|500|502|503|504)\b",
    re.IGNORECASE,
)
#: LinkChecker's words (LC_ALL=C) when it could not read a page, or was not allowed to.
CONTENT_UNREAD = "could not get content"
ROBOTS_DENIED = "Access denied by robots.txt"
ANCHOR_WARNING = re.compile(r"Anchor `(?P<name>[^']*)' \(decoded: `(?P<decoded>[^']*)'\) not found")


# ------------------------------------------------------------------------------ serving
#: LinkChecker lifts its minimum pause between requests for hosts that send this header.
LINKCHECKER_HEADER = {"LinkChecker": "local test server"}


@contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    """Serve ``site_dir`` on 127.0.0.1 on a free port, as a static host; yields the base URL."""
    with localserver.serve(site_dir, LINKCHECKER_HEADER) as base:
        yield base


# ------------------------------------------------------------------------------ LinkChecker
@dataclass
class Checked:
    """One link as LinkChecker reports it."""

    url: str
    parent: str | None
    line: int | None
    column: int | None
    realurl: str
    extern: bool
    valid: bool
    result: str
    warnings: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)
    #: Set by our own #anchor check (:func:`check_fragments`): the decoded fragment not found.
    anchor_missing: str | None = None

    @property
    def absolute(self) -> str:
        if self.parent:
            return urllib.parse.urljoin(self.parent, self.url)
        return self.realurl or self.url

    def missing_anchor(self) -> str | None:
        if self.anchor_missing is not None:
            return self.anchor_missing
        for text in self.warnings:
            match = ANCHOR_WARNING.search(text)
            if match:
                return match.group("decoded")
        return None

    def anchor_unchecked(self) -> str | None:
        """Why LinkChecker did not look for the #anchor of a page that answered: it says nothing
        of an anchor when it could not read the page (content too slow) or robots.txt kept it
        out, just as when it found the anchor. Such a link was not checked, so it is not OK."""
        if not self.valid or "#" not in self.url:
            return None
        said = [t for t in self.warnings if t.startswith(CONTENT_UNREAD)] + [
            t for t in self.infos if t.startswith(ROBOTS_DENIED)
        ]
        return said[0] if said else None


class LinkCheckerFailed(Exception):
    pass


def _linkchecker_command() -> list[str]:
    beside = Path(sys.executable).parent / "linkchecker"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("linkchecker")
    if found:
        return [found]
    raise LinkCheckerFailed(
        "LinkChecker is not installed: run 'make install' (it is pinned in requirements.txt)"
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "None") else None
    except ValueError:
        return None


def parse_xml(text: str) -> list[Checked]:
    """LinkChecker's ``-o xml`` output to :class:`Checked` records."""
    start = text.find("<?xml")
    if start == -1:
        raise LinkCheckerFailed("LinkChecker printed no XML report")
    root = ET.fromstring(text[start:])
    items = []
    for node in root.iter("urldata"):
        parent = node.find("parent")
        valid = node.find("valid")
        items.append(
            Checked(
                url=node.findtext("url") or "",
                parent=parent.text if parent is not None else None,
                line=_int(parent.get("line")) if parent is not None else None,
                column=_int(parent.get("column")) if parent is not None else None,
                realurl=node.findtext("realurl") or "",
                extern=node.findtext("extern") == "1",
                valid=valid is not None and valid.text == "1",
                result=(valid.get("result") or "") if valid is not None else "",
                warnings=[w.text or "" for w in node.iter("warning")],
                infos=[i.text or "" for i in node.iter("info")],
            )
        )
    return items


class _CaseKeptConfig(configparser.RawConfigParser):
    """linkcheckerrc as LinkChecker reads it: option names keep their case."""

    def optionxform(self, optionstr: str) -> str:
        return optionstr


def _config_copy(
    rc: Path, rate: float | None, *, anchors: bool = False, threads: int | None = None
) -> Path:
    """A temporary copy of linkcheckerrc, with another request rate or thread count if given.

    ``anchors``: turn on LinkChecker's AnchorCheck plugin (for external pages, which we do not
    parse ourselves); otherwise it is off, since :func:`check_fragments` checks our own anchors
    far faster (AnchorCheck fetches and parses a page again for every #anchor linking to it).
    """
    parser = _CaseKeptConfig()
    parser.read(rc, encoding="utf-8")
    if anchors and not parser.has_section("AnchorCheck"):
        parser.add_section("AnchorCheck")
    elif not anchors:
        parser.remove_section("AnchorCheck")
    if rate is not None:
        if not parser.has_section("checking"):
            parser.add_section("checking")
        parser.set("checking", "maxrequestspersecond", str(rate))
    if threads is not None:
        if not parser.has_section("checking"):
            parser.add_section("checking")
        parser.set("checking", "threads", str(threads))
    fd, name = tempfile.mkstemp(prefix="linkcheckerrc-", suffix=".ini")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        parser.write(handle)
    # LinkChecker reads its config before it drops root privileges; readable by all anyway.
    os.chmod(name, 0o644)
    return Path(name)


def run_linkchecker(
    urls: list[str],
    rc: Path,
    *,
    extern: bool = False,
    rate: float | None = None,
    threads: int | None = None,
    timeout: float = 1800,
) -> list[Checked]:
    """Run LinkChecker on ``urls``. ``extern``: check only these URLs (-r 0), online."""
    config = _config_copy(rc, rate, anchors=extern, threads=threads)
    try:
        cmd = [*_linkchecker_command(), "-f", str(config), "-o", "xml", "-v", "--no-status"]
        if extern:
            cmd += ["-r", "0", "--check-extern", "--stdin"]
            stdin = "\n".join(urls) + "\n"
        else:
            cmd += urls
            stdin = ""
        env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
        proc = subprocess.run(
            cmd,
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=timeout,
            check=False,
        )
    finally:
        config.unlink(missing_ok=True)
    if proc.returncode not in (0, 1):
        tail = "\n".join(proc.stderr.strip().splitlines()[-8:])
        raise LinkCheckerFailed(f"LinkChecker stopped with exit code {proc.returncode}:\n{tail}")
    return parse_xml(proc.stdout)


# ------------------------------------------------------------------------------ mapping
@dataclass
class Project:
    """Where the sources of a built site live, to point editors at the right file."""

    root: Path
    site_dir: Path
    docs_dir: Path
    overrides_dir: Path

    def show(self, path: Path) -> str:
        for base in (self.root, Path.cwd()):
            try:
                return path.resolve().relative_to(base.resolve()).as_posix()
            except ValueError:
                continue
        return str(path)


def page_of(url: str, base: str) -> str | None:
    """Site-relative page path of a local URL (``faq/``), or None if not ours."""
    if not url.startswith(base):
        return None
    path = urllib.parse.urlsplit(url).path
    return urllib.parse.unquote(path[len(urllib.parse.urlsplit(base).path) :])


def html_file(project: Project, page: str) -> Path:
    target = project.site_dir / page
    if page == "" or page.endswith("/"):
        target = target / "index.html"
    return target


def markdown_source(project: Project, page: str) -> Path | None:
    """docs/faq.md for ``faq/``, docs/index.md for the home page, docs/faq.es.md for
    ``es/faq/`` (a translation is published under its language's folder), and so on."""
    stem = page.removesuffix("index.html").removesuffix(".html").strip("/")
    suffix = ""
    first, _, rest = stem.partition("/")
    if first in list(load_languages(project.root))[1:]:
        stem, suffix = rest, f".{first}"
    candidates = [f"{stem}{suffix}.md", f"{stem}/index{suffix}.md", f"{stem}/README{suffix}.md"]
    if not stem:
        candidates = [f"index{suffix}.md", f"README{suffix}.md"]
    for name in candidates:
        path = project.docs_dir / name
        if path.is_file():
            return path
    return None


@functools.lru_cache(maxsize=256)
def _lines(path: Path, mtime_ns: int) -> list[str] | None:
    """A source file's lines, read once per check (a template link is looked up on every page)."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None


def _search(path: Path, needles: list[str], require_link: bool) -> int | None:
    try:
        lines = _lines(path, path.stat().st_mtime_ns)
    except OSError:
        return None
    if lines is None:
        return None
    for needle in needles:
        if not needle:
            continue
        for number, line in enumerate(lines, start=1):
            if needle in line and (
                not require_link or any(m in line for m in ("](", "href", "src", "[@", "]:"))
            ):
                return number
    return None


def _needles(href: str) -> list[str]:
    """Text to look for in a source file to find where a built link came from."""
    parts = urllib.parse.urlsplit(href)
    needles = [href]
    if parts.fragment:
        fragment = urllib.parse.unquote(parts.fragment)
        if fragment.startswith(("fn:", "fnref:")):
            needles.append("@" + fragment.split(":", 1)[1])
        needles.append("#" + fragment)
    segments = [s for s in parts.path.split("/") if s not in ("", ".", "..")]
    if segments:
        stripped = "/".join(segments) + ("/" if parts.path.endswith("/") else "")
        needles.append(stripped)
        last = segments[-1]
        if last == "index.html" and len(segments) > 1:
            last = segments[-2]
        stem = last.removesuffix(".html")
        needles += [f"{stem}.md", stem]
    return list(dict.fromkeys(needles))


def _in_page_text(html_path: Path, line: int | None, href: str) -> bool:
    """Is the link at this line inside the page's Markdown text (not the theme's frame)?"""
    try:
        soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    except (OSError, UnicodeDecodeError):
        return False
    for tag in soup.find_all(True):
        if line is not None and tag.sourceline != line:
            continue
        if not any(tag.get(attr) == href for attr in LINK_ATTRIBUTES):
            continue
        article = tag.find_parent("article")
        # Material wraps the page text in <article class="md-content__inner">; our template
        # adds blocks after the text inside it (the trust block), marked with iop- classes.
        if article is None:
            return False
        return tag.find_parent(class_=re.compile(r"^iop-")) is None
    return False


@dataclass(frozen=True)
class Source:
    file: str
    line: int | None
    kind: str  # markdown | template | built


def locate(project: Project, page: str, line: int | None, href: str) -> Source:
    """Where an editor fixes the link ``href`` found at ``line`` of the built ``page``.

    A link inside the page's text is looked up in its Markdown file; anything else (or a link
    not found there) in the templates of overrides/; failing both, the built page is named.
    """
    built = html_file(project, page)
    needles = _needles(href)
    template_needles = needles[:3]
    if urllib.parse.urlsplit(href).fragment:
        # A link with a #part is found by its #part (or citation key), never by its page
        # alone: another link to the same page on that line is not this one.
        needles = [n for n in needles if "#" in n or n.startswith("@")]
        template_needles = needles[:3]
    source = markdown_source(project, page)
    if source is not None:
        found = _search(source, needles, require_link=True)
        # Parsing the built page is the slow part: only when the Markdown may have the link.
        if found is not None and _in_page_text(built, line, href):
            return Source(project.show(source), found, "markdown")
    if project.overrides_dir.is_dir():
        for template in sorted(project.overrides_dir.rglob("*.html")):
            found = _search(template, template_needles, require_link=False)
            if found is not None:
                return Source(project.show(template), found, "template")
    # Not in the page's Markdown nor in our templates: the theme or a plugin wrote it (for
    # example Material's "edit this page" button, inside the page's <article>).
    return Source(project.show(built), line, "built")


# ------------------------------------------------------------------------------ #anchors
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


# ------------------------------------------------------------------------------ reporting
def _page_name(page: str) -> str:
    return page or "the home page"


#: Network failures, in words, most specific first.
_NETWORK_ERRORS = [
    ("NameResolutionError", "the host name could not be found"),
    ("Name or service not known", "the host name could not be found"),
    ("SSLError", "the secure connection (TLS certificate) failed"),
    ("ConnectTimeout", "no answer in time"),
    ("ReadTimeout", "no answer in time"),
    ("timed out", "no answer in time"),
    ("Connection refused", "the server refused the connection"),
    ("ConnectionError", "could not connect"),
]


def network_failure(item: Checked) -> str | None:
    """The network failure (no HTTP answer at all) behind a result, in words, if any."""
    for marker, words in _NETWORK_ERRORS:
        if marker in item.result:
            return words
    return None


def _reason(item: Checked) -> str:
    failure = network_failure(item)
    if failure:
        return failure
    text = re.sub(r"^error:\s*", "", item.result.strip() or "no answer")
    return text if len(text) <= 160 else text[:157] + "..."


def _list_pages(pages: list[str]) -> str:
    names = [_page_name(p) for p in dict.fromkeys(pages)]
    if len(names) <= 3:
        return ", ".join(names)
    return f"{', '.join(names[:3])} and {len(names) - 3} more"


def internal_problems(
    project: Project,
    base: str,
    items: list[Checked],
    linking_to: Callable[[str], list[Hit]],
) -> list[Problem]:
    """Broken internal links and missing anchors, each located at its source.

    ``linking_to``: where the pages linking to a target are (``Fragments.linking_to``, from
    the pages :func:`check_fragments` read once).
    """
    broken: dict[str, tuple[Checked, str]] = {}
    for item in items:
        if item.extern or not item.parent or page_of(item.parent, base) is None:
            continue
        anchor = item.missing_anchor()
        if not item.valid:
            broken.setdefault(item.absolute, (item, "link"))
        elif anchor is not None:
            broken.setdefault(item.absolute, (item, "anchor"))

    # One problem per place to fix: a template link is on every page, but fixed once.
    grouped: dict[tuple[Source, str, str], list[str]] = defaultdict(list)
    details: dict[tuple[Source, str, str], tuple[str, int | None, str, Checked]] = {}
    for target, (item, kind) in broken.items():
        hits = linking_to(target)
        if not hits:
            page = page_of(item.parent or "", base) or ""
            hits = [(page, item.line, item.url)]
        for page, line, href in hits:
            source = locate(project, page, line, href)
            key = (source, target, kind)
            grouped[key].append(page)
            details.setdefault(key, (page, line, href, item))

    problems = []
    for key, pages in grouped.items():
        source, target, kind = key
        page, line, href, item = details[key]
        built = project.show(html_file(project, page))
        where = f"On {_list_pages(pages)}"
        if source.kind != "built":
            where += f" ({built}:{line})"
        if kind == "anchor":
            fragment = urllib.parse.unquote(urllib.parse.urlsplit(target).fragment)
            target_page = page_of(target, base)
            message = (
                f"{where}: the link '{href}' points to '#{fragment}', which does not exist on "
                f"{_page_name(target_page) if target_page is not None else target}"
            )
            if fragment.startswith(("fn:", "fnref:")):
                fix = (
                    f"the citation '{fragment.split(':', 1)[1]}' has no footnote on that page: "
                    "check the [@key] and that the key is in bibliography.bib"
                )
            else:
                fix = (
                    "link to a heading that exists (its anchor is shown by the ¶ sign next to "
                    "the heading), or remove the #part"
                )
            rule = "broken-anchor"
        else:
            message = f"{where}: the link '{href}' is broken ({_reason(item)})"
            fix = "link to a page that exists"
            if source.kind == "markdown":
                fix = "link to the page's .md file, e.g. [text](faq.md), and check the spelling"
            rule = "broken-link"
        if source.kind == "template":
            fix += f"; this link is in the template {source.file}, so it is on every page using it"
        elif source.kind == "built":
            fix += "; it comes from the theme or a plugin, not from a page or a template"
        problems.append(Problem(source.file, source.line, None, rule, message, fix))
    return problems


def _host_matches(url: str, hosts: list[str]) -> bool:
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in hosts)


def _status(result: str) -> int | None:
    match = re.match(r"\s*(?:error:\s*)?(\d{3})\b", result)
    return int(match.group(1)) if match else None


@dataclass
class ExternalSummary:
    checked: int = 0
    ok: int = 0
    unverified: int = 0
    broken: int = 0
    retried: int = 0


def external_problems(
    project: Project,
    base: str,
    found: dict[str, list[Checked]],
    results: dict[str, Checked],
    config: LinksConfig,
) -> tuple[list[Problem], ExternalSummary]:
    problems: list[Problem] = []
    summary = ExternalSummary(checked=len(results))
    failed = [r for r in results.values() if not r.valid]
    if failed and len(failed) == len(results) and all(network_failure(r) for r in failed):
        # Not one external site answered: the problem is this computer's connection.
        summary.broken = len(failed)
        problems.append(
            Problem(
                project.show(project.site_dir),
                None,
                None,
                "no-internet",
                f"None of the {len(results)} external links could be reached "
                f"({_reason(failed[0])}): this computer seems to be offline",
                "run 'make check-online' where there is internet (the weekly workflow does)",
            )
        )
        return problems, summary
    for url, result in sorted(results.items()):
        unchecked = result.anchor_unchecked()
        if result.valid and not result.missing_anchor() and not unchecked:
            summary.ok += 1
            continue
        status = _status(result.result)
        blocked = status in config.unverified_statuses and (
            _host_matches(url, config.unverified_hosts)
            or _host_matches(result.realurl, config.unverified_hosts)
        )
        reason = _reason(result)
        # The page answered but lacks the #anchor: many sites make anchors with JavaScript,
        # which LinkChecker does not run, so this is worth a look, not an error.
        anchor_only = result.valid
        if unchecked:
            reason = f"the page works, but its anchor could not be looked for ({unchecked})"
        elif anchor_only:
            reason = f"the page works, but its anchor '#{result.missing_anchor()}' was not found"
        if blocked or anchor_only:
            summary.unverified += 1
        else:
            summary.broken += 1
        for link in found.get(url, [])[:1]:
            page = page_of(link.parent or "", base) or ""
            source = locate(project, page, link.line, link.url)
            pages = sorted({page_of(x.parent or "", base) or "" for x in found[url]})
            where = f"On {_list_pages(pages)}"
            if anchor_only:
                problems.append(
                    Problem(
                        source.file,
                        source.line,
                        None,
                        "external-anchor-unverified",
                        f"{where}: '{url}': {reason}",
                        "open the link in a browser; if it lands on the wrong part of the page, "
                        "link to the page without the #part",
                        severity=Severity.WARNING,
                    )
                )
            elif blocked:
                problems.append(
                    Problem(
                        source.file,
                        source.line,
                        None,
                        "link-unverified",
                        f"{where}: could not verify '{url}': {reason}. This host blocks "
                        "automated checkers, so this is probably not a broken link",
                        "open the link in a browser once; if it works, nothing to do",
                        severity=Severity.WARNING,
                    )
                )
            else:
                problems.append(
                    Problem(
                        source.file,
                        source.line,
                        None,
                        "external-link-broken",
                        f"{where}: the external link '{url}' is broken ({reason})",
                        "open it in a browser; replace it with the page's new address, or an "
                        "archived copy (web.archive.org), or remove it",
                    )
                )
    return problems, summary


def readability_problems(project: Project) -> list[Problem]:
    """Files that a web server running as another user (or LinkChecker as 'nobody') can't read."""
    unreadable = []
    for path in project.site_dir.rglob("*"):
        mode = path.stat().st_mode
        need = stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0)
        if mode & need != need:
            unreadable.append(path)
    if not unreadable:
        return []
    shown = ", ".join(project.show(p) for p in sorted(unreadable)[:3])
    more = f" and {len(unreadable) - 3} more" if len(unreadable) > 3 else ""
    return [
        Problem(
            project.show(project.site_dir),
            None,
            None,
            "site-not-readable",
            f"{len(unreadable)} built file(s) cannot be read by other users: {shown}{more}. "
            "A web server, or LinkChecker run as root (it switches to the user 'nobody'), "
            "cannot read them",
            f"run 'chmod -R a+rX {project.show(project.site_dir)}' and check your umask",
            severity=Severity.WARNING,
        )
    ]


def canonical_base(site_dir: Path) -> str | None:
    """The published address (site_url) of the built site, from the home page's canonical link."""
    index = site_dir / "index.html"
    match = re.search(
        r'<link[^>]+rel="canonical"[^>]+href="([^"]+)"', index.read_text(encoding="utf-8")
    )
    return match.group(1) if match else None


# ------------------------------------------------------------------------------ command
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m iopguide links",
        description="Check every link and #anchor of the built site (LinkChecker and our own "
        "anchor check).",
    )
    parser.add_argument("site_dir", type=Path, help="the built site (site/)")
    parser.add_argument(
        "--external", action="store_true", help="also check external links (needs internet)"
    )
    parser.add_argument(
        "--project-dir",
        type=Path,
        default=None,
        help="the folder with docs/ and overrides/ (default: the site folder's parent if it has "
        "mkdocs.yml, else the IOP Guide checkout)",
    )
    parser.add_argument("--config", type=Path, default=None, help="linkcheckerrc to use")
    parser.add_argument("--checks", type=Path, default=None, help="checks.yml to use")
    return parser


def _project(args: argparse.Namespace) -> Project:
    site = args.site_dir.resolve()
    root = args.project_dir
    if root is None:
        root = site.parent if (site.parent / "mkdocs.yml").exists() else ROOT
    root = root.resolve()
    return Project(root, site, root / "docs", root / "overrides")


def _pages(site_dir: Path, base: str) -> list[str]:
    urls = [base]
    for path in sorted(site_dir.rglob("*.html")):
        page = path.relative_to(site_dir).as_posix()
        url = base + (page.removesuffix("index.html") if page.endswith("index.html") else page)
        if url not in urls:
            urls.append(urllib.parse.quote(url, safe=":/"))
    return urls


def _external_targets(items: list[Checked], ignore_prefix: str | None) -> dict[str, list[Checked]]:
    found: dict[str, list[Checked]] = defaultdict(list)
    for item in items:
        url = item.absolute
        if not item.extern or not url.startswith(("http://", "https://")):
            continue
        if ignore_prefix and url.startswith(ignore_prefix):
            continue  # our own published address: checked above, page by page
        found[url].append(item)
    return found


def _check_external(
    urls: list[str], rc: Path, config: LinksConfig
) -> tuple[dict[str, Checked], int]:
    results: dict[str, Checked] = {}
    pending = list(urls)
    retried = 0
    for round_number in range(config.retries + 1):
        if not pending:
            break
        if round_number:
            retried += len(pending)
            time.sleep(config.retry_wait_seconds)
        by_url = {item.url: item for item in run_linkchecker(pending, rc, extern=True)}
        for url in pending:
            item = by_url.get(url)
            if item is None:
                item = Checked(url, None, None, None, url, True, False, "not checked")
            results[url] = item
        # Retried: a failure that may pass next time, and an #anchor whose page could not be
        # read this time (it was not checked at all).
        pending = [
            u
            for u in pending
            if (not results[u].valid and TRANSIENT.search(results[u].result))
            or (results[u].anchor_unchecked() or "").startswith(CONTENT_UNREAD)
        ]
    return results, retried


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    site = args.site_dir
    if not (site / "index.html").is_file():
        print(
            f"error: {site} has no index.html: build the site first ('make build').",
            file=sys.stderr,
        )
        return 2
    project = _project(args)
    rc = (args.config or project.root / RC_FILE).resolve()
    if not rc.is_file():
        rc = ROOT / RC_FILE
    try:
        config = load_links_config(args.checks or project.root / "checks.yml")
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    problems = readability_problems(project)
    start = time.monotonic()
    try:
        with serve(project.site_dir) as base:
            pages = _pages(project.site_dir, base)
            items = run_linkchecker(pages, rc, rate=LOCAL_RATE, threads=LOCAL_THREADS)
            fragments = check_fragments(project.site_dir, base)
            problems += internal_problems(
                project, base, items + fragments.checked, fragments.linking_to
            )
            internal = {i.absolute for i in items + fragments.checked if not i.extern}
            broken = sum(1 for p in problems if p.rule in ("broken-link", "broken-anchor"))
            print(
                f"Checked {len(internal)} internal links and anchors on {len(pages)} pages of "
                f"{project.show(project.site_dir)} in {time.monotonic() - start:.1f} s: "
                f"{broken} problem(s)."
            )
            if args.external:
                # LinkChecker lists a URL once whatever its #anchor; our scan has them all.
                found = _external_targets(
                    items + fragments.external, canonical_base(project.site_dir)
                )
                t0 = time.monotonic()
                results, retried = _check_external(sorted(found), rc, config)
                ext, summary = external_problems(project, base, found, results, config)
                problems += ext
                print(
                    f"Checked {summary.checked} external links in {time.monotonic() - t0:.1f} s "
                    f"({retried} retried): {summary.ok} OK, {summary.unverified} unverified "
                    f"(to look at by hand), {summary.broken} broken."
                )
    except (LinkCheckerFailed, subprocess.TimeoutExpired, ET.ParseError) as exc:
        print(f"error: the link check could not run: {exc}", file=sys.stderr)
        return 2
    return print_report(problems)


def check_internal(site_dir: Path, root: Path) -> list[Problem]:
    """Every broken internal link and anchor of a built site, mapped to its source (what
    ``python -m iopguide links site`` reports; ``python -m iopguide check`` calls this)."""
    site_dir, root = site_dir.resolve(), root.resolve()
    project = Project(root, site_dir, root / "docs", root / "overrides")
    rc = root / RC_FILE if (root / RC_FILE).is_file() else ROOT / RC_FILE
    with serve(site_dir) as base:
        items = run_linkchecker(_pages(site_dir, base), rc, rate=LOCAL_RATE, threads=LOCAL_THREADS)
        fragments = check_fragments(site_dir, base)
        return internal_problems(project, base, items + fragments.checked, fragments.linking_to)
