"""Where a page's code, raw HTML and comments are, as the renderer finds them (superfences',
Python-Markdown's backtick, HTML block and indented code rules), for every check. A comment
ends where a browser ends it: after ``<!-->`` the text is live HTML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache
from typing import Any

from markdown import Markdown
from markdown.blockprocessors import HashHeaderProcessor, HRProcessor, SetextHeaderProcessor
from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor
from pymdownx.superfences import SuperFencesBlockPreprocessor

#: An HTML comment as the HTML standard's tokenizer reads it.
COMMENT_RE = re.compile(r"<!--(?:-?>|.*?--!?>|.*\Z)", re.DOTALL)
_CONTAINER_RE = re.compile(
    r"^[ \t]*(?:[-*+][ \t]|\d+[.)][ \t]|!!!|\?\?\?\+?|///|:[ \t]|\[\^[^\]]+\]:|===)"
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


class _FenceFinder(SuperFencesBlockPreprocessor):  # type: ignore[misc]  # pymdownx: no types
    """superfences' own preprocessor, keeping where each fenced block is instead of replacing it."""

    found: list[tuple[int, int]]
    stack: list[tuple[str, int, int]]  # (placeholder, first line, last line + 1)

    def reassemble(self, lines: list[str]) -> list[str]:
        self.found = sorted((start, end) for _, start, end in self.stack)
        self.stack = []
        return lines


@cache
def _finders() -> tuple[Markdown, _FenceFinder, BacktickInlineProcessor]:
    md = Markdown(extensions=["pymdownx.superfences", "md_in_html"])
    registered: Any = md.preprocessors["fenced_code_block"]
    finder = _FenceFinder(md)  # set up as superfences sets up its own (patch_fenced_rule)
    finder.config, finder.extension = registered.config, registered.extension
    return md, finder, BacktickInlineProcessor(BACKTICK_RE)


def code_lines(lines: list[str]) -> list[bool]:
    """Which lines are fenced or indented code (fences included)."""
    md, finder, _ = _finders()
    md.htmlStash.reset()
    finder.run(list(lines))
    result = [False] * len(lines)
    for start, end in finder.found:
        result[start:end] = [True] * (end - start)
    in_indented, base = False, 0
    for i, line in enumerate(lines):
        if result[i] or not line.strip():  # a fence ends indented code; a blank line does not
            in_indented = in_indented and not result[i]
            result[i] = result[i] or in_indented
            continue
        indent = _indent(line)
        if not (in_indented and indent >= base + 4):
            in_indented = indent >= 4 and i > 0 and not lines[i - 1].strip() and not result[i - 1]
            if in_indented:
                base = _container_indent(lines, i, indent)
                in_indented = indent >= base + 4
        result[i] = in_indented
    next_is_code = False  # a blank line after the last indented code line is not code
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip():
            next_is_code = result[i]
        elif not next_is_code:
            result[i] = False
    return result


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def _container_indent(lines: list[str], i: int, indent: int) -> int:
    """Indent of the block that holds line ``i`` (a list item's code needs 4 more columns)."""
    for line in reversed(lines[:i]):
        if line.strip() and (other := _indent(line)) < indent:
            return other + 4 if _CONTAINER_RE.match(line) else other
    return 0


def headings(lines: list[str], code: list[bool] | None = None) -> list[tuple[int, int, str]]:
    """(line number, level, text) of each heading as Python-Markdown finds it: a "#" line, or a
    block's first line with an =/- underline; not in code (``code``: their code_lines, when known),
    nor (yet) in block quotes."""
    found: list[tuple[int, int, str]] = []
    code, starts_block, underline = [*(code or code_lines(lines)), True], True, -1
    for i, line in enumerate(lines):
        pair = "\n".join(lines[i : i + 2]).expandtabs(4)
        if i == underline or not line.strip() or code[i]:
            starts_block = not code[i]  # a fence is a placeholder line in its paragraph
        elif match := HashHeaderProcessor.RE.match(line):
            found.append((i + 1, len(match["level"]), match["header"].strip()))
            starts_block = True
        elif starts_block and not code[i + 1] and SetextHeaderProcessor.RE.match(pair):
            found.append((i + 1, 1 if lines[i + 1][0] == "=" else 2, line.strip()))
            underline = i + 1
        else:
            starts_block = bool(HRProcessor.SEARCH_RE.match(line))
    return found


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every code span, backticks included, found in each paragraph (a code
    span never crosses a blank line or a raw HTML block, as md_in_html takes them out)."""
    if "`" not in text:
        return []
    md, _, backticks = _finders()
    md.htmlStash.reset()
    md.preprocessors["html_block"].run(text.split("\n") if "<" in text else [])
    breaks: list[tuple[int, int]] = []
    for raw in md.htmlStash.rawHtmlBlocks:
        raw = raw.strip() if isinstance(raw, str) else ""
        if raw and (at := text.find(raw, breaks[-1][1] if breaks else 0)) >= 0:
            breaks.append((at, at + len(raw)))
    breaks += [m.span() for m in _PARAGRAPH_BREAK.finditer(text)]
    spans: list[tuple[int, int]] = []
    offset = 0
    for stop, after in [*sorted(breaks), (len(text), len(text))]:
        paragraph = text[offset:stop]
        position = 0
        while (match := backticks.compiled_re.search(paragraph, position)) is not None:
            element, start, end = backticks.handleMatch(match, paragraph)
            if isinstance(element, ET.Element) and start is not None and end is not None:
                spans.append((offset + start, offset + end))
            position = max(end or 0, match.end())
        offset = max(offset, after)
    return spans


def mask(text: str, spans: list[tuple[int, int]], fill: str = " ") -> str:
    """``text`` with each (start, end) span filled with ``fill``; newlines and offsets kept."""
    pieces, last = [], 0
    for start, end in spans:
        if start >= last:
            pieces += [text[last:start], re.sub(r"[^\n]", fill, text[start:end])]
            last = end
    return "".join([*pieces, text[last:]])
