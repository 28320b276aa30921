"""Spelling with codespell and the project word list (.codespell-words.txt).

codespell runs once per check, on copies of the pages in which code, link addresses, citation
keys and HTML comments are blanked (lines are kept, so its line numbers are the page's).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from iopguide.content.page import Page
from iopguide.content.rules import Rules
from iopguide.report import Problem

GUIDE = "spelling"
_OUTPUT_RE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<word>.+?) ==> (?P<fix>.+)$")


def _spell_text(page: Page) -> str:
    text = page.prose_masked()
    # The title and description are reader-facing: keep their lines, blank the other keys.
    lines = text.split("\n")
    source = page.text.split("\n")
    for key in ("title", "description"):
        line = page.front_matter.key_lines.get(key)
        if line:
            lines[line - 1] = source[line - 1]
    return "\n".join(lines)


#: page path -> ((page text, rules fingerprint), problems). codespell runs in a
#: process of its own; ``mkdocs serve`` runs it again only on the pages that changed.
_RESULTS: dict[str, tuple[tuple[str, str], tuple[Problem, ...]]] = {}


def check(pages: list[Page], rules: Rules) -> list[Problem]:
    problems: list[Problem] = []
    todo: list[tuple[Page, str]] = []
    for page in pages:
        cached = _RESULTS.get(str(page.path))
        if rules.fingerprint and cached is not None and cached[0] == (page.text, rules.fingerprint):
            problems += cached[1]
        else:
            todo.append((page, _spell_text(page)))
    if not todo:
        return problems
    found = _run_codespell(todo, rules)
    for page, _text in todo:
        mine = tuple(p for p in found if p.file == page.rel)
        if rules.fingerprint:
            _RESULTS[str(page.path)] = ((page.text, rules.fingerprint), mine)
        problems += mine
    return problems


def _run_codespell(pages: list[tuple[Page, str]], rules: Rules) -> list[Problem]:
    problems: list[Problem] = []
    words_file = rules.words_file
    rel_words = (
        words_file.relative_to(rules.root).as_posix()
        if words_file.is_relative_to(rules.root)
        else str(words_file)
    )
    with tempfile.TemporaryDirectory(prefix="iopguide-spell-") as tmp:
        by_copy: dict[str, Page] = {}
        for index, (page, text) in enumerate(pages):
            copy = Path(tmp) / f"{index}.md"
            copy.write_text(text, encoding="utf-8")
            by_copy[str(copy)] = page
        cmd = [sys.executable, "-m", "codespell_lib", "--builtin", "clear,rare"]
        if words_file.is_file():
            cmd += ["--ignore-words", str(words_file)]
        proc = subprocess.run(
            [*cmd, *by_copy], capture_output=True, text=True, check=False, cwd=tmp
        )
    if proc.returncode not in (0, 65):
        raise RuntimeError(f"codespell failed ({proc.returncode}):\n{proc.stderr}{proc.stdout}")
    for raw in proc.stdout.splitlines():
        match = _OUTPUT_RE.match(raw.strip())
        if not match or match["file"] not in by_copy:
            continue
        page = by_copy[match["file"]]
        fix = match["fix"].split("|")[0].strip().rstrip(",")
        choices = " or ".join(f'"{c.strip()}"' for c in fix.split(",") if c.strip())
        problems.append(
            Problem(
                page.rel,
                int(match["line"]),
                None,
                "spelling",
                f'"{match["word"]}" looks misspelled',
                f"write {choices}. If the word is right (a name or a medical term), add it in "
                f"lower case to {rel_words}",
                guide=GUIDE,
            )
        )
    return problems
