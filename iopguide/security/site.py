"""The site-wide facts the published-page check needs, from the MkDocs configuration (the hook's
build, or ``python -m iopguide headers`` loading ``mkdocs.yml`` itself)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mkdocs.structure.files import Files

from iopguide.citations import bibtex_adapter
from iopguide.i18n import THEME_KEY, load_languages, theme_data
from iopguide.pages.redirects import redirect_paths
from iopguide.security.csp import HTML_SUFFIXES, REDIRECT_JS
from iopguide.security.misleading import load_crisis_lines
from iopguide.security.published import SiteRules
from iopguide.security.theme import site_base, theme_allowlist

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation


def project_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def redirect_pages(config: MkDocsConfig) -> set[str]:
    """Built-site paths of the redirect pages (``redirect_maps``), in every language."""
    plugin: Any = config.plugins.get("redirects")  # mkdocs-redirects (no types)
    if plugin is None:
        return set()
    translations = list(load_languages(project_root(config)))[1:]
    maps = plugin.config.get("redirect_maps") or {}
    return redirect_paths(maps, translations, config.use_directory_urls)


def sources(config: MkDocsConfig, files: Files) -> dict[str, str]:
    """Built path -> the file an editor changes: the Markdown page, a copied HTML file, the
    template of an error page, or mkdocs.yml for redirect pages."""
    root = project_root(config)

    def shown(path: Path) -> str | Path:
        return path.relative_to(root).as_posix() if path.is_relative_to(root) else path

    prefix = shown(Path(config.docs_dir).resolve())
    found = {
        f.dest_uri: f"{prefix}/{f.src_uri}"
        for f in files
        if Path(f.dest_uri).suffix.lower() in HTML_SUFFIXES
    }
    found |= dict.fromkeys(redirect_pages(config), Path(config.config_file_path).name)
    custom = Path(config.theme.custom_dir).resolve() if config.theme.custom_dir else None
    for name in config.theme.static_templates:
        if custom and name.endswith(".html") and (custom / name).is_file():
            found.setdefault(name, f"{shown(custom)}/{name}")
    return found


def also_searched(config: MkDocsConfig) -> list[str]:
    """Files whose text a page shows without it being in the page's source: the bibliography
    (reference lists). A finding not found in the page is looked for there."""
    bib = bibtex_adapter.bib_file(config)
    return [bib] if bib else []


def site_rules(
    config: MkDocsConfig, nav: Navigation, files: Files, env: Environment | None = None
) -> SiteRules:
    """Everything :func:`iopguide.security.published.judge_page` needs for this site."""
    crisis = load_crisis_lines(project_root(config))
    # The templates read these (the hook's on_config puts them; the CLI has none).
    config.extra.setdefault("crisis", crisis.by_id)
    if THEME_KEY not in config.extra:
        config.extra[THEME_KEY] = theme_data(project_root(config), Path(config.docs_dir))
    host = urlsplit(config.site_url or "").hostname
    return SiteRules(
        allowlist=theme_allowlist(config, nav, files, env),
        crisis=crisis,
        own_hosts={host} if host else set(),
        base_path=site_base(config),
        redirects=redirect_pages(config),
        script_files={REDIRECT_JS},
    )
