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
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = [str(ROOT / ".venv" / "bin" / "mkdocs")]
#: What a copy of the project needs to build (as tests/helpers.py PROJECT_FILES).
FILES = [
    "mkdocs.yml",
    "bibliography.bib",
    "docs",
    "overrides",
    "content-rules.yml",
    "terms.yml",
    "terms-es.yml",
    "languages.yml",
    "reviewers.yml",
    "dois.lock.json",
    "published-urls.txt",
    "linkcheckerrc",
    "checks.yml",
    "publishing.yml",
    "crisis-lines.yml",
    "glossary-es.yml",
    "spelling-es.txt",
    ".codespell-words.txt",
]


def copy(dest: Path, english_only: bool) -> Path:
    dest.mkdir(parents=True)
    for name in FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    if english_only:
        for page in (dest / "docs").glob("*.es.md"):
            page.unlink()
        config = dest / "mkdocs.yml"
        text, count = re.subn(
            r"^        - locale: es\n(?:(?: {10}.*)?\n)*", "", config.read_text(), flags=re.M
        )
        if count != 1:
            raise SystemExit("the Spanish block of mkdocs.yml changed: update bench/languages.py")
        config.write_text(text)
        listed = dest / "published-urls.txt"
        lines = listed.read_text().splitlines(keepends=True)
        listed.write_text("".join(x for x in lines if not x.startswith("/es/")))
    return dest


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
