"""The content check's MkDocs hooks: every page is checked before anything is rendered; errors stop
``mkdocs build`` but only print in ``mkdocs serve``; warnings go to stderr, not MkDocs' logger,
so ``--strict`` does not count them."""

from __future__ import annotations

import sys
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from iopguide import project, report
from iopguide.content.checker import check_pages
from iopguide.content.rules import Rules, load_rules, words

BOTH_HEADING, HEADING = words("heading/not-built"), words("heading/content")


class ContentHooks:  # earlier hooks (citations) hand it their problems: one report
    def __init__(self) -> None:
        self.command, self.earlier = "build", list[tuple[str, list[report.Problem]]]()
        self.rules: Rules | None = None  # this build's: the page hooks read its reviewers

    def on_startup(self, command: str, dirty: bool = False, **_: Any) -> None:
        self.command = command

    def report_with_mine(self, heading: str, problems: list[report.Problem]) -> None:
        self.earlier += [(heading, problems)] if problems else []

    @event_priority(-100)  # after the citation hook's check: one report for both
    def on_pre_build(self, config: Any, **_: Any) -> None:
        paths, root = project.page_paths(config), project.root(config)
        earlier, self.earlier = self.earlier, []
        try:
            self.rules = load_rules(root)
            problems = check_pages(paths, root, site_pages=paths, rules=self.rules)
        except (report.ProblemsFound, ValueError) as exc:  # a rules file; IOPGUIDE_TODAY
            raise PluginError(str(exc)) from None
        if earlier:  # problems of earlier hooks (citations) stop the build, in `mkdocs serve` too
            heading = earlier[0][0] if not problems and len(earlier) == 1 else BOTH_HEADING
            report.stop_build([p for _, found in earlier for p in found] + problems, heading)
        elif not problems or report.collect(problems):  # `make check` reports warnings too
            return
        elif report.has_errors(problems) and self.command != "serve":
            report.stop_build(problems, HEADING)
        else:
            print(report.format_report(problems), file=sys.stderr)
