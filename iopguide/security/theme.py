"""What the theme and our templates put in a page without any page content, which the CSP allows:
probe pages with an empty text at each page depth, and the error templates, rendered with the
real theme at every build, so a Material upgrade needs no edit here (decisions/0009)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from mkdocs.commands.build import get_context
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url, is_error_template

from iopguide.security.parse import scan_html
from iopguide.security.published import (
    JS_TYPES,
    REFUSED,
    ThemeAllowlist,
    site_path,
    source_hash,
)

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation


def _source_for(dest_uri: str) -> str:
    """A source MkDocs publishes at ``dest_uri``: ``es/faq/index.html`` or ``es/faq.html`` ->
    ``es/faq.md``."""
    index = dest_uri.rpartition("/")[2] == "index.html"
    stem = dest_uri[: -len("index.html")].rstrip("/") if index else dest_uri.removesuffix(".html")
    return f"{stem}.md" if stem else "index.md"


def site_base(config: MkDocsConfig) -> str:
    """The path of ``site_url`` ("/" or "/guide/"), where absolute paths of this site start."""
    path = urlsplit(config.site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def render_probes(
    config: MkDocsConfig, nav: Navigation, files: Files, env: Environment | None = None
) -> list[tuple[str, str]]:
    """``(built path, html)`` of the theme's output for an empty page at each page depth, and
    of its error pages; ``env``: the build's Jinja environment (templates compiled already)."""
    env = env or config.theme.get_env()
    # Probes are placed where pages are published (the i18n plugin publishes get-help-now.es.md
    # at es/get-help-now/), including pages another language's build wrote into site/.
    by_base: dict[str, str] = {}
    for file in files.documentation_pages():
        by_base.setdefault(get_relative_url(".", file.url), _source_for(file.dest_uri))
    for built in sorted(Path(config.site_dir).rglob("index.html")):
        rel = built.relative_to(config.site_dir).as_posix()
        by_base.setdefault(get_relative_url(".", rel[: -len("index.html")]), _source_for(rel))
    outputs: list[tuple[str, str]] = []
    template = env.get_template("main.html")
    for base in sorted(by_base):
        # File.generated() without the plugin bookkeeping it expects (none runs here).
        probe = File(by_base[base], None, config.site_dir, config.use_directory_urls)
        probe.generated_by, probe.content_string = __name__, ""
        page = Page(None, probe, config)
        page.read_source(config)
        page.render(config, files)
        outputs.append((probe.dest_uri, template.render(get_context(nav, files, config, page))))
    base_url = urlsplit(config.site_url or "/").path
    for name in config.theme.static_templates:
        if is_error_template(name) and name.endswith(".html"):
            context = get_context(nav, files, config, base_url=base_url)
            outputs.append((name, env.get_template(name).render(context)))
    return outputs


def allowlist_from_html(outputs: Iterable[tuple[str, str]], base_path: str = "/") -> ThemeAllowlist:
    """The inline scripts, script files, styles, data blocks, ids and refused start tags of
    template output, ``(built path, html)`` pairs."""
    scripts, styles, data_ids, ids, script_files = (set[str]() for _ in range(5))
    tags: Counter[str] = Counter()
    for page, html in outputs:
        scan = scan_html(html)
        tags |= Counter(t.source for t in scan.tags if t.name in REFUSED)
        for tag in scan.tags:
            if (element_id := tag.get("id")) is not None:
                ids.add(element_id)
            if tag.name == "style":
                styles.add(source_hash(tag.text))
            elif tag.name == "script" and (src := tag.get("src")) is not None:
                if (target := site_path(src, page, base_path)) is not None:
                    script_files.add(target)
            elif tag.name == "script":
                if (tag.get("type") or "").strip().lower() in JS_TYPES:
                    scripts.add(source_hash(tag.text))
                elif element_id:
                    data_ids.add(element_id)
    found = frozenset(scripts), frozenset(styles), frozenset(data_ids), frozenset(ids)
    return ThemeAllowlist(*found, frozenset(script_files), tags)


def theme_allowlist(
    config: MkDocsConfig, nav: Navigation, files: Files, env: Environment | None = None
) -> ThemeAllowlist:
    """The allowlist of this site's theme and templates (see the module docstring)."""
    return allowlist_from_html(render_probes(config, nav, files, env), site_base(config))
