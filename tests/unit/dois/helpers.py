"""Run ``python -m iopguide dois`` in-process on fixture files in a temp folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from iopguide.dois.cli import main

FIXTURES = Path(__file__).parents[2] / "fixtures" / "dois"


def install(project: Path, bib_text: str | None = None, lock: bool = True) -> Path:
    """Copy the fixture bibliography (optionally replaced by ``bib_text``) and its lock."""
    bib = project / "bibliography.bib"
    if bib_text is None:
        shutil.copy(FIXTURES / "sources.bib", bib)
    else:
        bib.write_text(bib_text, encoding="utf-8")
    if lock:
        shutil.copy(FIXTURES / "sources.lock.json", project / "dois.lock.json")
    return bib


def fixture_bib() -> str:
    return (FIXTURES / "sources.bib").read_text(encoding="utf-8")


def read_lock(project: Path) -> dict[str, Any]:
    return json.loads((project / "dois.lock.json").read_text(encoding="utf-8"))


def write_lock(project: Path, data: dict[str, Any]) -> None:
    (project / "dois.lock.json").write_text(json.dumps(data, indent=2), encoding="utf-8")


def run(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    argv = [
        *args,
        "--bib",
        str(project / "bibliography.bib"),
        "--lock",
        str(project / "dois.lock.json"),
        "--config",
        str(project / "checks.yml"),
    ]
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def line_of(project: Path, needle: str) -> int:
    """1-based line of the first line of bibliography.bib containing ``needle``."""
    lines = (project / "bibliography.bib").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)
