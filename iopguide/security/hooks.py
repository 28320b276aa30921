"""The security hooks (overrides/hooks/security.py makes one :class:`SecurityHooks` and hands
MkDocs its methods): every published HTML file judged, then security headers with CSP hashes.

Runs last (after the search index and the redirect pages are written) so the check and the
policy cover every page the build produced.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from iopguide.i18n import THEME_KEY, load_languages, theme_data
from iopguide.pages.search import split_index
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
from iopguide.security.trim import strip_css_comments


class SecurityHooks:
    """The security events of one MkDocs process.

    The i18n plugin runs each other language's whole build inside the default language's (with
    the same config object), so each build's navigation, files and templates go on a stack:
    each post_build takes its own. Every language's pages are named by their source file.
    """

    def __init__(self) -> None:
        self.serving = False
        #: what the builds so far allowed (the default language's post_build comes last)
        self.allowlist: ThemeAllowlist | None = None
        #: every language's published HTML file -> its source file
        self.sources: dict[str, str] = {}
        #: one entry per build running: its navigation, files and Jinja environment
        self.builds: list[dict[str, Any]] = []

    def on_startup(self, command: str, dirty: bool, **kwargs: object) -> None:
        # `mkdocs serve` injects its live-reload script into each page; a CSP meta would block
        # it. The preview therefore runs without the meta; `_headers` is still written.
        self.serving = command == "serve"
        self.allowlist, self.sources, self.builds = None, {}, []

    def on_config(self, config: Any, **kwargs: object) -> Any:
        # The crisis numbers of crisis-lines.yml, for the crisis box and the 404 page, and the
        # theme's words in every language (languages.yml), for every template.
        try:
            config.extra["crisis"] = load_crisis_lines(project_root(config)).by_id
        except ProblemsFound as error:
            raise PluginError(str(error)) from None
        config.extra[THEME_KEY] = theme_data(project_root(config), Path(config.docs_dir))
        return config

    def on_nav(self, nav: Any, config: Any, files: Any, **kwargs: object) -> Any:
        # The theme's allowlist is rendered with the build's own navigation and files.
        self.builds.append({"nav": nav, "files": files})
        self.sources.update(sources(config, files))
        return nav

    def on_env(self, env: Any, config: Any, files: Any, **kwargs: object) -> Any:
        # The build's Jinja environment: its templates are compiled already.
        self.builds[-1]["env"] = env
        return env

    @event_priority(-100)
    def on_post_build(self, config: Any, **kwargs: object) -> None:
        site_dir = Path(config["site_dir"])
        # One search index per language (after the i18n plugin merged them; before the trim,
        # which keeps the search files each index's language needs, and before the checks).
        split_index(site_dir, list(load_languages(project_root(config))))
        trim_site(site_dir)
        strip_css_comments(site_dir, [str(name) for name in config.extra_css])
        defer_search_index(site_dir)
        defer_search_worker(site_dir)
        skip_alternate_sitemaps(site_dir)
        build = self.builds.pop()
        rules = site_rules(config, build["nav"], build["files"], build.get("env"))
        # The i18n plugin builds each language in turn into the same site/, the default
        # language's post_build last: it judges every page, with what every language's build
        # allowed and named.
        if self.allowlist is not None:
            rules.allowlist = merge_allowlists(self.allowlist, rules.allowlist)
        self.allowlist = rules.allowlist
        try:
            apply_security(
                site_dir,
                rules,
                sources=self.sources,
                root=project_root(config),
                also=also_searched(config),
                inject=not self.serving,
            )
        except ProblemsFound as error:
            # `make serve` lists the problems on its banner and keeps the last good pages
            # (iopguide.preview); `make build` and `make check` fail on the same report.
            if not (self.serving and collect(error.problems)):
                raise PluginError(str(error)) from None
