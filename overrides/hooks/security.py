"""Security hooks: every published HTML file judged, then security headers with CSP hashes.

Thin on purpose: the logic lives in ``iopguide.security``. Runs last (after the search index and
the redirect pages are written) so the check and the policy cover every page the build produced.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from iopguide.report import ProblemsFound, collect
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

_state: dict[str, object] = {"serving": False}


def on_startup(command: str, dirty: bool, **kwargs: object) -> None:
    # `mkdocs serve` injects its live-reload script into each page; a CSP meta would block it.
    # The preview therefore runs without the meta; `_headers` is still written.
    _state["serving"] = command == "serve"
    _state.pop("allowlist", None)
    _state["sources"], _state["builds"] = {}, []


def on_config(config, **kwargs):  # type: ignore[no-untyped-def]
    # The crisis numbers of crisis-lines.yml, for the crisis box and the 404 page.
    try:
        config.extra["crisis"] = load_crisis_lines(project_root(config)).by_id
    except ProblemsFound as error:
        raise PluginError(str(error)) from None
    return config


def on_nav(nav, config, files, **kwargs):  # type: ignore[no-untyped-def]
    # The theme's allowlist is rendered with the build's own navigation and files. The i18n
    # plugin runs each other language's whole build inside the default language's (with the
    # same config object), so builds are kept on a stack: each post_build takes its own.
    # Every language's pages are named by their source file.
    _state["builds"].append({"nav": nav, "files": files})  # type: ignore[attr-defined]
    _state.setdefault("sources", {}).update(sources(config, files))  # type: ignore[attr-defined]
    return nav


def on_env(env, config, files, **kwargs):  # type: ignore[no-untyped-def]
    # The build's Jinja environment: its templates are compiled already.
    _state["builds"][-1]["env"] = env  # type: ignore[index]
    return env


@event_priority(-100)
def on_post_build(config, **kwargs) -> None:  # type: ignore[no-untyped-def]
    site_dir = Path(config["site_dir"])
    trim_site(site_dir)
    defer_search_index(site_dir)
    defer_search_worker(site_dir)
    skip_alternate_sitemaps(site_dir)
    build = _state["builds"].pop()  # type: ignore[attr-defined]
    rules = site_rules(config, build["nav"], build["files"], build.get("env"))
    # The i18n plugin builds each language in turn into the same site/, the default language's
    # post_build last: it judges every page, with what every language's build allowed and named.
    if isinstance(_state.get("allowlist"), ThemeAllowlist):
        rules.allowlist = merge_allowlists(_state["allowlist"], rules.allowlist)  # type: ignore[arg-type]
    _state["allowlist"] = rules.allowlist
    named = _state["sources"]
    try:
        apply_security(
            site_dir,
            rules,
            sources=named,
            root=project_root(config),
            also=also_searched(config),
            inject=not _state["serving"],
        )
    except ProblemsFound as error:
        # `make serve` lists the problems on its banner and keeps the last good pages
        # (iopguide.preview); `make build` and `make check` fail on the same report.
        if not (_state["serving"] and collect(error.problems)):
            raise PluginError(str(error)) from None
