"""Where an editor fixes a link: the Markdown page and line when the link comes from the page's
text, the template file and line when it comes from overrides/, else the built page and line."""

from __future__ import annotations

import functools
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from iopguide.i18n import load_languages
from iopguide.links.linkchecker import LINK_ATTRIBUTES


@dataclass
class Project:
    """Where the sources of a built site live (``docs/``, ``overrides/`` under ``root``)."""

    root: Path
    site_dir: Path

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def overrides_dir(self) -> Path:
        return self.root / "overrides"

    def show(self, path: Path) -> str:
        for base in (self.root, Path.cwd()):
            if path.resolve().is_relative_to(base.resolve()):
                return path.resolve().relative_to(base.resolve()).as_posix()
        return str(path)


@dataclass(frozen=True)
class Source:
    file: str
    line: int | None
    kind: str  # markdown | template | built


def page_of(url: str, base: str) -> str | None:
    """Site-relative page path of a local URL (``faq/``), or None if not ours."""
    if not url.startswith(base):
        return None
    path = urllib.parse.urlsplit(url).path
    return urllib.parse.unquote(path[len(urllib.parse.urlsplit(base).path) :])


def html_file(project: Project, page: str) -> Path:
    target = project.site_dir / page
    return target / "index.html" if page == "" or page.endswith("/") else target


def markdown_source(project: Project, page: str) -> Path | None:
    """docs/faq.md for ``faq/``, docs/index.md for the home page, docs/faq.es.md for
    ``es/faq/`` (a translation is published under its language's folder), and so on."""
    stem = page.removesuffix("index.html").removesuffix(".html").strip("/")
    first, _, rest = stem.partition("/")
    suffix = ""
    if first in list(load_languages(project.root))[1:]:
        stem, suffix = rest, f".{first}"
    names = [f"{stem}{suffix}.md", f"{stem}/index{suffix}.md", f"{stem}/README{suffix}.md"]
    if not stem:
        names = [f"index{suffix}.md", f"README{suffix}.md"]
    return next((p for n in names if (p := project.docs_dir / n).is_file()), None)


@functools.lru_cache(maxsize=256)
def _lines(path: Path, mtime_ns: int) -> list[str]:
    """A source file's lines, read once per check (a template link is looked up on every page)."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _search(path: Path, needles: list[str], require_link: bool) -> int | None:
    try:
        lines = _lines(path, path.stat().st_mtime_ns)
    except OSError:
        return None
    for needle in filter(None, needles):
        for number, line in enumerate(lines, start=1):
            if needle in line and (
                not require_link or any(m in line for m in ("](", "href", "src", "[@", "]:"))
            ):
                return number
    return None


def _needles(href: str) -> list[str]:
    """Text to look for in a source file to find where a built link came from."""
    parts = urllib.parse.urlsplit(href)
    needles = [href]
    if parts.fragment:
        fragment = urllib.parse.unquote(parts.fragment)
        if fragment.startswith(("fn:", "fnref:")):
            needles.append("@" + fragment.split(":", 1)[1])
        needles.append("#" + fragment)
    segments = [s for s in parts.path.split("/") if s not in ("", ".", "..")]
    if segments:
        needles.append("/".join(segments) + ("/" if parts.path.endswith("/") else ""))
        last = segments[-2] if segments[-1] == "index.html" and len(segments) > 1 else segments[-1]
        stem = last.removesuffix(".html")
        needles += [f"{stem}.md", stem]
    return list(dict.fromkeys(needles))


def _in_page_text(html_path: Path, line: int | None, href: str) -> bool:
    """Is the link at this line inside the page's Markdown text (not the theme's frame)?
    Material wraps the text in <article>; our blocks after it (trust block) have iop- classes."""
    try:
        soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    except (OSError, UnicodeDecodeError):
        return False
    for tag in soup.find_all(True):
        if (line is None or tag.sourceline == line) and any(
            tag.get(attr) == href for attr in LINK_ATTRIBUTES
        ):
            in_text = tag.find_parent(class_=re.compile("^iop-")) is None
            return tag.find_parent("article") is not None and in_text
    return False


def locate(project: Project, page: str, line: int | None, href: str) -> Source:
    """Where an editor fixes the link ``href`` found at ``line`` of the built ``page``: in the
    page's Markdown if the link is in its text, else in overrides/, else the built page."""
    built = html_file(project, page)
    needles = _needles(href)
    if urllib.parse.urlsplit(href).fragment:
        # Found by its #part (or citation key), never by its page alone: another link to the
        # same page on that line is not this one.
        needles = [n for n in needles if "#" in n or n.startswith("@")]
    source = markdown_source(project, page)
    # Parsing the built page is the slow part: only when the Markdown may have the link.
    found = _search(source, needles, require_link=True) if source else None
    if source and found and _in_page_text(built, line, href):
        return Source(project.show(source), found, "markdown")
    for template in sorted(project.overrides_dir.rglob("*.html")):
        if (found := _search(template, needles[:3], require_link=False)) is not None:
            return Source(project.show(template), found, "template")
    # The theme or a plugin wrote it (e.g. Material's "edit this page" button).
    return Source(project.show(built), line, "built")
