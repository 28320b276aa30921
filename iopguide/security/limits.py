"""Bounded input: refuse a page that would stall or crash the build, before anything reads it.

Measured before these limits (issue 12): a 564-byte YAML alias bomb in the front matter took
8 GB of memory, 3,000 nested ``<div markdown>`` crashed the build with a 2,340-line
RecursionError, and a 10,000-level nested list ran for 276 s. Python-Markdown handles 40 nested
levels in milliseconds and crashes at about 300 nested list levels. So, for each page, and before
MkDocs or any other check reads it:

- the page may be at most ``limits: page_bytes`` long (``publishing.yml``);
- its front matter (exactly the block MkDocs parses, found with MkDocs' own pattern) may not use
  YAML anchors (``&name``) or aliases (``*name``): they let a few bytes stand for gigabytes;
- lists, block quotes and HTML blocks may nest at most ``limits: nesting_depth`` levels, counted
  together (a quote in a list in a ``<div>`` is three levels).

The nesting count reads the text line by line, in one pass, without a Markdown parser (a parser is
what these pages crash). It counts generously: an indented code line counts as one level more.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.utils.meta import YAML_RE

from iopguide.content.page import yaml_reference
from iopguide.report import Problem
from iopguide.security.files import PUBLISH_FILE, PublishRules

GUIDE = "files"

_QUOTES = re.compile(r"[ \t]*(?:>[ \t]?)+")
_LIST_MARKERS = re.compile(r"(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)+")
# Start and end tags of HTML elements (not comments, not <!DOCTYPE>, not <?...?>).
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b(?:[^<>\"']|\"[^\"]*\"|'[^']*')*?(/?)>")
#: Elements with no end tag: they never open a level.
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


def _front_matter(text: str) -> tuple[int, str] | None:
    """(1-based line where it starts, YAML) of the front matter MkDocs will parse, if any."""
    match = YAML_RE.match(text)
    if match is None:
        return None
    return 2, match.group(1)


def nesting(text: str) -> tuple[int, int]:
    """(deepest nesting, 1-based line where it is first reached) of lists, quotes and HTML."""
    deepest, where, html = 0, 0, 0
    for number, line in enumerate(text.split("\n"), start=1):
        expanded = line.expandtabs(4)
        body = expanded.lstrip(" ")
        indent = (len(expanded) - len(body)) // 4
        quotes = _QUOTES.match(body)
        quote_levels = quotes.group(0).count(">") if quotes else 0
        rest = body[quotes.end() :] if quotes else body
        markers = _LIST_MARKERS.match(rest)
        list_levels = len(re.findall(r"[-*+]|\d{1,9}[.)]", markers.group(0))) if markers else 0
        depth = html + indent + quote_levels + list_levels
        for tag in _TAG.finditer(line):
            closing, name, self_closing = tag.groups()
            if self_closing or name.lower() in _VOID:
                continue
            if closing:
                html = max(0, html - 1)
            else:
                html += 1
                depth = max(depth, html + indent + quote_levels + list_levels)
        if depth > deepest:
            deepest, where = depth, number
    return deepest, where


def _too_large(size: int, where: str, rules: PublishRules) -> Problem:
    return Problem(
        where,
        None,
        None,
        "page-too-large",
        f"The page is {size:,} bytes long; a page may be at most {rules.page_bytes:,} bytes",
        "split it into shorter pages (readers on phones and slow networks will thank you); "
        f"the limit is 'limits: page_bytes' in {PUBLISH_FILE}",
        guide=GUIDE,
    )


def page_problems(text: str, where: str, rules: PublishRules) -> list[Problem]:
    """Problems that stop a page before it is parsed: size, YAML references, nesting."""
    size = len(text.encode("utf-8"))
    if size > rules.page_bytes:
        return [_too_large(size, where, rules)]
    problems: list[Problem] = []
    front = _front_matter(text)
    if front is not None:
        first_line, source = front
        found = yaml_reference(source)
        if found is not None:
            line, what = found
            problems.append(
                Problem(
                    where,
                    first_line + line,
                    None,
                    "front-matter-yaml-alias",
                    f"The front matter uses a YAML anchor or alias ({what}); pages may not use "
                    "anchors (&name) or aliases (*name): a few of them can stand for gigabytes of "
                    "data",
                    "write each value out in full, like `hide: [navigation, toc]`",
                    guide="front-matter",
                )
            )
    depth, line = nesting(text)
    if depth > rules.nesting_depth:
        problems.append(
            Problem(
                where,
                line,
                None,
                "page-too-deep",
                f"Lists, quotes or HTML blocks are nested {depth} levels deep here; the most "
                f"is {rules.nesting_depth}",
                "flatten the structure: use headings and shorter lists instead of lists inside "
                f"lists; the limit is 'limits: nesting_depth' in {PUBLISH_FILE}",
                guide=GUIDE,
            )
        )
    return problems


def check_page_file(path: Path, where: str, rules: PublishRules) -> list[Problem]:
    """:func:`page_problems` of a page on disk; its size is checked before it is read."""
    size = Path(path).stat().st_size
    if size > rules.page_bytes:
        return [_too_large(size, where, rules)]
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return [
            Problem(
                where,
                line,
                column,
                "page-encoding",
                f"The page is not saved as UTF-8 text (byte 0x{data[error.start]:02x} here)",
                "save the file as UTF-8 in your editor (for example 'Save with Encoding' > "
                "'UTF-8'), then check this line's letters",
                guide=GUIDE,
            )
        ]
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as MkDocs reads it
    return page_problems(text, where, rules)
