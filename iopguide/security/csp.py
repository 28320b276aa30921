"""A strict Content-Security-Policy for the built site, from the theme's allowlist.

Material for MkDocs puts a few small scripts inline in every page (``__md_scope``, the palette
restore, the tab restore). Rather than allow every inline script (``'unsafe-inline'``), the
policy allows exactly the inline scripts and styles that the theme and our templates write
without any page content (:mod:`iopguide.security.theme`). A page that carries any other inline
code fails the build (:mod:`iopguide.security.published`); it never adds a hash. mkdocs-redirects
puts one inline script in every redirect page: it is replaced by one shared file.

Outputs:

- ``site/_headers`` (Netlify / Cloudflare Pages format): the CSP and the other security headers
  for every path, plus long-lived caching for Material's fingerprinted assets;
- a ``<meta http-equiv="Content-Security-Policy">`` right after ``<meta charset>`` in each page,
  for hosts that cannot send headers (GitHub Pages). A meta CSP cannot carry ``frame-ancestors``,
  so it is left out there; it must come before any script or stylesheet to cover them.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from iopguide.report import Problem, ProblemsFound
from iopguide.security.published import SiteRules, judge_page, source_line
from iopguide.security.published import source_hash as source_hash

HEADERS_FILE = "_headers"
#: Files a browser reads as HTML pages: every one is judged before it is published.
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".xht", ".shtml"}

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

_META_CSP = re.compile(r"""<meta\s+http-equiv=["']Content-Security-Policy["'][^>]*>\s*""", re.I)
#: Exactly the tags :func:`inject_meta` writes: removed before a page is judged again (a
#: ``--dirty`` build or ``python -m iopguide headers`` on a built site), since any other
#: ``<meta http-equiv>`` is refused.
_OWN_META = re.compile(
    r'<meta http-equiv="Content-Security-Policy" content="[^"<>]*">'
    r'|<meta name="referrer" content="no-referrer">'
)
_META_REFERRER = re.compile(r"""<meta\s+name=["']referrer["']""", re.I)
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.I)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)


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


@dataclass
class SiteSecurity:
    """What :func:`apply_security` found and wrote."""

    pages: int
    script_hashes: set[str]
    style_hashes: set[str]
    policy: str
    meta_policy: str
    headers_path: Path


def _where(rel: str, sources: Mapping[str, str] | None) -> str:
    return (sources or {}).get(rel, f"site/{rel}")


def _read_source(root: Path | None, where: str) -> str | None:
    if root is None or where.startswith("site/"):
        return None
    try:
        return (Path(root) / where).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def apply_security(
    site_dir: Path,
    rules: SiteRules,
    *,
    sources: Mapping[str, str] | None = None,
    root: Path | None = None,
    also: Sequence[str] = (),
    inject: bool = True,
) -> SiteSecurity:
    """Judge every published HTML file, then write ``_headers`` and the CSP meta.

    ``rules`` holds the theme's allowlist (:mod:`iopguide.security.theme`): the policy allows
    the inline scripts and styles of that list that the pages use, never one found only in a
    page. ``sources`` maps a built page (``faq/index.html``) to its source (``docs/faq.md``,
    relative to ``root``) so that a problem names the file, and the line when ``root`` is
    given and the offending snippet is found there, else in the files ``also`` (relative to
    ``root``: the bibliography, whose addresses the reference lists show).

    Raises :class:`ProblemsFound` and changes nothing when any page fails
    (:func:`iopguide.security.published.judge_page`); otherwise each page is rewritten
    without its HTML comments and with the CSP meta.
    """
    site_dir = Path(site_dir)
    pages = sorted(p for p in site_dir.rglob("*") if p.suffix.lower() in HTML_SUFFIXES)
    scripts: set[str] = set()
    styles: set[str] = set()
    problems: list[Problem] = []
    published: dict[Path, str] = {}
    #: each page's own inline scripts and styles: its meta policy allows only those
    own: dict[Path, tuple[set[str], set[str]]] = {}
    extra: dict[str, str | None] = {}
    redirects = 0
    for page in pages:
        rel = page.relative_to(site_dir).as_posix()
        html = _OWN_META.sub("", page.read_text(encoding="utf-8", errors="replace"))
        changed = False
        if rel in rules.redirects and _REDIRECT_SCRIPT.search(html):
            # One shared file instead of one inline script (and one hash) per redirect page.
            depth = len(page.relative_to(site_dir).parts) - 1
            src = "../" * depth + REDIRECT_JS
            html = _REDIRECT_SCRIPT.sub(f'<script src="{src}"></script>', html, count=1)
            changed = True
            redirects += 1
        verdict = judge_page(html, rel, rules)
        scripts |= verdict.scripts
        styles |= verdict.styles
        own[page] = (set(verdict.scripts), set(verdict.styles))
        # Without the meta, a page is rewritten only when the check or the redirect changed it.
        if inject or changed or verdict.html != html:
            published[page] = verdict.html
        where = _where(rel, sources)
        source = _read_source(root, where) if verdict.findings else None
        for finding in verdict.findings:
            file, line = where, source_line(source, finding.needles) if source else None
            for other in also if line is None else ():
                text = extra.setdefault(other, _read_source(root, other))
                found = source_line(text, finding.needles) if text else None
                if found is not None:
                    file, line = other, found
                    break
            problems.append(
                Problem(
                    file,
                    line,
                    None,
                    finding.rule,
                    finding.message,
                    finding.fix,
                    guide=finding.guide,
                )
            )
    if problems:
        raise ProblemsFound(problems, "The built pages break the site's security rules:")
    if redirects:
        (site_dir / REDIRECT_JS).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / REDIRECT_JS).write_text(REDIRECT_JS_CODE, encoding="utf-8")

    policy = build_policy(scripts, styles)
    meta_policy = build_policy(scripts, styles, meta=True)
    fingerprinted = [
        p.relative_to(site_dir).as_posix()
        for p in site_dir.rglob("*")
        if p.is_file() and FINGERPRINTED.search(p.name)
    ]
    headers_path = site_dir / HEADERS_FILE
    headers_path.write_text(render_headers_file(policy, fingerprinted), encoding="utf-8")
    for page, html in published.items():
        if inject:
            # The meta of each page allows only that page's inline code: stricter than the
            # site-wide header, and no page carries the hashes of every other page (or of every
            # language: the Spanish pages' scripts cost English readers nothing).
            html = inject_meta(html, build_policy(*own[page], meta=True))
        page.write_text(html, encoding="utf-8")
    return SiteSecurity(len(pages), scripts, styles, policy, meta_policy, headers_path)
