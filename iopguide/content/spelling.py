"""English spelling with codespell and the project word list (.codespell-words.txt), run on
copies of the pages with code, addresses, citation keys and comments blanked (lines kept)."""

from __future__ import annotations

import io
import re
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import codespell_lib

from iopguide.cache import LastResult
from iopguide.content.page import Page
from iopguide.content.rules import Rules, relative, say
from iopguide.report import Problem

_OUTPUT_RE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<word>.+?) ==> (?P<fix>.+)$")


def spell_text_of(page: Page, keys: bool = True) -> str:
    """The page's prose with its title and description (readers see them), ``keys`` or not."""
    lines, source = page.prose_masked().split("\n"), page.text.split("\n")
    for key in ("title", "description"):
        if line := page.front_matter.key_lines.get(key):
            text = source[line - 1]
            blank = not keys and text.startswith(f"{key}:")
            lines[line - 1] = " " * (len(key) + 1) + text[len(key) + 1 :] if blank else text
    return "\n".join(lines)


#: page path -> its spelling problems by (page text, rules fingerprint), for ``mkdocs serve``
_RESULTS: LastResult[tuple[Problem, ...]] = LastResult()


def check(pages: list[Page], rules: Rules) -> list[Problem]:
    """codespell (its own entry point, in this process) on copies of ``pages``."""
    key = rules.fingerprint
    cached = [
        (page, _RESULTS.get(str(page.path), (page.text, key)) if key else None) for page in pages
    ]
    problems = [problem for _, found in cached for problem in found or ()]
    if not (todo := [page for page, found in cached if found is None]):
        return problems
    words = ["--ignore-words", str(rules.words_file)] if rules.words_file.is_file() else []
    with tempfile.TemporaryDirectory(prefix="iopguide-spell-") as tmp:
        copies = {str(Path(tmp) / f"{i}.md"): page for i, page in enumerate(todo)}
        for copy, page in copies.items():
            Path(copy).write_text(spell_text_of(page), encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = codespell_lib.main("--builtin", "clear,rare", *words, *copies)
    if code not in (0, 65):
        raise RuntimeError(f"codespell failed ({code}):\n{err.getvalue()}{out.getvalue()}")
    shown, found = relative(rules.words_file, rules.root), list[Problem]()
    for match in filter(None, map(_OUTPUT_RE.match, out.getvalue().splitlines())):
        fix = match["fix"].split("|")[0].strip().rstrip(",")
        choices = " or ".join(f'"{c.strip()}"' for c in fix.split(",") if c.strip())
        page, line, word = copies[match["file"]], int(match["line"]), match["word"]
        found.append(say(page.rel, line, "spelling", word=word, choices=choices, words_file=shown))
    for page in todo:
        problems += _RESULTS.put(
            str(page.path), (page.text, key), tuple(p for p in found if p.file == page.rel)
        )
    return problems
