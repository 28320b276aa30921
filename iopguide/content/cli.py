"""``python -m iopguide content [paths]``: check pages without building the site. Exit 1 on any
error, 0 otherwise (warnings pass), 2 on wrong usage. The build runs the same checks (hooks)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from iopguide import project
from iopguide.content.checker import check_pages
from iopguide.content.frontmatter import TODAY_ENV, today_from_env
from iopguide.report import ProblemsFound, has_errors, print_report


def parser(prog: str, description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description=description)
    p.add_argument("paths", nargs="*", type=Path, help="pages or folders (default: every page)")
    where = "project folder with mkdocs.yml and the rules files (default: the current folder if it"
    p.add_argument("--root", type=Path, help=where + " has a mkdocs.yml, else this project)")
    return p


def resolve_paths(paths: list[Path], root: Path) -> list[Path] | None:
    """Files and folders given on the command line, as page files; None means every page."""
    if not paths:
        return None
    found: list[Path] = []
    for path in (p if p.is_absolute() else Path.cwd() / p for p in paths):
        if path.is_dir():
            every = sorted(set(project.pages(root)))
            inside = [p for p in every if p.is_relative_to(path.resolve())]
            found += inside or sorted(path.rglob("*.md"))
        elif path.is_file():
            found.append(path.resolve())
        else:
            raise FileNotFoundError(f"{path} does not exist")
    return found


def main(argv: list[str]) -> int:
    p = parser(
        "python -m iopguide content",
        "Check front matter, review dates, language, reading level, HTML, headings, links, "
        "images and spelling of every page.",
    )
    p.add_argument("--today", help=f"date to check review dates against (or set {TODAY_ENV})")
    p.add_argument("--no-spelling", action="store_true", help="skip codespell")
    args = p.parse_args(argv)
    root = project.root_of(args.root)
    try:
        today, site = today_from_env(args.today), project.pages(root)
        paths = resolve_paths(args.paths, root)
        spell = not args.no_spelling
        problems = check_pages(paths, root, today=today, spell=spell, site_pages=site)
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ProblemsFound as exc:
        print(exc, file=sys.stderr)
        return 1
    count, code = len(paths if paths is not None else site), print_report(problems)
    if not has_errors(problems):
        print(f"Content check passed: {count} page{'s' if count != 1 else ''} checked.")
    return code
