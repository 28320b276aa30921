"""Benchmark: what citations cost in build time.

Builds synthetic sites of 10, 100 and 500 pages (3 citations per page, from a 50-entry synthetic
bibliography) in a temporary folder, in three variants:

- ``none``: the same pages with no citations, no mkdocs-bibtex, no citation hook (the baseline);
- ``plugin``: citations rendered by mkdocs-bibtex alone (the state before issue 3);
- ``layer``: citations through our layer (overrides/hooks/citations.py) in front of the plugin.

Each build runs in a subprocess, like an editor's ``mkdocs build``; the table shows the best of
``--repeat`` runs and the ratio to the baseline. Target: ``layer`` <= 1.10x at 500 pages.

Every entry and page is synthetic and generated in a temporary folder; nothing here is a source.

    .venv/bin/python bench/citations.py [--sizes 10 100 500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOOK = ROOT / "overrides" / "hooks" / "citations.py"
ENTRIES = 50
CITATIONS_PER_PAGE = 3

PARAGRAPH = (
    "This synthetic paragraph stands in for the plain-language text of a real page. It has "
    "a few sentences of ordinary length, a list of points and a short table, so that Markdown "
    "and the theme do the same kind of work as on the real site."
)


def synthetic_bib() -> str:
    entries = []
    for n in range(ENTRIES):
        entries.append(
            f"@article{{synthetic{n:02d}bench,\n"
            f"  author  = {{Synthetic, Author{n:02d} A. and Example, Second B. and Fake, Third C."
            f" and Placeholder, Fourth D. and Dummy, Fifth E. and Mock, Sixth F."
            f" and Sample, Seventh G.}},\n"
            f"  title   = {{Synthetic benchmark entry number {n} (not a real source)}},\n"
            f"  journal = {{Journal of Synthetic Benchmarks}},\n"
            f"  year    = {{{2000 + n % 25}}},\n"
            f"  volume  = {{{n + 1}}},\n  number  = {{{n % 12 + 1}}},\n"
            f"  pages   = {{{100 + n}--{110 + n}}},\n"
            f"  doi     = {{10.5555/synthetic.bench.{n}}}\n}}\n"
        )
    return "\n".join(entries)


def page(index: int, cite: bool) -> str:
    keys = [f"synthetic{(index * 7 + k * 13) % ENTRIES:02d}bench" for k in range(3)]
    cites = [f" [@{key}]" if cite else "" for key in keys]
    sections = []
    for n, mark in enumerate(cites):
        sections.append(
            f"## Section {n + 1}\n\n{PARAGRAPH}{mark}\n\n- One point\n- Another point\n\n"
            f"| Column | Value |\n|---|---|\n| a | {n} |\n"
        )
    body = "\n".join(sections)
    return f"---\ntitle: Page {index}\n---\n\n# Page {index}\n\n{PARAGRAPH}\n\n{body}"


def config(variant: str) -> str:
    lines = [
        "site_name: Citation benchmark",
        "theme:",
        "  name: material",
        "  features:",
        "    - content.footnote.tooltips",
        "plugins:",
        "  - search",
    ]
    if variant in {"plugin", "layer"}:
        lines += [
            "  - bibtex:",
            "      bib_file: bibliography.bib",
            '      footnote_format: "{key}"',
            "      enable_inline_citations: false",
        ]
    if variant == "layer":
        lines += ["hooks:", f"  - {HOOK}"]
    lines += [
        "markdown_extensions:",
        "  - admonition",
        "  - attr_list",
        "  - footnotes",
        "  - tables",
        "  - toc:",
        "      permalink: true",
    ]
    return "\n".join(lines) + "\n"


def make_site(folder: Path, pages: int, variant: str) -> Path:
    docs = folder / "docs"
    docs.mkdir(parents=True)
    for n in range(pages):
        (docs / f"page-{n:03d}.md").write_text(page(n, variant != "none"), encoding="utf-8")
    (docs / "index.md").write_text("# Home\n\nSynthetic benchmark site.\n", encoding="utf-8")
    (folder / "bibliography.bib").write_text(synthetic_bib(), encoding="utf-8")
    (folder / "mkdocs.yml").write_text(config(variant), encoding="utf-8")
    return folder


def build_seconds(folder: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(folder / "site")]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=folder, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed in {folder}:\n{proc.stdout}{proc.stderr}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 500])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    print(
        f"CPU count: {cpus} (usable by this process: {usable}); Python {platform.python_version()}"
    )
    print(
        f"best of {args.repeat} builds; {CITATIONS_PER_PAGE} citations per page; {ENTRIES} entries"
    )
    print()
    header = f"{'pages':>5}  {'none (s)':>9}  {'plugin (s)':>10}  {'layer (s)':>9}  "
    header += f"{'plugin/none':>11}  {'layer/none':>10}"
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory(prefix="iopguide-bench-") as tmp:
        for size in args.sizes:
            best: dict[str, float] = {}
            sites = {
                v: make_site(Path(tmp) / f"{v}-{size}", size, v)
                for v in ("none", "plugin", "layer")
            }
            for _ in range(args.repeat):
                # Interleave the variants so that machine noise hits all of them alike.
                for variant, folder in sites.items():
                    seconds = build_seconds(folder)
                    best[variant] = min(best.get(variant, seconds), seconds)
            none, plugin, layer = best["none"], best["plugin"], best["layer"]
            print(
                f"{size:>5}  {none:>9.2f}  {plugin:>10.2f}  {layer:>9.2f}  "
                f"{plugin / none:>10.2f}x  {layer / none:>9.2f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
