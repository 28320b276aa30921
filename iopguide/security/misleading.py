"""Content that misleads a reader, judged on the built page: a phone link that dials another
number than it shows or one not in ``crisis-lines.yml`` (the one list of crisis numbers), link
text naming another host, bidi and zero-width characters ("Trojan Source"), ``http://``."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

import yaml

from iopguide.report import ProblemsFound
from iopguide.security import MESSAGES

CRISIS_FILE = "crisis-lines.yml"

#: Bidi controls (Unicode property Bidi_Control) and zero-width characters.
HIDDEN_RE = re.compile(
    "[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\u180e\ufeff]"
)
_CONTROL = re.compile(r"[\x00-\x20]")
#: A North American number (+1 (800) 662-4357, 1-800-662-4357) or a run of digits (988).
_NUMBER = re.compile(r"(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b|\d+")
#: Link text that is an address: a URL, or a domain name ending in a top-level domain.
_URL_TEXT = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://)?(?P<host>[^\s/?#:@]+)(?::\d+)?(?:[/?#]\S*)?$", re.I
)
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?P<tld>[a-z]{2,24})$", re.I)
_EMAIL_TEXT = re.compile(r"^[^\s@]+@(?P<host>[^\s@]+\.[a-z]{2,24})$", re.I)
#: Top-level domains a bare "name.tld" link text must end in to count as an address (without a
#: list, file names like "mkdocs.yml" would look like addresses).
TLDS = {
    "com", "org", "net", "gov", "edu", "mil", "int", "info", "io", "app", "dev", "health",
    "us", "uk", "ca", "mx", "es", "eu", "au", "nz", "ie", "de", "fr", "it", "nl", "ch",
}  # fmt: skip


def digits(text: str) -> str:
    """The digits of a phone number, without the US country code: ``+1 800`` = ``800``."""
    only = re.sub(r"\D", "", text)
    return only[1:] if len(only) == 11 and only.startswith("1") else only


@dataclass(frozen=True)
class CrisisLines:
    """Digits -> name, for calls and texts; ``by_id``: each line for the templates."""

    call: dict[str, str]
    text: dict[str, str]
    by_id: dict[str, dict[str, str]] = field(default_factory=dict)

    def name(self, scheme: str, number: str) -> str | None:
        return (self.text if scheme == "sms" else self.call).get(number)


def load_crisis_lines(root: Path) -> CrisisLines:
    """Read ``crisis-lines.yml``; a broken file is a :class:`ProblemsFound` naming it."""

    def broken(what: str, **values: Any) -> ProblemsFound:
        return ProblemsFound([MESSAGES.say(CRISIS_FILE, None, f"crisis-lines/{what}", **values)])

    path = Path(root) / CRISIS_FILE
    if not path.is_file():
        raise broken("missing")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise broken("yaml", error=error) from None
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
class Finding:
    """One problem on a built page; ``needles`` find its line in the source (first found)."""

    rule: str
    message: str
    fix: str
    needles: tuple[str, ...] = ()
    #: Anchor of the style guide section that explains the rule.
    guide: str = "html"


def finding(key: str, needles: tuple[str, ...], **values: Any) -> Finding:
    """The finding ``key`` of messages.yml, its ``{names}`` filled in with ``values``."""
    said = MESSAGES.say("", None, key, **values)
    return Finding(said.rule, said.message, said.fix, needles, said.guide)


def split_url(url: str) -> SplitResult | None:
    """``urlsplit(url)``, or None for an address no browser could open (``http://[x``)."""
    try:
        parts = urlsplit(url)
        parts.hostname  # noqa: B018 - raises on a malformed host
    except ValueError:
        return None
    return parts


def _host(url: str) -> str:
    parts = split_url(url)
    host = ((parts.hostname if parts else "") or "").lower().rstrip(".")
    return host.removeprefix("www.")


def _text_host(text: str) -> str | None:
    """The host an address-like link text names, or None when the text is not an address."""
    text = text.strip().rstrip(".,;:!)").lstrip("(<").rstrip(">")
    if email := _EMAIL_TEXT.match(text):
        return email.group("host").lower()
    match = _URL_TEXT.match(text)
    host = match.group("host").lower().rstrip(".") if match else ""
    domain = _DOMAIN.match(host)
    explicit = "://" in text or host.startswith("www.")
    if not domain or (not explicit and domain.group("tld").lower() not in TLDS):
        return None
    return host.removeprefix("www.")


def check_link(href: str, text: str, crisis: CrisisLines, own_hosts: set[str]) -> list[Finding]:
    """Misleading-link findings for one ``<a href>`` and the text a reader sees."""
    label = " ".join(text.split())
    cleaned = _CONTROL.sub("", href)
    scheme, colon, rest = cleaned.partition(":")
    scheme = scheme.lower() if colon else ""
    if scheme in {"tel", "sms"}:
        number = digits(unquote(rest.split("?", 1)[0]))
        shown = [digits(n) for n in _NUMBER.findall(label)]
        said = number or MESSAGES["no-number"]["message"]
        if shown and number not in shown:
            return [finding("tel-mismatch", (href, label), label=label, number=said)]
        if crisis.name(scheme, number) is None:
            key = "tel-unknown/sms" if scheme == "sms" else "tel-unknown/call"
            return [finding(key, (href, label), label=label, number=said)]
        return []
    named = _text_host(label)
    if named is None:
        return []
    if scheme == "mailto":
        target = rest.split("?", 1)[0].rpartition("@")[2].lower()
    elif scheme in {"http", "https"} or cleaned.startswith("//"):
        target = _host(cleaned if scheme else "https:" + cleaned)
    else:
        target = next(iter(sorted(own_hosts)), MESSAGES["this-site"]["message"])
    same = target == named or target.endswith("." + named)
    if same or (target in own_hosts and named in own_hosts):
        return []
    values = {"label": label, "named": named, "target": target}
    return [finding("link-host-mismatch", (label, href), **values)]


def check_http(url: str, own_hosts: set[str]) -> Finding | None:
    """``http-link`` for an ``http://`` address on another site."""
    cleaned = _CONTROL.sub("", url)
    if ":" not in url or not cleaned.lower().startswith("http://") or _host(cleaned) in own_hosts:
        return None
    return finding("http-link", (url,), url=cleaned[:80])


def check_third_party(url: str, own_hosts: set[str]) -> Finding | None:
    """``third-party-request`` for a file a reader's browser would fetch from another site."""
    cleaned = _CONTROL.sub("", url).strip()
    lowered = cleaned.lower()
    if not lowered.startswith(("http://", "https://", "//")):
        return None
    host = _host(cleaned if not lowered.startswith("//") else "https:" + cleaned)
    return (
        None if not host or host in own_hosts else finding("third-party-request", (url,), host=host)
    )


def check_hidden(text: str) -> Finding | None:
    """``hidden-characters`` for the first bidi control or zero-width character in ``text``."""
    if (match := HIDDEN_RE.search(text)) is None:
        return None
    code = ord(match.group(0))
    needles = (chr(code), f"&#x{code:x};", f"&#{code};")
    return finding("hidden-characters", needles, code=code, name=unicodedata.name(chr(code)))
