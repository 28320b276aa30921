"""Judge every published HTML file as a browser reads it (:mod:`iopguide.security.parse`): the
last word on what readers get (decisions/0009), misleading links and hidden characters included."""

from __future__ import annotations

import base64
import hashlib
import posixpath
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

from iopguide.content.rules import read_yaml
from iopguide.report import Problem, ProblemsFound
from iopguide.security import MESSAGES
from iopguide.security.parse import Tag, scan_html, strip_comments

CRISIS_FILE = "crisis-lines.yml"
#: The one script file of ours: redirect pages load it (iopguide.security.csp writes it).
REDIRECT_JS = "assets/javascripts/redirect.js"

#: Bidi controls (Unicode property Bidi_Control) and zero-width characters.
HIDDEN_RE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2060\u180e\ufeff]")
#: A North American number (+1 (800) 662-4357, 1-800-662-4357) or a run of digits (988).
_NUMBER = re.compile(r"(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b|\d+")
#: A domain name (lower case) ending in a top-level domain.
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?P<tld>[a-z]{2,24})$")
#: Top-level domains of a bare "name.tld" link text (else "mkdocs.yml" would be an address).
TLDS = {"com", "org", "net", "gov", "edu", "mil", "int", "info", "io", "app", "dev", "health", "us",
        "uk", "ca", "mx", "es", "eu", "au", "nz", "ie", "de", "fr", "it", "nl", "ch"}  # fmt: skip


def digits(text: str) -> str:
    """The digits of a phone number, without the US country code."""
    only = re.sub(r"\D", "", text)
    return only[1:] if len(only) == 11 and only.startswith("1") else only


@dataclass(frozen=True)
class CrisisLines:
    """Digits -> name, for calls and texts; ``by_id``: each line for the templates."""

    call: dict[str, str]
    text: dict[str, str]
    by_id: dict[str, dict[str, str]] = field(default_factory=dict)


def load_crisis_lines(root: Path) -> CrisisLines:
    """Read ``crisis-lines.yml`` as every rules file is read; a mistake is a ProblemsFound."""

    def broken(what: str, **values: Any) -> ProblemsFound:
        return ProblemsFound([MESSAGES.say(CRISIS_FILE, None, f"crisis-lines/{what}", **values)])

    data = read_yaml(root / CRISIS_FILE, root)
    lines = data.get("lines") if isinstance(data, dict) else None
    if not isinstance(lines, list):
        raise broken("no-lines")
    crisis = CrisisLines({}, {})
    for entry in lines:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise broken("no-name", entry=repr(entry))
        name: str = entry["name"]
        shown = {"name": name}
        for key, into, scheme in (("call", crisis.call, "tel"), ("text", crisis.text, "sms")):
            numbers = entry.get(key) or []
            if not isinstance(numbers, list) or not all(isinstance(n, str) for n in numbers):
                raise broken("numbers", key=key, name=name)
            into.update(dict.fromkeys(map(digits, numbers), name))
            if numbers:  # a link dials +1 and ten digits, or a short code like 988
                dial = ("+1" if len(digits(numbers[0])) == 10 else "") + digits(numbers[0])
                shown |= {key: numbers[0], scheme: f"{scheme}:{dial}"}
        if isinstance(entry.get("id"), str):
            crisis.by_id[entry["id"]] = shown
    return crisis


@dataclass(frozen=True)
class Finding(Problem):
    """A problem on a built page; ``needles`` find its line in the page's source (first found)."""

    needles: tuple[str, ...] = ()


def finding(key: str, needles: tuple[str, ...], **values: Any) -> Finding:
    return Finding(**vars(MESSAGES.say("", None, key, **values)), needles=needles)


_TAB_OR_BREAK = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_AROUND = "".join(map(chr, range(0x21)))  # C0 controls and space


def clean_url(value: str) -> str:
    """An address as a browser reads it: no tabs or line breaks inside, no C0 or space around."""
    return _TAB_OR_BREAK.sub("", value).strip(_AROUND)


def scheme_of(url: str) -> str:
    """The scheme of an address, lower case (``""``: relative), as a browser reads it."""
    match = _SCHEME.match(clean_url(url))
    return match[1].lower() if match else ""


def split_url(url: str) -> SplitResult | None:
    """``urlsplit`` of the address as a browser reads it on our https pages (``//host`` is https,
    ``\\`` is ``/`` in a web address); None if malformed."""
    if scheme_of(url := clean_url(url)) in {"", "http", "https"}:
        url = url.replace("\\", "/")
    try:
        parts = urlsplit("https:" + url if url.startswith("//") else url)
        parts.hostname  # noqa: B018 - raises on a malformed host
    except ValueError:
        return None
    return parts


def host_of(url: str) -> str:
    """The host an address leads to, without ``www.`` (also of ``site_url``: own hosts)."""
    return _host(split_url(url))


def _host(parts: SplitResult | None) -> str:
    """:func:`host_of` for an address already split."""
    return ((parts.hostname if parts else "") or "").rstrip(".").removeprefix("www.")


def _text_host(text: str) -> str | None:
    """The host an address-like link text (a URL, an e-mail address, "name.tld") names, or None."""
    text = text.strip().rstrip(".,;:!)").lstrip("(<").rstrip(">")
    host = host_of(text if "://" in text else "//" + text) if len(text.split()) == 1 else ""
    domain = _DOMAIN.match(host)
    explicit = "://" in text or "@" in text or text.lower().startswith("www.")
    return host if domain and (explicit or domain["tld"] in TLDS) else None


def check_link(href: str, text: str, crisis: CrisisLines, own_hosts: set[str]) -> list[Finding]:
    """Misleading-link findings for one ``<a href>`` and the text a reader sees."""
    label, scheme, parts = " ".join(text.split()), scheme_of(href), split_url(href)
    rest = clean_url(href)[len(scheme) + 1 :]
    if scheme in {"tel", "sms"}:
        number = digits(unquote(rest.split("?", 1)[0]))
        shown = [digits(n) for n in _NUMBER.findall(label)]
        said = number or MESSAGES.text("no-number")
        if shown and number not in shown:
            return [finding("tel-mismatch", (href, label), label=label, number=said)]
        if number not in (crisis.text if scheme == "sms" else crisis.call):
            key = "tel-unknown/sms" if scheme == "sms" else "tel-unknown/call"
            return [finding(key, (href, label), label=label, number=said)]
        return []
    named = _text_host(label)
    if named is None:
        return []
    if scheme == "mailto":
        target = rest.split("?", 1)[0].rpartition("@")[2].lower()
    elif parts is None or parts.scheme in {"http", "https"}:
        target = _host(parts)
    else:
        target = next(iter(sorted(own_hosts)), MESSAGES.text("this-site"))
    same = target == named or target.endswith("." + named)
    if same or (target in own_hosts and named in own_hosts):
        return []
    return [finding("link-host-mismatch", (label, href), label=label, named=named, target=target)]


def check_offsite(url: str, own_hosts: set[str], fetch: bool = False) -> Finding | None:
    """``http-link`` for ``http://`` elsewhere; ``third-party-request`` for a file ``fetch``ed."""
    parts = split_url(url)
    host = _host(parts)
    scheme = parts.scheme if parts else scheme_of(url)
    if scheme == "http" and host not in own_hosts:
        return finding("http-link", (url,), url=clean_url(url)[:80])
    if fetch and scheme == "https" and host and host not in own_hosts:
        return finding("third-party-request", (url,), host=host)
    return None


def check_hidden(text: str) -> Finding | None:
    """``hidden-characters`` for the first bidi control or zero-width character in ``text``."""
    if (match := HIDDEN_RE.search(text)) is None:
        return None
    code = ord(match[0])
    needles = (chr(code), f"&#x{code:x};", f"&#{code};")
    return finding("hidden-characters", needles, code=code, name=unicodedata.name(chr(code)))


#: Script types a browser executes; any other type is a data block (JSON, JSON-LD).
JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}
#: Tags never allowed in a built page -> what they do (``refused/...`` in messages.yml).
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
HEAD_ONLY = {"meta", "link", "title"}
#: SVG animation elements: they can rewrite an attribute (href) after the page loaded (also
#: in an SVG file: iopguide.security.files).
ANIMATION = {"animate", "set", "animatemotion", "animatetransform", "animatecolor"}
#: Attributes holding an address; of those, where a reader's browser fetches a file.
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
             "cite", "codebase", "longdesc", "lowsrc", "dynsrc", "manifest", "icon", "ping",
             "srcset", "imagesrcset"}  # fmt: skip
FETCH_ATTRS = {"src", "srcset", "poster", "data"}
BAD_SCHEMES = ("javascript", "vbscript", "data")


@dataclass(frozen=True)
class ThemeAllowlist:
    """What the theme puts in every page; ``tags``: refused start tags it writes, and how often."""

    scripts: frozenset[str] = frozenset()
    styles: frozenset[str] = frozenset()
    data_ids: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()
    script_files: frozenset[str] = frozenset()
    tags: Counter[str] = field(default_factory=Counter)

    def __or__(self, other: ThemeAllowlist) -> ThemeAllowlist:
        """Both at once (the i18n plugin builds each language into the same site/)."""
        return ThemeAllowlist(
            *(getattr(self, f.name) | getattr(other, f.name) for f in fields(self))
        )


@dataclass
class SiteRules:
    """Site-wide facts: ``site_url``'s host and path, redirect stubs."""

    allowlist: ThemeAllowlist
    crisis: CrisisLines
    own_hosts: set[str] = field(default_factory=set)
    base_path: str = "/"
    redirects: set[str] = field(default_factory=set)


@dataclass
class Verdict:
    findings: list[Finding]
    html: str
    scripts: set[str] = field(default_factory=set)
    styles: set[str] = field(default_factory=set)
    theme_tags: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, *needles: str, **values: Any) -> None:
        self.findings.append(finding(key, tuple(n for n in needles if n), **values))


def _on_site(url: str, rules: SiteRules) -> bool:
    """A relative address, or one on this site's own host."""
    parts = split_url(url)
    if parts is None or not parts.scheme:
        return parts is not None
    return parts.scheme in {"http", "https"} and _host(parts) in rules.own_hosts


def site_path(url: str, page: str, base_path: str = "/") -> str | None:
    """The built-site path an on-site address points to from ``page``."""
    if (parts := split_url(url)) is None:
        return None
    path = posixpath.normpath(posixpath.join(base_path + posixpath.dirname(page), parts.path))
    return path[len(base_path) :] if path.startswith(base_path) else None


def source_hash(text: str) -> str:
    """The CSP source expression for an inline script or style: ``'sha256-<base64>'``."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


def _script(tag: Tag, page: str, rules: SiteRules, verdict: Verdict, ids: Counter[str]) -> None:
    src = tag.get("src")
    if src is not None:
        target = site_path(src, page, rules.base_path) if _on_site(src, rules) else None
        if target is None or target not in rules.allowlist.script_files | {REDIRECT_JS}:
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
    verdict.add("csp-inline-script", tag.source, "<script", code=" ".join(tag.text.split())[:60])


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
                if (scheme := scheme_of(url)) in BAD_SCHEMES:
                    where = {"scheme": scheme, "attr": name, "name": tag.name}
                    verdict.add("unsafe-url", tag.source, url[:40], scheme + ":", **where)
                elif tag.in_head or tag.name in REFUSED:
                    pass  # the theme's head; a refused element is unsafe-html already
                elif tag.name == "a" or name in FETCH_ATTRS:
                    # No reader is tracked: nothing loads from another site.
                    found = check_offsite(url, rules.own_hosts, name in FETCH_ATTRS)
                    verdict.findings += [found] if found else []
        verdict.findings += filter(None, [check_hidden(value)])


def _tag(tag: Tag, page: str, rules: SiteRules, verdict: Verdict, ids: Counter[str]) -> None:
    name, source = tag.name, tag.source
    if name in REFUSED and verdict.theme_tags.get(source, 0) > 0:
        verdict.theme_tags[source] -= 1
    elif name in REFUSED:
        why = MESSAGES.text(f"refused/{REFUSED[name]}")
        verdict.add("unsafe-html/refused", source, f"<{name}", name=name, why=why)
    elif name in HEAD_ONLY and not tag.in_head:
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
        if not _on_site(href, rules) or scheme_of(href) in BAD_SCHEMES:
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
    _attributes(tag, rules, verdict)


def judge_page(html: str, page: str, rules: SiteRules) -> Verdict:
    """Every finding of one built page (``page``: its path in ``site/``), and the page without
    comments, judged again: removing ``<!--x-->`` from ``<scr<!--x-->ipt>`` makes a new tag."""
    scan = scan_html(html)
    verdict = Verdict([], html, theme_tags=dict(rules.allowlist.tags))
    odd = [c for c in scan.comments if c.odd]
    for comment in odd:
        snippet = html[comment.start : comment.start + 12]
        verdict.add("html-comment/odd", snippet, comment.odd, odd=comment.odd, snippet=snippet)
    if scan.comments and not odd:
        verdict.html = strip_comments(html, scan.comments)
        scan = scan_html(verdict.html)
        if scan.comments:
            verdict.add("html-comment/left", "<!--")
    for what in scan.ambiguous:
        verdict.add("unsafe-html/ambiguous", what[:20], what=what)
    ids = Counter(i for tag in scan.tags if (i := tag.get("id")) is not None)
    for name in sorted(k for k, n in ids.items() if n > 1 and k in rules.allowlist.ids):
        verdict.add("unsafe-html/theme-id", name, name=name)
    for tag in scan.tags:
        _tag(tag, page, rules, verdict, ids)
    for a in scan.anchors:
        verdict.findings += check_link(a.get("href") or "", a.text, rules.crisis, rules.own_hosts)
    verdict.findings += filter(None, (check_hidden(text) for text in scan.texts))
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
