"""Markdown hygiene: headings, links and images, read with code and HTML comments masked so an
example shown as code is never reported. Raw HTML safety is judged on the built page (security)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from itertools import pairwise
from typing import Any

from iopguide.content.page import REF_DEF_RE, Page, blank_code_spans
from iopguide.content.rules import Rules, say
from iopguide.markdown_tokens import headings
from iopguide.report import Problem

MD_LINK_RE = re.compile(
    r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"(?:\(\s*(<[^>\n]*>|[^)\s]*)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)|\[([^\[\]\n]*)\])"
)
IMAGE_FILE_RE = re.compile(r"[\w.-]+\.(png|jpe?g|gif|svg|webp|avif|bmp|tiff?)")


def markup_masked(page: Page) -> str:
    return blank_code_spans(page.code_masked)


class _TagScanner(HTMLParser):
    """Every image (line, attributes) and every link (line, its text, whether an image with alt
    text is inside). ``<a name>`` without href is a target, not a link."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.images: list[tuple[int, dict[str, str | None]]] = []
        self.anchors: list[tuple[int, str, bool]] = []
        self._open: list[list[Any]] = []  # [line, is a link, text, has an image]
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append((self.getpos()[0], dict(attrs)))
        if tag == "a":
            self._open.append([self.getpos()[0], "href" in dict(attrs), "", False])
        elif tag == "img" and self._open and dict(attrs).get("alt"):
            self._open[-1][3] = True

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][2] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            line, is_link, text, has_img = self._open.pop()
            if is_link:
                self.anchors.append((line, text, has_img))


class MarkupChecker:
    def __init__(self, rules: Rules) -> None:
        self.rules = rules

    def check(self, page: Page) -> list[Problem]:
        self.page, text = page, markup_masked(page)
        return self._html(text) + self._links(text) + self._headings() + self._leftovers(text)

    def _say(self, line: int, key: str, **values: Any) -> Problem:
        return say(self.page.rel, line, key, **values)

    def _leftovers(self, text: str) -> list[Problem]:
        """Text left from the page template (content-rules.yml), front matter included."""
        page = self.page
        end = sum(len(line) for line in page.text.splitlines(True)[: page.front_matter.end_line])
        text, template = page.text[:end] + text[end:], self.rules.template_file
        problems = []
        for phrase in self.rules.placeholders:
            if (at := text.lower().find(phrase.lower())) >= 0:
                values = {"column": at - text.rfind("\n", 0, at), "phrase": phrase}
                values["template"] = template or "the page template"
                problems.append(self._say(page.line_of(at), "template-placeholder", **values))
        return problems

    def _alt(self, line: int, alt: str, url: str) -> list[Problem]:
        """Alt text that says nothing: a word like "image", or a file name."""
        label = " ".join(alt.split()).strip(" .,:;!").lower()
        stem = url.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower() if url else ""
        same = bool(stem) and label.replace(" ", "-") == stem.replace("_", "-")
        if label and (label in self.rules.vague_alt_text or IMAGE_FILE_RE.fullmatch(label) or same):
            return [self._say(line, "image-alt-vague", alt=alt.strip())]
        return []

    def _html(self, text: str) -> list[Problem]:
        scanner = _TagScanner(text)
        problems: list[Problem] = []
        for line, found in scanner.images:
            if found.get("alt"):
                problems += self._alt(line, found["alt"] or "", found.get("src") or "")
            elif "alt" not in found:
                problems.append(self._say(line, "image-alt"))
        for line, inner, has_img in scanner.anchors:
            problems += self._link_text(line, inner, has_img)
        return problems

    def _link_text(self, line: int, text: str, has_img: bool) -> list[Problem]:
        label = " ".join(re.sub(r"[*_`]", "", text).split()).strip(" .!:,;").lower()
        shown = " ".join(text.split())
        if not label and not has_img:
            return [self._say(line, "link-empty")]
        if re.fullmatch(r"(?:https?://|www\.)\S+", shown):
            return [self._say(line, "link-text-address", text=shown)]
        if label in self.rules.vague_link_text:
            return [self._say(line, "link-text", text=shown)]
        return []

    def _links(self, text: str) -> list[Problem]:
        """Markdown links and images, inline or by reference (``[text][ref]``)."""
        page, refs, problems = self.page, {}, []
        for match in REF_DEF_RE.finditer(text):
            refs[match.group(0).split("]")[0].strip(" [").lower()] = match.group(1).strip("<>")
        for match in MD_LINK_RE.finditer(text):
            bang, _, url, ref = match.groups()
            # Positions match the page text: read the label there, so `code` in it counts.
            label = page.text[match.start(2) : match.end(2)]
            line = page.line_of(match.start())
            if url is None and ref is not None:  # the address is in a definition line
                url = refs.get((ref or label).strip().lower())
            if label.startswith("^") or url is None:
                continue
            url = url.strip("<>")
            if bang:
                problems += self._alt(line, label, url) if label.strip() else []
                problems += [] if label.strip() else [self._say(line, "image-alt/md")]
            elif label.lstrip().startswith("@"):
                continue  # a citation, checked elsewhere
            elif not url.strip():
                problems.append(self._say(line, "link-empty/address", text=" ".join(label.split())))
            else:
                problems += self._link_text(line, label, bool(re.search(r"!\[[^\]]+\]", label)))
        return problems

    def _headings(self) -> list[Problem]:
        heads = [(first + 1, level) for first, _, level in headings(self.page.code_masked)]
        h1 = [line for line, level in heads if level == 1]
        problems = [] if h1 else [self._say(self.page.body_start, "h1-missing")]
        problems += [self._say(line, "h1-extra", first=h1[0]) for line in h1[1:]]
        for (_, previous), (line, level) in pairwise(heads):
            if level > previous + 1:
                values = {"previous": previous, "level": level, "marks": "#" * level}
                problems.append(self._say(line, "heading-skip", above="#" * previous, **values))
        return problems
