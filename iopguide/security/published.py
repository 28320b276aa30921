"""Judge every published HTML file as a browser reads it (:mod:`iopguide.security.parse`): the
last word on what readers get (decisions/0009). Each finding carries needles, snippets whose
first line in the page's source the report names (``docs/faq.md:12``)."""

from __future__ import annotations

import base64
import hashlib
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field, fields
from typing import Any

from iopguide.security import MESSAGES
from iopguide.security.misleading import (
    CrisisLines,
    Finding,
    check_hidden,
    check_http,
    check_link,
    check_third_party,
    finding,
    split_url,
)
from iopguide.security.parse import Tag, scan_html, strip_comments

#: Script types a browser executes; any other type is a data block (JSON, JSON-LD).
JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}
#: Tags never allowed in a built page -> what they would do (``refused/...`` in messages.yml).
REFUSED = {
    tag: why
    for why, tags in {
        "base": "base", "frame": "iframe frame portal", "frameset": "frameset",
        "object": "object embed", "applet": "applet", "form": "form",
        "form-part": "textarea isindex keygen", "plaintext": "plaintext", "xmp": "xmp",
        "hides": "noembed noframes noscript template", "math": "math",
        "foreignobject": "foreignobject",
    }.items()
    for tag in tags.split()
}  # fmt: skip
#: Tags of the page head, which the theme writes; never in the body.
HEAD_ONLY = {"meta", "link", "title", "base", "style"}
#: SVG animation elements: they can rewrite an attribute (href) after the page loaded.
ANIMATION = {"animate", "set", "animatemotion", "animatetransform", "animatecolor"}
#: Attributes holding an address; of those, where a reader's browser fetches a file.
URL_ATTRS = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
    "cite", "codebase", "longdesc", "lowsrc", "dynsrc", "manifest", "icon", "ping", "srcset",
    "imagesrcset",
}  # fmt: skip
FETCH_ATTRS = {"src", "srcset", "poster", "data"}
BAD_SCHEMES = ("javascript", "vbscript", "data")


@dataclass(frozen=True)
class ThemeAllowlist:
    """What the theme and our templates put in every page without page content; ``tags``: start
    tags of refused elements it writes (Material's search ``<form>``), at most how many a page."""

    scripts: frozenset[str] = frozenset()
    styles: frozenset[str] = frozenset()
    data_ids: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()
    script_files: frozenset[str] = frozenset()
    tags: Counter[str] = field(default_factory=Counter)


def merge_allowlists(a: ThemeAllowlist, b: ThemeAllowlist) -> ThemeAllowlist:
    """Both allowlists at once (the i18n plugin builds each language into the same site/)."""
    return ThemeAllowlist(*(getattr(a, f.name) | getattr(b, f.name) for f in fields(a)))


@dataclass
class SiteRules:
    """Site-wide facts: ``site_url``'s host and path, redirect stubs, our own script files."""

    allowlist: ThemeAllowlist
    crisis: CrisisLines
    own_hosts: set[str] = field(default_factory=set)
    base_path: str = "/"
    redirects: set[str] = field(default_factory=set)
    script_files: set[str] = field(default_factory=set)


@dataclass
class Verdict:
    """One page's findings, the page to publish, the allowed inline code it uses."""

    findings: list[Finding]
    html: str
    scripts: set[str] = field(default_factory=set)
    styles: set[str] = field(default_factory=set)
    theme_tags: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, *needles: str, **values: Any) -> None:
        self.findings.append(finding(key, tuple(n for n in needles if n), **values))


_TAB_OR_BREAK = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_AROUND = "".join(map(chr, range(0x21)))  # C0 controls and space


def clean_url(value: str) -> str:
    """An address as a browser reads it: no tabs or line breaks inside, no C0 or space around."""
    return _TAB_OR_BREAK.sub("", value).strip(_AROUND)


def _scheme(url: str) -> str:
    match = _SCHEME.match(clean_url(url)) if ":" in url else None
    return match.group(1).lower() if match else ""


def _on_site(url: str, rules: SiteRules) -> bool:
    """A relative address, or one on this site's own host."""
    cleaned = clean_url(url)
    slashed = cleaned.startswith(("//", "\\\\", "/\\", "\\/"))
    parts = split_url("https:" + cleaned if slashed else cleaned)
    if parts is None or not parts.scheme:
        return parts is not None
    return parts.scheme in {"http", "https"} and (parts.hostname or "") in rules.own_hosts


def site_path(url: str, page: str, base_path: str = "/") -> str | None:
    """The built-site path an on-site address points to from ``page`` (``base_path``: of
    ``site_url``)."""
    parts = split_url(clean_url(url))
    if parts is None:
        return None
    path = parts.path
    if parts.netloc or path.startswith("/"):
        if not path.startswith(base_path):
            return None
        path = path[len(base_path) :]
    else:
        path = posixpath.join(posixpath.dirname(page), path)
    normal = posixpath.normpath(path)
    return None if normal.startswith("..") else normal


def source_hash(text: str) -> str:
    """The CSP source expression for an inline script or style: ``'sha256-<base64>'``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _script(tag: Tag, page: str, rules: SiteRules, verdict: Verdict, ids: Counter[str]) -> None:
    src = tag.get("src")
    if src is not None:
        target = site_path(src, page, rules.base_path) if _on_site(src, rules) else None
        if target is None or target not in rules.allowlist.script_files | rules.script_files:
            verdict.add("csp-script-src", tag.source, src, url=clean_url(src)[:80])
        if tag.text.strip():
            verdict.add("csp-inline-script/src", tag.source)
        return
    kind = (tag.get("type") or "").strip().lower()
    if kind in JS_TYPES and (digest := source_hash(tag.text)) in rules.allowlist.scripts:
        verdict.scripts.add(digest)
        return
    data_id = tag.get("id")
    if kind not in JS_TYPES and (
        (tag.in_head and kind == "application/ld+json")
        or (data_id in rules.allowlist.data_ids and ids[data_id or ""] == 1)
    ):
        return
    code = " ".join(tag.text.split())[:60]
    verdict.add("csp-inline-script", tag.source, "<script", code=code)


def _attributes(tag: Tag, rules: SiteRules, verdict: Verdict) -> None:
    for name, value in tag.attrs:
        value = value or ""
        if name.startswith("on"):
            verdict.add("csp-inline-handler", tag.source, name + "=", attr=name, name=tag.name)
        elif name == "style":
            verdict.add("csp-style-attribute", tag.source, "style=", value=value[:60])
        elif name in {"ping", "srcdoc"}:
            needle = name.replace("ping", "ping=")
            verdict.add(f"unsafe-html/{name}", tag.source, needle, name=tag.name)
        elif name in URL_ATTRS:
            urls = [value]
            if name in {"srcset", "imagesrcset"}:
                urls = [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
            for url in urls:
                if (scheme := _scheme(url)) in BAD_SCHEMES:
                    where = {"scheme": scheme, "attr": name, "name": tag.name}
                    verdict.add("unsafe-url", tag.source, url[:40], scheme + ":", **where)
                elif not tag.in_head and (tag.name == "a" or name in FETCH_ATTRS):
                    # No reader is tracked: nothing loads from another site.
                    found = check_http(url, rules.own_hosts) or (
                        check_third_party(url, rules.own_hosts) if name in FETCH_ATTRS else None
                    )
                    verdict.findings += [found] if found else []
        if hidden := check_hidden(value):
            verdict.findings.append(hidden)


def _tag(tag: Tag, page: str, rules: SiteRules, verdict: Verdict, ids: Counter[str]) -> None:
    name, source = tag.name, tag.source
    if name in REFUSED and verdict.theme_tags.get(source, 0) > 0:
        verdict.theme_tags[source] -= 1
    elif name in REFUSED:
        why = MESSAGES[f"refused/{REFUSED[name]}"]["message"]
        verdict.add("unsafe-html/refused", source, f"<{name}", name=name, why=why)
    elif name in HEAD_ONLY and not tag.in_head and name != "style":
        verdict.add("unsafe-html/head-only", source, f"<{name}", name=name)
    elif name == "meta":
        equiv = (tag.get("http-equiv") or "").strip().lower()
        refresh = (tag.get("content") or "").partition("=")[2]
        ours = page in rules.redirects and equiv == "refresh" and _on_site(refresh, rules)
        referrer = (tag.get("name") or "").strip().lower() == "referrer"
        if (tag.get("http-equiv") is not None and not ours) or referrer:
            said = {"attr": "http-equiv" if equiv else "name", "value": equiv or "referrer"}
            verdict.add("unsafe-html/meta", source, "http-equiv", **said)
    elif name == "link":
        href = tag.get("href") or ""
        if not _on_site(href, rules) or _scheme(href) in BAD_SCHEMES:
            verdict.add("unsafe-html/link", source, href, url=clean_url(href)[:80])
    elif name == "script":
        _script(tag, page, rules, verdict, ids)
    elif name == "style" and (digest := source_hash(tag.text)) in rules.allowlist.styles:
        verdict.styles.add(digest)
    elif name == "style":
        verdict.add("csp-inline-style", source, "<style")
    elif name in ANIMATION:
        target = (tag.get("attributename") or "").strip().lower()
        if target in {"href", "xlink:href"}:
            verdict.add("unsafe-html/animation", source, f"<{name}", name=name, target=target)
    elif name == "title" and not tag.in_head:
        verdict.add("unsafe-html/title", source, "<title")
    _attributes(tag, rules, verdict)


def judge_page(html: str, page: str, rules: SiteRules) -> Verdict:
    """Every finding of one built page (``page``: its path in ``site/``), and the page to
    publish, without comments (notes for editors). It is judged again without them: removing
    ``<!--x-->`` from ``<scr<!--x-->ipt>`` makes a new tag."""
    scan = scan_html(html)
    verdict = Verdict([], html)
    odd = [c for c in scan.comments if c.odd]
    for comment in odd:
        snippet = html[comment.start : comment.start + 12]
        verdict.add("html-comment/odd", snippet, comment.odd, odd=comment.odd, snippet=snippet)
    if scan.comments and not odd:
        verdict.html = strip_comments(html, scan.comments)
        scan = scan_html(verdict.html)
        if scan.comments:
            verdict.add("html-comment/left", "<!--")
    for _, what in scan.ambiguous:
        verdict.add("unsafe-html/ambiguous", what[:20], what=what)
    ids = Counter(i for tag in scan.tags if (i := tag.get("id")) is not None)
    for name in sorted(k for k, n in ids.items() if n > 1 and k in rules.allowlist.ids):
        verdict.add("unsafe-html/theme-id", name, name=name)
    verdict.theme_tags = dict(rules.allowlist.tags)
    for tag in scan.tags:
        _tag(tag, page, rules, verdict, ids)
    for a in scan.anchors:
        verdict.findings += check_link(a.get("href") or "", a.text, rules.crisis, rules.own_hosts)
    verdict.findings += filter(None, (check_hidden(text) for _, text in scan.texts))
    return verdict


def source_line(source: str, needles: tuple[str, ...]) -> int | None:
    """The first line of ``source`` holding one of ``needles`` (in order; exact, then any case)."""
    lowered = source.lower()
    for needle in filter(None, needles):
        at = source.find(needle)
        at = at if at >= 0 else lowered.find(needle.lower())
        if at >= 0:
            return source.count("\n", 0, at) + 1
    return None
