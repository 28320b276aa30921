"""Find citations outside code, links and addresses: brackets of ``[prefix ]@key[, locator]``
items, ``@`` first or after a space. :func:`protect` hides every other ``@`` from mkdocs-bibtex."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from iopguide.citations import words
from iopguide.markdown_tokens import COMMENT_RE, code_lines, code_spans, headings, mask

#: Stands in for a protected "@" between Markdown and HTML (a private-use character).
PLACEHOLDER = "\ue040"
_PROTECTED = re.compile("\ue040|&#57408;|&#x[eE]040;")
_MASK = "\x00"  # fills masked characters; never Markdown syntax

_AUTOLINK_RE = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_EMAIL_AUTOLINK_RE = re.compile(r"<([^\s<>@()\[\]]+)@([^\s<>@()\[\]]+\.[^\s<>@()\[\]]+)>")
#: A link's destination, up to its closing parenthesis (one level of parentheses inside).
_DESTINATION_RE = re.compile(r"\]\(((?:[^()\n]|\([^()\n]*\)?)*)")
#: A bracket on one line, or over lines of one paragraph (which mkdocs-bibtex does not read).
_BRACKET_RE = re.compile(r"(?<!\\)\[([^\[\]\n]*(?:\n[^\[\]\n]*[^\[\]\s][^\[\]\n]*)*)\]")
_ITEM_RE = re.compile(r"^(?P<lead>\s*)(?P<prefix>(?:[^@;]*\s)?)@(?P<key>[^\s,;]*)(?P<rest>.*)$")
_LOCATOR_RE = re.compile(r"^\s*,\s*(?P<locator>.*?)\s*$")
_LINK_DEFINITION_RE = re.compile(r"^[ ]{0,3}\[[^\]\^\n][^\]\n]*\]:[ \t]*\S.*$", re.MULTILINE)
_FOOTNOTE_DEF_RE = re.compile(r"^([ ]{0,3})\[\^([^\]\s]+)\]:", re.MULTILINE)
#: What mkdocs-bibtex reads as a citation bracket (its CITATION_BLOCK_REGEX).
_PLUGIN_BRACKET_RE = re.compile(r"\[(.*?)\]")
_LIST_PREFIX_RE = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)]|>|#{1,6}|\|)?[ \t]*$")
#: Lines after which a line break is not just a space inside a paragraph.
_BLOCK_LINE_RE = re.compile(
    r"^[ \t]*(?:$|#|>|\||```|~~~|<|!!!|\?\?\?|///"
    r"|[-*_][ \t]*[-*_][ \t]*[-*_][-*_ \t]*$"  # a thematic break (or a setext underline)
    r"|\[\^?[^\]]*\]:)"  # a footnote or link definition
)


class CitationItem(NamedTuple):
    prefix: str
    key: str
    locator: str
    line: int  # where the "@" is, in the page's source file
    column: int


class CitationBlock(NamedTuple):
    """A citation bracket (offsets in the Markdown scanned); with a reason, an unreadable one."""

    start: int
    end: int
    raw: str
    items: tuple[CitationItem, ...]
    line: int
    column: int
    in_heading: bool = False
    reason: str = ""


class FootnoteDefinition(NamedTuple):
    label: str
    line: int
    column: int


@dataclass
class Scan:
    markdown: str
    blocks: list[CitationBlock] = field(default_factory=list)
    issues: list[CitationBlock] = field(default_factory=list)
    footnotes: list[FootnoteDefinition] = field(default_factory=list)
    email_autolinks: list[tuple[int, int]] = field(default_factory=list)  # outside code
    code_blocks: list[tuple[int, int]] = field(default_factory=list)  # fenced, indented lines
    headings: list[tuple[int, int, str]] = field(default_factory=list)  # found with citations


def scan(markdown: str, line_offset: int = 0) -> Scan:
    """Find citation blocks, near-citations, footnote definitions and e-mail autolinks."""
    result = Scan(markdown)
    if "@" not in markdown:
        return result  # nothing to check or protect (the common case for many pages)
    starts = [0] + [m.end() for m in re.finditer("\n", markdown)]

    def line_col(offset: int) -> tuple[int, int]:
        index = bisect_right(starts, offset) - 1
        return index + 1 + line_offset, offset - starts[index] + 1

    lines = markdown.split("\n")
    code = code_lines(lines)
    flags = zip(starts, lines, code, strict=True)
    result.code_blocks = [(start, start + len(line)) for start, line, is_code in flags if is_code]
    masked = mask(markdown, result.code_blocks, _MASK)
    masked = mask(masked, [m.span() for m in COMMENT_RE.finditer(masked)], _MASK)
    masked = mask(masked, code_spans(masked), _MASK)
    for regex in (_LINK_DEFINITION_RE, _AUTOLINK_RE, _EMAIL_AUTOLINK_RE):
        spans = [m.span() for m in regex.finditer(masked)]
        masked = mask(masked, spans, _MASK)
    result.email_autolinks = spans  # the last ones: rewritten so that their "@" stays safe
    masked = mask(masked, [m.span(1) for m in _DESTINATION_RE.finditer(masked)], _MASK)
    for match in _FOOTNOTE_DEF_RE.finditer(masked):
        result.footnotes.append(FootnoteDefinition(match.group(2), *line_col(match.end(1))))
    for match in _BRACKET_RE.finditer(masked):
        content, (start, end) = match.group(1), match.span()
        after = masked[end : end + 1]
        skip = "@" not in content or _MASK in content or content.startswith("^")
        if skip or masked[start - 1 : start] == "!" or after == "(":  # or an image, a link
            continue
        label = masked[end + 1 : masked.find("]", end + 1)]
        if after == "[" and ("\n" in content or not (label.startswith("^") or "@" in label)):
            continue  # reference link [text][label]: its text is not a citation
        if (parsed := _items(content.replace("\n", " "), start + 1, line_col)) is None:
            continue  # brackets with an e-mail address or other text
        block = CitationBlock(start, end, markdown[start:end], parsed[0], *line_col(start))
        reason = "; ".join(parsed[1])
        if "\n" in content:  # mkdocs-bibtex reads no citation over two lines
            reason = words("split", count=content.count("\n") + 1)
            block = block._replace(raw=" ".join(block.raw.split()))
        elif after == ":" and not masked[masked.rfind("\n", 0, start) + 1 : start].strip():
            reason = words("link-definition")
        (result.issues if reason else result.blocks).append(block._replace(reason=reason))
    result.headings = headings(lines, code) if result.blocks else []
    titles = {line + line_offset for line, _, _ in result.headings}
    result.blocks = [b._replace(in_heading=b.line in titles) for b in result.blocks]
    return result


def citation_spans(markdown: str) -> list[tuple[int, int]]:
    """(start, end) of every citation bracket, valid or not, as the citation check reads them."""
    result = scan(markdown)
    return sorted((b.start, b.end) for b in result.blocks + result.issues)


def _items(
    content: str, start: int, line_col: Callable[[int], tuple[int, int]]
) -> tuple[tuple[CitationItem, ...], list[str]] | None:
    """The items of a bracket and why some cannot be read; None when it is no citation."""
    items: list[CitationItem] = []
    problems: list[str] = []
    for part in content.split(";"):
        match, text = _ITEM_RE.match(part), part.strip()
        rest = match.group("rest").strip() if match else ""
        locator = _LOCATOR_RE.match(rest) if rest else None
        if match is None or not match.group("key"):
            problems += [words("not-a-citation", part=text)] if text else []
        elif rest and locator is None:
            problems.append(words("no-comma", part=text, key=match.group("key")))
        elif locator is not None and not locator["locator"]:
            problems.append(words("no-page", part=text))
        else:
            where = line_col(start + match.start("key") - 1)
            prefix, key = match.group("prefix").strip(), match.group("key")
            items.append(CitationItem(prefix, key, locator["locator"] if locator else "", *where))
        start += len(part) + 1
    citation_like = any((m := _ITEM_RE.match(p)) and m["key"] for p in content.split(";"))
    return (tuple(items), problems) if citation_like else None


def protect(result: Scan, render: Callable[[CitationBlock], tuple[str, bool] | None]) -> str:
    """The page with each block ``render`` gives (Markdown, glued to the word before) or None
    (left as written), and every other "@" protected."""
    text = result.markdown
    events = [(b.start, b.end, *r) for b in result.blocks if (r := render(b)) is not None]
    for start, end in result.email_autolinks:
        address = text[start + 1 : end - 1].replace("@", "&#64;")
        events.append((start, end, f'<a href="mailto:{address}">{address}</a>', False))
    # Every "@" replaced, except in code outside [...] (kept for syntax highlighting).
    chars = list(text.replace("@", PLACEHOLDER))
    for start, end in result.code_blocks:
        chars[start:end] = _PLUGIN_BRACKET_RE.sub(
            lambda m: m[0].replace("@", PLACEHOLDER), text[start:end]
        )
    out, cursor, code_starts = [], 0, {start for start, _ in result.code_blocks}
    for start, end, replacement, glue in sorted(events):
        segment = "".join(chars[cursor:start])
        if glue:
            line_start = text.rfind("\n", 0, start) + 1
            line_so_far = text[line_start:start]
            above_start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
            above = text[above_start : line_start - 1]
            if not _LIST_PREFIX_RE.match(line_so_far):
                segment = segment.rstrip(" \t")
            elif not (
                line_start <= cursor  # the first line, or the line break before is already written
                or line_so_far.strip()
                or _BLOCK_LINE_RE.match(above)  # the line above ends its block
                or above.endswith(("  ", "\\"))
                or above_start in code_starts
            ):
                # A citation starting a paragraph's continuation line: glue it to the line above.
                segment = segment[: len(segment) - len(line_so_far)].rstrip(" \t\n")
        out += [segment, replacement]
        cursor = end
    return "".join([*out, *chars[cursor:]])


def restore(html: str) -> str:
    """Give back the "@" that :func:`protect` replaced (in text, code, attributes)."""
    return _PROTECTED.sub("@", html)
