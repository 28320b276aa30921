"""MkDocs hook logic for the content checks: overrides/hooks/content.py makes one
:class:`ContentHooks` and hands MkDocs its methods.

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

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from iopguide import project
from iopguide.content.checker import check_pages
from iopguide.report import (
    PendingProblems,
    Problem,
    ProblemsFound,
    collect,
    format_report,
    has_errors,
    stop_build,
)

BOTH_HEADING = (
    "The site was not built. Each line gives the page and line, what is wrong, and how to fix it:"
)
HEADING = (
    "The content check found problems. Each line gives the page and line, what is wrong, and "
    "how to fix it:"
)


class ContentHooks:
    """The content check of one MkDocs process. Other hooks that check pages before the build
    (citations) hand it their problems (:meth:`report_with_mine`), and it reports them all."""

    def __init__(self) -> None:
        self.command = "build"
        self.earlier = PendingProblems()

    def on_startup(self, command: str, dirty: bool = False, **_: Any) -> None:
        self.command = command

    def report_with_mine(self, heading: str, problems: list[Problem]) -> None:
        """Problems another hook found before the build, reported in this one's report."""
        self.earlier.add(heading, problems)

    @event_priority(-100)  # after the citation hook's check: one report for both
    def on_pre_build(self, config: Any, **_: Any) -> None:
        """Check every page MkDocs will build, before site/ is emptied, and report the
        problems other hooks handed over (:meth:`report_with_mine`) with them."""
        root = Path(config.config_file_path).resolve().parent
        paths = project.page_paths(config)
        earlier = self.earlier.take()
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
        if has_errors(problems) and self.command != "serve":
            stop_build(problems, HEADING)
            return
        print(format_report(problems), file=sys.stderr)


def reporter_of(config: Any) -> ContentHooks | None:
    """The content hook of this configuration (its ``hooks`` object), if it has one."""
    for hook in config.plugins.values():
        found = getattr(hook, "hooks", None)
        if isinstance(found, ContentHooks):
            return found
    return None
