"""Benchmark: what citations cost in build time.

Builds synthetic sites of 10, 100 and 500 pages (3 citations per page, from a 50-entry synthetic
bibliography) in a temporary folder, in three variants:

- ``none``: the same pages with no citations, no mkdocs-bibtex, no citation hook (the baseline);
- ``static``: no plugin and no hook, but the very reference lists the layer renders, written by
  hand as footnotes (with the References heading): what displaying these references costs any
  renderer. ``layer/static`` is the cost of the citation machinery itself;
- ``plugin``: citations rendered by mkdocs-bibtex alone (the state before issue 3);
- ``layer``: citations through our layer (overrides/hooks/citations.py) in front of the plugin.

Each build runs in a subprocess, like an editor's ``mkdocs build``. The table shows, for each
variant, the best of ``--repeat`` runs of the build's CPU time (user + system) and its ratio to
the baseline, plus the best wall-clock times. CPU time is used for the ratio because this machine
is shared: wall-clock time there includes waiting for a CPU. Target: ``layer`` <= 1.10x at 500
pages.

Every entry and page is synthetic and generated in a temporary folder; nothing here is a source.

    .venv/bin/python bench/citations.py [--sizes 10 100 500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from iopguide.citations.bib import load_bibliography  # noqa: E402
from iopguide.citations.style import ReferenceFormatter  # noqa: E402

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


def page(index: int, variant: str, references: dict[str, str] | None = None) -> str:
    """One synthetic page. ``static``: the references the layer would render, written by hand
    as Python-Markdown footnotes (what any renderer of these reference lists must pay for)."""
    keys = [f"synthetic{(index * 7 + k * 13) % ENTRIES:02d}bench" for k in range(3)]
    if variant == "none":
        marks = ["", "", ""]
    elif variant == "static":
        marks = [f"[^{key}]" for key in keys]
    else:
        marks = [f" [@{key}]" for key in keys]
    sections = []
    for n, mark in enumerate(marks):
        sections.append(
            f"## Section {n + 1}\n\n{PARAGRAPH}{mark}\n\n- One point\n- Another point\n\n"
            f"| Column | Value |\n|---|---|\n| a | {n} |\n"
        )
    body = "\n".join(sections)
    text = f"---\ntitle: Page {index}\n---\n\n# Page {index}\n\n{PARAGRAPH}\n\n{body}"
    if variant == "static" and references is not None:
        definitions = "\n".join(f"[^{key}]: {references[key]}" for key in dict.fromkeys(keys))
        text += f"\n## References\n\n///Footnotes Go Here///\n\n{definitions}\n"
    return text


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
        "  - footnotes:",
        "      USE_DEFINITION_ORDER: false",
        "  - tables",
        "  - toc:",
        "      permalink: true",
    ]
    return "\n".join(lines) + "\n"


def make_site(folder: Path, pages: int, variant: str) -> Path:
    docs = folder / "docs"
    docs.mkdir(parents=True)
    (folder / "bibliography.bib").write_text(synthetic_bib(), encoding="utf-8")
    references = None
    if variant == "static":
        bib, problems = load_bibliography(folder / "bibliography.bib", folder)
        assert bib is not None, problems
        formatter = ReferenceFormatter(bib)
        references = {key: formatter.reference(key) for key in bib.keys}
    for n in range(pages):
        text = page(n, variant, references)
        (docs / f"page-{n:03d}.md").write_text(text, encoding="utf-8")
    (docs / "index.md").write_text("# Home\n\nSynthetic benchmark site.\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text(config(variant), encoding="utf-8")
    return folder


def build_seconds(folder: Path) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of the build process) for one ``mkdocs build``.

    CPU time (user + system) is what the build itself costs; on a shared, busy machine the
    wall-clock time also counts the time spent waiting for a CPU, so the ratio uses CPU time.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(folder / "site")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=folder, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"build failed in {folder}:\n{proc.stdout}{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 500])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    print(f"CPU count: {cpus} (usable: {usable}); load average: {os.getloadavg()[0]:.1f}")
    print(
        f"Python {platform.python_version()}; best of {args.repeat} builds; "
        f"{CITATIONS_PER_PAGE} citations/page; {ENTRIES} entries"
    )
    print("CPU = user + system seconds of the build process; wall = elapsed seconds")
    print()
    variants = ("none", "static", "plugin", "layer")
    rows = []
    with tempfile.TemporaryDirectory(prefix="iopguide-bench-") as tmp:
        for size in args.sizes:
            cpu: dict[str, float] = {}
            wall: dict[str, float] = {}
            sites = {v: make_site(Path(tmp) / f"{v}-{size}", size, v) for v in variants}
            for _ in range(args.repeat):
                # Interleave the variants so that machine noise hits all of them alike.
                for variant, folder in sites.items():
                    w, c = build_seconds(folder)
                    cpu[variant] = min(cpu.get(variant, c), c)
                    wall[variant] = min(wall.get(variant, w), w)
            rows.append((size, cpu, wall))
            _print_row(size, cpu, wall, first=len(rows) == 1)
    return 0


def _print_row(size: int, cpu: dict[str, float], wall: dict[str, float], first: bool) -> None:
    if first:
        header = (
            f"{'pages':>5} | {'CPU s: none':>11} {'static':>7} {'plugin':>7} {'layer':>7} | "
            f"{'static/none':>11} {'plugin/none':>11} {'layer/none':>10} {'layer/static':>12} | "
            f"{'wall s: none':>12} {'layer':>6}"
        )
        print(header)
        print("-" * len(header))
    print(
        f"{size:>5} | {cpu['none']:>11.2f} {cpu['static']:>7.2f} {cpu['plugin']:>7.2f} "
        f"{cpu['layer']:>7.2f} | {cpu['static'] / cpu['none']:>10.2f}x "
        f"{cpu['plugin'] / cpu['none']:>10.2f}x {cpu['layer'] / cpu['none']:>9.2f}x "
        f"{cpu['layer'] / cpu['static']:>11.2f}x | {wall['none']:>12.2f} {wall['layer']:>6.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
