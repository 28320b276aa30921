"""``python -m iopguide headers SITE_DIR``: judge a built site, write ``_headers`` and the meta.

The build already does this (``overrides/hooks/security.py``); the command is for a site built
without our hooks, and prints the policy so a publisher can copy it into a host's settings. The
theme's allowlist and the rules come from ``mkdocs.yml`` (``--config-file``), as in the build.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from iopguide import ROOT
from iopguide.report import Problem, ProblemsFound, print_report
from iopguide.security.csp import apply_security
from iopguide.security.site import also_searched, project_root, site_rules, sources
from iopguide.security.trim import defer_search_index, defer_search_worker, trim_site


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m iopguide headers",
        description="Write security headers (_headers) and the CSP meta for a built site.",
    )
    parser.add_argument("site_dir", nargs="?", default="site", help="built site (default: site)")
    parser.add_argument(
        "--no-meta", action="store_true", help="write _headers only; leave the pages unchanged"
    )
    parser.add_argument(
        "--config-file",
        default=str(ROOT / "mkdocs.yml"),
        help="the site's mkdocs.yml (default: this project's)",
    )
    args = parser.parse_args(argv)
    site = Path(args.site_dir)
    if not (site / "index.html").is_file():
        return print_report(
            [
                Problem(
                    args.site_dir,
                    None,
                    None,
                    "headers-no-site",
                    "There is no built site here (no index.html)",
                    "Run 'make build' first, or give the folder that holds the built site",
                )
            ]
        )
    try:
        trim_site(site)
        defer_search_index(site)
        defer_search_worker(site)
        from mkdocs.config import load_config
        from mkdocs.structure.files import get_files
        from mkdocs.structure.nav import get_navigation

        config = load_config(args.config_file, site_dir=str(site.resolve()))
        files = get_files(config)
        nav = get_navigation(files, config)
        result = apply_security(
            site,
            site_rules(config, nav, files),
            sources=sources(config, files),
            root=project_root(config),
            also=also_searched(config),
            inject=not args.no_meta,
        )
    except ProblemsFound as error:
        return print_report(error.problems)
    print(f"Wrote {result.headers_path} for {result.pages} pages.")
    print(f"Content-Security-Policy: {result.policy}")
    return 0
