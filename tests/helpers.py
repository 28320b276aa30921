"""Helpers shared by the test suites: building sites and serving folders on 127.0.0.1."""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from iopguide import ROOT, localserver

MKDOCS = [sys.executable, "-m", "mkdocs"]


@dataclass
class BuildResult:
    returncode: int
    output: str
    site_dir: Path

    def page(self, url_path: str) -> str:
        """Text of a built page, by its URL path (``""`` for home, ``"faq/"`` for a page)."""
        target = self.site_dir / url_path
        if url_path == "" or url_path.endswith("/"):
            target = target / "index.html"
        return target.read_text(encoding="utf-8")


def build(project_dir: Path, site_dir: Path, *, strict: bool = True) -> BuildResult:
    """Run ``mkdocs build`` in a subprocess, as an editor would, and keep all its output."""
    cmd = [*MKDOCS, "build", "--config-file", str(project_dir / "mkdocs.yml")]
    cmd += ["--site-dir", str(site_dir)]
    if strict:
        cmd.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        cmd, cwd=project_dir, env=env, capture_output=True, text=True, check=False
    )
    return BuildResult(proc.returncode, proc.stdout + proc.stderr, site_dir)


#: What a copy of the project needs to build (no tests, no site/, no .venv).
PROJECT_FILES = [
    "mkdocs.yml",
    "bibliography.bib",
    "docs",
    "overrides",
    "content-rules.yml",
    "terms.yml",
    "terms-es.yml",
    "languages.yml",
    "spelling-es.txt",
    "reviewers.yml",
    "dois.lock.json",
    "published-urls.txt",
    "linkcheckerrc",
    "checks.yml",
    "publishing.yml",
    "crisis-lines.yml",
]


def copy_project(dest: Path) -> Path:
    """Copy the real project's buildable files into ``dest`` for a test to break safely."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    return dest


@contextmanager
def serve_directory(
    directory: Path,
    headers: dict[str, str] | Callable[[str], dict[str, str]] | None = None,
) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 on a free port; yields the base URL (ending in ``/``).

    ``headers`` is a dict added to every response, or a function of the request path (without
    the query string). Folders are served from their index.html; a folder without one is a 404.
    """
    with localserver.serve(directory, headers) as url:
        yield url


def parse_headers_file(text: str) -> list[tuple[str, dict[str, str]]]:
    """Rules of a ``_headers`` file, in order: ``[(path pattern, {header: value})]``."""
    rules: list[tuple[str, dict[str, str]]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if not raw[0].isspace():
            rules.append((raw.strip(), {}))
            continue
        name, sep, value = raw.strip().partition(":")
        if not sep or not rules:
            raise ValueError(f"_headers line {number}: expected 'Name: value' under a path")
        rules[-1][1][name.strip()] = value.strip()
    return rules


def headers_for(rules: list[tuple[str, dict[str, str]]], path: str) -> dict[str, str]:
    """Headers a Netlify-style host sends for a request path (every matching rule)."""
    path = path.split("?", 1)[0].split("#", 1)[0]
    found: dict[str, str] = {}
    for pattern, values in rules:
        if fnmatch.fnmatchcase(path, pattern):
            found.update(values)
    return found
