"""Judge every published HTML file as a browser reads it, before ``site/`` is final.

The content checks (``iopguide.content``) read each Markdown page before rendering and catch
most mistakes early, with exact lines. They read their own copy of the input, though, and
Python-Markdown, Material's templates and our hooks decide what readers get. So the last word
is here: every built page (and every other ``.html`` file the build publishes) is read with
:mod:`iopguide.security.parse`, a browser-faithful tokenizer, and refused when it carries:

- ``csp-inline-script`` / ``csp-inline-style``: an inline ``<script>`` or ``<style>`` that the
  theme and our templates do not produce (:mod:`iopguide.security.theme` knows those without
  any page content). It never becomes a new hash in the policy.
- ``csp-script-src``: a ``<script src>`` that is not a script file of this build.
- ``csp-style-attribute`` / ``csp-inline-handler``: ``style=`` or ``on...=`` attributes,
  quoted or not.
- ``unsafe-html``: ``<meta http-equiv>`` (the CSP meta is added afterwards, by us), ``<base>``,
  ``<iframe>``, ``<frame>``, ``<object>``, ``<embed>``, ``<form>`` and other tags that load,
  submit or hide things; head-only tags in the body; ``<link>`` to another host; SVG
  ``<animate>``/``<set>`` that write ``href``; a second element with an id the theme uses.
- ``unsafe-url``: ``javascript:``, ``vbscript:`` or ``data:`` addresses.
- ``html-comment``: comments that browsers end elsewhere than it seems (``<!-->``, ``--!>``,
  never closed) and ``<!...>``, ``<?...>`` oddities. Well-formed comments are removed from the
  published page (:func:`judge_page` returns the page without them): they hold notes for
  editors (``<!-- allow-term: ... -->``), never anything for readers, and everything in a
  page's source is public.
- the misleading-content rules of :mod:`iopguide.security.misleading`.

Each finding carries "needles", snippets to look for in the page's Markdown source, so the
report names the line there (``docs/faq.md:12``) when the snippet is found, else the file.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field

from iopguide.security.misleading import (
    CrisisLines,
    Finding,
    check_hidden,
    check_http,
    check_link,
    check_third_party,
    split_url,
)
from iopguide.security.parse import Scan, Tag, scan_html, strip_comments

#: Script types a browser executes; any other type is a data block (JSON, JSON-LD).
JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}

#: Tags never allowed in a built page, with what they would do.
REFUSED = {
    "base": "changes where every link on the page goes",
    "iframe": "shows another website inside the page",
    "frame": "shows another website inside the page",
    "frameset": "shows other websites instead of the page",
    "object": "runs or embeds content from elsewhere",
    "embed": "runs or embeds content from elsewhere",
    "applet": "runs a program",
    "portal": "shows another website inside the page",
    "form": "sends what a reader types somewhere",
    "textarea": "is part of a form",
    "isindex": "is part of a form",
    "keygen": "is part of a form",
    "plaintext": "shows the rest of the page as raw code",
    "xmp": "shows raw code and hides what follows from our checks",
    "noembed": "hides content from our checks",
    "noframes": "hides content from our checks",
    "noscript": "hides content from our checks",
    "template": "hides content from our checks",
    "math": "can hide content from our checks",
    "foreignobject": "puts any HTML inside a drawing, out of our checks' sight",
}
#: Tags that belong in the page head, which the theme writes; never in the body.
HEAD_ONLY = {"meta", "link", "title", "base", "style"}
#: SVG animation elements: they can rewrite an attribute (href) after the page loaded.
ANIMATION = {"animate", "set", "animatemotion", "animatetransform", "animatecolor"}
#: Attributes holding an address. Browsers drop tabs and line breaks in them, and spaces and
#: control characters around them, before reading the scheme.
URL_ATTRS = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
    "cite", "codebase", "longdesc", "lowsrc", "dynsrc", "manifest", "icon", "ping", "srcset",
    "imagesrcset",
}  # fmt: skip
BAD_SCHEMES = ("javascript", "vbscript", "data")
#: Where a reader's browser fetches a file (``http://`` there is refused, not only in links).
FETCH_ATTRS = {"src", "srcset", "poster", "data"}


@dataclass(frozen=True)
class ThemeAllowlist:
    """What the theme and our templates put in every page, known without page content."""

    #: CSP hashes (``'sha256-...'``) of inline scripts and styles.
    scripts: frozenset[str] = frozenset()
    styles: frozenset[str] = frozenset()
    #: ids of the theme's data blocks (``<script id="__config" type="application/json">``).
    data_ids: frozenset[str] = frozenset()
    #: Every element id the theme uses (``__config``, ``__search``...): a page may not add one.
    ids: frozenset[str] = frozenset()
    #: Built-site paths of the script files the theme loads (``assets/javascripts/bundle...``).
    script_files: frozenset[str] = frozenset()
    #: Start tags of otherwise refused elements that the theme writes (Material's search and
    #: palette ``<form>``), as written, with how many times one page holds them at most.
    tags: tuple[tuple[str, int], ...] = ()


def merge_allowlists(a: ThemeAllowlist, b: ThemeAllowlist) -> ThemeAllowlist:
    """Both allowlists at once (the i18n plugin builds each language with its own theme
    output into the same site/)."""
    tags = dict(a.tags)
    for source, count in b.tags:
        tags[source] = max(tags.get(source, 0), count)
    return ThemeAllowlist(
        a.scripts | b.scripts,
        a.styles | b.styles,
        a.data_ids | b.data_ids,
        a.ids | b.ids,
        a.script_files | b.script_files,
        tuple(sorted(tags.items())),
    )


@dataclass
class SiteRules:
    """Site-wide facts the page checks need."""

    allowlist: ThemeAllowlist
    crisis: CrisisLines
    #: Hosts that are this site (the host of ``site_url``).
    own_hosts: set[str] = field(default_factory=set)
    #: Path of ``site_url`` ("/" or "/guide/"): where absolute paths of this site start.
    base_path: str = "/"
    #: Built-site paths of redirect stubs (mkdocs-redirects): their meta refresh is ours.
    redirects: set[str] = field(default_factory=set)
    #: Script files the build writes besides the theme's (the shared redirect script).
    script_files: set[str] = field(default_factory=set)


@dataclass
class Verdict:
    """What :func:`judge_page` found, and the page as it will be published."""

    findings: list[Finding]
    html: str
    #: Hashes of the allowed inline scripts and styles the page uses.
    scripts: set[str] = field(default_factory=set)
    styles: set[str] = field(default_factory=set)
    #: Theme start tags this page may still hold (:attr:`ThemeAllowlist.tags`).
    theme_tags: dict[str, int] = field(default_factory=dict)


_TAB_OR_BREAK = re.compile(r"[\t\n\r]")
#: C0 controls and space: browsers strip them around an address.
_AROUND = "".join(chr(c) for c in range(0x21))
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def clean_url(value: str) -> str:
    """An address as the browser's URL parser reads it: no tabs or line breaks inside, no
    spaces or control characters around."""
    return _TAB_OR_BREAK.sub("", value).strip(_AROUND)


def _scheme(url: str) -> str:
    if ":" not in url:
        return ""
    match = _SCHEME.match(clean_url(url))
    return match.group(1).lower() if match else ""


def _urls(name: str, value: str) -> list[str]:
    if name in {"srcset", "imagesrcset"}:
        return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
    return [value]


def _on_site(url: str, rules: SiteRules) -> bool:
    """A relative address, or one on this site's own host."""
    cleaned = clean_url(url)
    if cleaned.startswith(("//", "\\\\", "/\\", "\\/")):
        slashed = split_url("https:" + cleaned)
        return slashed is not None and (slashed.hostname or "") in rules.own_hosts
    parts = split_url(cleaned)
    if parts is None:
        return False
    if parts.scheme:
        return parts.scheme in {"http", "https"} and (parts.hostname or "") in rules.own_hosts
    return True


def site_path(url: str, page: str, base_path: str = "/") -> str | None:
    """The built-site path an on-site address points to, from page ``page``; ``base_path`` is
    the path of ``site_url``, where absolute paths of this site start."""
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
    import base64
    import hashlib

    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _f(rule: str, message: str, fix: str, *needles: str) -> Finding:
    return Finding(rule, message, fix, tuple(n for n in needles if n))


def _script(
    tag: Tag, page: str, rules: SiteRules, verdict: Verdict, ids: Counter[str | None]
) -> None:
    src = tag.get("src")
    if src is not None:
        target = site_path(src, page, rules.base_path) if _on_site(src, rules) else None
        allowed = rules.allowlist.script_files | rules.script_files
        if target is None or target not in allowed:
            verdict.findings.append(
                _f(
                    "csp-script-src",
                    f"The page loads a script from {clean_url(src)[:80]}, which is not one of "
                    "the theme's scripts",
                    "remove the <script> tag: pages must not run scripts",
                    tag.source,
                    src,
                )
            )
        if tag.text.strip():
            verdict.findings.append(
                _f(
                    "csp-inline-script",
                    "A <script src> tag also holds code",
                    "remove the <script> tag",
                    tag.source,
                )
            )
        return
    kind = (tag.get("type") or "").strip().lower()
    if kind in JS_TYPES:
        digest = source_hash(tag.text)
        if digest in rules.allowlist.scripts:
            verdict.scripts.add(digest)
            return
    elif (tag.in_head and kind == "application/ld+json") or (
        tag.get("id") in rules.allowlist.data_ids and ids[tag.get("id")] == 1
    ):
        return
    code = " ".join(tag.text.split())[:60]
    verdict.findings.append(
        _f(
            "csp-inline-script",
            f"The page has a <script> the theme does not write ({code!r}); the site's security "
            "policy would block it, and it could run code for every reader",
            "remove the <script> tag and what it holds: pages must not run scripts",
            tag.source,
            "<script",
        )
    )


def _attributes(tag: Tag, rules: SiteRules, verdict: Verdict) -> None:
    for name, value in tag.attrs:
        value = value or ""
        if name.startswith("on"):
            verdict.findings.append(
                _f(
                    "csp-inline-handler",
                    f"The attribute {name}= on <{tag.name}> runs code; the site's security "
                    "policy blocks it",
                    f"remove {name}=... from the tag: pages must not run scripts",
                    tag.source,
                    name + "=",
                )
            )
        elif name == "style":
            verdict.findings.append(
                _f(
                    "csp-style-attribute",
                    f'The page has an inline style attribute, style="{value[:60]}"; the site\'s '
                    "security policy blocks it, so readers would not see that styling",
                    "remove the style attribute and add a class in docs/assets/iop-guide.css "
                    "instead",
                    tag.source,
                    "style=",
                )
            )
        elif name == "ping":
            verdict.findings.append(
                _f(
                    "unsafe-html",
                    f"The attribute ping= on <{tag.name}> tells another address each time a "
                    "reader follows the link",
                    "remove ping=... from the link",
                    tag.source,
                    "ping=",
                )
            )
        elif name == "srcdoc":
            verdict.findings.append(
                _f(
                    "unsafe-html",
                    f"The attribute srcdoc= on <{tag.name}> embeds a page",
                    "remove it",
                    tag.source,
                    "srcdoc",
                )
            )
        elif name in URL_ATTRS:
            for url in _urls(name, value):
                scheme = _scheme(url)
                if scheme in BAD_SCHEMES:
                    verdict.findings.append(
                        _f(
                            "unsafe-url",
                            f"A {scheme}: address ({name}= on <{tag.name}>) can run code or "
                            "hide what a link really opens",
                            "link to a page (like faq.md) or a web address (https://...); save "
                            "images in docs/assets/",
                            tag.source,
                            url[:40],
                            scheme + ":",
                        )
                    )
                elif not tag.in_head and (tag.name == "a" or name in FETCH_ATTRS):
                    http = check_http(url, rules.own_hosts)
                    if http is not None:
                        verdict.findings.append(http)
                    elif name in FETCH_ATTRS:
                        # No reader is tracked: nothing loads from another site.
                        outside = check_third_party(url, rules.own_hosts)
                        if outside is not None:
                            verdict.findings.append(outside)
        hidden = check_hidden(value)
        if hidden is not None:
            verdict.findings.append(hidden)


def _tag(
    tag: Tag, page: str, rules: SiteRules, verdict: Verdict, ids: Counter[str | None], stub: bool
) -> None:
    name = tag.name
    if name in REFUSED and verdict.theme_tags.get(tag.source, 0) > 0:
        verdict.theme_tags[tag.source] -= 1
    elif name in REFUSED:
        verdict.findings.append(
            _f(
                "unsafe-html",
                f"The HTML tag <{name}> is not allowed: it {REFUSED[name]}",
                "remove it. To share a video, a form or another website, link to it with "
                "clear words",
                tag.source,
                f"<{name}",
            )
        )
    elif name in HEAD_ONLY and not tag.in_head and name != "style":
        verdict.findings.append(
            _f(
                "unsafe-html",
                f"The HTML tag <{name}> is not allowed in a page: it can change how the whole "
                "page behaves",
                "remove it; the theme writes the page head",
                tag.source,
                f"<{name}",
            )
        )
    elif name == "meta":
        equiv = (tag.get("http-equiv") or "").strip().lower()
        content = tag.get("content") or ""
        own_refresh = stub and equiv == "refresh" and _on_site(content.partition("=")[2], rules)
        if (tag.get("http-equiv") is not None and not own_refresh) or (
            (tag.get("name") or "").strip().lower() == "referrer"
        ):
            verdict.findings.append(
                _f(
                    "unsafe-html",
                    f"The page has <meta {'http-equiv' if equiv else 'name'}="
                    f'"{equiv or "referrer"}">, which can send readers to another site or '
                    "weaken the page's security",
                    "remove it. To move a page, add a redirect in mkdocs.yml (redirect_maps)",
                    tag.source,
                    "http-equiv",
                )
            )
    elif name == "link":
        href = tag.get("href") or ""
        if not _on_site(href, rules) or _scheme(href) in BAD_SCHEMES:
            verdict.findings.append(
                _f(
                    "unsafe-html",
                    f"The page has a <link> to {clean_url(href)[:80]}, another website, which "
                    "would load a file from there for every reader",
                    "remove the <link> tag",
                    tag.source,
                    href,
                )
            )
    elif name == "script":
        _script(tag, page, rules, verdict, ids)
    elif name == "style":
        digest = source_hash(tag.text)
        if digest in rules.allowlist.styles:
            verdict.styles.add(digest)
        else:
            verdict.findings.append(
                _f(
                    "csp-inline-style",
                    "The page has a <style> block the theme does not write; it could hide or "
                    "change any part of the page, like the crisis box",
                    "remove it; ask a developer to add the styling to docs/assets/iop-guide.css",
                    tag.source,
                    "<style",
                )
            )
    elif name in ANIMATION:
        target = (tag.get("attributename") or "").strip().lower()
        if target in {"href", "xlink:href"}:
            verdict.findings.append(
                _f(
                    "unsafe-html",
                    f"The drawing has an <{name}> that rewrites a link ({target}) after the "
                    "page loads",
                    "remove the animation from the SVG",
                    tag.source,
                    f"<{name}",
                )
            )
    elif name == "title" and not tag.in_head:
        verdict.findings.append(
            _f(
                "unsafe-html",
                "A <title> inside the page can hide the rest of it",
                "remove it; describe a drawing with aria-label instead",
                tag.source,
                "<title",
            )
        )
    _attributes(tag, rules, verdict)


def judge_page(html: str, page: str, rules: SiteRules) -> Verdict:
    """Every finding of one built page (``page`` is its path in ``site/``), and the page to
    publish (comments removed). The page is read again after comments are removed: removing
    ``<!--x-->`` from ``<scr<!--x-->ipt>`` makes a new tag, and only what is published counts."""
    scan, _ = scan_html(html)
    verdict = Verdict([], html)
    odd = [c for c in scan.comments if c.odd]
    for comment in odd:
        snippet = html[comment.start : comment.start + 12]
        verdict.findings.append(
            _f(
                "html-comment",
                f"The page has {comment.odd!r} ({snippet!r}...), which browsers do not read as "
                "a normal comment: text after it may show or run",
                "write notes as <!-- note --> (four characters to open, three to close), or "
                "delete them",
                snippet,
                comment.odd,
            )
        )
    if scan.comments and not odd:
        verdict.html = strip_comments(html, scan.comments)
        scan, _ = scan_html(verdict.html)
        if scan.comments:
            verdict.findings.append(
                _f(
                    "html-comment",
                    "Removing the comments of the page leaves another comment or tag",
                    "delete the comments inside tags or words",
                    "<!--",
                )
            )
    _judge_scan(scan, page, rules, verdict)
    return verdict


def _judge_scan(scan: Scan, page: str, rules: SiteRules, verdict: Verdict) -> None:
    for _, what in scan.ambiguous:
        verdict.findings.append(
            _f(
                "unsafe-html",
                f"Browsers and our checks would read this part of the page differently: {what}",
                "remove the HTML around it; write Markdown instead",
                what[:20],
            )
        )
    ids = Counter(tag.get("id") for tag in scan.tags if tag.get("id") is not None)
    for name in sorted(k for k, n in ids.items() if n > 1 and k in rules.allowlist.ids):
        verdict.findings.append(
            _f(
                "unsafe-html",
                f'The page uses the id "{name}" twice; the theme needs it for itself',
                "choose another id (in {#...} or id=...)",
                name,
            )
        )
    stub = page in rules.redirects
    verdict.theme_tags = dict(rules.allowlist.tags)
    for tag in scan.tags:
        _tag(tag, page, rules, verdict, ids, stub)
    for anchor in scan.anchors:
        verdict.findings += check_link(anchor.href, anchor.text, rules.crisis, rules.own_hosts)
    for _, text in scan.texts:
        hidden = check_hidden(text)
        if hidden is not None:
            verdict.findings.append(hidden)


def source_line(source: str, needles: tuple[str, ...]) -> int | None:
    """The first line of ``source`` holding one of ``needles`` (tried in order; exact first,
    then ignoring case), or None."""
    lowered = source.lower()
    for needle in needles:
        if not needle:
            continue
        at = source.find(needle)
        if at < 0:
            at = lowered.find(needle.lower())
        if at >= 0:
            return source.count("\n", 0, at) + 1
    return None
