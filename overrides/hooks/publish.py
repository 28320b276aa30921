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
from pathlib import Path

from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import get_files

from iopguide.build import AtomicBuild, BuildStopped, deploy_url_problem, failure_message
from iopguide.buildlog import print_in_house_format
from iopguide.report import ProblemsFound, collect
from iopguide.security.files import check_files, load_publish_rules
from iopguide.security.limits import check_page_file

log = logging.getLogger("mkdocs.hooks.iopguide.publish")
_state: dict[str, object] = {
    "command": "build",
    "dirty": False,
    "build": None,
    "page": None,
    "site": None,
    #: how many other-language builds (i18n plugin) are running inside the current build
    "nested": 0,
}
HEADING = "These files cannot be published; the site was not built:"


def _fail(problems: list) -> None:
    raise PluginError(str(ProblemsFound(problems, heading=HEADING)))


def _left_out(problems: list) -> bool:
    """In `make serve`: the refused files are left out of the preview (never read further) and
    their problems go on its banner (iopguide.preview), instead of stopping it."""
    if _state["command"] != "serve" or not collect(problems):
        return False
    _state["left_out"] = {*_state.get("left_out", set()), *(p.file for p in problems)}  # type: ignore[misc]
    return True


def _shown(config, path: str) -> str:  # type: ignore[no-untyped-def]
    root = Path(config.config_file_path).parent
    docs = Path(config["docs_dir"])
    rel = docs.relative_to(root).as_posix() if docs.is_relative_to(root) else docs.as_posix()
    return f"{rel}/{path}"


def on_startup(command: str, dirty: bool, **kwargs: object) -> None:
    _state["command"], _state["dirty"] = command, dirty


@event_priority(1000)
def on_config(config):  # type: ignore[no-untyped-def]
    # MkDocs' and the plugins' warnings printed in the house format, as `make check` prints them.
    root = Path(config.config_file_path).resolve().parent
    print_in_house_format(root, Path(config.docs_dir))
    problem = deploy_url_problem(config.site_url or "", os.environ)
    if problem:
        raise PluginError(problem)
    if _state["command"] == "serve":  # `mkdocs serve` builds into a temporary folder of its own
        return config
    active = _state["build"]
    # The i18n plugin builds each other language by calling MkDocs' build() again from its
    # on_post_build, into the same folder: that is part of this build, not a new one
    # (decisions/0014-spanish-edition.md). The outer build swaps everything in at once.
    if isinstance(active, AtomicBuild) and active.active and Path(config.site_dir) == active.temp:
        _state["nested"] = int(_state.get("nested") or 0) + 1  # type: ignore[call-overload]
        return config
    build = AtomicBuild(
        Path(config.site_dir), strict=bool(config.strict), dirty=bool(_state["dirty"])
    )
    try:
        temp = build.start()
    except BuildStopped as error:
        raise PluginError(str(error)) from None
    _state["build"], _state["site"] = build, config.site_dir
    config["site_dir"] = str(temp)
    return config


@event_priority(1000)
def on_pre_build(config):  # type: ignore[no-untyped-def]
    rules = load_publish_rules(Path(config.config_file_path).parent)
    problems = []
    _state["left_out"] = set()
    for file in get_files(config).documentation_pages():
        problems += check_page_file(Path(file.abs_src_path), _shown(config, file.src_uri), rules)
    if problems and not _left_out(problems):
        _fail(problems)


@event_priority(1000)
def on_files(files, config):  # type: ignore[no-untyped-def]
    rules = load_publish_rules(Path(config.config_file_path).parent)
    docs = Path(config["docs_dir"]).resolve()
    published = [
        (_shown(config, f.src_uri), Path(f.abs_src_path))
        for f in files
        if f.abs_src_path
        and not f.inclusion.is_excluded()
        and Path(f.abs_src_path).resolve().is_relative_to(docs)
    ]
    left = _state.get("left_out") or set()
    problems = check_files([(shown, path) for shown, path in published if shown not in left], rules)
    if problems and not _left_out(problems):
        _fail(problems)
    left = _state.get("left_out") or set()
    for file in [f for f in files if f.abs_src_path and _shown(config, f.src_uri) in left]:
        files.remove(file)
    return files


def on_pre_page(page, config, files):  # type: ignore[no-untyped-def]
    _state["page"] = _shown(config, page.file.src_uri)
    return page


def on_page_context(context, page, config, nav):  # type: ignore[no-untyped-def]
    _state["page"] = _shown(config, page.file.src_uri)
    return context


@event_priority(-1000)
def on_post_build(config):  # type: ignore[no-untyped-def]
    build = _state["build"]
    _state["page"] = None
    if _state.get("nested"):  # the end of another language's build inside this one
        _state["nested"] = int(_state["nested"]) - 1  # type: ignore[call-overload]
        return
    if not isinstance(build, AtomicBuild):
        return
    try:
        if build.finish():
            config["site_dir"] = _state["site"]  # `mkdocs gh-deploy` publishes from here
    except BuildStopped as error:
        raise PluginError(str(error)) from None


@event_priority(-1000)
def on_build_error(error):  # type: ignore[no-untyped-def]
    build, page = _state["build"], _state["page"]
    _state["page"], _state["nested"] = None, 0
    if not isinstance(build, AtomicBuild) or not build.active:
        return  # nothing started, or already thrown away (and said so)
    build.discard()
    message = failure_message(error, build.site, page if isinstance(page, str) else None)
    if message:
        raise Abort(message) from None
    log.info(f"{build.site.name}/ was not changed: it still holds the last good build.")


def on_shutdown() -> None:
    build = _state["build"]
    if isinstance(build, AtomicBuild):
        build.discard()
