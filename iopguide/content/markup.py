"""Markdown hygiene: headings, links and images, read with code and HTML comments masked so an
example shown as code is never reported. Raw HTML safety is judged on the built page (security)."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from iopguide.content.page import REF_DEF_RE, Page
from iopguide.content.rules import Rules, say, words
from iopguide.report import Problem
from iopguide.security.parse import scan_html

MD_LINK_RE = re.compile(
    r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"(?:\(\s*(<[^>\n]*>|[^)\s]*)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)|\[([^\[\]\n]*)\])"
)
IMAGE_FILE_RE = re.compile(r"[\w.-]+\.(png|jpe?g|gif|svg|webp|avif|bmp|tiff?)")


def check(page: Page, rules: Rules) -> list[Problem]:
    text = page.markup_masked
    found = _html(page, rules, text) + _links(page, rules, text) + _headings(page)
    return found + _leftovers(page, rules, text)


def _leftovers(page: Page, rules: Rules, text: str) -> list[Problem]:
    """Text left from the page template (content-rules.yml), front matter included."""
    end = sum(len(line) for line in page.text.splitlines(True)[: page.front_matter.end_line])
    text, template = page.text[:end] + text[end:], rules.template_file or words("template")
    problems = []
    for phrase in rules.placeholders:
        if (at := text.lower().find(phrase.lower())) >= 0:
            column = at - text.rfind("\n", 0, at)
            values = {"column": column, "phrase": phrase, "template": template}
            problems.append(say(page.rel, page.line_of(at), "template-placeholder", **values))
    return problems


def _alt(page: Page, rules: Rules, line: int, alt: str, url: str) -> list[Problem]:
    """Alt text that says nothing: a word like "image", or a file name."""
    label = " ".join(alt.split()).strip(" .,:;!").lower()
    stem = url.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower() if url else ""
    same = bool(stem) and label.replace(" ", "-") == stem.replace("_", "-")
    if label and (label in rules.vague_alt_text or IMAGE_FILE_RE.fullmatch(label) or same):
        return [say(page.rel, line, "image-alt-vague", alt=alt.strip())]
    return []


def _html(page: Page, rules: Rules, text: str) -> list[Problem]:
    """Images and links written in HTML, read as a browser reads them (security.parse)."""
    scan, problems, lowered = scan_html(text), list[Problem](), text.lower()
    at: dict[int, int] = {}
    for tag in scan.tags:  # where each start tag is: its text, found in order
        at[id(tag)] = max(text.find(tag.source, max(at.values(), default=0)), 0)
    images = [tag for tag in scan.tags if tag.name == "img"]
    for image in images:
        line, alt = page.line_of(at[id(image)]), image.get("alt")
        if alt:
            problems += _alt(page, rules, line, alt, image.get("src") or "")
        elif alt is None:
            problems.append(say(page.rel, line, "image-alt"))
    for link in scan.anchors:  # an image with alt text inside names the link
        start = at[id(link)]
        end = lowered.find("</a", start) % (len(text) + 1)  # -1 (no end): the text end
        named = any(i.get("alt") and start < at[id(i)] < end for i in images)
        problems += _link_text(page, rules, page.line_of(start), link.text, named)
    return problems


def _link_text(page: Page, rules: Rules, line: int, text: str, has_img: bool) -> list[Problem]:
    label = " ".join(re.sub(r"[*_`]", "", text).split()).strip(" .!:,;").lower()
    shown = " ".join(text.split())
    if not label and not has_img:
        return [say(page.rel, line, "link-empty")]
    if re.fullmatch(r"(?:https?://|www\.)\S+", shown):
        return [say(page.rel, line, "link-text-address", text=shown)]
    if label in rules.vague_link_text:
        return [say(page.rel, line, "link-text", text=shown)]
    return []


def _links(page: Page, rules: Rules, text: str) -> list[Problem]:
    """Markdown links and images, inline or by reference (``[text][ref]``)."""
    refs, problems = {}, list[Problem]()
    for match in REF_DEF_RE.finditer(text):
        refs[match.group(0).split("]")[0].strip(" [").lower()] = match.group(1).strip("<>")
    for match in MD_LINK_RE.finditer(text):
        bang, _, url, ref = match.groups()
        # Positions match the page text: read the label there, so `code` in it counts.
        label, line = page.text[match.start(2) : match.end(2)], page.line_of(match.start())
        if url is None and ref is not None:  # the address is in a definition line
            url = refs.get((ref or label).strip().lower())
        if label.startswith("^") or url is None or (not bang and label.lstrip().startswith("@")):
            continue  # a footnote, a citation (checked elsewhere), or no link
        if bang and label.strip():
            problems += _alt(page, rules, line, label, url.strip("<>"))
        elif bang:
            problems.append(say(page.rel, line, "image-alt/md"))
        elif not url.strip("<>").strip():
            problems.append(say(page.rel, line, "link-empty/address", text=" ".join(label.split())))
        else:
            problems += _link_text(page, rules, line, label, bool(re.search(r"!\[[^\]]+\]", label)))
    return problems


def _headings(page: Page) -> list[Problem]:
    heads = [(line, level) for line, level, _ in page.headings]
    h1 = [line for line, level in heads if level == 1]
    problems = [] if h1 else [say(page.rel, page.front_matter.end_line + 1, "h1-missing")]
    problems += [say(page.rel, line, "h1-extra", first=h1[0]) for line in h1[1:]]
    for (_, previous), (line, level) in pairwise(heads):
        if level > previous + 1:
            values: dict[str, Any] = {"previous": previous, "level": level, "marks": "#" * level}
            problems.append(say(page.rel, line, "heading-skip", above="#" * previous, **values))
    return problems
