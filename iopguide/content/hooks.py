"""MkDocs hook logic for the content checks (called from overrides/hooks/content.py).

``on_pre_build`` checks every page MkDocs will build (excluded files such as docs/_templates/ and
``*.draft.md`` are skipped), reading each raw file with its front matter, before anything is
rendered. All problems are reported together:

- errors stop ``mkdocs build`` (strict or not) with a :class:`PluginError`, so MkDocs prints the
  report without a traceback;
- warnings (a review due within ``review.warn_days``) are printed to stderr as
  ``docs/page.md:LINE: warning: ...`` and do not fail the build, not even with ``--strict``
  (they are not sent to MkDocs' logger, whose warnings --strict counts);
- in ``mkdocs serve`` errors are printed but the preview keeps running, so an editor can see the
  page while fixing it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from iopguide import project
from iopguide.content.checker import check_pages
from iopguide.report import ProblemsFound, collect, format_report, has_errors, pending, stop_build

_state: dict[str, Any] = {"command": "build"}

BOTH_HEADING = (
    "The site was not built. Each line gives the page and line, what is wrong, and how to fix it:"
)
HEADING = (
    "The content check found problems. Each line gives the page and line, what is wrong, and "
    "how to fix it:"
)


def on_startup(command: str, dirty: bool = False, **_: Any) -> None:
    _state["command"] = command


def on_pre_build(config: MkDocsConfig, **_: Any) -> None:
    """Check every page MkDocs will build, before site/ is emptied, and report the problems of
    this and other hooks (``iopguide.report.pending``) together."""
    root = Path(config.config_file_path).resolve().parent
    paths = project.page_paths(config)
    earlier = pending.take()
    try:
        problems = check_pages(paths, root, site_pages=paths)
    except ProblemsFound as exc:  # a rules file itself is broken
        raise PluginError(str(exc)) from None
    except ValueError as exc:  # IOPGUIDE_TODAY is not a date
        raise PluginError(str(exc)) from None
    # Problems of earlier hooks (citations) always stop the build, in `mkdocs serve` too.
    if earlier:
        everything = [p for _, found in earlier for p in found] + problems
        heading = earlier[0][0] if not problems and len(earlier) == 1 else BOTH_HEADING
        stop_build(everything, heading)
        return
    if not problems or collect(problems):  # `python -m iopguide check` reports warnings too
        return
    if has_errors(problems) and _state["command"] != "serve":
        stop_build(problems, HEADING)
        return
    print(format_report(problems), file=sys.stderr)
