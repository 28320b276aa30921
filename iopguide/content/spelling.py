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


#: page path -> its spelling problems by (page text, rules fingerprint), for ``mkdocs serve``
_RESULTS: LastResult[tuple[Problem, ...]] = LastResult()


def check(pages: list[Page], rules: Rules) -> list[Problem]:
    key = rules.fingerprint
    todo = [p for p in pages if not key or _RESULTS.get(str(p.path), (p.text, key)) is None]
    found = _codespell(todo, rules) if todo else []
    for page in todo:
        _RESULTS.put(
            str(page.path), (page.text, key), tuple(p for p in found if p.file == page.rel)
        )
    return [p for page in pages for p in _RESULTS.get(str(page.path), (page.text, key)) or ()]


def _codespell(pages: list[Page], rules: Rules) -> list[Problem]:
    """codespell (its own entry point, in this process) on copies of ``pages``."""
    words = ["--ignore-words", str(rules.words_file)] if rules.words_file.is_file() else []
    with tempfile.TemporaryDirectory(prefix="iopguide-spell-") as tmp:
        copies = {str(Path(tmp) / f"{i}.md"): page for i, page in enumerate(pages)}
        for copy, page in copies.items():
            Path(copy).write_text(page.reader_text(), encoding="utf-8")
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
    return found
