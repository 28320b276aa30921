"""``python -m iopguide links SITE_DIR [--external]``, and the internal link check that
``make check`` runs."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from iopguide import ROOT
from iopguide.dois.config import ConfigError, LinksConfig, load_links_config
from iopguide.links import linkchecker as lc
from iopguide.links import report
from iopguide.links.fragments import Fragments, check_fragments
from iopguide.links.linkchecker import RC_FILE, Checked
from iopguide.links.report import Project
from iopguide.report import Problem, print_report


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
    return report.internal_problems(project, base, items, fragments), items, fragments, len(pages)


def _check_external(
    urls: list[str], rc: Path, config: LinksConfig
) -> tuple[dict[str, Checked], int]:
    """Each URL checked online; a failure that may pass next time, and an #anchor whose page
    could not be read this time, are retried ``config.retries`` times."""
    results: dict[str, Checked] = {}
    pending, retried = list(urls), 0
    for round_number in range(config.retries + 1):
        if not pending:
            break
        if round_number:
            retried += len(pending)
            time.sleep(config.retry_wait_seconds)
        by_url = {item.url: item for item in lc.run_linkchecker(pending, rc, extern=True)}
        for url in pending:
            results[url] = by_url.get(url) or Checked(
                url, None, None, url, True, False, "not checked"
            )
        pending = [
            u
            for u in pending
            if (not results[u].valid and lc.TRANSIENT.search(results[u].result))
            or (results[u].anchor_unchecked() or "").startswith(lc.CONTENT_UNREAD)
        ]
    return results, retried


def main(argv: list[str]) -> int:
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
        help="the folder with docs/ and overrides/ (default: the site folder's parent if it has "
        "mkdocs.yml, else the IOP Guide checkout)",
    )
    parser.add_argument("--config", type=Path, help="linkcheckerrc to use")
    parser.add_argument("--checks", type=Path, help="checks.yml to use")
    args = parser.parse_args(argv)
    if not (args.site_dir / "index.html").is_file():
        print(
            f"error: {args.site_dir} has no index.html: build the site first ('make build').",
            file=sys.stderr,
        )
        return 2
    site = args.site_dir.resolve()
    root = args.project_dir or (site.parent if (site.parent / "mkdocs.yml").exists() else ROOT)
    project = Project(root.resolve(), site)
    rc = _rc(project, args.config)
    try:
        config = load_links_config(args.checks or project.root / "checks.yml")
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    problems = report.readability_problems(project)
    start = time.monotonic()
    try:
        with lc.serve(site) as base:
            internal, items, fragments, pages = _internal(project, base, rc)
            problems += internal
            checked = {i.absolute for i in items + fragments.checked if not i.extern}
            broken = sum(1 for p in problems if p.rule in ("broken-link", "broken-anchor"))
            print(
                f"Checked {len(checked)} internal links and anchors on {pages} pages of "
                f"{project.show(site)} in {time.monotonic() - start:.1f} s: {broken} problem(s)."
            )
            if args.external:
                # LinkChecker lists a URL once whatever its #anchor; our scan has them all. Our
                # own published address is left out: it was checked above, page by page.
                home = (site / "index.html").read_text(encoding="utf-8")
                own = re.search(r'<link[^>]+rel="canonical"[^>]+href="([^"]+)"', home)
                found: dict[str, list[Checked]] = defaultdict(list)
                for item in items + fragments.external:
                    url = item.absolute
                    web = item.extern and url.startswith(("http://", "https://"))
                    if web and not (own and url.startswith(own[1])):
                        found[url].append(item)
                start = time.monotonic()
                results, retried = _check_external(sorted(found), rc, config)
                external, counts = report.external_problems(project, base, found, results, config)
                problems += external
                print(
                    f"Checked {len(results)} external links in {time.monotonic() - start:.1f} s "
                    f"({retried} retried): {counts['ok']} OK, {counts['unverified']} unverified "
                    f"(to look at by hand), {counts['broken']} broken."
                )
    except (lc.LinkCheckerFailed, subprocess.TimeoutExpired, ET.ParseError) as exc:
        print(f"error: the link check could not run: {exc}", file=sys.stderr)
        return 2
    return print_report(problems)


def check_internal(site_dir: Path, root: Path) -> list[Problem]:
    """Every broken internal link and anchor of a built site (for ``python -m iopguide check``)."""
    project = Project(root.resolve(), site_dir.resolve())
    with lc.serve(project.site_dir) as base:
        return _internal(project, base, _rc(project))[0]
