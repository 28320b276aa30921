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
    """Where the sources of a built site live, to point editors at the right file."""

    root: Path
    site_dir: Path
    docs_dir: Path
    overrides_dir: Path

    def show(self, path: Path) -> str:
        for base in (self.root, Path.cwd()):
            try:
                return path.resolve().relative_to(base.resolve()).as_posix()
            except ValueError:
                continue
        return str(path)


def page_of(url: str, base: str) -> str | None:
    """Site-relative page path of a local URL (``faq/``), or None if not ours."""
    if not url.startswith(base):
        return None
    path = urllib.parse.urlsplit(url).path
    return urllib.parse.unquote(path[len(urllib.parse.urlsplit(base).path) :])


def html_file(project: Project, page: str) -> Path:
    target = project.site_dir / page
    if page == "" or page.endswith("/"):
        target = target / "index.html"
    return target


def markdown_source(project: Project, page: str) -> Path | None:
    """docs/faq.md for ``faq/``, docs/index.md for the home page, docs/faq.es.md for
    ``es/faq/`` (a translation is published under its language's folder), and so on."""
    stem = page.removesuffix("index.html").removesuffix(".html").strip("/")
    suffix = ""
    first, _, rest = stem.partition("/")
    if first in list(load_languages(project.root))[1:]:
        stem, suffix = rest, f".{first}"
    candidates = [f"{stem}{suffix}.md", f"{stem}/index{suffix}.md", f"{stem}/README{suffix}.md"]
    if not stem:
        candidates = [f"index{suffix}.md", f"README{suffix}.md"]
    for name in candidates:
        path = project.docs_dir / name
        if path.is_file():
            return path
    return None


@functools.lru_cache(maxsize=256)
def _lines(path: Path, mtime_ns: int) -> list[str] | None:
    """A source file's lines, read once per check (a template link is looked up on every page)."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None


def _search(path: Path, needles: list[str], require_link: bool) -> int | None:
    try:
        lines = _lines(path, path.stat().st_mtime_ns)
    except OSError:
        return None
    if lines is None:
        return None
    for needle in needles:
        if not needle:
            continue
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
        stripped = "/".join(segments) + ("/" if parts.path.endswith("/") else "")
        needles.append(stripped)
        last = segments[-1]
        if last == "index.html" and len(segments) > 1:
            last = segments[-2]
        stem = last.removesuffix(".html")
        needles += [f"{stem}.md", stem]
    return list(dict.fromkeys(needles))


def _in_page_text(html_path: Path, line: int | None, href: str) -> bool:
    """Is the link at this line inside the page's Markdown text (not the theme's frame)?"""
    try:
        soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    except (OSError, UnicodeDecodeError):
        return False
    for tag in soup.find_all(True):
        if line is not None and tag.sourceline != line:
            continue
        if not any(tag.get(attr) == href for attr in LINK_ATTRIBUTES):
            continue
        article = tag.find_parent("article")
        # Material wraps the page text in <article class="md-content__inner">; our template
        # adds blocks after the text inside it (the trust block), marked with iop- classes.
        if article is None:
            return False
        return tag.find_parent(class_=re.compile(r"^iop-")) is None
    return False


@dataclass(frozen=True)
class Source:
    file: str
    line: int | None
    kind: str  # markdown | template | built


def locate(project: Project, page: str, line: int | None, href: str) -> Source:
    """Where an editor fixes the link ``href`` found at ``line`` of the built ``page``.

    A link inside the page's text is looked up in its Markdown file; anything else (or a link
    not found there) in the templates of overrides/; failing both, the built page is named.
    """
    built = html_file(project, page)
    needles = _needles(href)
    template_needles = needles[:3]
    if urllib.parse.urlsplit(href).fragment:
        # A link with a #part is found by its #part (or citation key), never by its page
        # alone: another link to the same page on that line is not this one.
        needles = [n for n in needles if "#" in n or n.startswith("@")]
        template_needles = needles[:3]
    source = markdown_source(project, page)
    if source is not None:
        found = _search(source, needles, require_link=True)
        # Parsing the built page is the slow part: only when the Markdown may have the link.
        if found is not None and _in_page_text(built, line, href):
            return Source(project.show(source), found, "markdown")
    if project.overrides_dir.is_dir():
        for template in sorted(project.overrides_dir.rglob("*.html")):
            found = _search(template, template_needles, require_link=False)
            if found is not None:
                return Source(project.show(template), found, "template")
    # Not in the page's Markdown nor in our templates: the theme or a plugin wrote it (for
    # example Material's "edit this page" button, inside the page's <article>).
    return Source(project.show(built), line, "built")
