"""A strict Content-Security-Policy computed from the built pages.

Material for MkDocs puts a few small scripts inline in every page (``__md_scope``, the palette
restore, the tab restore) and mkdocs-redirects puts one in every redirect page. Rather than allow
every inline script (``'unsafe-inline'``), we hash exactly the ones the build produced and allow
only those. The hashes change whenever Material's templates change, so they are computed after
each build, never written by hand.

Outputs:

- ``site/_headers`` (Netlify / Cloudflare Pages format): the CSP and the other security headers
  for every path, plus long-lived caching for Material's fingerprinted assets;
- a ``<meta http-equiv="Content-Security-Policy">`` right after ``<meta charset>`` in each page,
  for hosts that cannot send headers (GitHub Pages). A meta CSP cannot carry ``frame-ancestors``,
  so it is left out there; it must come before any script or stylesheet to cover them.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from iopguide.report import Problem, ProblemsFound

HEADERS_FILE = "_headers"

#: Directives a ``<meta http-equiv>`` policy cannot carry (browsers ignore them and warn).
META_UNSUPPORTED = ("frame-ancestors", "report-uri", "report-to", "sandbox")

#: Features no page of ours uses. Only names Chromium recognises: unknown names log console errors.
PERMISSIONS_POLICY = ", ".join(
    f"{name}=()"
    for name in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

#: Headers sent with every response, besides the CSP.
SECURITY_HEADERS: dict[str, str] = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    # Other sites may not embed our files (pages, images, scripts) in theirs.
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    # HTTPS only, for a year after each visit (browsers ignore it on plain-HTTP previews).
    "Strict-Transport-Security": "max-age=31536000",
}

#: Material fingerprints its own CSS and JS (``bundle.a5f9d56c.min.js``): safe to cache forever.
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8}\.min\.(?:js|css)$")
IMMUTABLE = "public, max-age=31536000, immutable"

# Case-sensitive on purpose: the pages are generated in lower case, and re.I would disable the
# fast literal-prefix search (2 ms per page instead of 0.1 ms).
_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S)
_STYLE = re.compile(r"<style\b(?P<attrs>[^>]*)>(?P<body>.*?)</style\s*>", re.S)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
_SRC = re.compile(r"\bsrc\s*=", re.I)
_TAG_WITH_STYLE = re.compile(r"""<[a-zA-Z][\w-]*\b[^<>]*?\sstyle\s*=\s*(["'])(.*?)\1""", re.S)
_TAG_WITH_HANDLER = re.compile(r"""<[a-zA-Z][\w-]*\b[^<>]*?\s(on[a-z]+)\s*=\s*["']""", re.S)
# A literal prefix keeps this search fast; attributes after a newline are tested separately.
_HANDLER_HINT = re.compile(r" on[a-z]+\s*=")
_JS_URL = re.compile(r"""\s(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)
_META_CSP = re.compile(r"""<meta\s+http-equiv=["']Content-Security-Policy["'][^>]*>\s*""", re.I)
_META_REFERRER = re.compile(r"""<meta\s+name=["']referrer["']""", re.I)
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.I)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)

#: Script types a browser executes; any other type is a data block (JSON, JSON-LD) CSP ignores.
_JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}


def source_hash(text: str) -> str:
    """The CSP source expression for an inline script or style: ``'sha256-<base64>'``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@dataclass
class PageScan:
    """What one built page runs or styles inline."""

    scripts: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    style_attributes: list[str] = field(default_factory=list)
    event_handlers: list[str] = field(default_factory=list)
    javascript_urls: int = 0


def scan_page(html: str) -> PageScan:
    """Find inline scripts and styles in a page, exactly as the browser will hash them."""
    scan = PageScan()
    spans: list[tuple[int, int]] = []
    for match in _SCRIPT.finditer(html):
        spans.append(match.span())
        attrs = match.group("attrs")
        if _SRC.search(attrs):
            continue
        kind = _TYPE.search(attrs)
        if (kind.group(1).lower() if kind else "") not in _JS_TYPES:
            continue
        scan.scripts.append(match.group("body"))
    for match in _STYLE.finditer(html):
        spans.append(match.span())
        scan.styles.append(match.group("body"))
    # Attributes are looked for outside scripts and styles only. Cheap substring tests first:
    # the full patterns are slow, and on our pages they almost never match.
    parts, start = [], 0
    for begin, end in sorted(spans):
        if begin >= start:
            parts.append(html[start:begin])
            start = end
    markup = "".join([*parts, html[start:]])
    lowered = markup.lower()
    if "style=" in lowered or "style =" in lowered:
        scan.style_attributes = [m.group(2) for m in _TAG_WITH_STYLE.finditer(markup)]
    if _HANDLER_HINT.search(lowered) or "\non" in lowered:
        scan.event_handlers = [m.group(1) for m in _TAG_WITH_HANDLER.finditer(markup)]
    if "javascript:" in lowered:
        scan.javascript_urls = len(_JS_URL.findall(markup))
    return scan


def build_policy(
    script_hashes: Iterable[str] = (), style_hashes: Iterable[str] = (), *, meta: bool = False
) -> str:
    """The Content-Security-Policy text; ``meta=True`` leaves out what a meta tag cannot carry."""
    scripts = " ".join(["'self'", *sorted(set(script_hashes))])
    styles = " ".join(["'self'", *sorted(set(style_hashes))])
    directives = [
        ("default-src", "'self'"),
        ("script-src", scripts),
        ("style-src", styles),
        # Material's CSS draws its icons from data: SVGs.
        ("img-src", "'self' data:"),
        ("font-src", "'self'"),
        ("connect-src", "'self'"),
        ("worker-src", "'self'"),
        ("manifest-src", "'self'"),
        ("object-src", "'none'"),
        ("base-uri", "'self'"),
        ("form-action", "'none'"),
        ("frame-ancestors", "'none'"),
    ]
    if meta:
        directives = [(k, v) for k, v in directives if k not in META_UNSUPPORTED]
    return "; ".join(f"{name} {value}" for name, value in directives)


def render_headers_file(policy: str, fingerprinted: Iterable[str] = ()) -> str:
    """``_headers`` text: security headers for every path, long caching for fingerprinted files."""
    lines = [
        "# Written by overrides/hooks/security.py after each build. Do not edit: rebuild instead.",
        "# Format: Netlify / Cloudflare Pages. See DEPLOY.md for other hosts.",
        "/*",
        f"  Content-Security-Policy: {policy}",
    ]
    lines += [f"  {name}: {value}" for name, value in SECURITY_HEADERS.items()]
    for path in sorted(fingerprinted):
        lines += [f"/{path}", f"  Cache-Control: {IMMUTABLE}"]
    return "\n".join(lines) + "\n"


def parse_headers_file(text: str) -> list[tuple[str, dict[str, str]]]:
    """Rules of a ``_headers`` file, in order: ``[(path pattern, {header: value})]``."""
    rules: list[tuple[str, dict[str, str]]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if not raw[0].isspace():
            rules.append((raw.strip(), {}))
            continue
        name, sep, value = raw.strip().partition(":")
        if not sep or not rules:
            raise ValueError(f"_headers line {number}: expected 'Name: value' under a path")
        rules[-1][1][name.strip()] = value.strip()
    return rules


def headers_for(rules: list[tuple[str, dict[str, str]]], path: str) -> dict[str, str]:
    """Headers a Netlify-style host sends for a request path (every matching rule, in order)."""
    path = path.split("?", 1)[0].split("#", 1)[0]
    found: dict[str, str] = {}
    for pattern, values in rules:
        if fnmatch.fnmatchcase(path, pattern):
            found.update(values)
    return found


def inject_meta(html: str, meta_policy: str) -> str:
    """Put the CSP (and a no-referrer policy) first in ``<head>``, right after ``<meta charset>``.

    A meta CSP only covers what comes after it, so it must precede every script and stylesheet.
    Running twice replaces the earlier meta rather than adding a second one.
    """
    html = _META_CSP.sub("", html)
    tags = f'<meta http-equiv="Content-Security-Policy" content="{meta_policy}">'
    if not _META_REFERRER.search(html):
        tags += '<meta name="referrer" content="no-referrer">'
    anchor = _CHARSET.search(html) or _HEAD.search(html)
    if anchor is None:
        return html
    return html[: anchor.end()] + tags + html[anchor.end() :]


#: mkdocs-redirects writes one inline script per redirect page, each with its own target, so each
#: would add a hash to the policy (Cloudflare Pages caps a _headers line at 2,000 characters).
#: We replace it with one shared file that does the same: go to the canonical URL, keep the #anchor.
_REDIRECT_SCRIPT = re.compile(
    r"<script>var anchor=window\.location\.hash\.substr\(1\);location\.href=.*?</script>", re.S
)
REDIRECT_JS = "assets/javascripts/redirect.js"
REDIRECT_JS_CODE = (
    "// Redirect pages (mkdocs-redirects): go to the new address, keeping the #anchor.\n"
    'var target = document.querySelector("link[rel=canonical]");\n'
    "if (target) location.replace(target.href + location.hash);\n"
)


def externalize_redirect_scripts(site_dir: Path) -> int:
    """Swap each redirect page's inline script for the shared ``redirect.js``; return the count."""
    count = 0
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if not _REDIRECT_SCRIPT.search(html):
            continue
        depth = len(page.relative_to(site_dir).parts) - 1
        src = "../" * depth + REDIRECT_JS
        page.write_text(
            _REDIRECT_SCRIPT.sub(f'<script src="{src}"></script>', html, count=1), encoding="utf-8"
        )
        count += 1
    if count:
        (site_dir / REDIRECT_JS).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / REDIRECT_JS).write_text(REDIRECT_JS_CODE, encoding="utf-8")
    return count


@dataclass
class SiteSecurity:
    """What :func:`apply_security` found and wrote."""

    pages: int
    script_hashes: set[str]
    style_hashes: set[str]
    policy: str
    meta_policy: str
    headers_path: Path


def _problems(scan: PageScan, where: str) -> list[Problem]:
    problems = []
    if scan.style_attributes:
        problems.append(
            Problem(
                where,
                None,
                None,
                "csp-style-attribute",
                f"The page has {len(scan.style_attributes)} inline style attribute(s), "
                f'e.g. style="{scan.style_attributes[0][:60]}"; the site\'s security policy '
                "blocks them, so readers would not see that styling",
                "Remove the style attribute and add a class in docs/assets/iop-guide.css instead",
                guide="html",
            )
        )
    if scan.event_handlers or scan.javascript_urls:
        what = scan.event_handlers[0] if scan.event_handlers else "javascript:"
        problems.append(
            Problem(
                where,
                None,
                None,
                "csp-inline-handler",
                f"The page has inline JavaScript ({what}); the site's security policy blocks it",
                "Remove it; pages must not contain scripts",
                guide="html",
            )
        )
    return problems


def apply_security(
    site_dir: Path,
    *,
    sources: Mapping[str, str] | None = None,
    inject: bool = True,
) -> SiteSecurity:
    """Hash every inline script and style in ``site_dir``, write ``_headers``, inject the meta.

    ``sources`` maps a built page (``faq/index.html``) to its source (``docs/faq.md``) so that a
    problem names the file an editor can change. Raises :class:`ProblemsFound` and changes
    nothing when a page carries inline code no hash can allow (style attributes, ``onclick``).
    """
    site_dir = Path(site_dir)
    pages = sorted(site_dir.rglob("*.html"))
    scripts: set[str] = set()
    styles: set[str] = set()
    problems: list[Problem] = []
    for page in pages:
        rel = page.relative_to(site_dir).as_posix()
        # Redirect scripts are replaced by a shared file below; they need no hash.
        scan = scan_page(_REDIRECT_SCRIPT.sub("", page.read_text(encoding="utf-8")))
        scripts.update(source_hash(s) for s in scan.scripts)
        styles.update(source_hash(s) for s in scan.styles)
        where = (sources or {}).get(rel, f"site/{rel}")
        problems += _problems(scan, where)
    if problems:
        raise ProblemsFound(problems, "The built pages break the site's security policy:")
    externalize_redirect_scripts(site_dir)

    policy = build_policy(scripts, styles)
    meta_policy = build_policy(scripts, styles, meta=True)
    fingerprinted = [
        p.relative_to(site_dir).as_posix()
        for p in site_dir.rglob("*")
        if p.is_file() and FINGERPRINTED.search(p.name)
    ]
    headers_path = site_dir / HEADERS_FILE
    headers_path.write_text(render_headers_file(policy, fingerprinted), encoding="utf-8")
    if inject:
        for page in pages:
            html = page.read_text(encoding="utf-8")
            page.write_text(inject_meta(html, meta_policy), encoding="utf-8")
    return SiteSecurity(len(pages), scripts, styles, policy, meta_policy, headers_path)
