"""Raw HTML safety and Markdown hygiene: headings, links and images.

Both read the page with fenced code, inline code and HTML comments masked, so an example shown
as code is never reported.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from iopguide.content.page import REF_DEF_RE, Page, blank_code_spans
from iopguide.content.rules import Rules
from iopguide.markdown_tokens import ATX_RE, SETEXT_RE
from iopguide.report import Problem

GUIDE_HTML = "html"
GUIDE_HYGIENE = "headings-links-and-images"

MD_LINK_RE = re.compile(
    r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"(?:\(\s*(<[^>\n]*>|[^)\s]*)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)|\[([^\[\]\n]*)\])"
)
ATTR_HANDLER_RE = re.compile(r"\{[^{}\n]*?\b(on[a-z]+)\s*=", re.IGNORECASE)
LIST_OR_BLOCK_RE = re.compile(r"^\s*([-*+]\s|\d+[.)]\s|>|\||!!!|\?\?\?|:)")
URL_ATTRS = {"href", "src", "action", "formaction", "data", "poster", "cite", "xlink:href"}
MEDIA_ATTRS = {"src", "srcset", "poster", "data"}


def markup_masked(page: Page) -> str:
    return blank_code_spans(page.code_masked)


def _clean_url(value: str) -> str:
    value = html.unescape(value or "").strip().strip("<>")
    return re.sub(r"[\x00-\x20]", "", value).lower()


def is_external(url: str) -> bool:
    """An address on another host: http(s)://..., //host/..., or another scheme with a host."""
    cleaned = _clean_url(url)
    if cleaned.startswith("//"):
        return True
    parts = urlsplit(cleaned)
    return bool(parts.scheme) and parts.scheme not in {"data"} and bool(parts.netloc)


def _host(url: str) -> str:
    cleaned = _clean_url(url)
    return urlsplit(cleaned if "://" in cleaned else "http:" + cleaned).netloc or cleaned


def _link_text(text: str) -> str:
    text = re.sub(r"[*_`]", "", text)
    return " ".join(text.split()).strip(" .!:,;").lower()


@dataclass
class _OpenAnchor:
    line: int
    #: <a name="..."> or <a id="..."> is a target, not a link: it needs no text.
    is_link: bool
    text: str = ""
    has_img: bool = False


class _TagScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[int, str, list[tuple[str, str | None]]]] = []
        #: (line, text inside <a>, whether an image with alt text was inside)
        self.anchors: list[tuple[int, str, bool]] = []
        self._open_anchor: list[_OpenAnchor] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        self.tags.append((line, tag, attrs))
        if tag == "a":
            self._open_anchor.append(_OpenAnchor(line, is_link="href" in dict(attrs)))
        elif tag == "img" and self._open_anchor and dict(attrs).get("alt"):
            self._open_anchor[-1].has_img = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "a":
            self.handle_endtag("a")

    def handle_data(self, data: str) -> None:
        if self._open_anchor:
            self._open_anchor[-1].text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open_anchor:
            anchor = self._open_anchor.pop()
            if anchor.is_link:
                self.anchors.append((anchor.line, anchor.text, anchor.has_img))


class MarkupChecker:
    def __init__(self, rules: Rules) -> None:
        self.policy = rules.html
        self.vague = rules.vague_link_text
        self.vague_alt = rules.vague_alt_text
        self.placeholders = rules.placeholders
        self.template = rules.template_file or "the page template"

    def check(self, page: Page) -> list[Problem]:
        text = markup_masked(page)
        problems = self._html(page, text)
        problems += self._markdown_links(page, text)
        problems += self._headings(page)
        problems += self._placeholders(page, text)
        return problems

    # ------------------------------------------------------------------ leftovers
    def _placeholders(self, page: Page, text: str) -> list[Problem]:
        """Text left from the page template (content-rules.yml template.placeholders)."""
        problems = []
        # The front matter (blanked in ``text``) counts too: the template's title is there.
        lines = page.text.splitlines(keepends=True)
        end = sum(len(line) for line in lines[: page.front_matter.end_line])
        text = page.text[:end] + text[end:]
        lowered = text.lower()
        for phrase in self.placeholders:
            at = lowered.find(phrase.lower())
            if at < 0:
                continue
            line = page.line_of(at)
            column = at - text.rfind("\n", 0, at)
            problems.append(
                Problem(
                    page.rel,
                    line,
                    column,
                    "template-placeholder",
                    f'"{phrase}" is text from {self.template}, not yet replaced',
                    "replace it with the page's own words (or remove it)",
                    guide=GUIDE_HYGIENE,
                )
            )
        return problems

    def _alt_problem(self, page: Page, line: int, alt: str, url: str) -> list[Problem]:
        """Alt text that says nothing: a word like "image", or a file name."""
        label = " ".join(alt.split()).strip(" .,:;!").lower()
        stem = url.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower() if url else ""
        is_file = bool(re.fullmatch(r"[\w.-]+\.(png|jpe?g|gif|svg|webp|avif|bmp|tiff?)", label))
        same = bool(stem) and label.replace(" ", "-") == stem.replace("_", "-")
        if not label or not (label in self.vague_alt or is_file or same):
            return []
        return [
            self._p(
                page,
                line,
                "image-alt-vague",
                f'The alt text "{alt.strip()}" does not say what the image shows',
                "describe the image in a few words, like ![A counselor talking with a small "
                "group](assets/group.png); use empty alt text only for decoration",
                GUIDE_HYGIENE,
            )
        ]

    # ------------------------------------------------------------------ raw HTML
    def _p(self, page: Page, line: int, rule: str, message: str, fix: str, guide: str) -> Problem:
        return Problem(page.rel, line, None, rule, message, fix, guide=guide)

    def _html(self, page: Page, text: str) -> list[Problem]:
        scanner = _TagScanner()
        scanner.feed(text)
        scanner.close()
        problems: list[Problem] = []
        for line, tag, attrs in scanner.tags:
            if tag in self.policy.forbidden_tags:
                problems.append(
                    self._p(
                        page,
                        line,
                        "html-tag",
                        f"The HTML tag <{tag}> is not allowed: it can run code, load another "
                        "website or change the page for every reader",
                        "remove it. To show a video or a form, link to it instead; a developer "
                        "can help if you need something interactive",
                        GUIDE_HTML,
                    )
                )
            for name, value in attrs:
                if self.policy.forbid_event_handlers and name.startswith("on"):
                    problems.append(
                        self._p(
                            page,
                            line,
                            "html-handler",
                            f"The attribute {name}= on <{tag}> runs code and is not allowed",
                            f"remove {name}=... from the tag",
                            GUIDE_HTML,
                        )
                    )
                if name in URL_ATTRS and self._bad_scheme(value or ""):
                    problems.append(self._scheme_problem(page, line, value or ""))
                if tag in self.policy.local_media_tags and name in MEDIA_ATTRS:
                    for url in re.split(r",\s*", value or ""):
                        address = url.strip().split(" ")[0]
                        if address and is_external(address):
                            problems.append(self._external_problem(page, line, address))
                            break
            if tag == "img" and dict(attrs).get("alt"):
                found = dict(attrs)
                problems += self._alt_problem(
                    page, line, found["alt"] or "", found.get("src") or ""
                )
            if tag == "img" and "alt" not in {name for name, _ in attrs}:
                problems.append(
                    self._p(
                        page,
                        line,
                        "image-alt",
                        "This image has no alt text",
                        'add alt="..." that says what the image shows (alt="" only if it is '
                        "decoration)",
                        GUIDE_HYGIENE,
                    )
                )
        for line, inner, has_img in scanner.anchors:
            problems += self._link_text_problems(page, line, inner, has_img)
        for match in ATTR_HANDLER_RE.finditer(text):
            if self.policy.forbid_event_handlers:
                problems.append(
                    self._p(
                        page,
                        page.line_of(match.start()),
                        "html-handler",
                        f"The attribute {match.group(1)}= runs code and is not allowed",
                        f"remove {match.group(1)}=... from the {{ ... }} after the link or image",
                        GUIDE_HTML,
                    )
                )
        return problems

    def _bad_scheme(self, url: str) -> bool:
        cleaned = _clean_url(url)
        return any(cleaned.startswith(s + ":") for s in self.policy.forbidden_url_schemes)

    def _scheme_problem(self, page: Page, line: int, url: str) -> Problem:
        scheme = _clean_url(url).split(":", 1)[0]
        return self._p(
            page,
            line,
            "html-url",
            f"A {scheme}: address runs code when clicked and is not allowed",
            "link to a page (like faq.md) or a web address (https://...) instead",
            GUIDE_HTML,
        )

    def _external_problem(self, page: Page, line: int, url: str) -> Problem:
        return self._p(
            page,
            line,
            "external-media",
            f"This image or media file loads from another website ({_host(url)}), which tells "
            "that website who reads this page",
            "download the file (if its license allows), save it in docs/assets/ and link to it "
            "there, like ![what it shows](assets/picture.png)",
            GUIDE_HTML,
        )

    def _link_text_problems(self, page: Page, line: int, text: str, has_img: bool) -> list[Problem]:
        label = _link_text(text)
        if not label and not has_img:
            return [
                self._p(
                    page,
                    line,
                    "link-empty",
                    "This link has no text, so screen readers cannot say where it goes",
                    "put words between the brackets that say where the link goes, like "
                    "[questions to ask a program](questions-to-ask.md)",
                    GUIDE_HYGIENE,
                )
            ]
        if re.fullmatch(r"(?:https?://|www\.)\S+", " ".join(text.split())):
            return [
                self._p(
                    page,
                    line,
                    "link-text-address",
                    f'The link text "{" ".join(text.split())}" is a web address: screen readers '
                    "read it out letter by letter",
                    "use the name of the page or site as the link text, like [988 Suicide & "
                    "Crisis Lifeline](https://988lifeline.org/)",
                    GUIDE_HYGIENE,
                )
            ]
        if label in self.vague:
            return [
                self._p(
                    page,
                    line,
                    "link-text",
                    f'The link text "{" ".join(text.split())}" does not say where the link goes',
                    "use words that make sense on their own, like [levels of care]"
                    "(levels-of-care.md): screen reader users often hear links alone",
                    GUIDE_HYGIENE,
                )
            ]
        return []

    # ------------------------------------------------------------------ Markdown links
    def _markdown_links(self, page: Page, text: str) -> list[Problem]:
        refs = {
            m.group(0).split("]")[0].strip(" [").lower(): m.group(1).strip("<>")
            for m in REF_DEF_RE.finditer(text)
        }
        problems: list[Problem] = []
        for match in REF_DEF_RE.finditer(text):
            if self._bad_scheme(match.group(1)):
                line = page.line_of(match.start())
                problems.append(self._scheme_problem(page, line, match.group(1)))
        for match in MD_LINK_RE.finditer(text):
            bang, _, url, ref = match.groups()
            # Positions match the page text: read the label there, so `code` in it counts.
            label = page.text[match.start(2) : match.end(2)]
            line = page.line_of(match.start())
            if label.startswith("^") or (url is None and ref is None):
                continue
            if url is None:
                # [text][ref] or [text][]: the address is in a definition line.
                key = (ref or label).strip().lower()
                if key not in refs:
                    continue
                url = refs[key]
            url = url.strip("<>")
            if bang:
                if not label.strip():
                    problems.append(
                        self._p(
                            page,
                            line,
                            "image-alt",
                            "This image has no alt text",
                            "write what the image shows between the brackets, like "
                            "![A group meeting in a bright room](assets/group.png)",
                            GUIDE_HYGIENE,
                        )
                    )
                else:
                    problems += self._alt_problem(page, line, label, url)
                if url and is_external(url):
                    problems.append(self._external_problem(page, line, url))
                continue
            if "@" in label and label.lstrip().startswith("@"):
                continue  # a citation, checked elsewhere
            if not url.strip():
                problems.append(
                    self._p(
                        page,
                        line,
                        "link-empty",
                        f'The link "{" ".join(label.split())}" has no address',
                        "put the page or web address between the ( ), like "
                        "[levels of care](levels-of-care.md)",
                        GUIDE_HYGIENE,
                    )
                )
                continue
            if self._bad_scheme(url):
                problems.append(self._scheme_problem(page, line, url))
            has_img = bool(re.search(r"!\[[^\]]+\]", label))
            problems += self._link_text_problems(page, line, label, has_img)
        return problems

    # ------------------------------------------------------------------ headings
    def headings(self, page: Page) -> list[tuple[int, int, str]]:
        """(line, level, text) of every heading outside code."""
        lines = page.code_masked.split("\n")
        found = []
        for index, line in enumerate(lines):
            number = index + 1
            if number < page.body_start:
                continue
            match = ATX_RE.match(line)
            if match:
                found.append((number, len(match.group(1)), (match.group(2) or "").strip()))
                continue
            setext = SETEXT_RE.match(line)
            if setext and index > 0 and number - 1 >= page.body_start:
                above = lines[index - 1]
                if above.strip() and not ATX_RE.match(above) and not LIST_OR_BLOCK_RE.match(above):
                    level = 1 if setext.group(1)[0] == "=" else 2
                    found.append((number - 1, level, above.strip()))
        return found

    def _headings(self, page: Page) -> list[Problem]:
        heads = self.headings(page)
        problems: list[Problem] = []
        h1 = [h for h in heads if h[1] == 1]
        if not h1:
            problems.append(
                self._p(
                    page,
                    page.body_start,
                    "h1-missing",
                    "This page has no main heading (a line that starts with '# ')",
                    "add one main heading just under the front matter, like `# Levels of care`",
                    GUIDE_HYGIENE,
                )
            )
        for line, _, _ in h1[1:]:
            problems.append(
                self._p(
                    page,
                    line,
                    "h1-extra",
                    f"This page has more than one main heading ('# '); the first is on "
                    f"line {h1[0][0]}",
                    "keep one main heading per page: start this one with '## ' instead",
                    GUIDE_HYGIENE,
                )
            )
        previous = 0
        for line, level, _ in heads:
            if previous and level > previous + 1:
                problems.append(
                    self._p(
                        page,
                        line,
                        "heading-skip",
                        f"This heading jumps from level {previous} ({'#' * previous}) to level "
                        f"{level} ({'#' * level})",
                        f"start it with '{'#' * (previous + 1)} ' so no level is skipped: "
                        "screen reader users move through a page by heading level",
                        GUIDE_HYGIENE,
                    )
                )
            previous = level
        return problems
