"""LinkChecker over the built site, served on 127.0.0.1: its settings, how it is run, and
what it says (its XML output, read into :class:`Checked` records)."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from iopguide import localserver

RC_FILE = "linkcheckerrc"
#: Offline, the only host is our own server: no reason to wait between requests. LinkChecker
#: waits 1/rate to 6/rate seconds between two requests to a host, one request at a time (the
#: wait is taken under a lock shared by all its threads): 1000 cost 3.5 ms per link.
LOCAL_RATE = 1_000_000
#: Offline, one LinkChecker thread. Its checking is CPU-bound (one core: Python's GIL), and when
#: many threads start at once they queue behind its per-host wait before the first answer lifts
#: it: on 2026-11-28, 10 threads took 5.2 s on the real site, 1 thread 2.2 s (same links).
LOCAL_THREADS = 1
#: Attributes that hold links in the built HTML (what LinkChecker follows).
LINK_ATTRIBUTES = ("href", "src", "action", "data", "poster", "cite", "srcset")
#: Results that may be gone on the next try.
TRANSIENT = re.compile(
    r"timed? ?out|timeout|ConnectionError|Connection refused|RemoteDisconnected|"
    r"\b(?:429|500|502|503|504)\b",
    re.IGNORECASE,
)
#: LinkChecker's words (LC_ALL=C) when it could not read a page, or was not allowed to.
CONTENT_UNREAD = "could not get content"
ROBOTS_DENIED = "Access denied by robots.txt"
ANCHOR_WARNING = re.compile(r"Anchor `(?P<name>[^']*)' \(decoded: `(?P<decoded>[^']*)'\) not found")


#: LinkChecker lifts its minimum pause between requests for hosts that send this header.
LINKCHECKER_HEADER = {"LinkChecker": "local test server"}


@contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    """Serve ``site_dir`` on 127.0.0.1 on a free port, as a static host; yields the base URL."""
    with localserver.serve(site_dir, LINKCHECKER_HEADER) as base:
        yield base


# ------------------------------------------------------------------------------ LinkChecker
@dataclass
class Checked:
    """One link as LinkChecker reports it."""

    url: str
    parent: str | None
    line: int | None
    column: int | None
    realurl: str
    extern: bool
    valid: bool
    result: str
    warnings: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)
    #: Set by our own #anchor check (:func:`check_fragments`): the decoded fragment not found.
    anchor_missing: str | None = None

    @property
    def absolute(self) -> str:
        if self.parent:
            return urllib.parse.urljoin(self.parent, self.url)
        return self.realurl or self.url

    def missing_anchor(self) -> str | None:
        if self.anchor_missing is not None:
            return self.anchor_missing
        for text in self.warnings:
            match = ANCHOR_WARNING.search(text)
            if match:
                return match.group("decoded")
        return None

    def anchor_unchecked(self) -> str | None:
        """Why LinkChecker did not look for the #anchor of a page that answered: it says nothing
        of an anchor when it could not read the page (content too slow) or robots.txt kept it
        out, just as when it found the anchor. Such a link was not checked, so it is not OK."""
        if not self.valid or "#" not in self.url:
            return None
        said = [t for t in self.warnings if t.startswith(CONTENT_UNREAD)] + [
            t for t in self.infos if t.startswith(ROBOTS_DENIED)
        ]
        return said[0] if said else None


class LinkCheckerFailed(Exception):
    pass


def _linkchecker_command() -> list[str]:
    beside = Path(sys.executable).parent / "linkchecker"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("linkchecker")
    if found:
        return [found]
    raise LinkCheckerFailed(
        "LinkChecker is not installed: run 'make install' (it is pinned in requirements.txt)"
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "None") else None
    except ValueError:
        return None


def parse_xml(text: str) -> list[Checked]:
    """LinkChecker's ``-o xml`` output to :class:`Checked` records."""
    start = text.find("<?xml")
    if start == -1:
        raise LinkCheckerFailed("LinkChecker printed no XML report")
    root = ET.fromstring(text[start:])
    items = []
    for node in root.iter("urldata"):
        parent = node.find("parent")
        valid = node.find("valid")
        items.append(
            Checked(
                url=node.findtext("url") or "",
                parent=parent.text if parent is not None else None,
                line=_int(parent.get("line")) if parent is not None else None,
                column=_int(parent.get("column")) if parent is not None else None,
                realurl=node.findtext("realurl") or "",
                extern=node.findtext("extern") == "1",
                valid=valid is not None and valid.text == "1",
                result=(valid.get("result") or "") if valid is not None else "",
                warnings=[w.text or "" for w in node.iter("warning")],
                infos=[i.text or "" for i in node.iter("info")],
            )
        )
    return items


class _CaseKeptConfig(configparser.RawConfigParser):
    """linkcheckerrc as LinkChecker reads it: option names keep their case."""

    def optionxform(self, optionstr: str) -> str:
        return optionstr


def _config_copy(
    rc: Path, rate: float | None, *, anchors: bool = False, threads: int | None = None
) -> Path:
    """A temporary copy of linkcheckerrc, with another request rate or thread count if given.

    ``anchors``: turn on LinkChecker's AnchorCheck plugin (for external pages, which we do not
    parse ourselves); otherwise it is off, since :func:`check_fragments` checks our own anchors
    far faster (AnchorCheck fetches and parses a page again for every #anchor linking to it).
    """
    parser = _CaseKeptConfig()
    parser.read(rc, encoding="utf-8")
    if anchors and not parser.has_section("AnchorCheck"):
        parser.add_section("AnchorCheck")
    elif not anchors:
        parser.remove_section("AnchorCheck")
    if rate is not None:
        if not parser.has_section("checking"):
            parser.add_section("checking")
        parser.set("checking", "maxrequestspersecond", str(rate))
    if threads is not None:
        if not parser.has_section("checking"):
            parser.add_section("checking")
        parser.set("checking", "threads", str(threads))
    fd, name = tempfile.mkstemp(prefix="linkcheckerrc-", suffix=".ini")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        parser.write(handle)
    # LinkChecker reads its config before it drops root privileges; readable by all anyway.
    os.chmod(name, 0o644)
    return Path(name)


def run_linkchecker(
    urls: list[str],
    rc: Path,
    *,
    extern: bool = False,
    rate: float | None = None,
    threads: int | None = None,
    timeout: float = 1800,
) -> list[Checked]:
    """Run LinkChecker on ``urls``. ``extern``: check only these URLs (-r 0), online."""
    config = _config_copy(rc, rate, anchors=extern, threads=threads)
    try:
        cmd = [*_linkchecker_command(), "-f", str(config), "-o", "xml", "-v", "--no-status"]
        if extern:
            cmd += ["-r", "0", "--check-extern", "--stdin"]
            stdin = "\n".join(urls) + "\n"
        else:
            cmd += urls
            stdin = ""
        env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
        proc = subprocess.run(
            cmd,
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=timeout,
            check=False,
        )
    finally:
        config.unlink(missing_ok=True)
    if proc.returncode not in (0, 1):
        tail = "\n".join(proc.stderr.strip().splitlines()[-8:])
        raise LinkCheckerFailed(f"LinkChecker stopped with exit code {proc.returncode}:\n{tail}")
    return parse_xml(proc.stdout)
