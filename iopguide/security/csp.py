"""A strict Content-Security-Policy allowing only the theme's inline code (decisions/0009), as
``_headers`` (Netlify / Cloudflare Pages) and as a ``<meta>`` early in each page (GitHub Pages)."""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from iopguide.report import Problem, ProblemsFound
from iopguide.security.published import REDIRECT_JS, SiteRules, Verdict, judge_page, source_line
from iopguide.security.published import source_hash as source_hash

HEADERS_FILE = "_headers"
#: Files a browser reads as HTML pages: every one is judged before it is published.
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".xht", ".shtml"}
#: Directives a ``<meta http-equiv>`` policy cannot carry (browsers ignore them and warn).
META_UNSUPPORTED = ("frame-ancestors", "report-uri", "report-to", "sandbox")
#: The policy; Material's CSS draws its icons from data: SVGs.
POLICY = (
    "default-src 'self'; script-src 'self'{scripts}; style-src 'self'{styles}; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
    "manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'; "
    "frame-ancestors 'none'"
)
#: Features no page of ours uses. Only names Chromium recognises: unknown names log errors.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), "
    "encrypted-media=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), "
    "midi=(), payment=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), "
    "xr-spatial-tracking=()"
)
#: The headers of every response: no embedding by other sites; HTTPS only for a year.
HEADERS = """\
# Written by overrides/hooks/security.py after each build. Do not edit: rebuild instead.
# Format: Netlify / Cloudflare Pages. See DEPLOY.md for other hosts.
/*
  Content-Security-Policy: {policy}
  Referrer-Policy: no-referrer
  X-Content-Type-Options: nosniff
  X-Frame-Options: DENY
  Cross-Origin-Opener-Policy: same-origin
  Cross-Origin-Resource-Policy: same-origin
  Permissions-Policy: {permissions}
  Strict-Transport-Security: max-age=31536000
"""
#: Material fingerprints its own CSS and JS (``bundle.a5f9d56c.min.js``): safe to cache forever.
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8}\.min\.(?:js|css)$")
IMMUTABLE = "public, max-age=31536000, immutable"

#: Exactly the tags :func:`inject_meta` writes, removed before a page is judged again.
_OWN_META = re.compile(
    r'<meta http-equiv="Content-Security-Policy" content="[^"<>]*">'
    r'|<meta name="referrer" content="no-referrer">'
)
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.I)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
#: mkdocs-redirects' inline script, one hash per redirect page (Cloudflare Pages caps a _headers
#: line at 2,000 characters): replaced by one shared file.
_REDIRECT_SCRIPT = re.compile(
    r"<script>var anchor=window\.location\.hash\.substr\(1\);location\.href=.*?</script>", re.S
)
REDIRECT_JS_CODE = (
    "// Redirect pages (mkdocs-redirects): go to the new address, keeping the #anchor.\n"
    'var target = document.querySelector("link[rel=canonical]");\n'
    "if (target) location.replace(target.href + location.hash);\n"
)


def build_policy(scripts: Iterable[str], styles: Iterable[str], meta: bool = False) -> str:
    """The Content-Security-Policy text; ``meta=True`` leaves out what a meta tag cannot carry."""
    scripts, styles = ("".join(f" {h}" for h in sorted(set(x))) for x in (scripts, styles))
    directives = POLICY.format(scripts=scripts, styles=styles).split("; ")
    return "; ".join(d for d in directives if not (meta and d.startswith(META_UNSUPPORTED)))


def render_headers_file(policy: str, fingerprinted: Iterable[str] = ()) -> str:
    """``_headers`` text: security headers for every path, long caching for fingerprinted files."""
    cached = "".join(f"/{path}\n  Cache-Control: {IMMUTABLE}\n" for path in sorted(fingerprinted))
    return HEADERS.format(policy=policy, permissions=PERMISSIONS_POLICY) + cached


def inject_meta(html: str, meta_policy: str) -> str:
    """Put the CSP and no-referrer right after ``<meta charset>``: it covers only what follows."""
    tags = f'<meta http-equiv="Content-Security-Policy" content="{meta_policy}">'
    tags += '<meta name="referrer" content="no-referrer">'
    anchor = _CHARSET.search(html) or _HEAD.search(html)
    return html[: anchor.end()] + tags + html[anchor.end() :] if anchor else html


@dataclass
class SiteSecurity:
    pages: int
    script_hashes: set[str]
    style_hashes: set[str]
    policy: str
    headers_path: Path


def apply_security(
    site_dir: Path,
    rules: SiteRules,
    *,
    sources: Mapping[str, str] | None = None,
    root: Path = Path(),
    also: Sequence[str] = (),
    inject: bool = True,
) -> SiteSecurity:
    """Judge every published HTML file, then write ``_headers`` and each page's CSP meta; if a
    page fails, change nothing. A problem names its line in the page's source (``sources``: built
    page -> file under ``root``), else in the files ``also``."""
    pages = sorted(p for p in site_dir.rglob("*") if p.suffix.lower() in HTML_SUFFIXES)
    problems: list[Problem] = []
    scripts, styles = set[str](), set[str]()
    published: dict[Path, Verdict] = {}  # the pages to write

    @functools.cache
    def read(where: str) -> str:
        with contextlib.suppress(OSError):
            if not where.startswith("site/"):
                return (root / where).read_text(encoding="utf-8", errors="replace")
        return ""

    redirects = False
    for page in pages:
        rel = page.relative_to(site_dir).as_posix()
        html = _OWN_META.sub("", page.read_text(encoding="utf-8", errors="replace"))
        changed = rel in rules.redirects and _REDIRECT_SCRIPT.search(html) is not None
        if changed:
            src = "../" * rel.count("/") + REDIRECT_JS
            html = _REDIRECT_SCRIPT.sub(f'<script src="{src}"></script>', html, count=1)
            redirects = True
        verdict = judge_page(html, rel, rules)
        scripts |= verdict.scripts
        styles |= verdict.styles
        if inject or changed or verdict.html != html:
            published[page] = verdict
        where = (sources or {}).get(rel, f"site/{rel}")
        for f in verdict.findings:
            lines = ((file, source_line(read(file), f.needles)) for file in (where, *also))
            file, line = next(((file, n) for file, n in lines if n is not None), (where, None))
            fields = {k: v for k, v in vars(f).items() if k != "needles"}
            problems.append(Problem(**(fields | {"file": file, "line": line})))
    if problems:
        raise ProblemsFound(problems, "The built pages break the site's security rules:")
    if redirects:
        (site_dir / REDIRECT_JS).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / REDIRECT_JS).write_text(REDIRECT_JS_CODE, encoding="utf-8")
    policy = build_policy(scripts, styles)
    fingerprinted = [
        p.relative_to(site_dir).as_posix()
        for p in site_dir.rglob("*")
        if p.is_file() and FINGERPRINTED.search(p.name)
    ]
    headers_path = site_dir / HEADERS_FILE
    headers_path.write_text(render_headers_file(policy, fingerprinted), encoding="utf-8")
    for page, verdict in published.items():
        # Each page's meta allows only that page's inline code, not every other page's.
        meta = build_policy(verdict.scripts, verdict.styles, meta=True)
        page.write_text(inject_meta(verdict.html, meta) if inject else verdict.html, "utf-8")
    return SiteSecurity(len(pages), scripts, styles, policy, headers_path)
