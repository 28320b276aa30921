"""MkDocs' and its plugins' warnings, in editors' words.

MkDocs checks the menu, links and anchors while it builds (``validation:`` in mkdocs.yml) and
logs a warning for each mistake, in its own words and without a line number. :class:`Warnings`
keeps them; :func:`translate` turns each into a :class:`~iopguide.report.Problem` with the file
and line of the mistake and a concrete fix.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from iopguide.report import Problem, format_problem, parse_problems, sorted_problems

CONFIG_FILE = "mkdocs.yml"


class Warnings(logging.Handler):
    """The WARNING (and worse) records logged under ``mkdocs`` (the plugins' loggers are its
    children) while attached: ``with Warnings() as log:``."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self) -> Warnings:
        logging.getLogger("mkdocs").addHandler(self)
        return self

    def __exit__(self, *_: object) -> None:
        logging.getLogger("mkdocs").removeHandler(self)

    def messages(self) -> list[str]:
        return [_text(record) for record in self.records]


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

    @classmethod
    def of(cls, config: Any, site_dir: Path | None = None) -> Project:
        """The project a loaded configuration builds."""
        from iopguide import project

        pages = {f.src_uri: f.dest_uri for f in project.page_files(config)}
        root = Path(config.config_file_path).resolve().parent
        return cls(root, Path(config.docs_dir), site_dir, pages)

    @cached_property
    def docs(self) -> str:
        docs, root = self.docs_dir.resolve(), self.root.resolve()
        return (docs.relative_to(root) if docs.is_relative_to(root) else docs).as_posix()

    def page(self, src: str) -> str:
        return f"{self.docs}/{src}"

    def lines(self, file: str) -> list[str]:
        try:
            return (self.root / file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return []

    def closest(self, name: str, choices: list[str] | None = None) -> str | None:
        """The page (or one of ``choices``) whose name is closest to ``name``."""
        pages = sorted(self.built) if choices is None else choices
        close = difflib.get_close_matches(name, pages, n=1, cutoff=0.5)
        return close[0] if close else None


class HouseFormat(logging.Filter):
    """Rewrites a MkDocs or plugin warning into the house format before MkDocs prints it (``make
    build``), in the words of ``make check``. Our hooks' reports and unknown messages pass as
    they are."""

    def __init__(self, project: Project) -> None:
        super().__init__("iopguide-house-format")
        self.project = project

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING and not parse_problems(text := _text(record)):
            problems = [p for p in translate(text, self.project) if p.rule != "build-warning"]
            if problems:
                record.msg = "\n".join(map(format_problem, sorted_problems(problems)))
                record.args = None
        return True


def print_in_house_format(project: Project) -> None:
    """MkDocs' terminal output (its ``MkDocsStreamHandler``) prints warnings in the house format
    from now on, for ``project`` (replacing an earlier filter)."""
    for handler in logging.getLogger("mkdocs").handlers:
        if handler.get_name() == "MkDocsStreamHandler":
            for old in [f for f in handler.filters if isinstance(f, HouseFormat)]:
                handler.removeFilter(old)
            handler.addFilter(HouseFormat(project))


def find_link(lines: list[str], target: str) -> tuple[int | None, int | None]:
    """Line and column (1-based) of the link to ``target`` in a Markdown source, if found."""
    for needle in [f"]({target}", f"]: {target}", f'href="{target}"', f"<{target}>", target]:
        for number, line in enumerate(lines, start=1):
            if (at := line.find(needle)) >= 0:
                return number, at + 1 + needle.find(target)
    return None, None


def find_in_config(project: Project, value: str) -> int | None:
    """Line of ``value`` in mkdocs.yml (the menu entry or redirect that names it)."""
    for number, line in enumerate(project.lines(CONFIG_FILE), start=1):
        text = line.split("#", 1)[0] if not line.lstrip().startswith("#") else ""
        if re.search(rf"(^|[\s:'\"]){re.escape(value)}(['\"]|\s*$|\s*:)", text):
            return number
    return None


def translate(message: str, project: Project) -> list[Problem]:
    """The problems one MkDocs (or plugin) warning stands for."""
    text = message.strip()
    # A hook's report that stopped the build is in our format already.
    if found := parse_problems(text):
        return found
    for pattern, rule, handler in _HANDLERS:
        if match := re.match(pattern, text, re.S):
            return handler(match, project, rule)
    fix = "read the message; if it is unclear, ask in the pull request (a maintainer will help)"
    return [Problem(CONFIG_FILE, None, None, "build-warning", f"MkDocs warned: {text}", fix)]


def _nav_missing(match: re.Match[str], project: Project, rule: str) -> list[Problem]:
    from iopguide.i18n import load_languages, original_of, page_language

    found = []
    for src in re.findall(r"^\s*- (.+)$", match.string, re.M):
        code = page_language(src, list(load_languages(project.root)))
        where, entry = f"under nav: in {CONFIG_FILE}", src
        if code is not None:  # a translation goes in its own language's menu, by the original
            where = f"under nav: of 'locale: {code}' (plugins: i18n: languages:) in {CONFIG_FILE}"
            entry = original_of(src)
        message = "This page is not in the site menu, so readers cannot find it"
        fix = (
            f'add "- {_title(project, src)}: {entry}" {where} (where it belongs in the menu); or, '
            f'for a page that is linked only from other pages, add "/{src}" under not_in_nav: in '
            f"{CONFIG_FILE}"
        )
        found.append(Problem(project.page(src), 1, None, rule, message, fix))
    return found


def _title(project: Project, src: str) -> str:
    """The page's title (front matter ``title:`` or first ``# `` heading), for a menu entry."""
    for line in project.lines(project.page(src))[:80]:
        match = re.match(r"title:\s*['\"]?(.+?)['\"]?\s*$", line) or re.match(r"#\s+(.+)", line)
        if match:
            return match[1].strip()
    return Path(src).stem.replace("-", " ").capitalize()


def _in_config(match: re.Match[str], project: Project, rule: str) -> list[Problem]:
    """A menu entry or redirect in mkdocs.yml, found by the value it names."""
    value, docs = match[1], project.docs
    close = project.closest(value)
    message, fix = {
        "nav-not-found": (
            f"The menu (nav:) lists '{value}', but there is no such page in {docs}/",
            (f"change it to '{close}' (the closest page)" if close else "change it to a page")
            + f", or create {docs}/{value}; menu paths are relative to {docs}/. If you removed "
            "the page on purpose, remove this line (make fix does)",
        ),
        "nav-absolute-link": (
            f"The menu (nav:) links to '{value}', an address starting with '/'",
            f"name the page file instead, e.g. '{value.strip('/') or 'index'}.md' (relative to "
            f"{docs}/), or write the full address (https://...) of an outside page",
        ),
        "redirect-source": (
            f"The redirect from '{value}' does not name a Markdown file",
            "write the old page's file name, ending in .md (e.g. 'old-page.md: new-page.md')",
        ),
        "redirect-target": (
            f"A redirect goes to '{value}', which is not a page",
            (f"did you mean '{close}'? " if close else "")
            + f"redirect to an existing page's .md file under {docs}/",
        ),
    }[rule]
    return [Problem(CONFIG_FILE, find_in_config(project, value), None, rule, message, fix)]


#: rule -> what is wrong with the link, what to do
_LINK_WORDS = {
    "link-missing-page": (
        "points to a page that does not exist",
        "link to an existing page's .md file, or remove the link",
    ),
    "link-unrecognized": (
        "does not name a page file, so it may break when the site moves",
        "link to the page's .md file (e.g. 'faq.md'), relative to this page",
    ),
    "link-absolute": (
        "starts with '/', so it breaks when the site is not at the root of its address",
        "link to the page's .md file relative to this page (e.g. 'faq.md'), or write the full "
        "address (https://...) of an outside page",
    ),
}


def _link(match: re.Match[str], project: Project, rule: str) -> list[Problem]:
    src, link = match["src"], match["link"]
    what, otherwise = _LINK_WORDS.get(rule, ("", ""))
    if rule == "link-missing-anchor":
        anchor, target = match["anchor"], match["target"] or src
        where = project.page(target) if match["target"] else "this page"
        close = project.closest(anchor, _anchors(project, target))
        hint = f"write '#{close}' instead" if close else ""
        what = f"points to a section '#{anchor}' that {where} does not have"
        otherwise = (
            f"use the id of a heading on {where} (a heading 'Who it suits' has the id "
            "'who-it-suits'), or link to the page without '#...'"
        )
    elif suggested := re.search(r"Did you mean '([^']*)'\?", match.string):
        hint = f"write '{suggested[1]}' instead"
    else:
        name = link.split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        close = project.closest(name if name.endswith(".md") else name + ".md")
        hint = (
            f"the closest page is '{close}': link to it (the path is relative to "
            f"{project.page(src)})"
            if close
            else ""
        )
    line, column = find_link(project.lines(project.page(src)), link)
    fix = f"{hint}; otherwise {otherwise}" if hint else otherwise
    return [Problem(project.page(src), line, column, rule, f"The link '{link}' {what}", fix)]


def _anchors(project: Project, src: str) -> list[str]:
    """The ids of the built page of ``src`` (for 'did you mean' on a missing anchor)."""
    if project.site_dir is None or src not in project.built:
        return []
    try:
        html = (project.site_dir / project.built[src]).read_text(encoding="utf-8")
    except OSError:
        return []
    return [i for i in re.findall(r'\sid="([^"]+)"', html) if not i.startswith("__")]


def _unknown_key(match: re.Match[str], project: Project, rule: str) -> list[Problem]:
    message = f"A page cites '{match['key']}', which is not in bibliography.bib"
    fix = (
        "correct the key in the page, or add the source to bibliography.bib "
        "(see CONTRIBUTING-citations.md)"
    )
    return [Problem("bibliography.bib", None, None, rule, message, fix, guide="citations")]


_DOC = r"Doc file '(?P<src>[^']+)' contains "
_Handler = Callable[[re.Match[str], Project, str], list[Problem]]
#: (pattern of MkDocs' or a plugin's message, rule, translation)
_HANDLERS: list[tuple[str, str, _Handler]] = [
    (
        r"The following pages exist in the docs directory, but are not included",
        "nav-missing",
        _nav_missing,
    ),
    (
        r"A reference to '([^']+)' is included in the 'nav' configuration, which is not",
        "nav-not-found",
        _in_config,
    ),
    (r"An absolute path to '([^']+)' is included in the 'nav'", "nav-absolute-link", _in_config),
    (
        _DOC + r"a link '(?P<link>[^']*?#(?P<anchor>[^']*))', but (?:the doc "
        r"'(?P<target>[^']+)' does not contain an anchor|there is no such anchor)",
        "link-missing-anchor",
        _link,
    ),
    (_DOC + r"a link '(?P<link>[^']+)', but the target", "link-missing-page", _link),
    (_DOC + r"an unrecognized relative link '(?P<link>[^']+)'", "link-unrecognized", _link),
    (_DOC + r"an absolute link '(?P<link>[^']+)'", "link-absolute", _link),
    (
        r"(?:Citing unknown reference key|Inline reference to unknown key) (?P<key>\S+)",
        "citation-unknown-key",
        _unknown_key,
    ),
    (r"redirects plugin: '([^']+)' is not a valid markdown file", "redirect-source", _in_config),
    (r"Redirect target '([^']+)' does not exist", "redirect-target", _in_config),
]
