"""Person-first, non-stigmatizing language: the words in terms.yml, matched as whole words in any
case (also across a line break), outside code, addresses, citation keys and comments. A quoted
use is allowed with ``<!-- allow-term: term -->`` on the same line or the line before."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from iopguide.content.page import Page
from iopguide.content.rules import Rules, say
from iopguide.markdown_tokens import mask
from iopguide.report import Problem


@cache
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(w) for w in phrase.split())
    return re.compile(rf"(?<![A-Za-z0-9_]){words}(?![A-Za-z0-9_])", re.IGNORECASE)


def check(page: Page, rules: Rules) -> list[Problem]:
    """Every avoided term the page's readers read (title and description too) outside names, the
    longest where two overlap."""
    text = page.reader_text()
    for name in rules.proper_names:
        text = mask(text, [m.span() for m in phrase_pattern(name).finditer(text)])
    found = [(m, t) for t in rules.terms for a in t.avoid for m in phrase_pattern(a).finditer(text)]
    problems, end = [], 0
    for match, term in sorted(found, key=lambda hit: (hit[0].start(), -len(hit[0].group(0)))):
        if match.start() < end:
            continue
        end = match.end()
        at, words = page.line_of(match.start()), " ".join(match.group(0).split())
        accepted = {" ".join(a.lower().split()) for a in (match.group(0), *term.avoid)}
        if not any(page.allowed_terms.get(n, set()) & accepted for n in (at, at - 1)):
            source = f" ({term.source})" if term.source else ""
            values: dict[str, Any] = {"prefer": term.prefer, "quoted": words.lower()}
            problems.append(say(page.rel, at, "language", words=words, source=source, **values))
    return problems
