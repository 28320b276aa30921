"""MkDocs event handlers for reader-facing page data (called by overrides/hooks/pages.py).

- ``on_config``: read reviewers.yml and bibliography.bib once per build; check the address of
  the "Report a problem" form (``extra.report_problem_url``).
- ``on_page_context``: put ``iop`` in the template context: trust block data, JSON-LD, Open
  Graph tags. overrides/main.html renders them.
- ``on_post_page`` and ``on_post_template`` (the 404 page): fix theme HTML (validity and
  accessibility), and point the theme's inline icons at one cached icon file.
- ``on_post_build``: write that icon file (``assets/iop-icons.svg``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from iopguide.pages import html, metadata, report, sources, trust
from iopguide.report import ProblemsFound

_state: dict[str, Any] = {}


def _project_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = _project_root(config)
    _state["icons"] = {}
    try:
        _state["reviewers"] = trust.load_reviewers(root / "reviewers.yml", root)
    except ProblemsFound as exc:
        raise PluginError(str(exc)) from None
    plugin = config.plugins.get("bibtex")
    bib_file = getattr(getattr(plugin, "config", None), "bib_file", None) or "bibliography.bib"
    bib_path = root / str(bib_file)
    _state["bibliography"] = sources.load_bibliography(bib_path)
    problem = report.check_form_url(
        config.extra.get(report.SETTING), Path(config.config_file_path).name
    )
    if problem is not None:
        raise PluginError(str(ProblemsFound([problem])))
    return config


def page_context(page: Page, config: MkDocsConfig) -> dict[str, Any]:
    """Everything the templates need for one page."""
    meta = page.meta or {}
    site_name = config.site_name
    title = str(meta.get("title") or page.title or site_name)
    description = str(meta.get("description") or config.site_description or "")
    url = page.canonical_url or ""
    fallback = config.site_author or f"{site_name} editorial team"
    info = trust.trust_info(meta, _state.get("reviewers", {}), fallback)
    publisher = str(config.extra.get("publisher") or site_name)
    language = str(config.theme.get("language") or "en")
    markdown = page.file.content_string if page.file and not page.file.generated_by else ""
    jsonld = metadata.medical_web_page(
        title=title,
        description=description,
        url=url,
        language=language,
        publisher=publisher,
        site_url=config.site_url or "",
        trust=info,
        citations=sources.citations(markdown, _state.get("bibliography")),
    )
    return {
        "trust": info,
        "report_url": report.report_url(
            config.extra.get(report.SETTING), title=title, page_url=url
        ),
        "jsonld": metadata.script_json(jsonld),
        "og": metadata.open_graph(
            title=title,
            description=description,
            url=url,
            site_name=site_name,
            locale="en_US" if language == "en" else language,
            is_home=page.is_homepage,
        ),
    }


def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, **_: Any
) -> dict[str, Any]:
    context["iop"] = page_context(page, config)
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig, **_: Any) -> str:
    sprite_url = get_relative_url(html.SPRITE_NAME, page.url)
    return html.use_icon_sprite(html.fix_html(output), sprite_url, _icons())


def on_post_template(
    output_content: str, template_name: str, config: MkDocsConfig, **_: Any
) -> str:
    """The 404 page is a theme template, not a page: it gets the same fixes. It is served at
    any address, so its icon address is absolute, as MkDocs makes its other links."""
    if template_name.endswith(".html") and "<html" in output_content:
        base = urlsplit(config.site_url or "/").path or "/"
        sprite_url = base.rstrip("/") + "/" + html.SPRITE_NAME
        return html.use_icon_sprite(html.fix_html(output_content), sprite_url, _icons())
    return output_content


def on_post_build(config: MkDocsConfig, **_: Any) -> None:
    """Write the icons the pages refer to. A ``--dirty`` build renders only some pages, so the
    icons already in the file are kept; a full build starts from an empty site/."""
    icons = _icons()
    if not icons:
        return
    path = Path(config.site_dir) / html.SPRITE_NAME
    if path.exists():
        icons = {**html.read_sprite(path.read_text(encoding="utf-8")), **icons}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html.render_sprite(icons), encoding="utf-8")


def _icons() -> html.Icons:
    icons: html.Icons = _state.setdefault("icons", {})
    return icons
