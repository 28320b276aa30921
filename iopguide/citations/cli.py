"""``python -m iopguide citations``: check bibliography.bib and every page's citations.

The same checks as the build (same messages), without building the site.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from mkdocs.utils.meta import get_data

from iopguide import ROOT
from iopguide.citations.layer import CitationLayer, line_offset
from iopguide.report import print_report


def _pages(docs: Path) -> list[Path]:
    """Published pages: like mkdocs.yml's exclude_docs, skip _templates/ and *.draft.md."""
    return sorted(
        p
        for p in docs.rglob("*.md")
        if "_templates" not in p.relative_to(docs).parts and not p.name.endswith(".draft.md")
    )


def check(root: Path, bib: Path, docs: Path) -> list:
    layer = CitationLayer()
    problems = layer.load(bib, root)
    if layer.bib is None:
        return problems
    for page in _pages(docs):
        source = page.read_text(encoding="utf-8-sig")
        markdown, _meta = get_data(source)
        file = layer.page_file(str(page), page.name)
        layer.process_markdown(markdown, file, line_offset(source, markdown))
    return problems + layer.problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m iopguide citations",
        description="Check bibliography.bib and the citations of every page.",
    )
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    problems = check(root, root / "bibliography.bib", root / "docs")
    code = print_report(problems)
    if code == 0:
        print("Citations: no problems found.")
    return code
