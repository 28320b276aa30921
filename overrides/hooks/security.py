"""Security hooks: every published HTML file judged, then security headers with CSP hashes.

Thin on purpose: the logic lives in ``iopguide.security``. Runs last (after the search index and
the redirect pages are written) so the check and the policy cover every page the build produced.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation

from iopguide.report import ProblemsFound
from iopguide.security import (
    apply_security,
    defer_search_index,
    defer_search_worker,
    skip_alternate_sitemaps,
    trim_site,
)
from iopguide.security.misleading import load_crisis_lines
from iopguide.security.published import ThemeAllowlist, merge_allowlists
from iopguide.security.site import also_searched, project_root, site_rules, sources


@dataclass
class _Build:
    """One build's navigation, files and Jinja environment (the i18n plugin nests builds)."""

    nav: Navigation
    files: Files
    env: Environment | None = None


@dataclass
class _State:
    serving: bool = False
    allowlist: ThemeAllowlist | None = None
    sources: dict[str, str] = field(default_factory=dict)
    builds: list[_Build] = field(default_factory=list)


_state = _State()


def on_startup(command: str, dirty: bool, **kwargs: object) -> None:
    # `mkdocs serve` injects its live-reload script into each page; a CSP meta would block it.
    # The preview therefore runs without the meta; `_headers` is still written.
    _state.serving = command == "serve"
    _state.allowlist = None
    _state.sources, _state.builds = {}, []


def on_config(config: MkDocsConfig, **kwargs: Any) -> MkDocsConfig:
    # The crisis numbers of crisis-lines.yml, for the crisis box and the 404 page.
    try:
        config.extra["crisis"] = load_crisis_lines(project_root(config)).by_id
    except ProblemsFound as error:
        raise PluginError(str(error)) from None
    return config


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files, **kwargs: Any) -> Navigation:
    # The theme's allowlist is rendered with the build's own navigation and files. The i18n
    # plugin runs each other language's whole build inside the default language's (with the
    # same config object), so builds are kept on a stack: each post_build takes its own.
    # Every language's pages are named by their source file.
    _state.builds.append(_Build(nav, files))
    _state.sources.update(sources(config, files))
    return nav


def on_env(env: Environment, config: MkDocsConfig, files: Files, **kwargs: Any) -> Environment:
    # The build's Jinja environment: its templates are compiled already.
    _state.builds[-1].env = env
    return env


@event_priority(-100)
def on_post_build(config: MkDocsConfig, **kwargs: Any) -> None:
    site_dir = Path(config["site_dir"])
    trim_site(site_dir)
    defer_search_index(site_dir)
    defer_search_worker(site_dir)
    skip_alternate_sitemaps(site_dir)
    build = _state.builds.pop()
    rules = site_rules(config, build.nav, build.files, build.env)
    # The i18n plugin builds each language in turn into the same site/, the default language's
    # post_build last: it judges every page, with what every language's build allowed and named.
    if _state.allowlist is not None:
        rules.allowlist = merge_allowlists(_state.allowlist, rules.allowlist)
    _state.allowlist = rules.allowlist
    try:
        apply_security(
            site_dir,
            rules,
            sources=_state.sources,
            root=project_root(config),
            also=also_searched(config),
            inject=not _state.serving,
        )
    except ProblemsFound as error:
        if not _state.serving:
            raise PluginError(str(error)) from None
        # As the content check does: the preview keeps running so an editor can see the page
        # while fixing it; `make build` and `make check` fail on the same report.
        print(str(error), file=sys.stderr)
