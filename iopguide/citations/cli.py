"""``python -m iopguide citations``: the build's citation checks, without building the site."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from iopguide import ROOT, project
from iopguide.citations import MESSAGES, bibtex_adapter
from iopguide.citations.layer import CitationLayer
from iopguide.report import Problem, ProblemsFound, print_report

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def check(root: Path, config: MkDocsConfig | None = None, bib: Path | None = None) -> list[Problem]:
    """Problems of the bibliography (the bibtex plugin's, or ``bib``) and of every page MkDocs
    builds (``config``: by default the project's mkdocs.yml)."""
    config = project.load_config(root) if config is None else config
    layer = CitationLayer()
    if bib is None:
        if (bib_file := bibtex_adapter.bib_file(config)) is None:
            return [MESSAGES.say("mkdocs.yml", None, "mkdocs-config/no-bibtex")]
        bib = root / bib_file
    problems = layer.load(bib, root)
    return problems + (layer.check_pages(config) if layer.bib is not None else [])


def main(argv: list[str]) -> int:
    description = "Check bibliography.bib and the citations of every page."
    parser = argparse.ArgumentParser(prog="python -m iopguide citations", description=description)
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder")
    try:
        problems = check(parser.parse_args(argv).root.resolve())
    except ProblemsFound as exc:
        problems = exc.problems
    if (code := print_report(problems)) == 0:
        print("Citations: no problems found.")
    return code
