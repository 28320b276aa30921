"""Small fixes to the theme's HTML so that every page is valid (Nu Html Checker) and accessible
(axe-core). Each fix names what it repairs; each is a no-op when the theme stops emitting it."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

# Material 9.8's checkbox toggles have autocomplete="off", for text inputs only (vnu error).
_CHECKBOX = re.compile(r"<input\b[^>]*\btype=\"checkbox\"[^>]*>")
_AUTOCOMPLETE = re.compile(r"\s+autocomplete=\"[^\"]*\"")
# The search overlay has role="dialog" but no name (axe: aria-dialog-name).
_SEARCH_DIALOG = re.compile(r'(<div class="md-search" data-md-component="search" role="dialog")>')
# The announcement banner holds our crisis help: name its landmark.
_BANNER = re.compile(r'<aside class="md-banner">')
# pymdownx.tasklist's disabled checkbox sits in an empty <label> (axe: unlabelled field); it is
# decoration, hidden from assistive tech in a span (aria-hidden is not allowed on a label).
_TASK_LABEL = re.compile(
    r'<label class="task-list-control">(<input type="checkbox"[^>]*>'
    r'<span class="task-list-indicator"></span>)</label>'
)
# A link whose text is its own address needs no address after it on paper (print.css).
_URL_LINK = re.compile(r'<a href="(https?://[^"]+)">\1</a>')
# extra_css has no media attribute: the print stylesheet would block the first paint.
_PRINT_CSS = re.compile(r'<link rel="stylesheet" href="([^"]*assets/print\.css)">')
# The header logo gets its known size (Material draws it 24px high): no layout shift.
_LOGO = re.compile(r'<img src="([^"]*assets/logo\.svg)" alt="logo">')
# A page outside the navigation keeps <label for="__toc"> with no "__toc" toggle (vnu error).
_TOC_LABEL = re.compile(r'<label class="md-nav__title" for="__toc">(.*?)</label>', re.DOTALL)
_ALTERNATE = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="([^"]+)">\n?[ \t]*')
#: The head's alternates and the links of Material's language switch.
_HREFLANG_LINKS = (
    re.compile(r'(<link rel="alternate" )href="[^"]*"( hreflang="([^"]+)">)'),
    re.compile(r'(<a )href="[^"]*"( hreflang="([^"]+)" class="md-select__link">)'),
)

# Material's indentation and blank lines are about a third of a page's bytes (0.5-0.6 KB gzip;
# issue 7). In text, white space holding a line break renders as one "\n" (white-space: normal).
# Never touched: tags and attribute values, comments, and elements whose white space matters:
# script and style (CSP hashes), pre, textarea, code and kbd (Material: white-space: pre-wrap).
_COMPACT = re.compile(
    r"<!--.*?-->"
    r"|<(pre|textarea|script|style|code|kbd)\b[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>.*?</\1\s*>"
    r"|<[a-zA-Z!/?][^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>"
    r"|(?P<run>[ \t\r\f]*\n\s*)",
    re.DOTALL | re.IGNORECASE,
)

# Material writes each icon's SVG into every page (0.8 KB gzip per page): each becomes a reference
# into one sprite file. Only Material's exact shape matches (an SVG with a class, label ... stays).
SPRITE_NAME = "assets/iop-icons.svg"
_ICON = re.compile(
    r'<svg xmlns="http://www\.w3\.org/2000/svg" viewBox="(?P<box>[-\d. ]+)">'
    r"(?P<body>(?:[^<]|<(?!/?svg\b))*)</svg>"
)
_SYMBOL = re.compile(
    r'<symbol id="(?P<id>[\w-]+)" viewBox="(?P<box>[-\d. ]+)">(?P<body>.*?)</symbol>', re.S
)
Icons = dict[str, tuple[str, str]]  # icon id -> (viewBox, SVG markup inside the icon)
# A link of a page's own content (Python-Markdown writes href first).
_CONTENT_LINK = re.compile(r'<a href="([^"#?]*)((?:[?#][^"]*)?)"([^>]*)>(.*?)</a>', re.S)


def compact_whitespace(html: str) -> str:
    """Collapse each line break and the blanks around it to one ``\\n``, in text only."""
    return _COMPACT.sub(lambda m: m[0] if m["run"] is None else "\n", html)


def icon_id(box: str, body: str) -> str:
    """A stable id for one icon: the same drawing always gets the same id."""
    return "i-" + hashlib.sha256(f"{box}|{body}".encode()).hexdigest()[:10]


def use_icon_sprite(html: str, sprite_url: str, icons: Icons) -> str:
    """Each inline theme icon becomes a reference into the sprite (its viewBox kept for the
    aspect ratio), and joins ``icons``."""

    def replace(match: re.Match[str]) -> str:
        key = icon_id(match["box"], match["body"])
        icons[key] = (match["box"], match["body"])
        return f'<svg viewBox="{match["box"]}"><use href="{sprite_url}#{key}"></use></svg>'

    return _ICON.sub(replace, html)


def render_sprite(icons: Icons) -> str:
    """The sprite file: one <symbol> per icon, in a stable order."""
    symbols = "".join(
        f'<symbol id="{k}" viewBox="{v}">{b}</symbol>' for k, (v, b) in sorted(icons.items())
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg">{symbols}</svg>\n'


def read_sprite(text: str) -> Icons:
    """The icons of an existing sprite file (a ``--dirty`` build keeps the ones of other pages)."""
    return {m["id"]: (m["box"], m["body"]) for m in _SYMBOL.finditer(text)}


def script_json(data: dict[str, Any]) -> str:
    """JSON for a ``<script type="application/ld+json">``; ``<>&`` escaped: nothing can close it."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def drop_alternates(html: str, keep: set[str]) -> str:
    """Keep the head's ``hreflang`` links of ``keep`` only: the theme lists every language."""
    return _ALTERNATE.sub(lambda m: m.group(0) if m.group(1) in keep else "", html)


def point_alternates(html: str, homes: dict[str, str]) -> str:
    """Point every ``hreflang`` link at its language's home page (``homes``: code -> address)."""
    for pattern in _HREFLANG_LINKS:
        html = pattern.sub(
            lambda m: f'{m[1]}href="{homes[m[3]]}"{m[2]}' if m[3] in homes else m[0], html
        )
    return html


def fix_html(html: str, labels: dict[str, str]) -> str:
    """Apply every fix to one rendered page (``labels``: its language's names of page parts)."""
    html = _CHECKBOX.sub(lambda m: _AUTOCOMPLETE.sub("", m[0]), html)
    html = _SEARCH_DIALOG.sub(lambda m: f'{m[1]} aria-label="{labels["search"]}">', html, count=1)
    crisis = f'<aside class="md-banner iop-crisis" aria-label="{labels["crisis"]}">'
    html = _BANNER.sub(crisis, html, count=1)
    html = _TASK_LABEL.sub(r'<span class="task-list-control" aria-hidden="true">\1</span>', html)
    html = _URL_LINK.sub(r'<a class="iop-url" href="\1">\1</a>', html)
    html = _PRINT_CSS.sub(r'<link rel="stylesheet" href="\1" media="print">', html)
    html = _LOGO.sub(r'<img src="\1" alt="" width="24" height="24">', html)
    if 'id="__toc"' not in html:
        html = _TOC_LABEL.sub(r'<div class="md-nav__title">\1</div>', html)
    return compact_whitespace(html)


def mark_untranslated_links(
    html: str, page_url: str, targets: set[str], original: str, label: str
) -> str:
    """Mark a link to an untranslated page (``targets``: ``page.url``s) with ``hreflang`` and
    ``label`` ("en inglés") inside the link: screen readers read it as part of its name."""
    if not targets:
        return html

    def mark(match: re.Match[str]) -> str:
        href, rest, attrs, text = match.groups()
        target = urljoin("/" + page_url, href).removeprefix("/")  # a web address stays whole
        if not href or href.startswith("/") or target not in targets or "hreflang=" in attrs:
            return match.group(0)
        note = f" ({label})" if label else ""
        return f'<a href="{href}{rest}" hreflang="{original}"{attrs}>{text}{note}</a>'

    return _CONTENT_LINK.sub(mark, html)


# Search in the reader's language (decisions/0014): the i18n plugin's one lunr index is split per
# language after the build; a translated page's ``__config`` base points at its language's.
INDEX = Path("search") / "search_index.json"
_CONFIG_BASE = re.compile(
    r'(<script id="__config" type="application/json">\{[^<]*?"base": ")([^"]*)(")'
)


def point_search_to(html: str, folder: str) -> str:
    """Make a translated page's ``__config`` base its language's folder (Material's index)."""

    def replace(match: re.Match[str]) -> str:
        base = match[2]
        # "../.." -> "../../es/"; "/" (the 404 page, absolute) -> "/es/"
        new = f"{folder}/" if base in ("", ".") else base.rstrip("/") + f"/{folder}/"
        return f"{match[1]}{new}{match[3]}"

    return _CONFIG_BASE.sub(replace, html, count=1)


def split_index(site_dir: Path, codes: list[str]) -> None:
    """Split the merged index into one per language (the original first); idempotent."""
    merged = Path(site_dir) / INDEX
    if len(codes) < 2 or not merged.is_file():
        return
    data = json.loads(merged.read_text(encoding="utf-8"))
    config, (original, *others) = data.get("config") or {}, codes
    docs: dict[str, list[dict[str, Any]]] = {code: [] for code in codes}
    for doc in data.get("docs") or []:
        code, slash, rest = str(doc.get("location", "")).partition("/")
        if slash and code in others:
            docs[code].append({**doc, "location": rest})
        else:
            docs[original].append(doc)
    for code in [*others, original]:
        path = merged if code == original else Path(site_dir) / code / INDEX
        if code != original and not docs[code] and path.is_file():
            continue  # split already (a second run): keep it
        # lunr's Spanish stemming, then English's for the English words a page quotes. In
        # Chromium with "es" alone, search found nothing for "llamar" or "consejería".
        lang = [code, original] if code != original else [original]
        data = {"config": {**config, "lang": lang}, "docs": docs[code]}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
