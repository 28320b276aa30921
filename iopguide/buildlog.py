"""MkDocs' and its plugins' warnings (menu, links, anchors: ``validation:`` in mkdocs.yml), which
name no line, in editors' words: :func:`translate` gives each the file, line and a concrete fix."""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iopguide.citations import BIB
from iopguide.citations import MESSAGES as CITATIONS
from iopguide.content.rules import relative
from iopguide.i18n import load_languages, original_of, page_language
from iopguide.report import MESSAGES, Problem, format_problem, parse_problems, sorted_problems

CONFIG_FILE = "mkdocs.yml"


class Warnings(logging.Handler):
    """The words of MkDocs' and its plugins' warnings (and worse): ``with Warnings() as log:``."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(_text(record))

    def __enter__(self) -> Warnings:
        logging.getLogger("mkdocs").addHandler(self)
        return self

    def __exit__(self, *_: object) -> None:
        logging.getLogger("mkdocs").removeHandler(self)


def _text(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # a plugin's malformed log call must not end the run
        return str(record.msg)


@dataclass
class Project:
    """What the translation needs to know about the project that was built."""

    root: Path
    docs_dir: Path
    site_dir: Path | None = None
    #: Source path (``faq.md``) -> built file (``faq/index.html``) of every page MkDocs builds.
    built: dict[str, str] = field(default_factory=dict)
    bib: str = BIB  # the bibtex plugin's bib_file

    @classmethod
    def of(
        cls, config: Any, site_dir: Path | None = None, built: dict[str, str] | None = None
    ) -> Project:
        """The project of ``config`` (``built``: given when languages.yml stops the page map)."""
        from iopguide import project
        from iopguide.citations.bibtex_adapter import bib_name

        built = project.built_pages(config) if built is None else built
        docs, bib = Path(config.docs_dir), bib_name(config)
        return cls(project.root(config), docs, site_dir, built, bib)

    @property
    def docs(self) -> str:
        return relative(self.docs_dir.resolve(), self.root.resolve())

    def page(self, src: str) -> str:
        return f"{self.docs}/{src}"

    def lines(self, file: str) -> list[str]:
        try:
            return (self.root / file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return []

    def closest(self, name: str, choices: list[str] | None = None) -> str | None:
        """The page (or one of ``choices``) whose name is closest to ``name``; never a translation
        (``faq.es.md``): a menu entry, redirect or link names the original, for every language,
        and a translation whose original is gone is no original."""
        if choices is None:  # languages.yml read for pages only: with no page map it may not load
            codes = list(load_languages(self.root)) if self.built else []
            choices = sorted(s for s in self.built if page_language(s, codes) is None)
        return next(iter(difflib.get_close_matches(name, choices, n=1, cutoff=0.5)), None)


def print_in_house_format(project: Project) -> None:
    """MkDocs' terminal output prints warnings in the house format from now on, for ``project``."""

    def house_format(record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING or parse_problems(text := _text(record)):
            return True
        if problems := [p for p in translate(text, project) if p.rule != "build-warning"]:
            record.msg = "\n".join(map(format_problem, sorted_problems(problems)))
            record.args = None
        return True

    for handler in logging.getLogger("mkdocs").handlers:
        if handler.get_name() == "MkDocsStreamHandler":
            mine = house_format.__qualname__  # the filter of an earlier build goes
            handler.filters = [f for f in handler.filters if getattr(f, "__qualname__", 0) != mine]
            handler.addFilter(house_format)


def translate(message: str, project: Project) -> list[Problem]:
    """The problems one MkDocs (or plugin) warning stands for."""
    text = message.strip()
    found = parse_problems(text)  # a hook's report that stopped the build
    for pattern, rule, handler in _HANDLERS:
        if not found and (match := re.match(pattern, text, re.S)):
            return handler(match, project, rule)
    return found or [MESSAGES.say(CONFIG_FILE, None, "build-warning", text=text)]


def _nav_missing(match: re.Match[str], project: Project, rule: str) -> list[Problem]:
    found, codes = [], list(load_languages(project.root))
    for src in re.findall(r"^\s*- (.+)$", match.string, re.M):
        code = page_language(src, codes)  # a translation goes in
        key = "nav-missing" if code is None else "nav-missing/translation"  # its language's menu,
        entry = src if code is None else original_of(src)  # by the original
        text = "\n".join(project.lines(page := project.page(src))[:80])  # title, or first heading
        m = re.search(r"^(?:title:[ \t]*['\"]?(.+?)['\"]?[ \t]*|#[ \t]+(.+))$", text, re.M)
        title = (m[1] or m[2]).strip() if m else Path(src).stem.replace("-", " ").capitalize()
        found.append(MESSAGES.say(page, 1, key, title=title, src=src, entry=entry, code=code))
    return found


def _in_config(match: re.Match[str], project: Project, rule: str) -> list[Problem]:
    return in_config(match[1], project, rule)


def in_config(value: str, project: Project, rule: str) -> list[Problem]:
    """A menu entry or redirect in mkdocs.yml, found by the value it names."""
    close = project.closest(value)
    hint = MESSAGES.text_if(f"hint/{rule}" if close else f"hint/{rule}/none", close=close)
    named = rf"(^|[\s:'\"]){re.escape(value)}(['\"]|\s*$|\s*:)"  # not in a # comment
    lines = enumerate(project.lines(CONFIG_FILE), start=1)
    line = next((n for n, text in lines if re.search(named, text.split("#", 1)[0])), None)
    values: dict[str, Any] = dict(hint=hint, value=value, docs=project.docs)
    return [MESSAGES.say(CONFIG_FILE, line, rule, page=value.strip("/") or "index", **values)]


def _link(match: re.Match[str], project: Project, rule: str) -> list[Problem]:
    src, link, hint = match["src"], match["link"], "hint/write"
    anchor, target = match.groupdict().get("anchor"), match.groupdict().get("target")
    key = "link-missing-anchor/here" if anchor is not None and not target else rule
    if anchor is not None:
        built = project.built.get(target or src) if project.site_dir else None
        html = "\n".join(project.lines(f"{project.site_dir}/{built}")) if built else ""
        ids = [i for i in re.findall(r'\sid="([^"]+)"', html) if not i.startswith("__")]
        close = (found := project.closest(str(anchor), ids)) and f"#{found}"  # an id of the page
    elif suggested := re.search(r"Did you mean '([^']*)'\?", match.string):
        close = suggested[1]
    else:
        name = link.split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        hint, close = "hint/closest-page", project.closest(name.removesuffix(".md") + ".md")
    hint = MESSAGES.text(hint, close=close, page=project.page(src)) if close else ""
    text = "\n".join(project.lines(page := project.page(src)))
    needles = [f"]({link}", f"]: {link}", f'href="{link}"', f"<{link}>", link]  # most exact first
    at = next((i + n.find(link) for n in needles if (i := text.find(n)) >= 0), -1)
    line = text.count("\n", 0, at) + 1 if at >= 0 else None
    column = at - text.rfind("\n", 0, at) if at >= 0 else None
    values: dict[str, Any] = dict(column=column, link=link, hint=hint, anchor=anchor)
    return [MESSAGES.say(page, line, key, where=project.page(target or src), **values)]


_DOC = r"Doc file '(?P<src>[^']+)' contains "
#: (pattern of MkDocs' or a plugin's message, rule, translation)
_HANDLERS: list[tuple[str, str, Callable[[re.Match[str], Project, str], list[Problem]]]] = [
    (r"The following pages exist in the docs directory, but are not included", "nav-missing",
     _nav_missing),
    (r"A reference to '([^']+)' is included in the 'nav' configuration, which is not",
     "nav-not-found", _in_config),
    (r"An absolute path to '([^']+)' is included in the 'nav'", "nav-absolute-link", _in_config),
    (_DOC + r"a link '(?P<link>[^']*?#(?P<anchor>[^']*))', but (?:the doc "
     r"'(?P<target>[^']+)' does not contain an anchor|there is no such anchor)",
     "link-missing-anchor", _link),
    (_DOC + r"a link '(?P<link>[^']+)', but the target", "link-missing-page", _link),
    (_DOC + r"an unrecognized relative link '(?P<link>[^']+)'", "link-unrecognized", _link),
    (_DOC + r"an absolute link '(?P<link>[^']+)'", "link-absolute", _link),
    (r"(?:Citing unknown reference key|Inline reference to unknown key) (?P<key>\S+)",
     "citation-unknown-key", lambda m, p, rule: [CITATIONS.say(p.bib, None, rule, key=m["key"])]),
    (r"redirects plugin: '([^']+)' is not a valid markdown file", "redirect-source", _in_config),
    (r"Redirect target '([^']+)' does not exist", "redirect-target", _in_config),
]  # fmt: skip
