"""MkDocs' and its plugins' warnings, in editors' words.

MkDocs checks the menu (``nav:``), links and anchors while it builds (the ``validation:`` block of
mkdocs.yml) and logs a warning for each mistake, in its own words and without a line number. A
:class:`WarningCollector` (a logging handler on the ``mkdocs`` logger, which the plugins' loggers
are children of) keeps those warnings during a build; :func:`translate` turns each into a
:class:`~iopguide.report.Problem` with the file and line of the mistake and a concrete fix.
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iopguide.report import Problem, format_problem, parse_problems, sorted_problems

CONFIG_FILE = "mkdocs.yml"


class WarningCollector(logging.Handler):
    """Keeps every WARNING (and worse) message logged under ``mkdocs`` during a build."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(record.getMessage())
        except Exception:  # a plugin's malformed log call must not end the run
            self.messages.append(str(record.msg))


@dataclass
class Project:
    """What the translation needs to know about the project that was built."""

    root: Path
    docs_dir: Path
    site_dir: Path | None = None
    #: Source path (``faq.md``) -> built file (``faq/index.html``) of every page MkDocs builds
    #: (iopguide.project's page list), for page and anchor suggestions.
    built: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, config: Any, site_dir: Path | None = None) -> Project:
        """The project a loaded configuration builds."""
        from iopguide import project

        return cls(
            Path(config.config_file_path).resolve().parent,
            Path(config.docs_dir),
            site_dir,
            {f.src_uri: f.dest_uri for f in project.page_files(config)},
        )

    @property
    def docs(self) -> str:
        try:
            return self.docs_dir.relative_to(self.root).as_posix()
        except ValueError:
            return self.docs_dir.as_posix()

    def page(self, src: str) -> str:
        return f"{self.docs}/{src}"

    def pages(self) -> list[str]:
        return sorted(self.built)

    def lines(self, file: str) -> list[str]:
        path = self.root / file
        try:
            return path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return []


class HouseFormat(logging.Filter):
    """Rewrites a MkDocs or plugin warning into the house format before a handler prints it
    (``make build``): the same :func:`translate` as ``make check``, so the same words.

    A message that already is in the house format (our hooks' reports) and one that no
    translation knows are printed as they are.
    """

    def __init__(self, project: Project) -> None:
        super().__init__("iopguide-house-format")
        self.project = project

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        try:
            text = record.getMessage()
        except Exception:
            return True
        if parse_problems(text):
            return True
        problems = [p for p in translate(text, self.project) if p.rule != "build-warning"]
        if problems:
            record.msg = "\n".join(format_problem(p) for p in sorted_problems(problems))
            record.args = None
        return True


def print_in_house_format(project: Project) -> None:
    """MkDocs' terminal output (its ``MkDocsStreamHandler``) prints warnings in the house
    format from now on, for ``project``. Called again, it replaces the filter."""
    for handler in logging.getLogger("mkdocs").handlers:
        if handler.get_name() != "MkDocsStreamHandler":
            continue
        for old in [f for f in handler.filters if isinstance(f, HouseFormat)]:
            handler.removeFilter(old)
        handler.addFilter(HouseFormat(project))


def _title(project: Project, src: str) -> str:
    """The page's title (front matter ``title:`` or first ``# `` heading), for a menu entry."""
    for line in project.lines(project.page(src))[:80]:
        match = re.match(r"title:\s*['\"]?(.+?)['\"]?\s*$", line) or re.match(r"#\s+(.+)", line)
        if match:
            return match[1].strip()
    return Path(src).stem.replace("-", " ").capitalize()


def find_link(lines: list[str], target: str) -> tuple[int | None, int | None]:
    """Line and column (1-based) of the link to ``target`` in a Markdown source, if found."""
    patterns = [f"]({target}", f"]: {target}", f'href="{target}"', f"<{target}>", target]
    for needle in patterns:
        for number, line in enumerate(lines, start=1):
            at = line.find(needle)
            if at >= 0:
                return number, at + 1 + (needle.find(target) if needle != target else 0)
    return None, None


def find_in_config(project: Project, value: str) -> int | None:
    """Line of ``value`` in mkdocs.yml (the menu entry or redirect that names it)."""
    for number, line in enumerate(project.lines(CONFIG_FILE), start=1):
        text = line.split("#", 1)[0] if not line.lstrip().startswith("#") else ""
        if re.search(rf"(^|[\s:'\"]){re.escape(value)}(['\"]|\s*$|\s*:)", text):
            return number
    return None


def _closest(name: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
    return close[0] if close else None


def _anchors(project: Project, src: str) -> list[str]:
    """The ids of the built page of ``src`` (for 'did you mean' on a missing anchor)."""
    if project.site_dir is None or src not in project.built:
        return []
    try:
        html = (project.site_dir / project.built[src]).read_text(encoding="utf-8")
    except OSError:
        return []
    return [i for i in re.findall(r'\sid="([^"]+)"', html) if not i.startswith("__")]


def _did_you_mean(message: str) -> str | None:
    match = re.search(r"Did you mean '([^']*)'\?", message)
    return match[1] if match else None


_DOC = r"Doc file '(?P<src>[^']+)' contains "


def translate(message: str, project: Project) -> list[Problem]:
    """The problems one MkDocs (or plugin) warning stands for."""
    text = message.strip()
    # A hook's report that stopped the build (MkDocs logs a PluginError's text as an error):
    # its lines are in our format already.
    found = parse_problems(text)
    if found:
        return found
    for handler in _HANDLERS:
        match = re.match(handler[0], text, re.S)
        if match:
            return handler[1](match, text, project)
    return [
        Problem(
            CONFIG_FILE,
            None,
            None,
            "build-warning",
            f"MkDocs warned: {text}",
            "read the message; if it is unclear, ask in the pull request (a maintainer will help)",
        )
    ]


def _nav_missing(match: re.Match[str], text: str, project: Project) -> list[Problem]:
    pages = re.findall(r"^\s*- (.+)$", text, re.M)
    return [_nav_missing_page(project, src) for src in pages]


def _nav_missing_page(project: Project, src: str) -> Problem:
    from iopguide.i18n import load_languages, original_of, page_language

    code = page_language(src, list(load_languages(project.root)))
    where = f"under nav: in {CONFIG_FILE}"
    entry = src
    if code is not None:
        # A translation goes in its own language's menu, by the original page's file name.
        where = f"under nav: of 'locale: {code}' (plugins: i18n: languages:) in {CONFIG_FILE}"
        entry = original_of(src)
    return Problem(
        project.page(src),
        1,
        None,
        "nav-missing",
        "This page is not in the site menu, so readers cannot find it",
        f'add "- {_title(project, src)}: {entry}" {where} (where it belongs in the menu); or, '
        f'for a page that is linked only from other pages, add "/{src}" under not_in_nav: in '
        f"{CONFIG_FILE}",
    )


def _nav_not_found(match: re.Match[str], text: str, project: Project) -> list[Problem]:
    target = match["target"]
    close = _closest(target, project.pages())
    hint = f"change it to '{close}' (the closest page)" if close else "change it to a page"
    return [
        Problem(
            CONFIG_FILE,
            find_in_config(project, target),
            None,
            "nav-not-found",
            f"The menu (nav:) lists '{target}', but there is no such page in {project.docs}/",
            f"{hint}, or create {project.docs}/{target}; menu paths are relative to "
            f"{project.docs}/. If you removed the page on purpose, remove this line (make fix "
            "does)",
        )
    ]


def _nav_absolute(match: re.Match[str], text: str, project: Project) -> list[Problem]:
    target = match["target"]
    return [
        Problem(
            CONFIG_FILE,
            find_in_config(project, target),
            None,
            "nav-absolute-link",
            f"The menu (nav:) links to '{target}', an address starting with '/'",
            f"name the page file instead, e.g. '{target.strip('/') or 'index'}.md' (relative to "
            f"{project.docs}/), or write the full address (https://...) of an outside page",
        )
    ]


def _link_problem(
    match: re.Match[str], rule: str, message: str, fix: str, project: Project
) -> list[Problem]:
    src, link = match["src"], match["link"]
    line, column = find_link(project.lines(project.page(src)), link)
    return [Problem(project.page(src), line, column, rule, message, fix)]


def _suggest_page(link: str, text: str, src: str, project: Project) -> str:
    """'write 'x.md' instead' when MkDocs or the file names suggest a page, else ''."""
    suggestion = _did_you_mean(text)
    if suggestion:
        return f"write '{suggestion}' instead"
    name = link.split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    close = _closest(name if name.endswith(".md") else name + ".md", project.pages())
    if close:
        return (
            f"the closest page is '{close}': link to it (the path is relative to "
            f"{project.page(src)})"
        )
    return ""


def _either(hint: str, otherwise: str) -> str:
    return f"{hint}; otherwise {otherwise}" if hint else otherwise


def _link_not_found(match: re.Match[str], text: str, project: Project) -> list[Problem]:
    link = match["link"]
    hint = _suggest_page(link, text, match["src"], project)
    return _link_problem(
        match,
        "link-missing-page",
        f"The link '{link}' points to a page that does not exist",
        _either(hint, "link to an existing page's .md file, or remove the link"),
        project,
    )


def _link_unrecognized(match: re.Match[str], text: str, project: Project) -> list[Problem]:
    link = match["link"]
    hint = _suggest_page(link, text, match["src"], project)
    return _link_problem(
        match,
        "link-unrecognized",
        f"The link '{link}' does not name a page file, so it may break when the site moves",
        _either(hint, "link to the page's .md file (e.g. 'faq.md'), relative to this page"),
        project,
    )


def _link_absolute(match: re.Match[str], text: str, project: Project) -> list[Problem]:
    link = match["link"]
    hint = _suggest_page(link, text, match["src"], project)
    return _link_problem(
        match,
        "link-absolute",
        f"The link '{link}' starts with '/', so it breaks when the site is not at the root of "
        "its address",
        _either(
            hint,
            "link to the page's .md file relative to this page (e.g. 'faq.md'), or write the "
            "full address (https://...) of an outside page",
        ),
        project,
    )


def _anchor_missing(match: re.Match[str], text: str, project: Project) -> list[Problem]:
    link, anchor = match["link"], match["anchor"]
    target = match["target"] or match["src"]
    close = _closest(anchor, _anchors(project, target))
    where = "this page" if not match["target"] else project.page(target)
    otherwise = (
        f"use the id of a heading on {where} (a heading 'Who it suits' has the id "
        "'who-it-suits'), or link to the page without '#...'"
    )
    return _link_problem(
        match,
        "link-missing-anchor",
        f"The link '{link}' points to a section '#{anchor}' that {where} does not have",
        _either(f"write '#{close}' instead" if close else "", otherwise),
        project,
    )


def _bibtex_unknown(match: re.Match[str], text: str, project: Project) -> list[Problem]:
    key = match["key"]
    return [
        Problem(
            "bibliography.bib",
            None,
            None,
            "citation-unknown-key",
            f"A page cites '{key}', which is not in bibliography.bib",
            "correct the key in the page, or add the source to bibliography.bib "
            "(see CONTRIBUTING-citations.md)",
            guide="citations",
        )
    ]


def _redirect_source(match: re.Match[str], text: str, project: Project) -> list[Problem]:
    old = match["old"]
    return [
        Problem(
            CONFIG_FILE,
            find_in_config(project, old),
            None,
            "redirect-source",
            f"The redirect from '{old}' does not name a Markdown file",
            "write the old page's file name, ending in .md (e.g. 'old-page.md: new-page.md')",
        )
    ]


def _redirect_target(match: re.Match[str], text: str, project: Project) -> list[Problem]:
    new = match["new"]
    close = _closest(new, project.pages())
    hint = f"did you mean '{close}'? " if close else ""
    return [
        Problem(
            CONFIG_FILE,
            find_in_config(project, new),
            None,
            "redirect-target",
            f"A redirect goes to '{new}', which is not a page",
            f"{hint}redirect to an existing page's .md file under {project.docs}/",
        )
    ]


#: (pattern of MkDocs' or a plugin's message, translation)
_HANDLERS = [
    (r"The following pages exist in the docs directory, but are not included", _nav_missing),
    (
        r"A reference to '(?P<target>[^']+)' is included in the 'nav' configuration, which is not",
        _nav_not_found,
    ),
    (r"An absolute path to '(?P<target>[^']+)' is included in the 'nav'", _nav_absolute),
    (
        _DOC + r"a link '(?P<link>[^']*?#(?P<anchor>[^']*))', but (?:the doc "
        r"'(?P<target>[^']+)' does not contain an anchor|there is no such anchor)",
        _anchor_missing,
    ),
    (_DOC + r"a link '(?P<link>[^']+)', but the target", _link_not_found),
    (_DOC + r"an unrecognized relative link '(?P<link>[^']+)'", _link_unrecognized),
    (_DOC + r"an absolute link '(?P<link>[^']+)'", _link_absolute),
    (
        r"(?:Citing unknown reference key|Inline reference to unknown key) (?P<key>\S+)",
        _bibtex_unknown,
    ),
    (r"redirects plugin: '(?P<old>[^']+)' is not a valid markdown file", _redirect_source),
    (r"Redirect target '(?P<new>[^']+)' does not exist", _redirect_target),
]
