"""The project as MkDocs reads it: ``mkdocs.yml`` through MkDocs' own loader (every setting
Material documents: ``!!python/name:``, ``!ENV``, ``!relative``), the pages through MkDocs' own
file walk (``docs_dir``, ``exclude_docs``, ``not_in_nav``). A mistake in mkdocs.yml stops a
command with one line in the house format, never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iopguide.buildlog import Warnings
from iopguide.cache import LastResult
from iopguide.report import Problem, ProblemsFound

if TYPE_CHECKING:  # imported when used: loading MkDocs is slow
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File

#: mkdocs.yml -> its configuration, keyed by its text and the environment (``!ENV``): loading
#: imports every plugin and hook, so it is done again only when one of them changed.
_CONFIGS: LastResult[MkDocsConfig] = LastResult()


#: YAML's own words -> what an editor can do about it.
YAML_HINTS = {
    "mapping values are not allowed here": (
        "a ':' where YAML does not expect one. Check that this line is indented like the lines "
        "around it, and put text that contains ': ' in quotes"
    ),
    "could not find expected ':'": (
        "a line that is not 'name: value'. Check the indentation, and that every quote you "
        "opened is closed"
    ),
    "found character '\\t' that cannot start any token": "a tab: indent with spaces only",
    "did not find expected key": (
        "a line indented differently from the lines around it. Line it up with its neighbours "
        "(spaces only)"
    ),
    "did not find expected '-' indicator": (
        "a list where each item must start with '- '. Line the items up with each other"
    ),
    "expected <block end>": (
        "a line indented more than it should be. Line it up with its neighbours (spaces "
        "only). A line cannot go under one that already has a value: under "
        "'redirect_maps: {}', remove the '{}' first"
    ),
    "found undefined alias": "a word starting with '*'. Put the text in quotes",
    "found unexpected end of stream": "a quote that is never closed. Close it on the same line",
    "found duplicate anchor": "a word starting with '&' used twice. Put the text in quotes",
}


def yaml_problem(file: str, exc: Any) -> Problem:  # exc: yaml.YAMLError
    """A YAML syntax error, named by its line in plain words. A bracket or quote never closed is
    named where it opens (YAML's context mark), not where YAML noticed it, often lines below."""
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    mark = problem_mark or context_mark
    problem = str(getattr(exc, "problem", "") or exc).strip()
    hint = next((text for key, text in YAML_HINTS.items() if key in problem), None)
    if hint is not None:
        message = f"{file} cannot be read: YAML found {hint}"
    else:
        message = f"{file} cannot be read at this line (YAML says: {problem})"
    context = str(getattr(exc, "context", "") or "").strip()
    unclosed = "flow" in context or "quoted" in context  # a bracket or a quote never closed
    if unclosed and problem_mark and context_mark and context_mark.line != problem_mark.line:
        message = (
            f"{file} cannot be read at this line (YAML says: {context}: {problem} on "
            f"line {problem_mark.line + 1})"
        )
        mark = context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    fix = (
        "compare this line and the one above with a line that works (same indentation, "
        "'name: value', spaces not tabs, every bracket and quote closed)"
    )
    return Problem(file, line, column, "yaml-syntax", message, fix)


def config_problem(line: int | None, message: str, fix: str) -> Problem:
    return Problem("mkdocs.yml", line, None, "mkdocs-config", message, fix)


def load_config(where: Path) -> MkDocsConfig:
    """The configuration in ``where`` (a project folder or its mkdocs.yml), as ``mkdocs build``
    loads it; :class:`ProblemsFound` when it is missing, not YAML, or has a rejected setting."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    import yaml
    from mkdocs import config as mkdocs_config
    from mkdocs.exceptions import Abort, ConfigurationError

    path = Path(where).resolve()
    path = path / "mkdocs.yml" if path.is_dir() else path
    if not path.is_file():
        fix = "run the command in the project folder, or give the folder with --root"
        raise ProblemsFound([config_problem(None, f"there is no {path}", fix)])
    key = (path.read_bytes(), tuple(sorted(os.environ.items())))
    if (cached := _CONFIGS.get(path, key)) is not None:
        return cached
    # MkDocs logs each rejected setting, then raises a bare "Aborted": keep what it logged.
    with Warnings() as said:
        try:
            return _CONFIGS.put(path, key, mkdocs_config.load_config(str(path)))
        except ConfigurationError as exc:
            if isinstance(exc.__context__, yaml.YAMLError):
                raise ProblemsFound([yaml_problem(path.name, exc.__context__)]) from None
            fix = "check the indentation, brackets and quotes from here on"
            raise ProblemsFound([config_problem(None, f"{path.name} is {exc}", fix)]) from None
        except Abort:
            message = "; ".join(said.messages()) or "MkDocs rejected a setting"
            fix = "correct the setting it names"
            raise ProblemsFound([config_problem(None, message, fix)]) from None


def config_problems(root: Path) -> list[Problem]:
    """Why MkDocs cannot read the ``mkdocs.yml`` of ``root``, or nothing."""
    try:
        load_config(root)
    except ProblemsFound as exc:
        return exc.problems
    return []


def root_of(given: Path | None) -> Path:
    """The project a command works on: ``--root`` if given, else the current folder when it holds
    a mkdocs.yml (a copy or a clone of the project), else the project this package belongs to."""
    from iopguide import ROOT

    if given is not None:
        return Path(given).resolve()
    cwd = Path.cwd()
    return cwd.resolve() if (cwd / "mkdocs.yml").is_file() else ROOT


def page_files(config: MkDocsConfig) -> list[File]:
    """The Markdown pages MkDocs builds, in its order: the ``not_in_nav`` ones too, not the
    ``exclude_docs`` ones (drafts, templates, dot files)."""
    from mkdocs.structure.files import get_files

    return list(get_files(config).documentation_pages())


def page_paths(config: MkDocsConfig) -> list[Path]:
    """Where the pages of :func:`page_files` are (every page under ``docs_dir`` has a file)."""
    return [Path(f.abs_src_path) for f in page_files(config) if f.abs_src_path is not None]


def pages(root: Path) -> list[Path]:
    """The Markdown pages the project in ``root`` publishes."""
    return [path.resolve() for path in page_paths(load_config(root))]


def docs_dir(root: Path) -> Path:
    """The pages folder of the project in ``root``, as MkDocs reads ``docs_dir``; as far as it
    can still be read when mkdocs.yml has a mistake or is missing (that mistake is reported by
    the command that loads the configuration, not here)."""
    try:
        return Path(load_config(root)["docs_dir"]).resolve()
    except ProblemsFound:
        return Path(config_despite_mistakes(root)["docs_dir"]).resolve()


#: The settings that decide which pages MkDocs builds.
_PAGE_SETTINGS = ("site_name", "docs_dir", "exclude_docs", "not_in_nav", "use_directory_urls")


def config_despite_mistakes(root: Path) -> MkDocsConfig:
    """For checking the pages of a project whose mkdocs.yml MkDocs cannot load: the settings
    that decide the page list (``docs_dir``, ``exclude_docs``, ``not_in_nav``), read by MkDocs'
    own YAML loader with the lines it stops at left out until the rest reads; MkDocs' defaults
    for any setting that is still unreadable. Never raises for a mistake in mkdocs.yml."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    import yaml
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.utils.yaml import get_yaml_loader

    path = Path(root).resolve() / "mkdocs.yml"

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    data: object = {}
    for _ in range(50):
        loader = get_yaml_loader(config=MkDocsConfig(config_file_path=str(path)))
        try:
            data = yaml.load("\n".join(lines), Loader=loader) or {}
            break
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            if mark is None or mark.line >= len(lines) or not lines[mark.line]:
                break
            lines[mark.line] = ""
        except Exception:  # e.g. an !ENV tag without a value: keep MkDocs' defaults
            break
    settings = data if isinstance(data, dict) else {}
    wanted = {k: settings[k] for k in _PAGE_SETTINGS if k in settings}
    # All of them; else all but one; else MkDocs' defaults (which fail without a docs/ folder).
    fewer = [{k: v for k, v in wanted.items() if k != key} for key in wanted]
    for candidate in [wanted, *fewer, {"docs_dir": str(path.parent / "docs")}]:
        config = MkDocsConfig(config_file_path=str(path))
        config.load_dict({"site_name": "IOP Guide", **candidate})
        if not config.validate()[0]:
            break
    return config
