"""English spelling with codespell and the project word list (.codespell-words.txt), run on
copies of the pages with code, addresses, citation keys and comments blanked (lines kept)."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from iopguide.cache import LastResult
from iopguide.content.page import Page
from iopguide.content.rules import Rules, relative, say
from iopguide.report import Problem

_OUTPUT_RE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<word>.+?) ==> (?P<fix>.+)$")


def spell_text_of(page: Page, keys: bool = True) -> str:
    """The page's prose, with the title and description (reader-facing) kept on their lines;
    without ``keys``, their ``title:``/``description:`` keys blanked."""
    lines, source = page.prose_masked().split("\n"), page.text.split("\n")
    for key in ("title", "description"):
        if line := page.front_matter.key_lines.get(key):
            text = source[line - 1]
            blank = not keys and text.startswith(f"{key}:")
            lines[line - 1] = " " * (len(key) + 1) + text[len(key) + 1 :] if blank else text
    return "\n".join(lines)


#: page path -> its spelling problems, keyed by (page text, rules fingerprint): ``mkdocs serve``
#: runs codespell again only on the pages that changed.
_RESULTS: LastResult[tuple[Problem, ...]] = LastResult()


class SpellRun:
    """One spelling check: codespell runs in its own process while the other checks go on."""

    def __init__(self, pages: list[Page], rules: Rules) -> None:
        self.rules, self.problems, self.todo = rules, list[Problem](), list[Page]()
        for page in pages:
            cached = _RESULTS.get(str(page.path), (page.text, rules.fingerprint))
            if cached is not None and rules.fingerprint:
                self.problems += cached
            else:
                self.todo.append(page)
        self._tmp = tempfile.TemporaryDirectory(prefix="iopguide-spell-") if self.todo else None
        self._proc: subprocess.Popen[str] | None = None
        self._by_copy: dict[str, Page] = {}
        if self._tmp is None:
            return
        for index, page in enumerate(self.todo):
            copy = Path(self._tmp.name) / f"{index}.md"
            copy.write_text(spell_text_of(page), encoding="utf-8")
            self._by_copy[str(copy)] = page
        cmd = [sys.executable, "-m", "codespell_lib", "--builtin", "clear,rare"]
        if rules.words_file.is_file():
            cmd += ["--ignore-words", str(rules.words_file)]
        pipe, where = subprocess.PIPE, self._tmp.name
        self._proc = subprocess.Popen(
            [*cmd, *self._by_copy], stdout=pipe, stderr=pipe, text=True, cwd=where
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
        shown = relative(self.rules.words_file, self.rules.root)
        found: list[Problem] = []
        for match in filter(None, (_OUTPUT_RE.match(raw.strip()) for raw in stdout.splitlines())):
            if page := self._by_copy.get(match["file"]):
                fix = match["fix"].split("|")[0].strip().rstrip(",")
                choices = " or ".join(f'"{c.strip()}"' for c in fix.split(",") if c.strip())
                values: dict[str, Any] = {"word": match["word"], "choices": choices}
                found.append(
                    say(page.rel, int(match["line"]), "spelling", words_file=shown, **values)
                )
        problems = list(self.problems)
        for page in self.todo:
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
