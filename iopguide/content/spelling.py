"""English spelling with codespell and the project word list (.codespell-words.txt), run once per
check on copies of the pages with code, addresses, citation keys and comments blanked (lines are
kept, so its line numbers are the page's)."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from iopguide.cache import LastResult
from iopguide.content.page import Page
from iopguide.content.rules import Rules, relative, say
from iopguide.report import Problem

GUIDE = "spelling"
_OUTPUT_RE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<word>.+?) ==> (?P<fix>.+)$")


def spell_text_of(page: Page, keys: bool = True) -> str:
    """The page's prose, with the title and description (reader-facing) kept on their lines;
    without ``keys``, their ``title:``/``description:`` keys blanked."""
    lines = page.prose_masked().split("\n")
    source = page.text.split("\n")
    for key in ("title", "description"):
        line = page.front_matter.key_lines.get(key)
        if line:
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
        self.rules = rules
        self.problems: list[Problem] = []
        self.todo: list[Page] = []
        for page in pages:
            cached = _RESULTS.get(str(page.path), (page.text, rules.fingerprint))
            if cached is not None and rules.fingerprint:
                self.problems += cached
            else:
                self.todo.append(page)
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._proc: subprocess.Popen[str] | None = None
        self._by_copy: dict[str, Page] = {}
        if not self.todo:
            return
        self._tmp = tempfile.TemporaryDirectory(prefix="iopguide-spell-")
        for index, page in enumerate(self.todo):
            copy = Path(self._tmp.name) / f"{index}.md"
            copy.write_text(spell_text_of(page), encoding="utf-8")
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
        shown = relative(self.rules.words_file, self.rules.root)
        found: list[Problem] = []
        for raw in stdout.splitlines():
            match = _OUTPUT_RE.match(raw.strip())
            if not match or match["file"] not in self._by_copy:
                continue
            fix = match["fix"].split("|")[0].strip().rstrip(",")
            choices = " or ".join(f'"{c.strip()}"' for c in fix.split(",") if c.strip())
            page, line = self._by_copy[match["file"]], int(match["line"])
            found.append(
                say(
                    page.rel,
                    line,
                    "spelling",
                    word=match["word"],
                    choices=choices,
                    words_file=shown,
                )
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
