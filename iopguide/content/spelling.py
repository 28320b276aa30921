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

from iopguide.cache import LastResult
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


#: page path -> its spelling problems, keyed by (page text, rules fingerprint). codespell runs
#: in a process of its own; ``mkdocs serve`` runs it again only on the pages that changed.
_RESULTS: LastResult[tuple[Problem, ...]] = LastResult()


class SpellRun:
    """One spelling check: codespell runs in its own process while the other checks go on."""

    def __init__(self, pages: list[Page], rules: Rules) -> None:
        self.rules = rules
        self.problems: list[Problem] = []
        self.todo: list[tuple[Page, str]] = []
        for page in pages:
            key = (page.text, rules.fingerprint)
            cached = _RESULTS.get(str(page.path), key) if rules.fingerprint else None
            if cached is not None:
                self.problems += cached
            else:
                self.todo.append((page, _spell_text(page)))
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._proc: subprocess.Popen[str] | None = None
        self._by_copy: dict[str, Page] = {}
        if not self.todo:
            return
        self._tmp = tempfile.TemporaryDirectory(prefix="iopguide-spell-")
        for index, (page, text) in enumerate(self.todo):
            copy = Path(self._tmp.name) / f"{index}.md"
            copy.write_text(text, encoding="utf-8")
            self._by_copy[str(copy)] = page
        cmd = [sys.executable, "-m", "codespell_lib", "--builtin", "clear,rare"]
        if rules.words_file.is_file():
            cmd += ["--ignore-words", str(rules.words_file)]
        self._proc = subprocess.Popen(
            [*cmd, *self._by_copy],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=self._tmp.name,
        )

    def result(self) -> list[Problem]:
        """Wait for codespell; every spelling problem of the pages."""
        if self._proc is None:
            return self.problems
        try:
            stdout, stderr = self._proc.communicate()
        finally:
            self.close()
        if self._proc.returncode not in (0, 65):
            raise RuntimeError(f"codespell failed ({self._proc.returncode}):\n{stderr}{stdout}")
        found = _parse_output(stdout, self._by_copy, self.rules)
        problems = list(self.problems)
        for page, _text in self.todo:
            mine = tuple(p for p in found if p.file == page.rel)
            if self.rules.fingerprint:
                _RESULTS.put(str(page.path), (page.text, self.rules.fingerprint), mine)
            problems += mine
        return problems

    def close(self) -> None:
        """Stop codespell if it still runs and remove the copies (safe to call twice)."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def check(pages: list[Page], rules: Rules) -> list[Problem]:
    return SpellRun(pages, rules).result()


def _parse_output(stdout: str, by_copy: dict[str, Page], rules: Rules) -> list[Problem]:
    problems: list[Problem] = []
    words_file = rules.words_file
    rel_words = (
        words_file.relative_to(rules.root).as_posix()
        if words_file.is_relative_to(rules.root)
        else str(words_file)
    )
    for raw in stdout.splitlines():
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
