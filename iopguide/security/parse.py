"""Read a built page the way a browser tokenizes it, with ``html.parser`` fixed where Python
3.11 and browsers disagree: ``<!-->``, ``--!>``, ``<![CDATA[`` outside SVG, raw-text elements
(``<title>``...). A raw-text end tag with junk (``</script x>``) is ``ambiguous`` and never passes.
Where SVG or MathML ends is not reproduced: that matters only inside refused elements."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from iopguide.security import MESSAGES

#: Elements whose content a browser reads as text (HTML "raw text" and "RCDATA" elements).
RAW_TEXT = ("script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes",
            "noscript")  # fmt: skip
#: Where a raw-text element ends in a browser (the end tag may carry junk after the name).
_RAW_END = {name: re.compile(rf"</{name}[\t\n\f\r />]", re.I) for name in RAW_TEXT}
_COMMENT_END = re.compile(r"--!?>")
_FOREIGN = {"svg", "math"}
#: Elements a browser keeps in <head>; any other start tag opens the body.
_HEAD = {"html", "head", "meta", "link", "title", "script", "style", "base", "noscript", "template"}


@dataclass
class Tag:
    """One start tag as a browser reads it; ``text``: a raw-text element's content or a link's."""

    name: str
    attrs: list[tuple[str, str | None]]
    in_head: bool
    source: str = ""
    text: str = ""

    def get(self, name: str) -> str | None:
        """The attribute's value (the first of duplicates wins, as in browsers)."""
        return next(((value or "") for key, value in self.attrs if key == name), None)


@dataclass
class Comment:
    """``odd``: why a browser may read this comment otherwise."""

    start: int
    end: int
    odd: str = ""


class Tokenizer(HTMLParser):
    """``texts``: the body's; ``ambiguous``: what a browser may read otherwise; ``anchors``: <a>."""

    # typeshed marks this Final; html.parser reads it from the instance (no public setting).
    CDATA_CONTENT_ELEMENTS = RAW_TEXT  # type: ignore[misc]

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[Tag] = []
        self.comments: list[Comment] = []
        self.anchors: list[Tag] = []
        self.texts: list[str] = []
        self.ambiguous: list[str] = []
        self._lines = [0] + [m.end() for m in re.finditer("\n", html)]
        self._in_head, self._foreign = True, 0
        self._raw: Tag | None = None  # the raw-text element being read
        self._open_anchors: list[Tag] = []
        self.feed(html)
        self.close()
        self._finish_raw()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def _comment(self, i: int, end: int | None, odd: str = "unclosed") -> int:
        """Record a comment; ``end`` None: never closed, it hides the rest (reported once)."""
        start = self._offset()
        if end is None and any(c.start == start for c in self.comments):
            return -1
        stop = len(self.rawdata) if end is None else end
        self.comments.append(Comment(start, start + stop - i, odd))
        return -1 if end is None else end

    def parse_comment(self, i: int, report: int = 1) -> int:
        for short in (">", "->"):  # "<!-->" and "<!--->" end at once in a browser
            if self.rawdata.startswith(short, i + 4):
                return self._comment(i, i + 4 + len(short), f"<!--{short}")
        match = _COMMENT_END.search(self.rawdata, i + 4)
        if match is None:
            return self._comment(i, None)
        return self._comment(i, match.end(), "--!>" if match.group(0) == "--!>" else "")

    def parse_html_declaration(self, i: int) -> int:
        if self.rawdata.startswith("<![", i):  # a bogus comment in a browser, outside SVG
            return self.parse_bogus_comment(i)
        return super().parse_html_declaration(i)

    def parse_bogus_comment(self, i: int, report: int = 1, odd: str = "") -> int:
        if (end := self.rawdata.find(">", i + 2)) < 0:
            return self._comment(i, None)
        return self._comment(i, end + 1, odd or self.rawdata[i : i + 3])

    def parse_pi(self, i: int) -> int:  # "<?" opens a bogus comment in a browser
        return self.parse_bogus_comment(i, odd="<?")

    def handle_decl(self, decl: str) -> None:
        if decl.lower().split() != ["doctype", "html"]:
            self.ambiguous.append(f"<!{decl[:30]}>")

    def set_cdata_mode(self, elem: str, **escapable: bool) -> None:
        # SVG and MathML have no raw-text elements. Python 3.11.13+ passes escapable=True.
        if not self._foreign:
            super().set_cdata_mode(elem, **escapable)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._finish_raw()
        self._in_head = self._in_head and tag in _HEAD
        source = self.get_starttag_text() or ""
        item = Tag(tag, attrs, self._in_head, source)
        self.tags.append(item)
        self._foreign += tag in _FOREIGN
        if tag in RAW_TEXT and not self._foreign:
            self._raw = item
        if tag == "a" and item.get("href") is not None:
            self._open_anchors.append(item)
            self.anchors.append(item)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Browsers ignore the slash on HTML elements (<script/> still opens); foreign ones close.
        self.handle_starttag(tag, attrs)
        if tag in _FOREIGN:
            self._foreign -= 1
        elif tag in RAW_TEXT and not self._foreign:
            self.set_cdata_mode(tag)

    def handle_endtag(self, tag: str) -> None:
        self._finish_raw()
        if tag in _FOREIGN and self._foreign:
            self._foreign -= 1
        if tag == "a" and self._open_anchors:
            self._open_anchors.pop()

    def handle_data(self, data: str) -> None:
        if self._raw is not None and self.cdata_elem:
            self._raw.text += data
            return
        if not self._in_head:
            self.texts.append(data)
        for anchor in self._open_anchors:
            anchor.text += data

    def _finish_raw(self) -> None:
        if (raw := self._raw) is None:
            return
        self._raw = None
        if end := _RAW_END[raw.name].search(raw.text):
            self.ambiguous.append(MESSAGES.text("ambiguous/end", name=raw.name, end=repr(end[0])))
        if raw.name == "script" and "<!--" in raw.text:
            # "<!--" in a script switches a browser to the "script data escaped" states.
            self.ambiguous.append(MESSAGES.text("ambiguous/script-comment"))


#: Read ``html`` as a browser would.
scan_html = Tokenizer


def strip_comments(html: str, comments: list[Comment]) -> str:
    """``html`` without the given comments (they hold nothing a reader sees)."""
    parts, start = [], 0
    for comment in sorted(comments, key=lambda c: c.start):
        if comment.start >= start:
            parts.append(html[start : comment.start])
            start = comment.end
    return "".join([*parts, html[start:]])
