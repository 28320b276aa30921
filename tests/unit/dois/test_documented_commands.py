"""The commands CONTRIBUTING-citations.md shows for pending sources work as written."""

from __future__ import annotations

import re
import subprocess

from iopguide import ROOT

GUIDE = ROOT / "CONTRIBUTING-citations.md"
SECTION = "### New sources wait for confirmation"


def _section() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n### ", start + len(SECTION))
    return text[start : end if end != -1 else len(text)]


def test_the_offline_command_runs_as_written_and_changes_nothing_when_all_is_recorded() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", _section(), re.DOTALL)
    commands = [line for block in blocks for line in block.splitlines() if line.strip()]
    assert commands == [".venv/bin/python -m iopguide dois --record-pending"]
    lock = ROOT / "dois.lock.json"
    before = lock.read_bytes()
    try:
        result = subprocess.run(
            ["bash", "-c", commands[0]], cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        after = lock.read_bytes()
    finally:
        lock.write_bytes(before)
    assert result.returncode == 0, result.stderr
    assert "No new DOI" in result.stdout
    # Every DOI of bibliography.bib is recorded already, so the command wrote nothing.
    assert after == before


def test_the_guide_names_the_rule_editors_see() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert "`citation-pending`" in _section() and "| `citation-pending` |" in text
    assert "online-checks" in _section()
