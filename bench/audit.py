"""Audit: Lighthouse scores of the built site, on a phone and a laptop.

Serves ``site/`` on 127.0.0.1 the way a real static host would (gzip for text, the headers of the
site's own ``_headers`` file when it has one) and runs Lighthouse 12.2.3 (npm, pinned in
package.json) in Debian's Chromium on the home page and two content pages, mobile and desktop.
Prints a table of the four category scores. Target: 100 in each.

Not a test: scores come from a real browser run and vary a little between runs and machines.

    make audit                         # builds first, then runs this
    .venv/bin/python bench/audit.py [--site site] [--pages "" what-is-an-iop/ get-help-now/]

Needs Node.js (``npm ci --ignore-scripts`` installs Lighthouse into node_modules/) and Chromium
(``CHROME_PATH``, default /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from iopguide import chromium, localserver

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# Same flags as the browser tests (iopguide/chromium.py).
CHROME_FLAGS = chromium.ARGS


def _headers_rules(site: Path) -> Callable[[str], dict[str, str]]:
    """Headers from the site's ``_headers`` file (written by the security hook), if any."""
    headers_file = site / "_headers"
    if not headers_file.exists():
        return lambda path: {}
    try:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from tests.helpers import headers_for, parse_headers_file
    except ImportError:
        return lambda path: {}
    rules = parse_headers_file(headers_file.read_text(encoding="utf-8"))
    return lambda path: headers_for(rules, path)


@contextmanager
def serve(site: Path) -> Iterator[str]:
    with localserver.serve(site, _headers_rules(site), compress=True) as url:
        yield url


def run_lighthouse(url: str, form_factor: str, out_dir: Path) -> dict[str, float | None]:
    """Scores (0-100) of one Lighthouse run; raises with Lighthouse's own output on failure."""
    report = out_dir / f"{form_factor}-{abs(hash(url))}.json"
    cmd = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
    ]
    if form_factor == "desktop":
        cmd.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0 or not report.exists():
        raise RuntimeError(f"Lighthouse failed on {url} ({form_factor}):\n{proc.stderr[-3000:]}")
    data = json.loads(report.read_text(encoding="utf-8"))
    scores: dict[str, float | None] = {}
    for name in CATEGORIES:
        score = data["categories"][name]["score"]
        scores[name] = None if score is None else round(score * 100)
    failing = [
        f"{audit['id']} ({audit.get('score')})"
        for audit in data["audits"].values()
        if audit.get("scoreDisplayMode") in {"binary", "numeric", "metricSavings"}
        and audit.get("score") is not None
        and audit["score"] < 1
    ]
    scores["_below_full"] = ", ".join(sorted(failing)) or "-"  # type: ignore[assignment]
    return scores


def check_tools() -> str | None:
    if not LIGHTHOUSE.exists():
        if shutil.which("npm") is None:
            return (
                "Lighthouse needs Node.js and npm: install both, then run "
                "'npm ci --ignore-scripts'."
            )
        return "Lighthouse is not installed: run 'npm ci --ignore-scripts' in the project folder."
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not Path(chrome).exists():
        return f"Chromium not found at {chrome}: install it or set CHROME_PATH."
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument(
        "--pages",
        nargs="+",
        default=["", "what-is-an-iop/", "get-help-now/"],
        help='URL paths to audit ("" is the home page)',
    )
    args = parser.parse_args(argv)
    problem = check_tools()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    if not (args.site / "index.html").exists():
        print(f"No built site in {args.site}: run 'make build' first.", file=sys.stderr)
        return 2

    rows = []
    with tempfile.TemporaryDirectory() as tmp, serve(args.site) as base:
        for page in args.pages:
            for form_factor in ("mobile", "desktop"):
                scores = run_lighthouse(base + page, form_factor, Path(tmp))
                rows.append((page or "(home)", form_factor, scores))
                print(f"  measured {page or '(home)'} {form_factor}", file=sys.stderr)

    header = ["page", "form factor", *CATEGORIES]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for page, form_factor, scores in rows:
        cells = [str(scores[c]) for c in CATEGORIES]
        print(f"| {page} | {form_factor} | " + " | ".join(cells) + " |")
    below = [(p, f, s["_below_full"]) for p, f, s in rows if s["_below_full"] != "-"]
    if below:
        print("\nAudits below full marks:")
        for page, form_factor, audits in below:
            print(f"  {page} {form_factor}: {audits}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
