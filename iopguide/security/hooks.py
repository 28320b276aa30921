"""The security events of one MkDocs process (overrides/hooks/security.py hands MkDocs the
methods of one :class:`SecurityHooks`): after every build, last (after the search index and the
redirect pages), the site is trimmed, every published HTML file judged, and the headers written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from iopguide.i18n import THEME_KEY, load_languages, theme_data
from iopguide.pages.search import split_index
from iopguide.report import ProblemsFound, collect
from iopguide.security.csp import apply_security
from iopguide.security.misleading import load_crisis_lines
from iopguide.security.published import ThemeAllowlist, merge_allowlists
from iopguide.security.site import also_searched, project_root, site_rules, sources
from iopguide.security.trim import (
    defer_search_index,
    defer_search_worker,
    skip_alternate_sitemaps,
    strip_css_comments,
    trim_site,
)


class SecurityHooks:
    """The i18n plugin runs each other language's whole build inside the default language's
    (same config object), so each build's navigation, files and Jinja environment go on a
    stack and each post_build takes its own; the default language's comes last and judges every
    page, with what every build allowed (``allowlist``) and named (``sources``)."""

    def __init__(self) -> None:
        self.serving = False
        self.allowlist: ThemeAllowlist | None = None
        self.sources: dict[str, str] = {}
        self.builds: list[dict[str, Any]] = []

    def on_startup(self, command: str, dirty: bool, **kwargs: object) -> None:
        # `mkdocs serve` injects its live-reload script, which a CSP meta would block: the
        # preview runs without the meta (`_headers` is still written).
        self.serving = command == "serve"
        self.allowlist, self.sources, self.builds = None, {}, []

    def on_config(self, config: Any, **kwargs: object) -> Any:
        # For the templates: the crisis numbers (the crisis box, the 404 page) and the theme's
        # words in every language.
        try:
            config.extra["crisis"] = load_crisis_lines(project_root(config)).by_id
        except ProblemsFound as error:
            raise PluginError(str(error)) from None
        config.extra[THEME_KEY] = theme_data(project_root(config), Path(config.docs_dir))
        return config

    def on_nav(self, nav: Any, config: Any, files: Any, **kwargs: object) -> Any:
        self.builds.append({"nav": nav, "files": files})
        self.sources.update(sources(config, files))
        return nav

    def on_env(self, env: Any, config: Any, files: Any, **kwargs: object) -> Any:
        self.builds[-1]["env"] = env  # its templates are compiled already
        return env

    @event_priority(-100)
    def on_post_build(self, config: Any, **kwargs: object) -> None:
        site_dir = Path(config["site_dir"])
        # One search index per language, before the trim keeps the search files they need.
        split_index(site_dir, list(load_languages(project_root(config))))
        trim_site(site_dir)
        strip_css_comments(site_dir, [str(name) for name in config.extra_css])
        defer_search_index(site_dir)
        defer_search_worker(site_dir)
        skip_alternate_sitemaps(site_dir)
        build = self.builds.pop()
        rules = site_rules(config, build["nav"], build["files"], build.get("env"))
        if self.allowlist is not None:
            rules.allowlist = merge_allowlists(self.allowlist, rules.allowlist)
        self.allowlist = rules.allowlist
        root, also = project_root(config), also_searched(config)
        try:
            apply_security(
                site_dir, rules, sources=self.sources, root=root, also=also, inject=not self.serving
            )
        except ProblemsFound as error:
            # `make serve` lists the problems on its banner and keeps the last good pages
            # (iopguide.preview); `make build` and `make check` fail on the same report.
            if not (self.serving and collect(error.problems)):
                raise PluginError(str(error)) from None
