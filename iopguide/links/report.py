"""The link check's results as problems for editors, each where it is fixed: the Markdown page and
line when the link is in a page's text, the template and line when it comes from overrides/,
else the built page and line; a broken target once, with every page that has it."""

from __future__ import annotations

import functools
import re
import stat
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from iopguide.dois.config import LinksConfig
from iopguide.links.fragments import Fragments, page_of
from iopguide.links.linkchecker import LINK_ATTRIBUTES, Checked
from iopguide.report import Messages, Problem

MESSAGES = Messages(Path(__file__).with_name("messages.yml"))
#: Network failures (no HTTP answer at all), in words, most specific first.
_NETWORK_ERRORS = [
    ("NameResolutionError|Name or service not known", "the host name could not be found"),
    ("SSLError", "the secure connection (TLS certificate) failed"),
    ("ConnectTimeout|ReadTimeout|timed out", "no answer in time"),
    ("Connection refused", "the server refused the connection"),
    ("ConnectionError", "could not connect"),
]


@dataclass
class Project:
    """Where the sources of a built site live (``docs/``, ``overrides/`` under ``root``)."""

    root: Path
    site_dir: Path

    @functools.cached_property
    def sources(self) -> dict[str, Path]:
        """Each page's address (``es/faq/``) -> its Markdown file, from MkDocs' own page list."""
        from iopguide.urls import site_urls

        pages = site_urls(self.root / "mkdocs.yml").pages
        return {url.lstrip("/"): self.root / src for url, src in pages.items()}

    def show(self, path: Path) -> str:
        bases = (b for b in (self.root.resolve(), Path.cwd().resolve()))
        inside = next((b for b in bases if path.resolve().is_relative_to(b)), None)
        return path.resolve().relative_to(inside).as_posix() if inside else str(path)


@dataclass(frozen=True)
class Source:
    file: str
    line: int | None
    kind: str  # markdown | template | built


def _built(project: Project, page: str) -> Path:
    return project.site_dir / page / ("index.html" if page == "" or page.endswith("/") else "")


def _search(path: Path, needles: list[str], require_link: bool) -> int | None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    except (OSError, UnicodeDecodeError):
        return None
    marks = ("](", "href", "src", "[@", "]:") if require_link else ("",)
    for needle in filter(None, needles):
        for number, line in enumerate(lines, start=1):
            if needle in line and any(mark in line for mark in marks):
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
        needles.append("/".join(segments) + ("/" if parts.path.endswith("/") else ""))
        last = segments[-2] if segments[-1] == "index.html" and len(segments) > 1 else segments[-1]
        needles += [f"{last.removesuffix('.html')}.md", last.removesuffix(".html")]
    return list(dict.fromkeys(needles))


def _in_page_text(html_path: Path, line: int | None, href: str) -> bool:
    """Is the link at this line inside the page's Markdown text (not the theme's frame)?
    Material wraps the text in <article>; our blocks after it (trust block) have iop- classes."""
    try:
        soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    except (OSError, UnicodeDecodeError):
        return False
    for tag in soup.find_all(True):
        if (line is None or tag.sourceline == line) and href in map(tag.get, LINK_ATTRIBUTES):
            in_text = tag.find_parent(class_=re.compile("^iop-")) is None
            return tag.find_parent("article") is not None and in_text
    return False


def locate(project: Project, page: str, line: int | None, href: str) -> Source:
    """Where an editor fixes the link ``href`` found at ``line`` of the built ``page``."""
    built, needles = _built(project, page), _needles(href)
    if urllib.parse.urlsplit(href).fragment:
        # Found by its #part (or citation key), never by its page alone: another link to the
        # same page on that line is not this one.
        needles = [n for n in needles if "#" in n or n.startswith("@")]
    source = project.sources.get(page.removesuffix("index.html"))
    # Parsing the built page is the slow part: only when the Markdown may have the link.
    found = _search(source, needles, require_link=True) if source else None
    if source and found and _in_page_text(built, line, href):
        return Source(project.show(source), found, "markdown")
    for template in sorted((project.root / "overrides").rglob("*.html")):
        if (found := _search(template, needles[:3], require_link=False)) is not None:
            return Source(project.show(template), found, "template")
    # The theme or a plugin wrote it (e.g. Material's "edit this page" button).
    return Source(project.show(built), line, "built")


def network_failure(item: Checked) -> str | None:
    return next((words for mark, words in _NETWORK_ERRORS if re.search(mark, item.result)), None)


def _reason(item: Checked) -> str:
    text = network_failure(item) or re.sub(r"^error:\s*", "", item.result.strip() or "no answer")
    return text if len(text) <= 160 else text[:157] + "..."


def _some(names: list[str]) -> str:
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _on(pages: list[str]) -> str:
    return "On " + _some([p or "the home page" for p in dict.fromkeys(pages)])


def internal_problems(
    project: Project, base: str, items: list[Checked], fragments: Fragments
) -> list[Problem]:
    """Broken internal links (LinkChecker's ``items``) and missing anchors, once per place to
    fix (a template link is on every page, but fixed once)."""
    broken: dict[str, tuple[Checked, str]] = {}
    for item in items + fragments.checked:
        ours = item.parent and page_of(item.parent, base) is not None and not item.extern
        rule = "broken-anchor" if item.valid else "broken-link"
        if ours and (not item.valid or item.missing_anchor() is not None):
            broken.setdefault(item.absolute, (item, rule))
    grouped: dict[tuple[Source, str, str], list[tuple[str, int | None, str, Checked, str]]]
    grouped = defaultdict(list)
    for target, (item, rule) in broken.items():
        here = (page_of(item.parent or "", base) or "", item.line, item.url)
        for page, line, href in fragments.index.get(target) or [here]:
            source = locate(project, page, line, href)
            # A template's line is fixed once, wherever its link leads from each page.
            same = "" if source.kind == "template" else target
            grouped[(source, same, rule)].append((page, line, href, item, target))
    problems = []
    for (source, _, key), places in grouped.items():
        page, line, href, item, target = places[0]
        where = _on([place[0] for place in places])
        if source.kind != "built":
            where += f" ({project.show(_built(project, page))}:{line})"
        fragment = urllib.parse.unquote(urllib.parse.urlsplit(target).fragment)
        on = page_of(target, base)
        if key == "broken-link" and source.kind == "markdown":
            key = "broken-link/markdown"
        elif key == "broken-anchor" and fragment.startswith(("fn:", "fnref:")):
            key = "broken-anchor/footnote"
        more = MESSAGES.get(f"located/{source.kind}", {}).get("message", "")
        problems.append(
            MESSAGES.say(
                source.file, source.line, key, where=where, href=href, reason=_reason(item),
                fragment=fragment, on=target if on is None else on or "the home page",
                citation=fragment.partition(":")[2], more=more.format(file=source.file),
            )
        )  # fmt: skip
    return problems


def _host_matches(url: str, hosts: list[str]) -> bool:
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in hosts)


def _status(result: str) -> int | None:
    match = re.match(r"\s*(?:error:\s*)?(\d{3})\b", result)
    return int(match.group(1)) if match else None


def external_problems(
    project: Project,
    base: str,
    found: dict[str, list[Checked]],
    results: dict[str, Checked],
    config: LinksConfig,
) -> tuple[list[Problem], Counter[str]]:
    """The external links' problems, and how many were "ok", "unverified" and "broken"."""
    counts: Counter[str] = Counter()
    failed = [r for r in results.values() if not r.valid]
    if failed and len(failed) == len(results) and all(map(network_failure, failed)):
        counts["broken"] = len(failed)  # not one site answered: this computer is offline
        site, reason = project.show(project.site_dir), _reason(failed[0])
        return [MESSAGES.say(site, None, "no-internet", count=len(results), reason=reason)], counts
    problems = []
    for url, result in sorted(results.items()):
        unchecked = result.anchor_unchecked()
        if result.valid and not result.missing_anchor() and not unchecked:
            counts["ok"] += 1
            continue
        reason, hosts, rule = _reason(result), config.unverified_hosts, "external-link-broken"
        if _status(result.result) in config.unverified_statuses and (
            _host_matches(url, hosts) or _host_matches(result.realurl, hosts)
        ):
            rule = "link-unverified"
        # The page answered but lacks the #anchor: many sites make anchors with JavaScript,
        # which LinkChecker does not run, so this is worth a look, not an error.
        if result.valid:
            rule = "external-anchor-unverified"
            anchor = result.missing_anchor()
            reason = MESSAGES["reason/anchor-missing"]["message"].format(anchor=anchor)
        if unchecked:
            reason = MESSAGES["reason/anchor-unchecked"]["message"].format(why=unchecked)
        counts["broken" if rule == "external-link-broken" else "unverified"] += 1
        if links := found.get(url):
            first = links[0]
            source = locate(project, page_of(first.parent or "", base) or "", first.line, first.url)
            where = _on(sorted({page_of(x.parent or "", base) or "" for x in links}))
            problems.append(
                MESSAGES.say(source.file, source.line, rule, where=where, url=url, reason=reason)
            )
    return problems, counts


def readability_problems(project: Project) -> list[Problem]:
    """Built files a web server running as another user (or LinkChecker as nobody) cannot read."""
    unreadable = sorted(
        path
        for path in project.site_dir.rglob("*")
        if ~path.stat().st_mode & (stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0))
    )
    site, shown = project.show(project.site_dir), _some([project.show(p) for p in unreadable])
    problem = MESSAGES.say(
        site, None, "site-not-readable", count=len(unreadable), shown=shown, site=site
    )
    return [problem] if unreadable else []
