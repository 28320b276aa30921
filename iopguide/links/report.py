"""The link check's results as problems for editors: broken internal links (every page that has
them), external links broken, unverified or retried, and built files nobody else can read."""

from __future__ import annotations

import re
import stat
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

from iopguide.dois.config import LinksConfig
from iopguide.links.fragments import Fragments
from iopguide.links.linkchecker import Checked
from iopguide.links.locate import Project, Source, html_file, locate, page_of
from iopguide.report import Problem, Severity

#: Network failures (no HTTP answer at all), in words, most specific first.
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
#: External link results: rule, message, fix, severity.
_EXTERNAL = {
    "anchor": (
        "external-anchor-unverified",
        "{where}: '{url}': {reason}",
        "open the link in a browser; if it lands on the wrong part of the page, link to the "
        "page without the #part",
        Severity.WARNING,
    ),
    "blocked": (
        "link-unverified",
        "{where}: could not verify '{url}': {reason}. This host blocks automated checkers, so "
        "this is probably not a broken link",
        "open the link in a browser once; if it works, nothing to do",
        Severity.WARNING,
    ),
    "broken": (
        "external-link-broken",
        "{where}: the external link '{url}' is broken ({reason})",
        "open it in a browser; replace it with the page's new address, or an archived copy "
        "(web.archive.org), or remove it",
        Severity.ERROR,
    ),
}


def network_failure(item: Checked) -> str | None:
    return next((words for marker, words in _NETWORK_ERRORS if marker in item.result), None)


def _reason(item: Checked) -> str:
    text = network_failure(item) or re.sub(r"^error:\s*", "", item.result.strip() or "no answer")
    return text if len(text) <= 160 else text[:157] + "..."


def _on(pages: list[str]) -> str:
    names = [p or "the home page" for p in dict.fromkeys(pages)]
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return f"On {', '.join(names[:3])}{more}"


def internal_problems(
    project: Project, base: str, items: list[Checked], fragments: Fragments
) -> list[Problem]:
    """Broken internal links (LinkChecker's ``items``) and missing anchors, each located at its
    source, once per place to fix (a template link is on every page, but fixed once)."""
    broken: dict[str, tuple[Checked, str]] = {}
    for item in items + fragments.checked:
        if item.extern or not item.parent or page_of(item.parent, base) is None:
            continue
        if not item.valid or item.missing_anchor() is not None:
            broken.setdefault(item.absolute, (item, "link" if not item.valid else "anchor"))
    grouped: dict[tuple[Source, str, str], list[str]] = defaultdict(list)
    details: dict[tuple[Source, str, str], tuple[str, int | None, str, Checked]] = {}
    for target, (item, kind) in broken.items():
        hits = fragments.linking_to(target) or [
            (page_of(item.parent or "", base) or "", item.line, item.url)
        ]
        for page, line, href in hits:
            key = (locate(project, page, line, href), target, kind)
            grouped[key].append(page)
            details.setdefault(key, (page, line, href, item))
    problems = []
    for (source, target, kind), pages in grouped.items():
        page, line, href, item = details[source, target, kind]
        where = _on(pages)
        if source.kind != "built":
            where += f" ({project.show(html_file(project, page))}:{line})"
        if kind == "anchor":
            fragment = urllib.parse.unquote(urllib.parse.urlsplit(target).fragment)
            target_page = page_of(target, base)
            on = (target_page or "the home page") if target_page is not None else target
            message = (
                f"{where}: the link '{href}' points to '#{fragment}', which does not exist on {on}"
            )
            fix = (
                "link to a heading that exists (its anchor is shown by the ¶ sign next to the "
                "heading), or remove the #part"
            )
            if fragment.startswith(("fn:", "fnref:")):
                fix = (
                    f"the citation '{fragment.split(':', 1)[1]}' has no footnote on that page: "
                    "check the [@key] and that the key is in bibliography.bib"
                )
        else:
            message = f"{where}: the link '{href}' is broken ({_reason(item)})"
            fix = "link to a page that exists"
            if source.kind == "markdown":
                fix = "link to the page's .md file, e.g. [text](faq.md), and check the spelling"
        if source.kind == "template":
            fix += f"; this link is in the template {source.file}, so it is on every page using it"
        elif source.kind == "built":
            fix += "; it comes from the theme or a plugin, not from a page or a template"
        rule = f"broken-{kind}"
        problems.append(Problem(source.file, source.line, None, rule, message, fix))
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
    """Problems for the external links checked online, and how many were "ok", "unverified"
    and "broken"."""
    counts: Counter[str] = Counter()
    failed = [r for r in results.values() if not r.valid]
    if failed and len(failed) == len(results) and all(network_failure(r) for r in failed):
        counts["broken"] = len(failed)  # not one site answered: this computer is offline
        site = project.show(project.site_dir)
        message = (
            f"None of the {len(results)} external links could be reached ({_reason(failed[0])}): "
            "this computer seems to be offline"
        )
        fix = "run 'make check-online' where there is internet (the weekly workflow does)"
        return [Problem(site, None, None, "no-internet", message, fix)], counts
    problems = []
    for url, result in sorted(results.items()):
        unchecked = result.anchor_unchecked()
        if result.valid and not result.missing_anchor() and not unchecked:
            counts["ok"] += 1
            continue
        reason = _reason(result)
        hosts = config.unverified_hosts
        kind = "broken"
        if _status(result.result) in config.unverified_statuses and (
            _host_matches(url, hosts) or _host_matches(result.realurl, hosts)
        ):
            kind = "blocked"
        # The page answered but lacks the #anchor: many sites make anchors with JavaScript,
        # which LinkChecker does not run, so this is worth a look, not an error.
        if result.valid:
            kind = "anchor"
            reason = f"the page works, but its anchor '#{result.missing_anchor()}' was not found"
        if unchecked:
            reason = f"the page works, but its anchor could not be looked for ({unchecked})"
        counts["broken" if kind == "broken" else "unverified"] += 1
        for link in found.get(url, [])[:1]:
            source = locate(project, page_of(link.parent or "", base) or "", link.line, link.url)
            where = _on(sorted({page_of(x.parent or "", base) or "" for x in found[url]}))
            rule, message, fix, severity = _EXTERNAL[kind]
            message = message.format(where=where, url=url, reason=reason)
            problems.append(Problem(source.file, source.line, None, rule, message, fix, severity))
    return problems, counts


def readability_problems(project: Project) -> list[Problem]:
    """Built files that a web server running as another user (or LinkChecker as 'nobody')
    cannot read."""
    unreadable = sorted(
        path
        for path in project.site_dir.rglob("*")
        if ~path.stat().st_mode & (stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0))
    )
    if not unreadable:
        return []
    site = project.show(project.site_dir)
    shown = ", ".join(project.show(p) for p in unreadable[:3])
    more = f" and {len(unreadable) - 3} more" if len(unreadable) > 3 else ""
    message = (
        f"{len(unreadable)} built file(s) cannot be read by other users: {shown}{more}. "
        "A web server, or LinkChecker run as root (it switches to the user 'nobody'), "
        "cannot read them"
    )
    fix = f"run 'chmod -R a+rX {site}' and check your umask"
    return [Problem(site, None, None, "site-not-readable", message, fix, Severity.WARNING)]


def canonical_base(site_dir: Path) -> str | None:
    """The published address (site_url) of the built site, from the home page's canonical link."""
    text = (site_dir / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<link[^>]+rel="canonical"[^>]+href="([^"]+)"', text)
    return match.group(1) if match else None
