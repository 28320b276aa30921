"""LinkChecker's results as problems for editors: broken internal links (every page that has
them), external links broken, unverified or retried, and links with unclear text."""

from __future__ import annotations

import re
import stat
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from iopguide.dois.config import LinksConfig
from iopguide.links.fragments import Hit
from iopguide.links.linkchecker import Checked
from iopguide.links.locate import Project, Source, html_file, locate, page_of
from iopguide.report import Problem, Severity


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
