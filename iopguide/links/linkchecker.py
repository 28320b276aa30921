"""LinkChecker over the built site served on 127.0.0.1: its settings, its run, its XML output."""

from __future__ import annotations

import configparser
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from iopguide import localserver
from iopguide.dois.config import RETRY_STATUSES
from iopguide.report import Messages

MESSAGES = Messages(Path(__file__).with_name("messages.yml"))  # the link check's words

RC_FILE = "linkcheckerrc"
#: Offline our server is the only host: LinkChecker's wait between requests to a host (1/rate to
#: 6/rate s, under one lock) cost 3.5 ms per link at 1000/s. One thread: the check is CPU-bound
#: and 10 threads queue behind that wait (2026-11-28, real site: 10 threads 5.2 s, 1 thread 2.2 s).
LOCAL_RATE = 1_000_000
#: Attributes that hold links in the built HTML (what LinkChecker follows).
LINK_ATTRIBUTES = ("href", "src", "action", "data", "poster", "cite", "srcset")
#: Results that may be gone on the next try.
_FAILURES = r"timed? ?out|timeout|ConnectionError|Connection refused|RemoteDisconnected"
TRANSIENT = re.compile(rf"{_FAILURES}|\b(?:{'|'.join(map(str, RETRY_STATUSES))})\b", re.I)
#: LinkChecker's words (LC_ALL=C) when it could not read a page, or was not allowed to.
CONTENT_UNREAD = "could not get content"
ROBOTS_DENIED = "Access denied by robots.txt"
ANCHOR_WARNING = re.compile(r"Anchor `(?P<name>[^']*)' \(decoded: `(?P<decoded>[^']*)'\) not found")


#: Serve a site on 127.0.0.1 as a static host (yields the base URL); LinkChecker lifts its
#: minimum pause between requests for hosts that send this header.
serve = functools.partial(localserver.serve, headers={"LinkChecker": "local test server"})


@dataclass
class Checked:
    """One link as LinkChecker reports it."""

    url: str
    parent: str | None
    line: int | None
    realurl: str
    extern: bool
    valid: bool
    result: str
    warnings: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)
    #: Set by our own #anchor check (:mod:`.fragments`): the decoded fragment not found.
    anchor_missing: str | None = None

    @property
    def absolute(self) -> str:
        return urljoin(self.parent, self.url) if self.parent else self.realurl or self.url

    def missing_anchor(self) -> str | None:
        if self.anchor_missing is not None:
            return self.anchor_missing
        found = (ANCHOR_WARNING.search(text) for text in self.warnings)
        return next((m.group("decoded") for m in found if m), None)

    def anchor_unchecked(self) -> str | None:
        """Why LinkChecker did not look for the #anchor of a page that answered (it could not
        read the page, or robots.txt kept it out): it then says nothing, as when it found it."""
        if not self.valid or "#" not in self.url:
            return None
        said = [t for t in self.warnings if t.startswith(CONTENT_UNREAD)]
        return next(iter(said + [t for t in self.infos if t.startswith(ROBOTS_DENIED)]), None)


def parse_xml(text: str) -> list[Checked]:
    """LinkChecker's ``-o xml`` output to :class:`Checked` records."""
    if (start := text.find("<?xml")) == -1:
        raise subprocess.SubprocessError(MESSAGES.text("error/no-xml"))
    items = []
    for node in ET.fromstring(text[start:]).iter("urldata"):
        parent, valid = node.find("parent"), node.find("valid")
        line = "" if parent is None else parent.get("line", "")
        url, real, ext, ok = (node.findtext(n, "") for n in ("url", "realurl", "extern", "valid"))
        number, on = int(line) if line.isdigit() else None, None if parent is None else parent.text
        result = "" if valid is None else valid.get("result") or ""
        warnings, infos = ([n.text or "" for n in node.iter(kind)] for kind in ("warning", "info"))
        items.append(Checked(url, on, number, real, ext == "1", ok == "1", result, warnings, infos))
    return items


def run_linkchecker(
    urls: list[str], rc: Path, *, extern: bool = False, rate: float = LOCAL_RATE
) -> list[Checked]:
    """Run LinkChecker on ``urls`` with a temporary copy of ``rc``. Offline: these pages and
    what they link to, at ``rate`` with one thread, no AnchorCheck (:mod:`.fragments` checks our
    anchors far faster). ``extern``: only these URLs (-r 0), online, with AnchorCheck."""
    beside = Path(sys.executable).parent / "linkchecker"
    command = str(beside) if beside.exists() else shutil.which("linkchecker")
    if not command:
        raise subprocess.SubprocessError(MESSAGES.text("error/not-installed"))
    parser = configparser.RawConfigParser()
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # as LinkChecker reads it
    parser.read(rc, encoding="utf-8")
    if not extern:
        parser.remove_section("AnchorCheck")
        parser.read_dict({"checking": {"maxrequestspersecond": str(rate), "threads": "1"}})
    elif not parser.has_section("AnchorCheck"):
        parser.add_section("AnchorCheck")
    fd, config = tempfile.mkstemp(prefix="linkcheckerrc-", suffix=".ini")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        parser.write(handle)
    os.chmod(config, 0o644)  # read before LinkChecker drops root privileges; readable by all
    cmd = [command, "-f", config, "-o", "xml", "-v", "--no-status"]
    cmd += ["-r", "0", "--check-extern", "--stdin"] if extern else urls
    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    stdin = "\n".join(urls) + "\n" if extern else ""
    try:
        proc = subprocess.run(
            cmd, input=stdin, capture_output=True, encoding="utf-8", env=env, timeout=1800
        )
    finally:
        os.unlink(config)
    if proc.returncode not in (0, 1):
        tail = "\n".join(proc.stderr.strip().splitlines()[-8:])
        raise subprocess.SubprocessError(
            MESSAGES.text("error/stopped", code=proc.returncode, tail=tail)
        )
    return parse_xml(proc.stdout)
