"""Read a built page the way a browser tokenizes it, with Python's own ``html.parser``.

``html.parser`` in Python 3.11 disagrees with browsers (the WHATWG HTML tokenizer) in a few
places, and each disagreement would let something through that a browser runs:

- ``<!-->`` and ``<!--->`` are complete, empty comments in a browser; Python reads on to the
  next ``-->``, so ``<!--> <script>...</script> -->`` hides a live script from it.
- A comment also ends at ``--!>`` in a browser; Python waits for ``-->``.
- ``<![CDATA[ ... >`` outside SVG is a bogus comment that ends at the first ``>`` in a
  browser; Python reads on to ``]]>``.
- ``<title>``, ``<textarea>``, ``<xmp>``, ``<iframe>``, ``<noembed>``, ``<noframes>`` and
  ``<noscript>`` hold raw text in a browser (no tags, no comments inside); Python reads tags
  there (it knows only ``<script>`` and ``<style>``).
- A raw-text element ends at ``</script`` followed by a space, ``/`` or ``>`` in a browser;
  Python waits for ``</script>``.

:class:`Tokenizer` fixes the first four by overriding the two small parsing steps involved
(comments and ``<!`` declarations) and by listing the extra raw-text elements; the last is not
fixed but detected: :class:`Scan` records it as an ``ambiguous`` finding, and a page with one
never passes. Everything else (upper-case tags, unquoted or split attributes, ``<img/src=...>``,
character references in attribute values) ``html.parser`` already reads as browsers do.

What is not reproduced: where SVG or MathML content ends (``<svg><p>`` leaves SVG in a browser).
That only matters inside elements that hold raw text in one reading and markup in the other,
and every such element is refused in a page body (:mod:`iopguide.security.published`), so it
cannot change the verdict.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Elements whose content a browser reads as text (HTML "raw text" and "RCDATA" elements).
RAW_TEXT = (
    "script",
    "style",
    "title",
    "textarea",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
)
#: Where a raw-text element ends in a browser (the end tag may carry junk after the name).
_RAW_END = {name: re.compile(rf"</{name}[\t\n\f\r />]", re.I) for name in RAW_TEXT}
_COMMENT_END = re.compile(r"--!?>")
_FOREIGN = {"svg", "math"}
#: Elements a browser keeps in <head>; any other start tag opens the body.
_HEAD = {"html", "head", "meta", "link", "title", "script", "style", "base", "noscript", "template"}


@dataclass
class Tag:
    """One start tag, as the browser will read it."""

    name: str
    attrs: list[tuple[str, str | None]]
    offset: int
    #: In the page head (before any element that opens the body): page content never lands there.
    in_head: bool
    #: Inside ``<svg>`` or ``<math>``.
    foreign: bool
    #: The start tag as written (``<SCRIPT src=x>``), to find it in the page's source.
    source: str = ""
    #: Text of a raw-text element (``<script>`` body), else "".
    text: str = ""

    def get(self, name: str) -> str | None:
        """The attribute's value as the browser reads it: the first of duplicates wins."""
        for key, value in self.attrs:
            if key == name:
                return value if value is not None else ""
        return None


@dataclass
class Anchor:
    """A link, ``<a href>``, with the text a reader sees."""

    href: str
    offset: int
    text: str = ""


@dataclass
class Comment:
    """A comment: ``start``/``end`` offsets; ``odd`` says why a browser may read it otherwise."""

    start: int
    end: int
    odd: str = ""


@dataclass
class Scan:
    """Everything :mod:`iopguide.security.published` judges on one page."""

    tags: list[Tag] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    #: (offset, text) of text a reader sees in the body (outside raw-text elements).
    texts: list[tuple[int, str]] = field(default_factory=list)
    #: (offset, what) where Python and a browser would read the page differently.
    ambiguous: list[tuple[int, str]] = field(default_factory=list)


class Tokenizer(HTMLParser):
    """``html.parser`` with browser comment, declaration and raw-text rules (module docstring)."""

    # typeshed marks this Final; html.parser reads it from the instance, which is how raw-text
    # elements are chosen (there is no public setting).
    CDATA_CONTENT_ELEMENTS = RAW_TEXT  # type: ignore[misc]

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = Scan()
        self._lines = [0] + [m.end() for m in re.finditer("\n", html)]
        self._in_head = True
        self._foreign = 0
        self._raw: Tag | None = None
        self._raw_parts: list[str] = []
        self._anchors: list[Anchor] = []
        self.feed(html)
        self.close()
        self._finish_raw()

    # ------------------------------------------------------------------ positions
    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def line_of(self, offset: int) -> int:
        return bisect_right(self._lines, offset)

    # ------------------------------------------------------------------ browser rules
    def parse_comment(self, i: int, report: int = 1) -> int:
        """``<!--`` ... ``-->`` or ``--!>``; ``<!-->`` and ``<!--->`` end at once (browser)."""
        rawdata = self.rawdata
        start = self._offset()
        for short in (">", "->"):
            if rawdata.startswith(short, i + 4):
                end = i + 4 + len(short)
                self.scan.comments.append(Comment(start, start + end - i, f"<!--{short}"))
                return end
        match = _COMMENT_END.search(rawdata, i + 4)
        if match is None:
            # Unclosed: a browser hides the rest of the page. Reported once.
            self._unclosed(start, len(rawdata) - i)
            return -1
        odd = "--!>" if match.group(0) == "--!>" else ""
        self.scan.comments.append(Comment(start, start + match.end() - i, odd))
        return match.end()

    def parse_html_declaration(self, i: int) -> int:
        # Outside SVG, a browser reads "<![CDATA[" as a bogus comment that ends at the first ">".
        if self.rawdata.startswith("<![", i):
            return self.parse_bogus_comment(i)
        return super().parse_html_declaration(i)

    def parse_bogus_comment(self, i: int, report: int = 1) -> int:
        end = self.rawdata.find(">", i + 2)
        start = self._offset()
        if end < 0:
            self._unclosed(start, len(self.rawdata) - i)
            return -1
        self.scan.comments.append(Comment(start, start + end + 1 - i, self.rawdata[i : i + 3]))
        return end + 1

    def parse_pi(self, i: int) -> int:
        # "<?" opens a bogus comment in a browser: never closed, it hides the rest of the page.
        if self.rawdata.find(">", i + 2) < 0:
            self._unclosed(self._offset(), len(self.rawdata) - i)
            return -1
        return super().parse_pi(i)

    def _unclosed(self, start: int, length: int) -> None:
        if not any(c.start == start for c in self.scan.comments):
            self.scan.comments.append(Comment(start, start + length, "unclosed"))

    def handle_pi(self, data: str) -> None:
        start = self._offset()
        self.scan.comments.append(Comment(start, start + len(data) + 3, "<?"))

    def unknown_decl(self, data: str) -> None:  # not reached: <![ is a bogus comment above
        self.scan.ambiguous.append((self._offset(), f"<![{data[:20]}"))

    def handle_decl(self, decl: str) -> None:
        if decl.lower().split() != ["doctype", "html"]:
            self.scan.ambiguous.append((self._offset(), f"<!{decl[:30]}>"))

    def set_cdata_mode(self, elem: str, **escapable: bool) -> None:
        # SVG and MathML have no raw-text elements: a <style> or <title> there holds markup.
        # Python 3.11.13+ passes escapable=True for <title> and <textarea>; older 3.11 never does.
        if not self._foreign:
            super().set_cdata_mode(elem, **escapable)

    # ------------------------------------------------------------------ events
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._finish_raw()
        if tag not in _HEAD:
            self._in_head = False
        item = Tag(
            tag,
            attrs,
            self._offset(),
            self._in_head,
            bool(self._foreign),
            self.get_starttag_text() or "",
        )
        self.scan.tags.append(item)
        if tag in _FOREIGN:
            self._foreign += 1
        if tag in RAW_TEXT and not self._foreign:
            self._raw = item
        if tag == "a":
            href = item.get("href")
            if href is not None:
                anchor = Anchor(href, item.offset)
                self.scan.anchors.append(anchor)
                self._anchors.append(anchor)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # "<svg/>" and "<br/>": browsers ignore the slash on HTML elements, but a raw-text
        # element still opens (<script/> holds the rest as script). Foreign elements close.
        self.handle_starttag(tag, attrs)
        if tag in _FOREIGN:
            self._foreign -= 1
        elif tag in RAW_TEXT and not self._foreign:
            self.set_cdata_mode(tag)

    def handle_endtag(self, tag: str) -> None:
        self._finish_raw()
        if tag in _FOREIGN and self._foreign:
            self._foreign -= 1
        if tag == "a" and self._anchors:
            self._anchors.pop()

    def handle_data(self, data: str) -> None:
        if self._raw is not None and self.cdata_elem:
            self._raw_parts.append(data)
            return
        if not self._in_head:
            self.scan.texts.append((self._offset(), data))
        for anchor in self._anchors:
            anchor.text += data

    def _finish_raw(self) -> None:
        if self._raw is None:
            return
        raw, self._raw = self._raw, None
        raw.text = "".join(self._raw_parts)
        self._raw_parts = []
        end = _RAW_END[raw.name].search(raw.text)
        if end is not None:
            self.scan.ambiguous.append((raw.offset, f"<{raw.name}> holding {end.group(0)!r}"))
        if raw.name == "script" and "<!--" in raw.text:
            # "<!--" in a script switches a browser to the "script data escaped" states.
            self.scan.ambiguous.append((raw.offset, "<script> holding '<!--'"))


def scan_html(html: str) -> tuple[Scan, Tokenizer]:
    """Read ``html`` as a browser would; the tokenizer gives line numbers of offsets."""
    tokenizer = Tokenizer(html)
    return tokenizer.scan, tokenizer


def strip_comments(html: str, comments: list[Comment]) -> str:
    """``html`` without the given comments (they hold nothing a reader sees)."""
    if not comments:
        return html
    parts, start = [], 0
    for comment in sorted(comments, key=lambda c: c.start):
        if comment.start < start:
            continue
        parts.append(html[start : comment.start])
        start = comment.end
    parts.append(html[start:])
    return "".join(parts)
