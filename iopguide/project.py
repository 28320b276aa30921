"""The project as MkDocs reads it: ``mkdocs.yml`` through MkDocs' own loader, the pages through
MkDocs' own file walk.

Every check that needs the configuration or the list of pages starts here, so a check sees what
the build sees: every setting Material documents (``!!python/name:`` for emoji, ``!ENV``,
``!relative``), ``docs_dir``, ``exclude_docs`` and ``not_in_nav``. A mistake in ``mkdocs.yml``
stops a command with one line in the house format, never a traceback.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from iopguide.cache import LastResult
from iopguide.report import Problem, ProblemsFound

CONFIG_FILE = "mkdocs.yml"
RULE = "mkdocs-config"

#: root -> its configuration, keyed by the text of mkdocs.yml and the environment (``!ENV``):
#: loading imports every plugin and hook, so it is done again only when one of them changed.
_CONFIGS: LastResult = LastResult()


class _Errors(logging.Handler):
    """MkDocs logs each invalid setting, then raises a bare "Aborted"; keep what it logged."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def config_problem(
    line: int | None, message: str, fix: str, column: int | None = None, file: str = CONFIG_FILE
) -> Problem:
    """A mistake in mkdocs.yml, for editors."""
    return Problem(file, line, column, RULE, message, fix)


def load_config(where: Path):  # -> mkdocs.config.defaults.MkDocsConfig
    """The configuration in ``where`` (a project folder or its mkdocs.yml), exactly as
    ``mkdocs build`` loads it.

    Raises :class:`ProblemsFound` (one line, with the line of a YAML mistake) when mkdocs.yml
    is missing, is not valid YAML, or has a setting MkDocs rejects.
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    import yaml
    from mkdocs import config as mkdocs_config
    from mkdocs.exceptions import Abort, ConfigurationError

    path = Path(where).resolve()
    path = path / CONFIG_FILE if path.is_dir() else path

    def _problem(line: int | None, column: int | None, message: str, fix: str) -> ProblemsFound:
        return ProblemsFound([config_problem(line, message, fix, column, path.name)])

    if not path.is_file():
        raise _problem(
            None,
            None,
            f"there is no {path.name} in {path.parent}",
            "run the command from the project folder, or give it with --root",
        )
    text = path.read_bytes()
    key = (text, tuple(sorted(os.environ.items())))
    cached = _CONFIGS.get(path, key)
    if cached is not None:
        return cached
    errors = _Errors()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(errors)
    try:
        config = mkdocs_config.load_config(str(path))
    except ConfigurationError as exc:
        cause = exc.__context__
        mark = getattr(cause, "problem_mark", None) if isinstance(cause, yaml.YAMLError) else None
        if mark is None:
            raise _problem(None, None, str(exc), "correct the setting it names") from None
        # The construct that is not closed (a bracket, a quote) starts at the context mark;
        # the parser notices the problem later, often lines below.
        what = getattr(cause, "problem", None) or "this is not valid YAML"
        start = getattr(cause, "context_mark", None)
        if start is not None and start.line != mark.line:
            what = f"{getattr(cause, 'context', 'this')}: {what} on line {mark.line + 1}"
            mark = start
        raise _problem(
            mark.line + 1,
            mark.column + 1,
            f"{path.name} is not valid YAML: {what}",
            "check the indentation, brackets and quotes from here on",
        ) from None
    except Abort:
        said = "; ".join(errors.messages) or "MkDocs rejected a setting"
        raise _problem(None, None, said, "correct the setting it names") from None
    finally:
        logger.removeHandler(errors)
    return _CONFIGS.put(path, key, config)


def page_files(config) -> list:  # -> list[mkdocs.structure.files.File]
    """The Markdown pages MkDocs builds, in its own order: not the ``exclude_docs`` (drafts,
    templates, dot files), but the ``not_in_nav`` pages, which are published too."""
    from mkdocs.structure.files import get_files

    return get_files(config).documentation_pages()


def pages(root: Path) -> list[Path]:
    """The Markdown pages the project in ``root`` publishes (see :func:`page_files`)."""
    return [Path(f.abs_src_path).resolve() for f in page_files(load_config(root))]


def docs_dir(root: Path) -> Path:
    """The pages folder of the project in ``root``, as MkDocs reads ``docs_dir``; MkDocs'
    default, ``docs``, when there is no mkdocs.yml (a folder of rules files only)."""
    if not (Path(root) / CONFIG_FILE).is_file():
        return (Path(root) / "docs").resolve()
    return Path(load_config(root)["docs_dir"]).resolve()
