"""Bounded input: refuse a page that would stall or crash the build, before anything reads it.

Measured (issue 12): a 564-byte YAML alias bomb took 8 GB, 3,000 nested ``<div markdown>``
crashed the build, a 10,000-level list ran 276 s. So pages have a size limit, no YAML anchors
or aliases in front matter, and a nesting limit counted line by line without a parser.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.utils.meta import YAML_RE

from iopguide.content.page import yaml_reference
from iopguide.content.rules import say
from iopguide.report import Problem
from iopguide.security import MESSAGES
from iopguide.security.files import PublishRules

_QUOTES = re.compile(r"[ \t]*(?:>[ \t]?)+")
_LIST_MARKERS = re.compile(r"(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)+")
#: Start and end tags of HTML elements (not comments, not <!DOCTYPE>, not <?...?>).
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b(?:[^<>\"']|\"[^\"]*\"|'[^']*')*?(/?)>")
#: Elements with no end tag: they never open a level.
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip


def nesting(text: str) -> tuple[int, int]:
    """(deepest nesting, 1-based line where it is first reached) of lists, quotes and HTML."""
    deepest, where, html = 0, 0, 0
    for number, line in enumerate(text.split("\n"), start=1):
        expanded = line.expandtabs(4)
        body = expanded.lstrip(" ")
        quotes = _QUOTES.match(body)
        rest = body[quotes.end() :] if quotes else body
        markers = _LIST_MARKERS.match(rest)
        block = (len(expanded) - len(body)) // 4 + (quotes.group(0).count(">") if quotes else 0)
        block += len(re.findall(r"[-*+]|\d{1,9}[.)]", markers.group(0))) if markers else 0
        depth = html + block
        for tag in _TAG.finditer(line):
            closing, name, self_closing = tag.groups()
            if self_closing or name.lower() in _VOID:
                continue
            html = max(0, html - 1) if closing else html + 1
            depth = depth if closing else max(depth, html + block)
        if depth > deepest:
            deepest, where = depth, number
    return deepest, where


def page_problems(text: str, where: str, rules: PublishRules) -> list[Problem]:
    """Problems that stop a page before it is parsed: size, YAML references, nesting."""
    size = len(text.encode("utf-8"))
    if size > rules.page_bytes:
        return [MESSAGES.say(where, None, "page-too-large", size=size, most=rules.page_bytes)]
    problems: list[Problem] = []
    front = YAML_RE.match(text)
    if front and (found := yaml_reference(front.group(1))):
        line, what = found  # the content check's own message (content/messages.yml)
        problems.append(say(where, 2 + line, "front-matter-yaml-alias", what=what))
    depth, line = nesting(text)
    if depth > rules.nesting_depth:
        most = rules.nesting_depth
        problems.append(MESSAGES.say(where, line, "page-too-deep", depth=depth, most=most))
    return problems


def check_page_file(path: Path, where: str, rules: PublishRules) -> list[Problem]:
    """:func:`page_problems` of a page on disk; its size is checked before it is read."""
    if (size := Path(path).stat().st_size) > rules.page_bytes:
        return [MESSAGES.say(where, None, "page-too-large", size=size, most=rules.page_bytes)]
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start]
        return [MESSAGES.say(where, line, "page-encoding", column=column, byte=byte)]
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as MkDocs reads it
    return page_problems(text, where, rules)
