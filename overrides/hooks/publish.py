"""Publish only what was checked: bounded input, allowed files, atomic builds, deploy address.

Thin on purpose: the logic lives in ``iopguide.build`` (the build goes to a temporary folder and
replaces site/ only when every check passed; decisions/0010-atomic-builds.md),
``iopguide.security.limits`` (page size, YAML aliases, nesting) and ``iopguide.security.files``
(allowed file types, SVG content; rules in publishing.yml).

Priorities: this hook's on_config and on_pre_build run before every other hook and plugin (1000),
so a hostile page is refused before anything reads it; its on_post_build runs after all of them
(-1000), so the site is swapped in only once every check has run.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files, get_files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from iopguide.build import AtomicBuild, BuildStopped, deploy_url_problem, failure_message
from iopguide.report import Problem, ProblemsFound
from iopguide.security.files import check_files, load_publish_rules
from iopguide.security.limits import check_page_file

log = logging.getLogger("mkdocs.hooks.iopguide.publish")


@dataclass
class _State:
    command: str = "build"
    dirty: bool = False
    build: AtomicBuild | None = None
    #: the page being rendered, as an editor names it (for a failed build's message)
    page: str | None = None
    #: site_dir as mkdocs.yml gives it (the build writes to a temporary folder)
    site: str | None = None
    #: how many other-language builds (i18n plugin) are running inside the current build
    nested: int = 0


_state = _State()
HEADING = "These files cannot be published; the site was not built:"


def _fail(problems: list[Problem]) -> None:
    raise PluginError(str(ProblemsFound(problems, heading=HEADING)))


def _shown(config: MkDocsConfig, path: str) -> str:
    root = Path(config.config_file_path).parent
    docs = Path(config["docs_dir"])
    rel = docs.relative_to(root).as_posix() if docs.is_relative_to(root) else docs.as_posix()
    return f"{rel}/{path}"


def on_startup(command: str, dirty: bool, **kwargs: object) -> None:
    _state.command, _state.dirty = command, dirty


@event_priority(1000)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    problem = deploy_url_problem(config.site_url or "", os.environ)
    if problem:
        raise PluginError(problem)
    if _state.command == "serve":  # `mkdocs serve` builds into a temporary folder of its own
        return config
    active = _state.build
    # The i18n plugin builds each other language by calling MkDocs' build() again from its
    # on_post_build, into the same folder: that is part of this build, not a new one
    # (decisions/0014-spanish-edition.md). The outer build swaps everything in at once.
    if active is not None and active.active and Path(config.site_dir) == active.temp:
        _state.nested += 1
        return config
    build = AtomicBuild(Path(config.site_dir), strict=bool(config.strict), dirty=_state.dirty)
    try:
        temp = build.start()
    except BuildStopped as error:
        raise PluginError(str(error)) from None
    _state.build, _state.site = build, config.site_dir
    config["site_dir"] = str(temp)
    return config


@event_priority(1000)
def on_pre_build(config: MkDocsConfig) -> None:
    rules = load_publish_rules(Path(config.config_file_path).parent)
    problems: list[Problem] = []
    for file in get_files(config).documentation_pages():
        if file.abs_src_path is not None:  # every page under docs_dir has one
            source = Path(file.abs_src_path)
            problems += check_page_file(source, _shown(config, file.src_uri), rules)
    if problems:
        _fail(problems)


@event_priority(1000)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    rules = load_publish_rules(Path(config.config_file_path).parent)
    docs = Path(config["docs_dir"]).resolve()
    published = [
        (_shown(config, f.src_uri), Path(f.abs_src_path))
        for f in files
        if f.abs_src_path
        and not f.inclusion.is_excluded()
        and Path(f.abs_src_path).resolve().is_relative_to(docs)
    ]
    problems = check_files(published, rules)
    if problems:
        _fail(problems)
    return files


def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    _state.page = _shown(config, page.file.src_uri)
    return page


def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    _state.page = _shown(config, page.file.src_uri)
    return context


@event_priority(-1000)
def on_post_build(config: MkDocsConfig) -> None:
    build = _state.build
    _state.page = None
    if _state.nested:  # the end of another language's build inside this one
        _state.nested -= 1
        return
    if build is None:
        return
    try:
        if build.finish():
            config["site_dir"] = _state.site  # `mkdocs gh-deploy` publishes from here
    except BuildStopped as error:
        raise PluginError(str(error)) from None


@event_priority(-1000)
def on_build_error(error: Exception) -> None:
    build, page = _state.build, _state.page
    _state.page, _state.nested = None, 0
    if build is None or not build.active:
        return  # nothing started, or already thrown away (and said so)
    build.discard()
    message = failure_message(error, build.site, page)
    if message:
        raise Abort(message) from None
    log.info(f"{build.site.name}/ was not changed: it still holds the last good build.")


def on_shutdown() -> None:
    if _state.build is not None:
        _state.build.discard()
