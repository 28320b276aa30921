"""Benchmark: what the published-HTML check costs per page (issue 12).

Builds the real site once into a temporary folder (``mkdocs build --strict``), then times, in
this process and on the built pages:

- ``theme allowlist``: rendering the empty probe pages and the 404 template
  (:mod:`iopguide.security.site`) with the build's compiled templates, once per build;
- ``judge_page``: reading one built page with the browser-faithful tokenizer and applying every
  rule (:mod:`iopguide.security.published`), per page: median and slowest page over ``--repeat``
  rounds;
- ``regex scan (before)``: for comparison, the regex scanner this check replaced, taken from git
  (``git show e98a223:iopguide/security/csp.py``) when the history is there.

Times are CPU milliseconds, best of ``--repeat`` rounds. Target: a few milliseconds per page,
since it runs on every build and every ``make serve`` rebuild.

    .venv/bin/python bench/published.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from iopguide.security.csp import _OWN_META  # noqa: E402
from iopguide.security.published import (  # noqa: E402
    SiteRules,
    judge_page,
    load_crisis_lines,
)

BEFORE = "e98a223"


def build(site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)


def allowlist_time(site: Path) -> tuple[float, object]:
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation

    from iopguide.security.site import allowlist_from_html, render_probes, site_rules

    # The built site: the probes cover the depths of every language's pages found there.
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
    files = get_files(config)
    nav = get_navigation(files, config)
    env = config.theme.get_env()
    base = site_rules(config, nav, files, env).base_path  # compile the templates, as the build has
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        allowlist = allowlist_from_html(render_probes(config, nav, files, env), base)
        best = min(best, time.process_time() - start)
    return best, allowlist


def old_scanner() -> types.ModuleType | None:
    proc = subprocess.run(
        ["git", "show", f"{BEFORE}:iopguide/security/csp.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return None
    module = types.ModuleType("old_csp")
    sys.modules["old_csp"] = module  # dataclasses look their module up
    exec(compile(proc.stdout, "old_csp.py", "exec"), module.__dict__)
    return module


def per_page(pages: dict[str, str], work, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    """CPU seconds per page, the best of ``repeat`` rounds (this machine is shared: CPU time
    of the best round is the least disturbed by other processes)."""
    times: dict[str, list[float]] = {rel: [] for rel in pages}
    for _ in range(repeat):
        for rel, html in pages.items():
            start = time.process_time()
            work(rel, html)
            times[rel].append(time.process_time() - start)
    return [min(t) for t in times.values()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(site)
        # As the check reads them: without the CSP meta the build added.
        pages = {
            p.relative_to(site).as_posix(): _OWN_META.sub("", p.read_text(encoding="utf-8"))
            for p in sorted(site.rglob("*.html"))
        }
        probe, allowlist = allowlist_time(site)
    rules = SiteRules(allowlist, load_crisis_lines(ROOT), {"127.0.0.1"})  # type: ignore[arg-type]
    assert all(not judge_page(html, rel, rules).findings for rel, html in pages.items())
    new = per_page(pages, lambda rel, html: judge_page(html, rel, rules), args.repeat)
    rows = [("judge_page (now)", new)]
    old = old_scanner()
    if old is not None:
        rows.append(
            ("regex scan (before)", per_page(pages, lambda r, h: old.scan_page(h), args.repeat))
        )
    kb = statistics.median(len(h.encode()) for h in pages.values()) / 1024
    load = os.getloadavg()[0]
    print(f"{len(pages)} built pages, median {kb:.1f} KB; {args.repeat} rounds; load {load:.1f}\n")
    print("| step (CPU) | median page | slowest page | all pages |")
    print("|---|---|---|---|")
    for name, values in rows:
        print(
            f"| {name} | {statistics.median(values) * 1000:.2f} ms | "
            f"{max(values) * 1000:.2f} ms | {sum(values) * 1000:.1f} ms |"
        )
    print(f"| theme allowlist (once per build) | | | {probe * 1000:.1f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
