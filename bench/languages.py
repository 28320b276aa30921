"""Benchmark: the build of both languages together against the English site alone (issue 16).

Copies the real project twice into a temporary folder: as it is (every page in English and in
Spanish) and without its Spanish edition (the ``*.es.md`` pages, the Spanish block of
``mkdocs.yml`` and the ``/es/`` lines of ``published-urls.txt`` removed). Each copy is built
``--runs`` times with ``mkdocs build --strict``, in a child process; the figure is the median
CPU time of that process (user + system) and its wall time, and the CPU milliseconds per built
page. The build stays linear when the cost per page is about the same for both.

    .venv/bin/python bench/languages.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The copies the site tests make: the real project, and without its Spanish edition.
from tests.helpers import copy_project  # noqa: E402
from tests.site.test_check import english_only  # noqa: E402

MKDOCS = [str(ROOT / ".venv" / "bin" / "mkdocs")]


def copy(dest: Path, without_spanish: bool) -> Path:
    project = copy_project(dest)
    if without_spanish:
        english_only(project)
    return project


def build(project: Path, site: Path) -> tuple[float, float, int]:
    """CPU seconds and wall seconds of one strict build, and the pages it built."""
    shutil.rmtree(site, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # Never -q with --strict: it exits 0 on warnings.
    cmd = [*MKDOCS, "build", "--strict", "--site-dir", str(site)]
    proc = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"the build of {project.name} failed:\n{proc.stdout}{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    pages = sum(1 for p in site.rglob("*.html") if "<h1" in p.read_text(errors="replace"))
    return cpu, wall, pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="builds per site (median)")
    args = parser.parse_args(argv)
    print(f"{'site':<22} {'pages':>5} {'CPU s':>7} {'wall s':>7} {'CPU ms/page':>12}")
    with tempfile.TemporaryDirectory(prefix="iopguide-bench-languages-") as tmp:
        for name, english_only in (("English only", True), ("English + Spanish", False)):
            project = copy(Path(tmp) / name.replace(" ", "-"), english_only)
            runs = [build(project, Path(tmp) / "site") for _ in range(args.runs)]
            cpu = statistics.median(r[0] for r in runs)
            wall = statistics.median(r[1] for r in runs)
            pages = runs[0][2]
            print(f"{name:<22} {pages:>5} {cpu:>7.2f} {wall:>7.2f} {1000 * cpu / pages:>12.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
