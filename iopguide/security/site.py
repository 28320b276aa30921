"""The site-wide facts the published-page check needs, read from the MkDocs configuration.

Used by the MkDocs hook (``overrides/hooks/security.py``, with the build's own ``nav`` and
``files``) and by ``python -m iopguide headers`` (which loads ``mkdocs.yml`` itself).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mkdocs.structure.files import Files

from iopguide.citations import bibtex_adapter
from iopguide.i18n import THEME_KEY, theme_data
from iopguide.security.csp import HTML_SUFFIXES, REDIRECT_JS
from iopguide.security.misleading import load_crisis_lines
from iopguide.security.published import SiteRules
from iopguide.security.theme import theme_allowlist

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation


def project_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def redirect_pages(config: MkDocsConfig) -> set[str]:
    """Built-site paths of the redirect pages (``redirect_maps``): mkdocs-redirects' and their
    copies under each translation's folder."""
    plugin: Any = config.plugins.get("redirects")  # mkdocs-redirects (no types)
    if plugin is None:
        return set()
    from iopguide.i18n import load_languages
    from iopguide.pages.redirects import redirect_paths

    maps = plugin.config.get("redirect_maps") or {}
    translations = list(load_languages(project_root(config)))[1:]
    return redirect_paths(maps, translations, config.use_directory_urls)


def sources(config: MkDocsConfig, files: Files) -> dict[str, str]:
    """Built path -> the file an editor changes: the Markdown page, a copied HTML file, the
    template of an error page, or mkdocs.yml for redirect pages."""
    root = project_root(config)
    docs = Path(config.docs_dir).resolve()
    prefix = docs.relative_to(root).as_posix() if docs.is_relative_to(root) else docs.as_posix()
    found = {
        f.dest_uri: f"{prefix}/{f.src_uri}"
        for f in files
        if Path(f.dest_uri).suffix.lower() in HTML_SUFFIXES
    }
    for path in redirect_pages(config):
        found[path] = Path(config.config_file_path).name
    custom = Path(config.theme.custom_dir).resolve() if config.theme.custom_dir else None
    for name in config.theme.static_templates:
        if custom and name.endswith(".html") and (custom / name).is_file():
            where = custom.relative_to(root).as_posix() if custom.is_relative_to(root) else custom
            found.setdefault(name, f"{where}/{name}")
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
    parts = urlsplit(config.site_url or "")
    base_path = parts.path or "/"
    if not base_path.endswith("/"):
        base_path += "/"

    crisis = load_crisis_lines(project_root(config))
    # The templates read the numbers there (the hook's on_config puts them; the CLI has none).
    if "crisis" not in config.extra:
        config.extra["crisis"] = crisis.by_id
    if THEME_KEY not in config.extra:
        config.extra[THEME_KEY] = theme_data(project_root(config), Path(config.docs_dir))
    return SiteRules(
        allowlist=theme_allowlist(config, nav, files, env),
        crisis=crisis,
        own_hosts={parts.hostname} if parts.hostname else set(),
        base_path=base_path,
        redirects=redirect_pages(config),
        script_files={REDIRECT_JS},
    )
