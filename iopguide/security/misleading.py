"""Content that misleads a reader, judged on the built page (what the reader gets).

- ``tel-mismatch``: a ``tel:`` or ``sms:`` link whose text shows another number than it dials.
- ``tel-unknown``: a ``tel:`` or ``sms:`` link to a number that ``crisis-lines.yml`` does not
  list. That file is the one place the crisis numbers live; the check covers the theme's crisis
  box too, since it reads the whole built page.
- ``link-host-mismatch``: link text that is an address (``samhsa.gov``, ``https://...``, an
  e-mail address) on another host than the link goes to.
- ``hidden-characters``: bidi controls and zero-width characters, which can make text read
  differently from what it says (Unicode Technical Report 36, "Trojan Source").
- ``http-link``: a link or file address on another site that starts with ``http://``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

import yaml

from iopguide.report import Problem, ProblemsFound

CRISIS_FILE = "crisis-lines.yml"

#: Bidi controls (Unicode property Bidi_Control) and zero-width characters.
HIDDEN = {
    "\u061c": "ARABIC LETTER MARK",
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER",
    "\u180e": "MONGOLIAN VOWEL SEPARATOR",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
}
HIDDEN_RE = re.compile("[" + "".join(HIDDEN) + "]")
_CONTROL = re.compile(r"[\x00-\x20]")

#: A number as people write it: a North American number (+1 (800) 662-4357, 1-800-662-4357)
#: or a run of digits (988, 911).
_NUMBER = re.compile(r"(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b|\d+")
#: Link text that is an address: a URL, or a domain name ending in a top-level domain.
_URL_TEXT = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://)?(?P<host>[^\s/?#:@]+)(?::\d+)?(?:[/?#]\S*)?$", re.I
)
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?P<tld>[a-z]{2,24})$", re.I)
_EMAIL_TEXT = re.compile(r"^[^\s@]+@(?P<host>[^\s@]+\.[a-z]{2,24})$", re.I)
#: Top-level domains a bare "name.tld" link text must end in to count as an address. Without
#: a list, file names like "mkdocs.yml" would look like addresses.
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
    """The numbers of ``crisis-lines.yml``: digits -> name, for calls and for texts, and for
    templates each line by id: ``{"call": "1-800-662-4357", "tel": "tel:+18006624357", ...}``."""

    call: dict[str, str]
    text: dict[str, str]
    by_id: dict[str, dict[str, str]] = field(default_factory=dict)

    def name(self, scheme: str, number: str) -> str | None:
        return (self.text if scheme == "sms" else self.call).get(number)


def load_crisis_lines(root: Path) -> CrisisLines:
    """Read ``crisis-lines.yml``; a broken file is a :class:`ProblemsFound` naming it."""
    path = Path(root) / CRISIS_FILE

    def broken(message: str) -> ProblemsFound:
        return ProblemsFound(
            [
                Problem(
                    CRISIS_FILE,
                    None,
                    None,
                    "crisis-lines",
                    message,
                    "see the comments at the top of the file",
                )
            ]
        )

    if not path.is_file():
        raise broken(
            "The file is missing; the crisis box on every page and every phone link need it"
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise broken(f"The file is not valid YAML ({error})") from None
    lines = data.get("lines") if isinstance(data, dict) else None
    if not isinstance(lines, list):
        raise broken("The file needs a list called 'lines'")
    call: dict[str, str] = {}
    text: dict[str, str] = {}
    by_id: dict[str, dict[str, str]] = {}
    for entry in lines:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise broken(f"Each line needs a name: {entry!r}")
        shown: dict[str, str] = {"name": entry["name"]}
        for key, into, scheme in (("call", call, "tel"), ("text", text, "sms")):
            numbers = entry.get(key) or []
            if not isinstance(numbers, list) or not all(isinstance(n, str) for n in numbers):
                raise broken(f"'{key}' of {entry['name']} must be a list of numbers in quotes")
            for number in numbers:
                into[digits(number)] = entry["name"]
            if numbers:
                shown[key] = numbers[0]
                shown[scheme] = f"{scheme}:{dial(numbers[0])}"
        if isinstance(entry.get("id"), str):
            by_id[entry["id"]] = shown
    return CrisisLines(call, text, by_id)


def dial(number: str) -> str:
    """What a tel: or sms: link dials: ``+1`` and ten digits, or a short code like 988."""
    found = digits(number)
    return f"+1{found}" if len(found) == 10 else found


@dataclass(frozen=True)
class Finding:
    """One problem on a built page; ``needles`` find its line in the source (first found)."""

    rule: str
    message: str
    fix: str
    needles: tuple[str, ...] = ()
    #: Anchor of the style guide section that explains the rule.
    guide: str = "html"


#: Style guide section of the rules of this module.
GUIDE = "links-and-phone-numbers"


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
    return host[4:] if host.startswith("www.") else host


def _text_host(text: str) -> str | None:
    """The host an address-like link text names, or None when the text is not an address."""
    text = text.strip().rstrip(".,;:!)").lstrip("(<").rstrip(">")
    email = _EMAIL_TEXT.match(text)
    if email:
        return email.group("host").lower()
    match = _URL_TEXT.match(text)
    if not match:
        return None
    host = match.group("host").lower().rstrip(".")
    domain = _DOMAIN.match(host)
    explicit = "://" in text or host.startswith("www.")
    if not domain or (not explicit and domain.group("tld").lower() not in TLDS):
        return None
    return host[4:] if host.startswith("www.") else host


def _same_site(text_host: str, link_host: str) -> bool:
    """The link goes to the named host or one of its subdomains."""
    return link_host == text_host or link_host.endswith("." + text_host)


def check_link(href: str, text: str, crisis: CrisisLines, own_hosts: set[str]) -> list[Finding]:
    """Misleading-link findings for one ``<a href>`` and the text a reader sees."""
    found: list[Finding] = []
    label = " ".join(text.split())
    cleaned = _CONTROL.sub("", href)
    scheme = cleaned.split(":", 1)[0].lower() if ":" in cleaned else ""
    if scheme in {"tel", "sms"}:
        number = digits(unquote(cleaned.split(":", 1)[1].split("?", 1)[0]))
        shown = [digits(n) for n in _NUMBER.findall(label)]
        if shown and number not in shown:
            found.append(
                Finding(
                    "tel-mismatch",
                    f'The link "{label}" dials {number or "no number"}, not the number it shows',
                    "make the number in the text and the number after tel: (or sms:) the same; "
                    "check both against crisis-lines.yml",
                    (href, label),
                    GUIDE,
                )
            )
        elif crisis.name(scheme, number) is None:
            kind = "texts" if scheme == "sms" else "calls"
            found.append(
                Finding(
                    "tel-unknown",
                    f'The link "{label}" {kind} {number or "no number"}, which is not a number '
                    "in crisis-lines.yml",
                    "check the number against its source; use a number listed in "
                    "crisis-lines.yml, or add this one there with the key of its source",
                    (href, label),
                    GUIDE,
                )
            )
        return found
    named = _text_host(label)
    if named is not None:
        if scheme == "mailto":
            target = cleaned.split(":", 1)[1].split("?", 1)[0].rpartition("@")[2].lower()
        elif scheme in {"http", "https"} or cleaned.startswith("//"):
            target = _host(cleaned if scheme else "https:" + cleaned)
        else:
            target = next(iter(sorted(own_hosts)), "this site")
        if not _same_site(named, target) and not (target in own_hosts and named in own_hosts):
            found.append(
                Finding(
                    "link-host-mismatch",
                    f'The link text "{label}" names {named}, but the link goes to {target}',
                    "make the text and the address agree: the text should name the site the "
                    "link really opens",
                    (label, href),
                    GUIDE,
                )
            )
    return found


def check_http(url: str, own_hosts: set[str]) -> Finding | None:
    """``http-link`` for an ``http://`` address on another site."""
    if ":" not in url:
        return None
    cleaned = _CONTROL.sub("", url)
    if not cleaned.lower().startswith("http://") or _host(cleaned) in own_hosts:
        return None
    return Finding(
        "http-link",
        f"The address {cleaned[:80]} starts with http://, which anyone on the reader's network "
        "can read or change",
        "write https:// instead of http:// (open the address to check that it works)",
        (url,),
        GUIDE,
    )


def check_third_party(url: str, own_hosts: set[str]) -> Finding | None:
    """``third-party-request`` for a file a reader's browser would fetch from another site."""
    cleaned = _CONTROL.sub("", url).strip()
    lowered = cleaned.lower()
    if not lowered.startswith(("http://", "https://", "//")):
        return None
    host = _host(cleaned if not lowered.startswith("//") else "https:" + cleaned)
    if not host or host in own_hosts:
        return None
    return Finding(
        "third-party-request",
        f"The page loads a file from another site ({host}): every reader's browser would contact "
        "that site, which can then see who reads this page",
        "save the file (an image, for example) in docs/assets/ and use it from there, or link to "
        "the other site with clear words instead",
        (url,),
        GUIDE,
    )


def check_hidden(text: str) -> Finding | None:
    """``hidden-characters`` for the first bidi control or zero-width character in ``text``."""
    match = HIDDEN_RE.search(text)
    if match is None:
        return None
    char = match.group(0)
    return Finding(
        "hidden-characters",
        f"The text has an invisible character, U+{ord(char):04X} {HIDDEN[char]}, that can make "
        "words read or sort differently from what they say",
        "delete it: retype the words around it (copying from other documents can bring it in)",
        (char, f"&#x{ord(char):x};", f"&#{ord(char)};"),
        GUIDE,
    )
