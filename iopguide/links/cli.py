"""``python -m iopguide links SITE_DIR [--external]``, and the internal link check that
``make check`` runs."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from iopguide import ROOT
from iopguide.dois.config import ConfigError, LinksConfig, load_links_config
from iopguide.links.fragments import check_fragments
from iopguide.links.linkchecker import (
    CONTENT_UNREAD,
    LOCAL_RATE,
    LOCAL_THREADS,
    RC_FILE,
    TRANSIENT,
    Checked,
    LinkCheckerFailed,
    run_linkchecker,
    serve,
)
from iopguide.links.locate import Project
from iopguide.links.report import (
    canonical_base,
    external_problems,
    internal_problems,
    readability_problems,
)
from iopguide.report import Problem, print_report


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
