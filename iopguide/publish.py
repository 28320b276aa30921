"""The publish hooks (overrides/hooks/publish.py hands MkDocs the methods of one
:class:`PublishHooks`): publish only what was checked.

The build goes to a temporary folder and replaces site/ only when every check passed
(:mod:`iopguide.build`); page size, YAML aliases and nesting are bounded
(:mod:`iopguide.security.limits`); only allowed files are published (:mod:`iopguide.security.files`,
rules in publishing.yml). ``on_config``, ``on_pre_build`` and ``on_files`` run first (1000), so a
hostile page is refused before anything reads it; ``on_post_build`` last (-1000), so the site is
swapped in once every check has run.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import get_files

from iopguide.build import (
    AtomicBuild,
    BuildStopped,
    unchanged,
    deploy_url_problem,
    failure_message,
)
from iopguide.buildlog import Project, print_in_house_format
from iopguide.report import Problem, ProblemsFound, collect
from iopguide.security.files import check_files, load_publish_rules
from iopguide.security.limits import check_page_file

log = logging.getLogger("mkdocs.hooks.iopguide.publish")
HEADING = "These files cannot be published; the site was not built:"


def _shown(config: Any, path: str) -> str:
    root = Path(config.config_file_path).parent
    docs = Path(config["docs_dir"])
    rel = docs.relative_to(root).as_posix() if docs.is_relative_to(root) else docs.as_posix()
    return f"{rel}/{path}"


class PublishHooks:
    """The publish events of one MkDocs process, and the build they are guarding."""

    def __init__(self) -> None:
        self.command = "build"
        self.dirty = False
        self.build: AtomicBuild | None = None
        #: the page being rendered, named in the message of a build that fails there
        self.page: str | None = None
        #: site_dir as mkdocs.yml gives it (MkDocs writes to the temporary folder meanwhile)
        self.site: str | None = None
        #: how many other-language builds (i18n plugin) are running inside the current build
        self.nested = 0
        #: in `make serve`: the files the publishing rules refused, left out of the preview
        self.left_out: set[str] = set()

    def _refuse(self, problems: list[Problem]) -> None:
        """Stop the build; in `make serve`, leave the files out of the preview (never read
        further) and put their problems on its banner (iopguide.preview) instead."""
        if problems and not (self.command == "serve" and collect(problems)):
            raise PluginError(str(ProblemsFound(problems, heading=HEADING)))
        self.left_out |= {p.file for p in problems}

    def on_startup(self, command: str, dirty: bool, **kwargs: object) -> None:
        self.command, self.dirty = command, dirty

    @event_priority(1000)
    def on_config(self, config: Any) -> Any:
        # MkDocs' and the plugins' warnings printed in the house format, as `make check` does.
        # Its page list suggests the closest page for a broken link.
        print_in_house_format(Project.of(config))
        if problem := deploy_url_problem(config.site_url or "", os.environ):
            raise PluginError(problem)
        if self.command == "serve":  # `mkdocs serve` builds into a temporary folder of its own
            return config
        active = self.build
        # The i18n plugin builds each other language by calling MkDocs' build() again from its
        # on_post_build, into the same folder: that is part of this build, not a new one
        # (decisions/0014-spanish-edition.md). The outer build swaps everything in at once.
        if active is not None and active.active and Path(config.site_dir) == active.temp:
            self.nested += 1
            return config
        build = AtomicBuild(Path(config.site_dir), strict=bool(config.strict), dirty=self.dirty)
        try:
            temp = build.start()
        except BuildStopped as error:
            raise PluginError(str(error)) from None
        self.build, self.site = build, config.site_dir
        config["site_dir"] = str(temp)
        return config

    @event_priority(1000)
    def on_pre_build(self, config: Any) -> None:
        rules = load_publish_rules(Path(config.config_file_path).parent)
        problems = []
        self.left_out = set()
        for file in get_files(config).documentation_pages():
            shown = _shown(config, file.src_uri)
            problems += check_page_file(Path(str(file.abs_src_path)), shown, rules)
        self._refuse(problems)

    @event_priority(1000)
    def on_files(self, files: Any, config: Any) -> Any:
        rules = load_publish_rules(Path(config.config_file_path).parent)
        docs = Path(config["docs_dir"]).resolve()
        published = [
            (_shown(config, f.src_uri), Path(f.abs_src_path))
            for f in files
            if f.abs_src_path
            and not f.inclusion.is_excluded()
            and Path(f.abs_src_path).resolve().is_relative_to(docs)
        ]
        problems = check_files([(s, p) for s, p in published if s not in self.left_out], rules)
        self._refuse(problems)
        for file in [f for f in files if _shown(config, f.src_uri) in self.left_out]:
            files.remove(file)
        return files

    def on_pre_page(self, page: Any, config: Any, files: Any) -> Any:
        self.page = _shown(config, page.file.src_uri)
        return page

    def on_page_context(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        self.page = _shown(config, page.file.src_uri)
        return context

    @event_priority(-1000)
    def on_post_build(self, config: Any) -> None:
        self.page = None
        if self.nested:  # the end of another language's build inside this one
            self.nested -= 1
            return
        try:
            if self.build is not None and self.build.finish():
                config["site_dir"] = self.site  # `mkdocs gh-deploy` publishes from here
        except BuildStopped as error:
            raise PluginError(str(error)) from None

    @event_priority(-1000)
    def on_build_error(self, error: BaseException) -> None:
        build, page = self.build, self.page
        self.page, self.nested = None, 0
        if build is None or not build.active:
            return  # nothing started, or already thrown away (and said so)
        build.discard()
        if message := failure_message(error, build.site, page):
            raise Abort(message) from None
        log.info(unchanged(build.site))

    def on_shutdown(self) -> None:
        if self.build is not None:
            self.build.discard()
