"""A Markdown page read once for every check: its front matter, and copies of its text with what a
check must not read (code, comments, addresses...) blanked, each character keeping its place."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.meta import YAML_RE

from iopguide.cache import LastResult
from iopguide.citations.scan import citation_spans
from iopguide.content.rules import relative, say, words
from iopguide.markdown_tokens import COMMENT_RE, code_lines, code_spans, headings, mask
from iopguide.report import Problem, yaml_problem

ALLOW_RE = re.compile(r"<!--\s*allow-term:\s*(.*?)\s*-->", re.IGNORECASE | re.DOTALL)
# A Markdown link or image target: ](address "title")
LINK_TARGET_RE = re.compile(r"\]\(\s*(<[^>\n]*>|[^)\s]*)((?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?)\s*\)")
URL_RE = re.compile(r"<?\b(?:https?://|www\.|mailto:|tel:)[^\s<>)\]\"']*>?", re.IGNORECASE)
REF_DEF_RE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*(\S+)(.*)$", re.MULTILINE)
ATTR_VALUE_RE = re.compile(
    r"(?i)\b(href|src|srcset|poster|action|data|cite)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)"
)
ATTR_LIST_RE = re.compile(r"\{:?[ \t]*[#.][^{}\n]*\}")
#: Where a page names a link's address (pattern, group): ](a), [label]: a, href="a" (make fix's).
LINK_ADDRESSES = ((LINK_TARGET_RE, 1), (REF_DEF_RE, 1), (ATTR_VALUE_RE, 2))
_ADDRESSES = (*LINK_ADDRESSES, (URL_RE, 0))


class _StringDateLoader(yaml.SafeLoader):  # dates stay text: the schema says what is wrong
    yaml_implicit_resolvers = {  # noqa: RUF012 (PyYAML reads it on the class)
        key: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


#: The tokens that open and close a level of YAML nesting (a list or a mapping).
_OPENS = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_CLOSES = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)
#: Front matter nested deeper is not parsed (publishing.yml's nesting_depth stops a build sooner).
MOST_YAML_DEPTH = 100


def yaml_hazard(source: str, rel: str, most: int = MOST_YAML_DEPTH) -> tuple[Problem | None, int]:
    """Why the front matter ``source`` of page ``rel`` must not be parsed, by PyYAML's scanner
    alone: its first anchor or alias, as a problem (a few bytes of them stand for gigabytes), else
    the line where it nests deeper than ``most`` (3,000 levels crash the parser), else (None, 0)."""
    depth = 0
    try:
        for token in yaml.scan(source, Loader=yaml.SafeLoader):
            depth += isinstance(token, _OPENS) - isinstance(token, _CLOSES)
            if depth > most:
                return None, token.start_mark.line + 2  # the scan slows with the depth squared
            if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
                what = ("&" if isinstance(token, yaml.AnchorToken) else "*") + token.value
                return say(rel, token.start_mark.line + 2, "front-matter-yaml-alias", what=what), 0
    except yaml.YAMLError:
        pass  # not valid YAML: the parser reports it with its line
    return None, 0


def _blank_matches(text: str, pattern: re.Pattern[str], group: int = 0) -> str:
    return mask(text, [m.span(group) for m in pattern.finditer(text)])


@dataclass
class FrontMatter:  # the parsed front matter and the 1-based line of each top-level key
    data: dict[str, Any] | None
    key_lines: dict[str, int] = field(default_factory=dict)
    end_line: int = 0  # line of the closing ``---`` (0: no front matter)
    error: Problem | None = None  # why it cannot be read


def parse_front_matter(text: str, rel: str = "") -> FrontMatter:
    """The front matter where MkDocs finds it (its own ``YAML_RE``). Data None: there is none."""
    if (found := YAML_RE.match(text)) is None:
        first, *rest = (line.rstrip() for line in text.split("\n"))
        unclosed = first == "---" and not {"---", "..."} & set(rest)
        error = say(rel, 1, "front-matter-yaml", what=words("yaml/no-end")) if unclosed else None
        return FrontMatter(None, error=error)
    source, end = found.group(1), found.group(0).count("\n")
    alias, deep = yaml_hazard(source, rel)
    if alias or deep:
        too_deep = say(rel, deep, "front-matter-yaml/too-deep", most=MOST_YAML_DEPTH)
        return FrontMatter(None, {}, end, alias or too_deep)
    try:
        node = yaml.compose(source, Loader=_StringDateLoader)  # parsed once: data from its nodes
        data = _StringDateLoader("").construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:  # in the words mkdocs.yml gets, lines counted from the page's
        error = yaml_problem(rel, exc, say(rel, None, "front-matter-yaml/syntax"), lines=1)
        return FrontMatter(None, {}, end, error)
    if data is None:  # an empty block: MkDocs shows it as text
        return FrontMatter(None)
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        error = say(rel, 2, "front-matter-yaml", what=words("yaml/not-mapping"))
        return FrontMatter(None, {}, end, error)
    lines = {str(key.value): key.start_mark.line + 2 for key, _ in node.value}
    return FrontMatter({str(k): v for k, v in data.items()}, lines, end)


@dataclass
class Page:  # one Markdown page, read once and shared by every check
    path: Path
    rel: str  # as messages show it (``docs/faq.md``)
    text: str
    front_matter: FrontMatter
    #: the text with front matter, fenced and indented code and HTML comments blanked
    code_masked: str = ""
    markup_masked: str = ""  # and code spans
    citations: list[tuple[int, int]] = field(default_factory=list)  # brackets, in markup_masked
    #: (line, level, text) of each heading, read with code kept: after a fence, "Title\n---" is
    #: a paragraph and a rule, as Python-Markdown renders it, not a heading
    headings: list[tuple[int, int, str]] = field(default_factory=list)
    #: 1-based line -> lower-case terms allowed there by <!-- allow-term: ... -->
    allowed_terms: dict[int, set[str]] = field(default_factory=dict)
    _line_starts: list[int] = field(default_factory=list)

    def line_of(self, offset: int) -> int:  # 1-based line of an offset in the page text
        return bisect.bisect_right(self._line_starts, offset)

    def prose_masked(self) -> str:
        """Text an editor wrote for readers: addresses, citation keys, attribute lists blanked."""
        text = self.markup_masked
        for pattern, group in _ADDRESSES:
            text = _blank_matches(text, pattern, group)
        return _blank_matches(mask(text, self.citations), ATTR_LIST_RE)

    def reader_text(self, keys: bool = True) -> str:
        """The prose with the lines of the title and description in place (readers see them in
        the tab and search results), their ``key:`` blanked unless ``keys``."""
        lines, source, fm = (
            self.prose_masked().split("\n"),
            self.text.split("\n"),
            self.front_matter,
        )
        for key in ("title", "description"):
            if start := fm.key_lines.get(key):
                end = min(n for n in [*fm.key_lines.values(), fm.end_line] if n > start)
                lines[start - 1 : end - 1] = source[start - 1 : end - 1]
                if not keys and lines[start - 1].startswith(f"{key}:"):
                    lines[start - 1] = " " * (len(key) + 1) + lines[start - 1][len(key) + 1 :]
        return "\n".join(lines)


#: (path, root) -> the page read last time: ``mkdocs serve`` reads every page on every save.
_READ: LastResult[Page] = LastResult()


def read_page(path: Path, root: Path, text: str | None = None) -> Page:
    """``text``: what the file holds, when the caller has read it (make fix, before it edits)."""
    path = Path(path).resolve()
    text = path.read_text(encoding="utf-8-sig") if text is None else text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if (cached := _READ.get((path, root), text)) is not None:
        return cached
    lines, fm = text.split("\n"), parse_front_matter(text, rel := relative(path, root))
    page = Page(path, rel, text, fm)
    starts = page._line_starts = [0, *accumulate(len(line) + 1 for line in lines[:-1])]
    # Front matter, then fenced and indented code, found as Python-Markdown and superfences do.
    front_masked = mask(text, [(0, starts[fm.end_line] - 1)]) if fm.end_line else text
    code = code_lines(front_masked.split("\n"))
    body = range(fm.end_line, len(lines))
    masked = mask(front_masked, [(starts[i], starts[i] + len(lines[i])) for i in body if code[i]])
    # Allow comments are read before comments are blanked.
    for match in ALLOW_RE.finditer(masked):
        allowed = {" ".join(t.lower().split()) for t in match.group(1).split(",") if t.strip()}
        page.allowed_terms.setdefault(page.line_of(match.start()), set()).update(allowed)
    comments = [m.span() for m in COMMENT_RE.finditer(masked)]
    page.code_masked = mask(masked, comments)
    page.headings = headings(mask(front_masked, comments).split("\n"), code)
    page.markup_masked = mask(page.code_masked, code_spans(page.code_masked))
    page.citations = citation_spans(page.markup_masked)  # one scan per page, for every check
    return _READ.put((path, root), text, page)
