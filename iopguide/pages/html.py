"""Small fixes to the theme's HTML so that every page is valid (Nu Html Checker) and accessible
(axe-core). Each fix names what it repairs; each is a no-op when the theme stops emitting it.
"""

from __future__ import annotations

import hashlib
import posixpath
import re

# Material 9.8 puts autocomplete="off" on its checkbox toggles; the HTML standard allows
# autocomplete only on text-like inputs, so the Nu Html Checker reports an error on every page.
_CHECKBOX = re.compile(r"<input\b[^>]*\btype=\"checkbox\"[^>]*>")
_AUTOCOMPLETE = re.compile(r"\s+autocomplete=\"[^\"]*\"")

# The search overlay has role="dialog" but no name (axe: aria-dialog-name).
_SEARCH_DIALOG = re.compile(r'(<div class="md-search" data-md-component="search" role="dialog")>')

# The announcement banner holds our crisis help: name its landmark.
_BANNER = re.compile(r'<aside class="md-banner">')
_BANNER_NAMED = '<aside class="md-banner iop-crisis" aria-label="{crisis}">'
#: English names of page parts; a page in another language passes its own (languages.yml).
LABELS = {"search": "Search", "crisis": "Crisis help", "untranslated": ""}
_ALTERNATE = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="([^"]+)">\n?[ \t]*')


# pymdownx.tasklist draws a disabled checkbox inside an empty <label>: axe reports an unlabelled
# form field. The box is decoration (it cannot be ticked), so it is hidden from assistive tech;
# the label becomes a span because HTML forbids aria-hidden on a label around a form field.
_TASK_LABEL = re.compile(
    r'<label class="task-list-control">(<input type="checkbox"[^>]*>'
    r'<span class="task-list-indicator"></span>)</label>'
)


# A link whose text is its own address needs no address after it on paper (print.css).
_URL_LINK = re.compile(r'<a href="(https?://[^"]+)">\1</a>')


# A page outside the navigation (e.g. the style guide) has no "__toc" toggle, yet its table of
# contents keeps <label for="__toc">: vnu reports a label for a missing form control.
_TOC_LABEL = re.compile(r'<label class="md-nav__title" for="__toc">(.*?)</label>', re.DOTALL)


# The header logo has no size in the theme's markup; its box is known (Material draws it 1.2rem,
# 24px, high), so the browser can lay out the header before the image arrives (no layout shift).
_LOGO = re.compile(r'<img src="([^"]*assets/logo\.svg)" alt="logo">')


# MkDocs' extra_css has no media attribute: without one, the print stylesheet would block the
# first paint on screens too.
_PRINT_CSS = re.compile(r'<link rel="stylesheet" href="([^"]*assets/print\.css)">')


# Whitespace: Material's templates indent every line and leave blank lines where Jinja blocks
# were, about a third of a page's bytes (0.5-0.6 KB gzip per page; issue 7, repeat view). In
# text between tags, a run of white space that holds a line break renders exactly like one line
# break (CSS white-space: normal collapses both to one space), so it becomes "\n". Never touched:
# tags and their attribute values, comments, and the content of elements whose white space
# matters: scripts and styles (their CSP hashes), <pre>, <textarea>, and <code> and <kbd>
# (Material sets white-space: pre-wrap on them).
_KEEP_AS_IS = re.compile(
    r"<!--.*?-->"
    r"|<(pre|textarea|script|style|code|kbd)\b[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>.*?</\1\s*>"
    r"|<[a-zA-Z!/?][^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>",
    re.DOTALL | re.IGNORECASE,
)
_BREAK_RUN = re.compile(r"[ \t\r\f]*\n\s*")


def compact_whitespace(html: str) -> str:
    """Collapse each line break and the blanks around it to one ``\\n``, in text only."""
    parts: list[str] = []
    start = 0
    for match in _KEEP_AS_IS.finditer(html):
        parts.append(_BREAK_RUN.sub("\n", html[start : match.start()]))
        parts.append(match.group(0))
        start = match.end()
    parts.append(_BREAK_RUN.sub("\n", html[start:]))
    return "".join(parts)


# Icons: Material writes each icon's SVG path into every page (menu, search twice, dark/light
# toggle, clear, back, edit, back to top): 0.8 KB gzip of each page's HTML, the same on every
# page. Each becomes a reference into one icon file that the browser caches, the usual SVG
# sprite technique: <svg viewBox="0 0 24 24"><use href="assets/iop-icons.svg#i-..."></use></svg>.
# Only the exact shape Material's templates emit is matched (xmlns and viewBox, no other
# attribute), so an SVG with its own class, label or title is left alone. CSS still sizes and
# colours the icon (Material's ".md-icon svg" rules; the paths inherit fill: currentcolor).
SPRITE_NAME = "assets/iop-icons.svg"
_ICON = re.compile(
    r'<svg xmlns="http://www\.w3\.org/2000/svg" viewBox="(?P<box>[-\d. ]+)">'
    r"(?P<body>(?:[^<]|<(?!/?svg\b))*)</svg>"
)
_SYMBOL = re.compile(
    r'<symbol id="(?P<id>[\w-]+)" viewBox="(?P<box>[-\d. ]+)">(?P<body>.*?)</symbol>', re.S
)

#: Icon id -> (viewBox, SVG markup inside the icon).
Icons = dict[str, tuple[str, str]]


def icon_id(box: str, body: str) -> str:
    """A stable id for one icon: the same drawing always gets the same id."""
    return "i-" + hashlib.sha256(f"{box}|{body}".encode()).hexdigest()[:10]


def use_icon_sprite(html: str, sprite_url: str, icons: Icons) -> str:
    """Replace each inline theme icon by a reference into the sprite at ``sprite_url``; the
    icons found are added to ``icons`` (written to the sprite file after the build)."""

    def replace(match: re.Match[str]) -> str:
        box, body = match.group("box"), match.group("body")
        key = icon_id(box, body)
        icons[key] = (box, body)
        # The viewBox stays: it gives the icon its aspect ratio where CSS sets only a width
        # (Material's ".md-typeset svg" has height: auto; without it the edit icon is 150px high).
        return f'<svg viewBox="{box}"><use href="{sprite_url}#{key}"></use></svg>'

    return _ICON.sub(replace, html)


def render_sprite(icons: Icons) -> str:
    """The sprite file: one <symbol> per icon, in a stable order."""
    symbols = "".join(
        f'<symbol id="{key}" viewBox="{box}">{body}</symbol>'
        for key, (box, body) in sorted(icons.items())
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg">{symbols}</svg>\n'


def read_sprite(text: str) -> Icons:
    """The icons of an existing sprite file (a ``--dirty`` build keeps the ones of other pages)."""
    return {m.group("id"): (m.group("box"), m.group("body")) for m in _SYMBOL.finditer(text)}


def _strip_autocomplete(match: re.Match[str]) -> str:
    return _AUTOCOMPLETE.sub("", match.group(0))


def drop_alternates(html: str, keep: set[str]) -> str:
    """Remove the ``hreflang`` links of the head whose language is not in ``keep``: the theme
    lists every language, but a page has an alternate only where it has a translation."""
    return _ALTERNATE.sub(lambda m: m.group(0) if m.group(1) in keep else "", html)


#: The head's alternates and the links of Material's language switch.
_HREFLANG_LINKS = (
    re.compile(r'(<link rel="alternate" )href="[^"]*"( hreflang="([^"]+)">)'),
    re.compile(r'(<a )href="[^"]*"( hreflang="([^"]+)" class="md-select__link">)'),
)


def point_alternates(html: str, homes: dict[str, str]) -> str:
    """Point every ``hreflang`` link (the head's alternates and the language switch) of a page
    at the home page of its language (``homes``: code -> address). For the 404 page, which has
    no translation of its own: the theme would give it the alternates of the last page built."""
    for pattern in _HREFLANG_LINKS:
        html = pattern.sub(
            lambda m: f'{m[1]}href="{homes[m[3]]}"{m[2]}' if m[3] in homes else m[0], html
        )
    return html


def fix_html(html: str, labels: dict[str, str] | None = None) -> str:
    """Apply every fix to one rendered page (``labels``: names of page parts, LABELS by default)."""
    labels = {**LABELS, **(labels or {})}
    html = _CHECKBOX.sub(_strip_autocomplete, html)
    html = _SEARCH_DIALOG.sub(
        lambda m: f'{m.group(1)} aria-label="{labels["search"]}">', html, count=1
    )
    html = _BANNER.sub(_BANNER_NAMED.format(crisis=labels["crisis"]), html, count=1)
    html = _TASK_LABEL.sub(r'<span class="task-list-control" aria-hidden="true">\1</span>', html)
    html = _URL_LINK.sub(r'<a class="iop-url" href="\1">\1</a>', html)
    html = _PRINT_CSS.sub(r'<link rel="stylesheet" href="\1" media="print">', html)
    html = _LOGO.sub(r'<img src="\1" alt="" width="24" height="24">', html)
    if 'id="__toc"' not in html:
        html = _TOC_LABEL.sub(r'<div class="md-nav__title">\1</div>', html)
    return compact_whitespace(html)


# A link of a page's own content (Python-Markdown writes href first).
_CONTENT_LINK = re.compile(r'<a href="([^"#?]*)((?:[?#][^"]*)?)"([^>]*)>(.*?)</a>', re.S)


def mark_untranslated_links(
    html: str, page_url: str, targets: set[str], original: str, label: str
) -> str:
    """On a translated page, a link to a page that has no translation yet leads to the original
    page (decisions/0014-spanish-edition.md): say so with ``hreflang`` and ``label`` ("en
    inglés"), inside the link so that screen readers read it as part of the link's name.
    ``targets`` are the addresses (from the site root, as MkDocs writes ``page.url``) of
    those original pages; ``original`` is their language code."""
    if not targets:
        return html
    base = page_url[:-1] if page_url.endswith("/") else posixpath.dirname(page_url)

    def mark(match: re.Match[str]) -> str:
        href, rest, attrs, text = match.groups()
        if not href or "://" in href or href.startswith(("/", "mailto:", "tel:", "sms:")):
            return match.group(0)
        target = posixpath.normpath(posixpath.join(base, href))
        target = "" if target == "." else target + ("/" if href.endswith("/") else "")
        if target not in targets or "hreflang=" in attrs:
            return match.group(0)
        note = f" ({label})" if label else ""
        return f'<a href="{href}{rest}" hreflang="{original}"{attrs}>{text}{note}</a>'

    return _CONTENT_LINK.sub(mark, html)
