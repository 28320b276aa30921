"""Which files under ``docs/`` may be published (``publishing.yml``), and what an SVG may hold: a
static host serves ``site/`` as it is, so an ``.html``, a ``.js``, a scripted SVG or a host's
``_redirects`` from ``docs/`` would reach readers without our checks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler, feature_external_ges, feature_namespaces
from xml.sax.xmlreader import InputSource

import defusedxml.sax
from defusedxml import DefusedXmlException

from iopguide.content.rules import read_yaml
from iopguide.report import Problem, ProblemsFound

PUBLISH_FILE = "publishing.yml"
GUIDE = "files"


@dataclass(frozen=True)
class PublishRules:
    """The settings of ``publishing.yml``."""

    allowed_types: frozenset[str]
    code_types: frozenset[str]
    host_files: frozenset[str]
    page_bytes: int
    nesting_depth: int


def load_publish_rules(root: Path) -> PublishRules:
    """Read ``publishing.yml`` of the project whose folder is ``root``."""
    root = Path(root).resolve()
    data: Any = read_yaml(root / PUBLISH_FILE, root)

    def broken(message: str, fix: str) -> ProblemsFound:
        return ProblemsFound([Problem(PUBLISH_FILE, None, None, "rules-file", message, fix)])

    if not isinstance(data, dict):
        message = f"{PUBLISH_FILE} must hold 'key: value' settings"
        raise broken(message, f"restore {PUBLISH_FILE} from git")
    old = f"{PUBLISH_FILE} (see git history for the old value)"

    def words(key: str) -> frozenset[str]:
        value = data.get(key)
        if isinstance(value, dict):
            value = [item for group in value.values() for item in (group or [])]
        if not isinstance(value, list) or not value:
            raise broken(f"{PUBLISH_FILE} has no list '{key}'", f"add '{key}' back to {old}")
        return frozenset(
            str(item).lower().lstrip("." if key.endswith("types") else "") for item in value
        )

    limits = data.get("limits")
    numbers: dict[str, int] = {}
    for key in ("page_bytes", "nesting_depth"):
        value = limits.get(key) if isinstance(limits, dict) else None
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            message = f"{PUBLISH_FILE}: 'limits: {key}' must be a whole number above 0"
            raise broken(message, f"set 'limits: {key}' in {old}")
        numbers[key] = value
    return PublishRules(words("allowed_types"), words("code_types"), words("host_files"), **numbers)


def file_problems(where: str, rules: PublishRules) -> list[Problem]:
    """Problems with publishing the file ``where`` (``docs/assets/x.js``), judged by its name."""
    name = where.rsplit("/", 1)[-1]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name.lstrip(".") else ""
    if name.lower() in rules.host_files:
        rule = "file-host-settings"
        message = f"'{name}' is a file a web host reads as its own settings (redirects, headers "
        message += "or the domain); published from docs/ it could send readers anywhere"
        fix = f"delete {where}: the build writes the host settings itself (site/_headers); to "
        fix += "move a page, add a redirect in mkdocs.yml under 'redirect_maps'"
    elif suffix in rules.code_types:
        rule = "file-type-code"
        message = f"A .{suffix} file can run code in a reader's browser, and would be published "
        message += "without the site's checks or security policy"
        fix = "delete it; write the page in Markdown (.md) instead; scripts never go in docs/"
    elif suffix not in rules.allowed_types:
        rule = "file-type"
        allowed = ", ".join(f".{t}" for t in sorted(rules.allowed_types))
        what = f"a .{suffix} file" if suffix else "a file with no type (no .ending in its name)"
        message = f"This is {what}; the site publishes only these types: {allowed}"
        fix = "remove it from docs/, or convert it to one of those types; the list is in "
        fix += PUBLISH_FILE
    else:
        return []
    return [Problem(where, None, None, rule, message, fix, guide=GUIDE)]


_XLINK = "http://www.w3.org/1999/xlink"
#: Elements that run code or embed a web page in an SVG.
_CODE_ELEMENTS = {"script", "foreignobject", "handler", "listener"}
#: Elements that can change an attribute over time, e.g. set a link's target to javascript:.
_ANIMATION_ELEMENTS = {"animate", "set", "animatemotion", "animatetransform"}
_URL_ATTRIBUTES = {"href", "src"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.I | re.S)
_CSS_IMPORT = re.compile(r"@import\b", re.I)
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")
#: Embedded pictures are fine; anything else behind data: (another SVG, HTML) is not.
_SAFE_DATA = re.compile(r"^\s*data:image/(?:png|jpeg|gif|webp|avif)[;,]", re.I)
_CONTROL = re.compile(r"[\x00-\x20]+")


def _external(url: str) -> str | None:
    """Why ``url`` is not allowed in an SVG, or None when it stays inside the file or the site."""
    cleaned = _CONTROL.sub("", url)  # browsers ignore tabs and newlines inside a scheme
    if cleaned.startswith(("//", "\\\\")):
        return "an address on another site"
    scheme = _SCHEME.match(cleaned)
    name = scheme.group(1).lower() if scheme else None
    if name in {"javascript", "vbscript"}:
        return f"a {name}: address (it runs code)"
    if name == "data":
        return None if _SAFE_DATA.match(cleaned) else "a data: address that is not a picture"
    return f"a {name}: address on another site" if name else None


class _SvgCheck(ContentHandler):
    """Collects what an SVG must not contain, with the line of each finding."""

    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where
        self.problems: list[Problem] = []
        self._style_depth, self._style_line = 0, 0
        self._style_text: list[str] = []
        self._locator: Any = None

    def setDocumentLocator(self, locator: Any) -> None:
        self._locator = locator

    def _line(self) -> int | None:
        return self._locator.getLineNumber() if self._locator is not None else None

    def _add(self, rule: str, message: str, fix: str, line: int | None = None) -> None:
        line = line or self._line()
        self.problems.append(Problem(self.where, line, None, rule, message, fix, guide=GUIDE))

    def _check_css(self, text: str, line: int | None = None) -> None:
        if _CSS_IMPORT.search(text):
            message = "The SVG's styles import another file (@import)"
            self._add(
                "svg-external", message, "remove the @import; put the styles inside the SVG", line
            )
        for match in _CSS_URL.finditer(text):
            if why := _external(match.group(2)):
                message = f"The SVG's styles load {why} ({match.group(2)[:60]})"
                fix = "remove it, or use a picture stored in docs/assets/"
                self._add("svg-external", message, fix, line)

    def startElementNS(self, name: tuple[str | None, str], qname: Any, attrs: Any) -> None:
        local = name[1].lower()
        if local in _CODE_ELEMENTS:
            self._add(
                "svg-script",
                f"The SVG contains <{name[1]}>, which can run code when a reader opens the image",
                "remove that element, or export the picture again without scripts (for example "
                "as 'plain SVG')",
            )
        if local == "style":
            self._style_depth += 1
            self._style_line = self._line() or 0
        for (uri, attr), value in attrs.items():
            attr_name = attr.lower()
            if attr_name.startswith("on"):
                message = f"The SVG has an event attribute ({attr}=...), which runs code in the "
                message += "browser"
                self._add("svg-script", message, f"remove the {attr} attribute")
            elif local in _ANIMATION_ELEMENTS and attr_name == "attributename":
                if value.strip().lower().split(":")[-1] in _URL_ATTRIBUTES:
                    message = f"The SVG's <{name[1]}> changes a link address while it plays"
                    self._add("svg-script", message, "remove the animation")
            elif attr_name in _URL_ATTRIBUTES and uri in (None, "", _XLINK):
                if why := _external(value):
                    message = f"The SVG links to {why} ({value.strip()[:60]})"
                    fix = "remove the link, or point it to a file stored in docs/assets/"
                    self._add("svg-external", message, fix)
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
            message = "The SVG loads a style sheet from another file (<?xml-stylesheet ...?>)"
            self._add("svg-external", message, "remove that line; put the styles inside the SVG")


def svg_problems(data: bytes, where: str) -> list[Problem]:
    """Problems in one SVG file: code, external references, or XML that cannot be read safely
    (read with defusedxml, which refuses entity tricks)."""
    check = _SvgCheck(where)
    parser = defusedxml.sax.make_parser()
    parser.setFeature(feature_namespaces, True)
    parser.setFeature(feature_external_ges, False)
    parser.setContentHandler(check)
    source = InputSource()
    source.setByteStream(BytesIO(data))
    try:
        parser.parse(source)
    except DefusedXmlException as error:
        message = f"The SVG declares XML entities or loads outside files ({type(error).__name__}), "
        message += "which can stall or trick the programs that read it"
        fix = "remove the <!DOCTYPE ...> and <!ENTITY ...> lines, or export the picture again as "
        fix += "plain SVG"
        return [Problem(where, None, None, "svg-unsafe-xml", message, fix, guide=GUIDE)]
    except SAXParseException as error:
        line, column = error.getLineNumber(), error.getColumnNumber()
        message = f"The SVG cannot be read ({error.getMessage()})"
        fix = "open it in an image editor and export it again as plain SVG"
        column = None if column is None else column + 1
        return [Problem(where, line, column, "svg-invalid", message, fix, guide=GUIDE)]
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
