"""Find citations in a page's Markdown, outside code, links, URLs and e-mail addresses.

A citation is a bracket whose items, separated by ``;``, each read ``[prefix ]@key[, locator]``:
``[@key]``, ``[@key, p. 5]``, ``[see @key, pp. 3-5]``, ``[@a; @b]``. The ``@`` must start the item
or follow a space, so ``[mail info@example.org]`` is text, not a citation.

The scanner never changes meaning: :func:`protect` later replaces every ``@`` that is *not* part
of a valid citation with :data:`PLACEHOLDER`, which mkdocs-bibtex cannot read as a citation; the
HTML gets its ``@`` back after rendering (:func:`restore`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from iopguide.markdown_tokens import ATX_RE, COMMENT_RE, SETEXT_RE, code_lines, code_spans, mask

#: Stands in for a protected "@" between Markdown and HTML (a private-use character).
PLACEHOLDER = "\ue040"
_PLACEHOLDER_FORMS = (PLACEHOLDER, "&#57408;", "&#xe040;", "&#xE040;")
#: Filler for masked (protected) characters; never part of Markdown syntax.
_MASK = "\x00"

_AUTOLINK_RE = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_EMAIL_AUTOLINK_RE = re.compile(r"<([^\s<>@()\[\]]+)@([^\s<>@()\[\]]+\.[^\s<>@()\[\]]+)>")
_BRACKET_RE = re.compile(r"(?<!\\)\[([^\[\]\n]*)\]")
#: Brackets whose text runs over lines of one paragraph: mkdocs-bibtex reads none of them.
_SPLIT_BRACKET_RE = re.compile(r"(?<!\\)\[([^\[\]\n]*(?:\n[^\[\]\n]*[^\[\]\s][^\[\]\n]*)+)\]")
_ITEM_RE = re.compile(r"^(?P<lead>\s*)(?P<prefix>(?:[^@;]*\s)?)@(?P<key>[^\s,;]*)(?P<rest>.*)$")
_LOCATOR_RE = re.compile(r"^\s*,\s*(?P<locator>.*?)\s*$")
_LINK_DEFINITION_RE = re.compile(r"^[ ]{0,3}\[[^\]\^\n][^\]\n]*\]:[ \t]*\S.*$", re.MULTILINE)
_FOOTNOTE_DEF_RE = re.compile(r"^([ ]{0,3})\[\^([^\]\s]+)\]:", re.MULTILINE)


@dataclass(frozen=True)
class CitationItem:
    prefix: str
    key: str
    locator: str
    #: Where the "@" is (1-based, in the page's source file).
    line: int
    column: int


@dataclass(frozen=True)
class CitationBlock:
    """One bracket of citations, with its offsets in the Markdown given to :func:`scan`."""

    start: int
    end: int
    raw: str
    items: tuple[CitationItem, ...]
    line: int
    column: int
    in_heading: bool


@dataclass(frozen=True)
class SyntaxIssue:
    """A bracket that starts like a citation but cannot be read as one."""

    line: int
    column: int
    raw: str
    reason: str
    #: offsets in the Markdown given to :func:`scan`
    start: int
    end: int


@dataclass(frozen=True)
class FootnoteDefinition:
    label: str
    line: int
    column: int


@dataclass
class Scan:
    markdown: str
    blocks: list[CitationBlock] = field(default_factory=list)
    issues: list[SyntaxIssue] = field(default_factory=list)
    footnotes: list[FootnoteDefinition] = field(default_factory=list)
    #: (start, end) of e-mail autolinks outside code: rewritten so their "@" stays safe.
    email_autolinks: list[tuple[int, int]] = field(default_factory=list)
    #: (start, end) of fenced and indented code lines.
    code_blocks: list[tuple[int, int]] = field(default_factory=list)


class _Positions:
    def __init__(self, text: str, line_offset: int) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.line_offset = line_offset

    def line_col(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.starts, offset) - 1
        return index + 1 + self.line_offset, offset - self.starts[index] + 1


def _masked(text: str, pattern: re.Pattern[str]) -> str:
    return mask(text, [m.span() for m in pattern.finditer(text)], _MASK)


def _link_destination_end(text: str, open_paren: int) -> int:
    depth = 0
    for k in range(open_paren, len(text)):
        char = text[k]
        if char == "\n":
            return k
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return k + 1
    return len(text)


def _is_heading(lines: list[str], index: int) -> bool:
    line = lines[index]
    if ATX_RE.match(line):
        return True
    if index + 1 < len(lines) and SETEXT_RE.match(lines[index + 1]) and line.strip():
        return index == 0 or not lines[index - 1].strip()
    return False


def scan(markdown: str, line_offset: int = 0) -> Scan:
    """Find citation blocks, near-citations, footnote definitions and e-mail autolinks."""
    result = Scan(markdown)
    if "@" not in markdown:
        return result  # nothing to check or protect (the common case for many pages)
    pos = _Positions(markdown, line_offset)
    lines = markdown.split("\n")
    masked_parts = []
    offset = 0
    for line, is_code in zip(lines, code_lines(lines), strict=True):
        if is_code:
            masked_parts.append(_MASK * len(line))
            result.code_blocks.append((offset, offset + len(line)))
        else:
            masked_parts.append(line)
        offset += len(line) + 1
    masked = "\n".join(masked_parts)
    masked = _masked(masked, COMMENT_RE)
    masked = mask(masked, code_spans(masked), _MASK)
    for regex in (_LINK_DEFINITION_RE, _AUTOLINK_RE):
        masked = _masked(masked, regex)
    result.email_autolinks = [m.span() for m in _EMAIL_AUTOLINK_RE.finditer(masked)]
    masked = _masked(masked, _EMAIL_AUTOLINK_RE)
    destinations = []
    for match in re.finditer(r"\]\(", masked):
        end = _link_destination_end(masked, match.start() + 1)
        destinations.append((match.start() + 2, end - 1 if masked[end - 1 : end] == ")" else end))
    masked = mask(masked, destinations, _MASK)
    masked_lines = masked.split("\n")

    for match in _FOOTNOTE_DEF_RE.finditer(masked):
        line_no, column = pos.line_col(match.start() + len(match.group(1)))
        result.footnotes.append(FootnoteDefinition(match.group(2), line_no, column))

    for match in _BRACKET_RE.finditer(masked):
        content = match.group(1)
        start, end = match.start(), match.end()
        if "@" not in content or _MASK in content or content.startswith("^"):
            continue
        before = masked[start - 1] if start else ""
        after = masked[end] if end < len(masked) else ""
        line_start = masked.rfind("\n", 0, start) + 1
        if after == "[":
            label = masked[end + 1 : masked.find("]", end + 1)]
            if not (label.startswith("^") or "@" in label):
                continue  # reference link [text][label]: its text is not a citation
        if before == "!" or after == "(":
            continue  # image or inline link: its text is not a citation
        if after == ":" and not masked[line_start:start].strip():
            # A link reference definition. A citation written there ("metas\n[@a]:") is read
            # as one too, so readers would see it as typed: an issue, not a citation.
            if _parse_block(markdown, start, end, content, pos) is not None:
                result.issues.append(
                    SyntaxIssue(
                        *pos.line_col(start),
                        markdown[start:end],
                        "it starts a line and is followed by ':', so Markdown reads it as a "
                        "link definition and readers would see it as typed; move it to the end "
                        "of the line before",
                        start,
                        end,
                    )
                )
            continue
        block = _parse_block(markdown, start, end, content, pos)
        if isinstance(block, SyntaxIssue):
            result.issues.append(block)
        elif block is not None:
            line_index = markdown.count("\n", 0, start)
            heading = _is_heading(masked_lines, line_index)
            result.blocks.append(
                CitationBlock(
                    start,
                    end,
                    markdown[start:end],
                    block,
                    *pos.line_col(start),
                    in_heading=heading,
                )
            )
    for match in _SPLIT_BRACKET_RE.finditer(masked):
        content = match.group(1)
        start, end = match.start(), match.end()
        after = masked[end] if end < len(masked) else ""
        if "@" not in content or _MASK in content or content.startswith("^") or after in ("(", "["):
            continue
        if masked[start - 1 : start] == "!":
            continue
        joined = content.replace("\n", " ")
        if _parse_block(markdown, start, end, joined, pos) is None:
            continue  # not citation-like text that happens to wrap
        lines_spanned = content.count("\n") + 1
        result.issues.append(
            SyntaxIssue(
                *pos.line_col(start),
                " ".join(markdown[start:end].split()),
                f"it is split over {lines_spanned} lines, so readers would see it as typed; "
                "write the whole citation on one line",
                start,
                end,
            )
        )
    return result


def citation_spans(markdown: str) -> list[tuple[int, int]]:
    """(start, end) of every citation bracket of ``markdown``, valid or not, as the citation
    check reads them (outside code, links and e-mail addresses)."""
    result = scan(markdown)
    return sorted(
        [(b.start, b.end) for b in result.blocks] + [(i.start, i.end) for i in result.issues]
    )


def _parse_block(
    markdown: str, start: int, end: int, content: str, pos: _Positions
) -> tuple[CitationItem, ...] | SyntaxIssue | None:
    items: list[CitationItem] = []
    problems: list[str] = []
    citation_like = False
    item_start = start + 1
    for part in content.split(";"):
        match = _ITEM_RE.match(part)
        if match is None or not match.group("key"):
            if part.strip():
                problems.append(f"'{part.strip()}' is not a citation")
        else:
            citation_like = True
            at = item_start + match.start("key") - 1
            rest = match.group("rest")
            locator_match = _LOCATOR_RE.match(rest) if rest.strip() else None
            if rest.strip() and locator_match is None:
                key = match.group("key")
                problems.append(
                    f"'{part.strip()}' has text after the key with no comma; write "
                    f"'@{key}, p. 5' for a page"
                )
            elif rest.strip() and locator_match is not None and not locator_match["locator"]:
                problems.append(f"'{part.strip()}' has a comma but no page after it")
            else:
                line, column = pos.line_col(at)
                items.append(
                    CitationItem(
                        prefix=match.group("prefix").strip(),
                        key=match.group("key"),
                        locator=locator_match["locator"] if locator_match else "",
                        line=line,
                        column=column,
                    )
                )
        item_start += len(part) + 1
    if not citation_like:
        return None  # brackets with an e-mail address or other text: not a citation
    if problems:
        line, column = pos.line_col(start)
        return SyntaxIssue(line, column, markdown[start:end], "; ".join(problems), start, end)
    return tuple(items)


#: Replacement text for one block, and whether it attaches to the word before it.
Rendered = tuple[str, bool]

_LIST_PREFIX_RE = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)]|>|#{1,6}|\|)?[ \t]*$")


#: Lines after which a line break is not just a space inside a paragraph.
_BLOCK_LINE_RE = re.compile(
    r"^[ \t]*(?:$|#|>|\||```|~~~|<|!!!|\?\?\?|///"
    r"|[-*_][ \t]*[-*_][ \t]*[-*_][-*_ \t]*$"  # a thematic break (or a setext underline)
    r"|\[\^?[^\]]*\]:)"  # a footnote or link definition
)


def _joins_previous_line(result: Scan, line_start: int) -> bool:
    """Whether the line starting at ``line_start`` continues the paragraph of the line above
    (not code, as the tokenizer finds it; not a block of its own)."""
    if line_start == 0:
        return False
    text = result.markdown
    previous_start = text.rfind("\n", 0, line_start - 1) + 1
    previous = text[previous_start : line_start - 1]
    if _BLOCK_LINE_RE.match(previous) or previous.endswith(("  ", "\\")):
        return False
    return all(start != previous_start for start, _ in result.code_blocks)


def _protect_text(text: str) -> str:
    return text.replace("@", PLACEHOLDER)


#: What mkdocs-bibtex reads as a citation bracket (its CITATION_BLOCK_REGEX).
_PLUGIN_BRACKET_RE = re.compile(r"\[(.*?)\]")


def _protected_chars(result: Scan) -> list[str]:
    """The page with every "@" replaced, except in code blocks outside brackets.

    In fenced and indented code, only an "@" inside [...] can be misread by mkdocs-bibtex; the
    others stay, so that syntax highlighting (e.g. Python decorators) is unchanged.
    """
    text = result.markdown
    chars = list(_protect_text(text))
    for start, end in result.code_blocks:
        line = text[start:end]
        if "@" not in line:
            continue
        chars[start:end] = list(line)
        for match in _PLUGIN_BRACKET_RE.finditer(line):
            for k in range(match.start(), match.end()):
                if line[k] == "@":
                    chars[start + k] = PLACEHOLDER
    return chars


def _email_html(match_text: str) -> str:
    address = match_text[1:-1].replace("@", "&#64;")
    return f'<a href="mailto:{address}">{address}</a>'


def protect(result: Scan, render: Callable[[CitationBlock], Rendered | None]) -> str:
    """Rewrite the page: render valid citation blocks, protect every other "@".

    ``render`` returns Markdown for a block that mkdocs-bibtex should render, or None to leave
    the block as written (protected), e.g. when it has an error.
    """
    text = result.markdown
    events: list[tuple[int, int, str | None, bool]] = []
    for block in result.blocks:
        rendered = render(block)
        if rendered is not None:
            events.append((block.start, block.end, rendered[0], rendered[1]))
    for start, end in result.email_autolinks:
        events.append((start, end, _email_html(text[start:end]), False))
    events.sort()
    chars = _protected_chars(result) if "@" in text else list(text)
    out: list[str] = []
    cursor = 0
    for start, end, replacement, glue in events:
        segment = "".join(chars[cursor:start])
        if glue:
            line_start = text.rfind("\n", 0, start) + 1
            line_so_far = text[line_start:start]
            if not _LIST_PREFIX_RE.match(line_so_far):
                segment = segment.rstrip(" \t")
            elif (
                not line_so_far.strip()
                and start - len(line_so_far) - 1 >= cursor
                and _joins_previous_line(result, line_start)
            ):
                # The citation starts a continuation line of a paragraph: attach it to the
                # last word of the line above (a line break would show as a space).
                segment = segment[: len(segment) - len(line_so_far)].rstrip(" \t\n")
        out.append(segment)
        out.append(replacement or "")
        cursor = end
    out.append("".join(chars[cursor:]))
    return "".join(out)


def restore(html: str) -> str:
    """Give back the "@" that :func:`protect` replaced (in text, code, attributes)."""
    if "\ue040" not in html and "&#" not in html:
        return html
    for form in _PLACEHOLDER_FORMS:
        html = html.replace(form, "@")
    return html
