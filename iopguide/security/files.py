"""What ``docs/`` may publish (``publishing.yml``): a host serves ``site/`` as it is, so a ``.js``,
a scripted SVG or a ``_redirects`` would reach readers unchecked. Pages are bounded before they are
read (issue 12: a 564-byte YAML alias bomb took 8 GB, a 10,000-level list ran 276 s)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler, feature_namespaces

import defusedxml.sax
from defusedxml import DefusedXmlException
from mkdocs.utils.meta import YAML_RE

from iopguide.content.page import yaml_hazard
from iopguide.content.rules import read_yaml, say
from iopguide.report import Problem, ProblemsFound
from iopguide.security import MESSAGES
from iopguide.security.published import ANIMATION, clean_url, scheme_of, split_url

PUBLISH_FILE = "publishing.yml"
CRASHES = {RecursionError: "page-too-deep/crash", MemoryError: "page-too-large/crash"}


@dataclass(frozen=True)
class PublishRules:
    allowed_types: frozenset[str]
    code_types: frozenset[str]
    host_files: frozenset[str]
    page_bytes: int
    nesting_depth: int


def load_publish_rules(root: Path) -> PublishRules:
    root = Path(root).resolve()
    data: Any = read_yaml(root / PUBLISH_FILE, root)

    def broken(what: str, **values: Any) -> ProblemsFound:
        return ProblemsFound([say(PUBLISH_FILE, None, f"rules-file/{what}", **values)])

    if not isinstance(data, dict):
        raise broken("not-settings")

    def words(key: str) -> frozenset[str]:
        value = data.get(key)
        if isinstance(value, dict):
            value = [item for group in value.values() for item in (group or [])]
        if not isinstance(value, list) or not value:
            raise broken("no-list", key=key)
        return frozenset(
            str(item).lower().lstrip("." if key.endswith("types") else "") for item in value
        )

    limits = data.get("limits")
    numbers: dict[str, int] = {}
    for key in ("page_bytes", "nesting_depth"):
        value = limits.get(key) if isinstance(limits, dict) else None
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise broken("limit", key=key)
        numbers[key] = value
    return PublishRules(words("allowed_types"), words("code_types"), words("host_files"), **numbers)


def file_problems(where: str, rules: PublishRules) -> list[Problem]:
    """Problems with publishing the file ``where`` (``docs/assets/x.js``), judged by its name."""
    name = where.rsplit("/", 1)[-1]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name.lstrip(".") else ""
    if name.lower() in rules.host_files:
        return [MESSAGES.say(where, None, "file-host-settings", name=name, where=where)]
    if suffix in rules.code_types:
        return [MESSAGES.say(where, None, "file-type-code", suffix=suffix)]
    if suffix not in rules.allowed_types:
        allowed = ", ".join(f".{t}" for t in sorted(rules.allowed_types))
        key = "file-type/suffix" if suffix else "file-type/none"
        return [MESSAGES.say(where, None, key, suffix=suffix, allowed=allowed)]
    return []


_XLINK = "http://www.w3.org/1999/xlink"
#: Elements that run code or embed a web page in an SVG.
_CODE_ELEMENTS = {"script", "foreignobject", "handler", "listener"}
_URL_ATTRIBUTES = {"href", "src"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.I | re.S)
_CSS_IMPORT = re.compile(r"@import\b", re.I)
#: Embedded pictures are fine; anything else behind data: (another SVG, HTML) is not.
_SAFE_DATA = re.compile(r"data:image/(?:png|jpeg|gif|webp|avif)[;,]", re.I)


def _external(url: str) -> str | None:
    """Why ``url`` is not allowed in an SVG, or None."""
    parts, name = split_url(url), scheme_of(url)
    kinds = {"javascript": "code", "vbscript": "code", "": ""}
    kinds["data"] = "" if _SAFE_DATA.match(clean_url(url)) else "data"
    elsewhere = "other-site" if parts is None or parts.netloc else ""  # //host, /\host...
    why = kinds.get(name, "scheme") if name else elsewhere
    return MESSAGES.text(f"svg-address/{why}", scheme=name) if why else None


class _SvgCheck(ContentHandler):
    _locator: Any  # ContentHandler's, set by the parser

    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where
        self.problems: list[Problem] = []
        self._style_depth, self._style_line = 0, 0
        self._style_text: list[str] = []

    def _add(self, key: str, line: int | None = None, **values: Any) -> None:
        self.problems.append(
            MESSAGES.say(self.where, line or self._locator.getLineNumber(), key, **values)
        )

    def _check_css(self, text: str, line: int | None = None) -> None:
        if _CSS_IMPORT.search(text):
            self._add("svg-external/import", line)
        for match in _CSS_URL.finditer(text):
            if why := _external(match.group(2)):
                self._add("svg-external/style-url", line, why=why, url=match.group(2)[:60])

    def startElementNS(self, name: tuple[str | None, str], qname: Any, attrs: Any) -> None:
        local = name[1].lower()
        if local in _CODE_ELEMENTS:
            self._add("svg-script/element", name=name[1])
        if local == "style":
            self._style_depth += 1
            self._style_line = self._locator.getLineNumber()
        for (uri, attr), value in attrs.items():
            attr_name = attr.lower()
            if attr_name.startswith("on"):
                self._add("svg-script/handler", attr=attr)
            elif local in ANIMATION and attr_name == "attributename":
                if value.strip().lower().split(":")[-1] in _URL_ATTRIBUTES:
                    self._add("svg-script/animation", name=name[1])
            elif attr_name in _URL_ATTRIBUTES and uri in (None, "", _XLINK):
                if why := _external(value):
                    self._add("svg-external/link", why=why, url=value.strip()[:60])
            elif "url(" in value.lower() or "@import" in value.lower():
                self._check_css(value)

    def endElementNS(self, name: tuple[str | None, str], qname: Any) -> None:
        if name[1].lower() == "style" and self._style_depth:
            self._style_depth -= 1
            if not self._style_depth:
                self._check_css("".join(self._style_text), self._style_line)
                self._style_text = []

    def characters(self, content: str) -> None:
        if self._style_depth:
            self._style_text.append(content)

    def processingInstruction(self, target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            self._add("svg-external/stylesheet")


def svg_problems(data: bytes, where: str) -> list[Problem]:
    """Problems in one SVG file: code, outside references, unsafe XML (defusedxml refuses it)."""
    check = _SvgCheck(where)
    parser = defusedxml.sax.make_parser()
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(check)
    try:
        parser.parse(BytesIO(data))
    except DefusedXmlException as error:
        return [MESSAGES.say(where, None, "svg-unsafe-xml", error=type(error).__name__)]
    except SAXParseException as error:
        line, column = error.getLineNumber(), error.getColumnNumber()
        column = None if column is None else column + 1
        return [MESSAGES.say(where, line, "svg-invalid", column=column, error=error.getMessage())]
    return check.problems


def check_files(files: Iterable[tuple[str, Path]], rules: PublishRules) -> list[Problem]:
    """Problems of every file ``(shown path, path on disk)`` that would be published."""
    problems: list[Problem] = []
    for where, path in files:
        found = file_problems(where, rules)
        if not found and where.lower().endswith(".svg"):
            found = svg_problems(Path(path).read_bytes(), where)
        problems += found
    return problems


_QUOTES = re.compile(r"[ \t]*(?:>[ \t]?)+")
_LIST_MARKERS = re.compile(r"(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)+")
#: Start and end tags of HTML elements (not comments, not <!DOCTYPE>, not <?...?>).
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b(?:[^<>\"']|\"[^\"]*\"|'[^']*')*?(/?)>")
#: Elements with no end tag: they never open a level.
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
         "source", "track", "wbr"}  # fmt: skip


def nesting(text: str) -> tuple[int, int]:
    """(deepest nesting, line first reaching it) of lists, quotes and HTML, without a parser."""
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


def check_page_file(path: Path, where: str, rules: PublishRules) -> list[Problem]:
    """What stops a page before it is parsed: its size (before it is read), its encoding, YAML
    references in its front matter, its nesting."""
    if (size := path.stat().st_size) > rules.page_bytes:
        return [MESSAGES.say(where, None, "page-too-large", size=size, most=rules.page_bytes)]
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start]
        return [MESSAGES.say(where, line, "page-encoding", column=column, byte=byte)]
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as MkDocs reads it
    front = YAML_RE.match(text)  # the front matter as the content check reads it
    most = rules.nesting_depth
    alias, deep = yaml_hazard(front[1], where, most) if front else (None, 0)
    problems = [alias] if alias else []
    if deep:  # the scan stops at the limit: how much deeper is not known
        problems.append(MESSAGES.say(where, deep, "page-too-deep/front-matter", most=most))
    elif (found := nesting(text))[0] > most:
        depth, line = found
        problems.append(MESSAGES.say(where, line, "page-too-deep", depth=depth, most=most))
    return problems
