"""``python -m iopguide headers SITE_DIR``: what the build's security hook does, for a site built
without it, with the rules of ``mkdocs.yml`` (``--config-file``); prints the policy."""

from __future__ import annotations

import argparse
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.nav import get_navigation

from iopguide import ROOT
from iopguide.report import ProblemsFound, print_report
from iopguide.security import MESSAGES
from iopguide.security.site import prepare_site, secure_site, site_rules, sources


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m iopguide headers",
        description="Write security headers (_headers) and the CSP meta for a built site.",
    )
    parser.add_argument("site_dir", nargs="?", default="site", help="built site (default: site)")
    no_meta = "write _headers only; leave the pages unchanged"
    parser.add_argument("--no-meta", action="store_true", help=no_meta)
    config_help = "the site's mkdocs.yml (default: this project's)"
    parser.add_argument("--config-file", default=str(ROOT / "mkdocs.yml"), help=config_help)
    args = parser.parse_args(argv)
    site = Path(args.site_dir)
    if not (site / "index.html").is_file():
        return print_report([MESSAGES.say(args.site_dir, None, "headers-no-site")])
    try:
        config = load_config(args.config_file, site_dir=str(site.resolve()))
        prepare_site(site, config)
        files = get_files(config)
        rules = site_rules(config, get_navigation(files, config), files)
        found = sources(config, files)
        result = secure_site(site, config, rules, sources=found, inject=not args.no_meta)
    except ProblemsFound as error:
        return print_report(error.problems)
    print(f"Wrote {result.headers_path} for {result.pages} pages.")
    print(f"Content-Security-Policy: {result.policy}")
    return 0
