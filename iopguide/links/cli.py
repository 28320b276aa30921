"""``python -m iopguide links SITE_DIR [--external]``, and the internal link check of ``make
check``. Each problem is reported where an editor fixes it: the Markdown page and line when the
link is in a page's text, the template and line when it comes from overrides/, else the built
page and line; a broken target once, with every page that has it."""

from __future__ import annotations

import functools
import re
import stat
import subprocess
import sys
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from iopguide import ROOT
from iopguide.buildlog import CONFIG_FILE
from iopguide.content.rules import relative
from iopguide.dois.config import CONFIG_FILE as CHECKS_FILE
from iopguide.dois.config import ConfigError, LinksConfig, load_links_config
from iopguide.links import linkchecker as lc
from iopguide.links.fragments import Fragments, Scans, check_fragments, page_of
from iopguide.links.linkchecker import MESSAGES, RC_FILE, Checked
from iopguide.project import built_pages, load_config
from iopguide.report import Problem, print_error, print_report
from iopguide.security.published import source_line

words = MESSAGES.text
#: Network failures (no HTTP answer at all): LinkChecker's words, and the key of ours.
_NETWORK_ERRORS = {
    "NameResolutionError|Name or service not known": "network/dns",
    "SSLError": "network/tls",
    "ConnectTimeout|ReadTimeout|timed out": "network/timeout",
    "Connection refused": "network/refused",
    "ConnectionError": "network/connect",
}


@dataclass
class Project:
    """Where the sources of a built site live (``docs/``, ``overrides/`` under ``root``)."""

    root: Path
    site_dir: Path

    @functools.cached_property
    def sources(self) -> dict[str, Path]:
        """Each page's address (``es/faq/``) -> its Markdown file, from MkDocs' own page list."""
        config = load_config(self.root / CONFIG_FILE)
        pages = built_pages(config).items()
        return {dest.removesuffix("index.html"): Path(config.docs_dir) / s for s, dest in pages}


class Source(NamedTuple):
    file: str
    line: int | None
    kind: str  # markdown | template | built


def _built(project: Project, page: str) -> Path:
    return project.site_dir / page / ("index.html" if page == "" or page.endswith("/") else "")


def _search(path: Path, needles: list[str], marks: tuple[str, ...] = ("",)) -> int | None:
    """The first line of ``path`` holding a needle (in order) and one of ``marks``."""
    lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    masked = "\n".join(x if any(m in x for m in marks) else "" for x in lines)
    return source_line(masked, tuple(needles))


def _needles(href: str) -> list[str]:
    """Text to look for in a source file to find where a built link came from. A link with a
    #part by that part (or citation key), never by its page alone: another link to the same
    page on that line is not this one."""
    parts, needles = urllib.parse.urlsplit(href), [href]
    if fragment := urllib.parse.unquote(parts.fragment):
        cited = fragment.startswith(("fn:", "fnref:"))
        return [href, *(["@" + fragment.split(":", 1)[1]] if cited else []), "#" + fragment]
    if segments := [s for s in parts.path.split("/") if s not in ("", ".", "..")]:
        needles.append("/".join(segments) + ("/" if parts.path.endswith("/") else ""))
        last = segments[-2] if segments[-1] == "index.html" and len(segments) > 1 else segments[-1]
        needles += [f"{last.removesuffix('.html')}.md", last.removesuffix(".html")]
    return list(dict.fromkeys(needles))


def locate(project: Project, scans: Scans, page: str, line: int | None, href: str) -> Source:
    """Where an editor fixes the link ``href`` found at ``line`` of the built ``page``."""
    built, needles = _built(project, page), _needles(href)
    source = project.sources.get(page.removesuffix("index.html"))
    found = _search(source, needles, ("](", "href", "src", "[@", "]:")) if source else None
    scan = scans.get(built.relative_to(project.site_dir).as_posix())
    if source and found and scan and scan.in_text.get((line, href)):
        return Source(relative(source, project.root), found, "markdown")
    for template in sorted((project.root / "overrides").rglob("*.html")):
        if (found := _search(template, needles[:3])) is not None:
            return Source(relative(template, project.root), found, "template")
    made = project.root / "overrides" / "404.html"  # the theme's 404 page (docs/404.md is 404/)
    if built.name == "404.html" and made.is_file():  # not the built file, maybe a temporary one
        return Source(relative(made, project.root), None, "not-found")
    # The theme or a plugin wrote it (e.g. Material's "edit this page" button).
    return Source(relative(built, project.root), line, "built")


def network_failure(item: Checked) -> str | None:
    found = (key for mark, key in _NETWORK_ERRORS.items() if re.search(mark, item.result))
    return words(key) if (key := next(found, None)) else None


def _reason(item: Checked) -> str:
    text = network_failure(item) or re.sub(
        r"^error:\s*", "", item.result.strip() or words("reason/none")
    )
    return text if len(text) <= 160 else text[:157] + "..."


def _some(names: list[str]) -> str:
    more = words("text/more", count=len(names) - 3) if len(names) > 3 else ""
    return ", ".join(names[:3]) + more


def _on(pages: list[str]) -> str:
    return words("text/on", pages=_some([p or words("text/home") for p in dict.fromkeys(pages)]))


def _internal_problems(
    project: Project, base: str, items: list[Checked], fragments: Fragments
) -> list[Problem]:
    """Broken internal links and missing anchors, once per place to fix."""
    broken: dict[str, tuple[Checked, str]] = {}
    for item in items + fragments.checked:
        ours = item.parent and page_of(item.parent, base) is not None and not item.extern
        if ours and (not item.valid or item.missing_anchor() is not None):
            rule = "broken-anchor" if item.valid else "broken-link"
            broken.setdefault(item.absolute, (item, rule))
    grouped: dict[tuple[Source, str, str], list[tuple[str, int | None, str, Checked, str]]]
    grouped = defaultdict(list)
    for target, (item, rule) in broken.items():
        here = (page_of(item.parent or "", base) or "", item.line, item.url)
        for page, line, href in fragments.index.get(target) or [here]:
            source = locate(project, fragments.scans, page, line, href)
            # A template's line is fixed once, wherever its link leads from each page.
            same = "" if source.kind == "template" else target
            grouped[(source, same, rule)].append((page, line, href, item, target))
    problems = []
    for (source, _, key), places in grouped.items():
        page, line, href, item, target = places[0]
        where = _on([place[0] for place in places])
        if source.kind != "built":
            where += f" ({relative(_built(project, page), project.root)}:{line})"
        fragment = urllib.parse.unquote(urllib.parse.urlsplit(target).fragment)
        on = page_of(target, base)
        if key == "broken-link" and source.kind == "markdown":
            key = "broken-link/markdown"
        elif key == "broken-anchor" and fragment.startswith(("fn:", "fnref:")):
            key = "broken-anchor/footnote"
        more = MESSAGES.text_if(f"located/{source.kind}", file=source.file)
        problems.append(
            MESSAGES.say(
                source.file, source.line, key, where=where, href=href, reason=_reason(item),
                fragment=fragment, on=target if on is None else on or words("text/home"),
                citation=fragment.partition(":")[2], more=more,
            )
        )  # fmt: skip
    return problems


def _host_matches(url: str, hosts: list[str]) -> bool:
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in hosts)


def _status(result: str) -> int | None:
    match = re.match(r"\s*(?:error:\s*)?(\d{3})\b", result)
    return int(match.group(1)) if match else None


def _external_problems(
    project: Project, base: str, items: list[Checked], frags: Fragments, rc: Path, cfg: LinksConfig
) -> list[Problem]:
    """Each external URL checked online, retrying ``cfg.retries`` times a failure that may
    pass next time and an #anchor whose page could not be read this time."""
    # LinkChecker lists a URL once whatever its #anchor; our scan has them all. Our own
    # published address is left out: it was checked page by page.
    home = (project.site_dir / "index.html").read_text(encoding="utf-8")
    own = re.search(r'<link[^>]+rel="canonical"[^>]+href="([^"]+)"', home)
    found: dict[str, list[Checked]] = defaultdict(list)
    for item in items + frags.external:
        web = item.extern and item.absolute.startswith(("http://", "https://"))
        if web and not (own and item.absolute.startswith(own[1])):
            found[item.absolute].append(item)
    start, results, pending, retried = time.monotonic(), dict[str, Checked](), sorted(found), 0
    for round_number in range(cfg.retries + 1):
        if not pending:
            break
        if round_number:
            retried += len(pending)
            time.sleep(cfg.retry_wait_seconds)
        by_url = {item.url: item for item in lc.run_linkchecker(pending, rc, extern=True)}
        unseen = (Checked(u, None, None, u, True, False, "not checked") for u in pending)
        results |= {u: by_url.get(u) or new for u, new in zip(pending, unseen, strict=True)}
        pending = [
            u
            for u in pending
            if (not results[u].valid and lc.TRANSIENT.search(results[u].result))
            or (results[u].anchor_unchecked() or "").startswith(lc.CONTENT_UNREAD)
        ]
    counts = Counter(ok=0, unverified=0, broken=0)
    failed = [r for r in results.values() if not r.valid]
    problems = []
    if failed and len(failed) == len(results) and all(map(network_failure, failed)):
        counts["broken"] = len(failed)  # not one site answered: this computer is offline
        site, reason = relative(project.site_dir, project.root), _reason(failed[0])
        problems = [MESSAGES.say(site, None, "no-internet", count=len(results), reason=reason)]
        results = {}
    for url, result in sorted(results.items()):
        unchecked = result.anchor_unchecked()
        if result.valid and not result.missing_anchor() and not unchecked:
            counts["ok"] += 1
            continue
        reason, hosts, rule = _reason(result), cfg.unverified_hosts, "external-link-broken"
        if _status(result.result) in cfg.unverified_statuses and (
            _host_matches(url, hosts) or _host_matches(result.realurl, hosts)
        ):
            rule = "link-unverified"
        # The page answered but lacks the #anchor: many sites make anchors with JavaScript,
        # which LinkChecker does not run, so this is worth a look, not an error.
        if result.valid:
            rule = "external-anchor-unverified"
            reason = words("reason/anchor-missing", anchor=result.missing_anchor())
        if unchecked:
            reason = words("reason/anchor-unchecked", why=unchecked)
        counts["broken" if rule == "external-link-broken" else "unverified"] += 1
        first = found[url][0]
        page = page_of(first.parent or "", base) or ""
        source = locate(project, frags.scans, page, first.line, first.url)
        where = _on(sorted({page_of(x.parent or "", base) or "" for x in found[url]}))
        problems.append(
            MESSAGES.say(source.file, source.line, rule, where=where, url=url, reason=reason)
        )
    seconds = time.monotonic() - start
    print(words("text/external", count=len(found), seconds=seconds, retried=retried, **counts))
    return problems


def readability_problems(project: Project) -> list[Problem]:
    """Built files a web server running as another user (or LinkChecker as nobody) cannot read."""
    site, names = relative(project.site_dir, project.root), list[str]()
    for path in sorted(project.site_dir.rglob("*")):
        if ~path.stat().st_mode & (stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0)):
            names.append(relative(path, project.root))
    said: dict[str, Any] = {"count": len(names), "shown": _some(names), "site": site}
    return [MESSAGES.say(site, None, "site-not-readable", **said)] if names else []


def _rc(project: Project, given: Path | None = None) -> Path:
    rc = (given or project.root / RC_FILE).resolve()
    return rc if rc.is_file() else ROOT / RC_FILE


def _internal(
    project: Project, base: str, rc: Path
) -> tuple[list[Problem], list[Checked], Fragments, int]:
    """Every page served at ``base`` checked by LinkChecker, and every #anchor by our check."""
    fragments = check_fragments(project.site_dir, base)
    pages = list(dict.fromkeys([base, *fragments.urls]))
    items = lc.run_linkchecker(pages, rc)
    return _internal_problems(project, base, items, fragments), items, fragments, len(pages)


def main(argv: list[str]) -> int:
    parser = MESSAGES.parser("links", "help/links")
    add = parser.add_argument
    add("site_dir", type=Path, help=words("help/site-dir"))
    add("--external", action="store_true", help=words("help/external"))
    add("--project-dir", type=Path, help=words("help/project-dir"))
    add("--config", type=Path, help=words("help/config"))
    add("--checks", type=Path, help=words("help/checks"))
    args = parser.parse_args(argv)
    if not (args.site_dir / "index.html").is_file():
        print(words("error/no-site", site=args.site_dir), file=sys.stderr)
        return 2
    site = args.site_dir.resolve()
    root = args.project_dir or (site.parent if (site.parent / "mkdocs.yml").exists() else ROOT)
    project = Project(root.resolve(), site)
    rc = _rc(project, args.config)
    try:
        config = load_links_config(args.checks or project.root / CHECKS_FILE)
        problems, start = readability_problems(project), time.monotonic()
        with lc.serve(site) as base:
            internal, items, fragments, pages = _internal(project, base, rc)
            problems += internal
            count = len({i.absolute for i in items + fragments.checked if not i.extern})
            said = dict(pages=pages, broken=len(internal), seconds=time.monotonic() - start)
            print(words("text/internal", count=count, site=relative(site, project.root), **said))
            if args.external:
                problems += _external_problems(project, base, items, fragments, rc, config)
    except ConfigError as exc:
        return print_error(exc)
    except (subprocess.SubprocessError, ET.ParseError) as exc:  # TimeoutExpired is one
        print(words("error/failed", error=exc), file=sys.stderr)
        return 2
    return print_report(problems)


def check_internal(site_dir: Path, root: Path) -> list[Problem]:
    """Every broken internal link and anchor of a built site (for ``python -m iopguide check``)."""
    project = Project(root.resolve(), site_dir.resolve())
    with lc.serve(project.site_dir) as base:
        return _internal(project, base, _rc(project))[0]
