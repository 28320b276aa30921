"""Person-first, non-stigmatizing language: the words in terms.yml.

Matching is by whole word, in any case, also across a line break inside a phrase. Code, link
addresses, citation keys and HTML comments are masked first (see :mod:`iopguide.content.page`).
A quoted use is allowed with ``<!-- allow-term: term -->`` on the same line or the line before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from iopguide.content.page import Page, _norm, blank
from iopguide.content.rules import Rules, Term
from iopguide.report import Problem

GUIDE = "person-first-language"
_EDGE_BEFORE = r"(?<![A-Za-z0-9_])"
_EDGE_AFTER = r"(?![A-Za-z0-9_])"


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(_EDGE_BEFORE + r"\s+".join(words) + _EDGE_AFTER, re.IGNORECASE)


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    text: str
    term: Term


class LanguageChecker:
    def __init__(self, rules: Rules) -> None:
        self.patterns = [
            (phrase_pattern(avoid), term) for term in rules.terms for avoid in term.avoid
        ]
        self.names = [phrase_pattern(name) for name in rules.proper_names]

    def hits(self, text: str) -> list[_Hit]:
        """Every avoided term in ``text``, longest first where two overlap, outside names."""
        for name in self.names:
            for match in name.finditer(text):
                text = blank(text, match.start(), match.end())
        found = [
            _Hit(m.start(), m.end(), m.group(0), term)
            for pattern, term in self.patterns
            for m in pattern.finditer(text)
        ]
        found.sort(key=lambda h: (h.start, -(h.end - h.start)))
        kept: list[_Hit] = []
        for hit in found:
            if kept and hit.start < kept[-1].end:
                continue
            kept.append(hit)
        return kept

    def _problem(self, page: Page, line: int, hit: _Hit) -> Problem:
        words = " ".join(hit.text.split())
        source = f" ({hit.term.source})" if hit.term.source else ""
        return Problem(
            page.rel,
            line,
            None,
            "language",
            f'"{words}" can label or shame people{source}',
            f'write "{hit.term.prefer}" instead. If you quote a title or a person, put '
            f"<!-- allow-term: {words.lower()} --> on the line before",
            guide=GUIDE,
        )

    def _allowed(self, page: Page, line: int, hit: _Hit) -> bool:
        accepted = {_norm(hit.text), *(_norm(a) for a in hit.term.avoid)}
        return any(page.allowed_terms.get(n, set()) & accepted for n in (line, line - 1))

    def check(self, page: Page) -> list[Problem]:
        problems = []
        for hit in self.hits(page.prose_masked()):
            line = page.line_of(hit.start)
            if not self._allowed(page, line, hit):
                problems.append(self._problem(page, line, hit))
        # Title and description are shown to readers (tab, search results): check them too.
        data = page.front_matter.data or {}
        for key in ("title", "description"):
            value = data.get(key)
            if not isinstance(value, str):
                continue
            line = page.front_matter.key_lines.get(key, 1)
            for hit in self.hits(value):
                if not self._allowed(page, line, hit):
                    problems.append(self._problem(page, line, hit))
        return problems
