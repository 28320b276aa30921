"""What the theme and our templates put in a page, known without any page content.

The Content-Security-Policy allows exactly the inline scripts and styles of this allowlist, and
:mod:`iopguide.security.published` refuses any other. It is computed at every build, not
written by hand, so a Material upgrade that changes its inline scripts needs no edit here:

- For each distinct "depth" of the site's pages (Material's inline ``__md_scope`` script holds
  the page's relative base URL, ``"."`` on the home page and ``".."`` one folder down), a probe
  page is rendered with the real theme, ``overrides/`` and configuration, at the address of a
  real page of that depth but with **no content and no front matter** (a generated ``File``
  with an empty text). Whatever inline code that output holds came from templates alone.
- Error templates (``404.html``) are rendered as MkDocs renders them; they hold no page content
  at all.

Hashes are taken from the template output before any hook changes the page; hooks that would
change an inline script make every page fail with ``csp-inline-script`` naming the script, so
such a change cannot slip through (decisions/0009-publish-only-what-was-checked.md).
"""

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
    if dest_uri == "index.html" or dest_uri.endswith("/index.html"):
        stem = dest_uri[: -len("index.html")].rstrip("/")
    else:
        stem = dest_uri.removesuffix(".html")
    return f"{stem}.md" if stem else "index.md"


def render_probes(
    config: MkDocsConfig, nav: Navigation, files: Files, env: Environment | None = None
) -> list[tuple[str, str]]:
    """The theme's output for an empty page at each page depth, and its error pages.

    ``env`` is the build's Jinja environment (its templates are compiled already); without
    one, the theme makes a new one."""
    env = env or config.theme.get_env()
    outputs: list[tuple[str, str]] = []
    by_base: dict[str, str] = {}
    # A probe is placed by where the page is published, not by its source name: the i18n
    # plugin publishes get-help-now.es.md at es/get-help-now/.
    for file in files.documentation_pages():
        by_base.setdefault(get_relative_url(".", file.url), _source_for(file.dest_uri))
    # Pages another build wrote into the same site/ (the i18n plugin builds each language in
    # turn): a probe at each of their depths too, from the built path.
    for built in sorted(Path(config.site_dir).rglob("index.html")):
        rel = built.relative_to(config.site_dir).as_posix()
        by_base.setdefault(get_relative_url(".", rel[: -len("index.html")]), _source_for(rel))
    for base in sorted(by_base):
        # File.generated() without the plugin bookkeeping it expects (none runs here).
        probe = File(
            by_base[base],
            src_dir=None,
            dest_dir=config.site_dir,
            use_directory_urls=config.use_directory_urls,
        )
        probe.generated_by = __name__
        probe.content_string = ""
        page = Page(None, probe, config)
        page.read_source(config)
        page.render(config, files)
        template = env.get_template("main.html")
        outputs.append((probe.dest_uri, template.render(get_context(nav, files, config, page))))
    for name in config.theme.static_templates:
        if is_error_template(name) and name.endswith(".html"):
            base_url = urlsplit(config.site_url or "/").path
            template = env.get_template(name)
            context = get_context(nav, files, config, base_url=base_url)
            outputs.append((name, template.render(context)))
    return outputs


def allowlist_from_html(outputs: Iterable[tuple[str, str]], base_path: str = "/") -> ThemeAllowlist:
    """The inline scripts, script files, styles, data blocks and ids of template output:
    ``(built path, html)`` pairs; ``base_path`` is the path of ``site_url``."""
    scripts: set[str] = set()
    styles: set[str] = set()
    data_ids: set[str] = set()
    ids: set[str] = set()
    tags: dict[str, int] = {}
    script_files: set[str] = set()
    for page, html in outputs:
        scan, _ = scan_html(html)
        counts = Counter(tag.source for tag in scan.tags if tag.name in REFUSED)
        for source, count in counts.items():
            tags[source] = max(tags.get(source, 0), count)
        for tag in scan.tags:
            if tag.get("id") is not None:
                ids.add(tag.get("id") or "")
            if tag.name == "style":
                styles.add(source_hash(tag.text))
            elif tag.name == "script" and tag.get("src") is not None:
                target = site_path(tag.get("src") or "", page, base_path)
                if target is not None:
                    script_files.add(target)
            elif tag.name == "script":
                if (tag.get("type") or "").strip().lower() in JS_TYPES:
                    scripts.add(source_hash(tag.text))
                elif tag.get("id"):
                    data_ids.add(tag.get("id") or "")
    return ThemeAllowlist(
        frozenset(scripts),
        frozenset(styles),
        frozenset(data_ids),
        frozenset(ids),
        frozenset(script_files),
        tuple(sorted(tags.items())),
    )


def theme_allowlist(
    config: MkDocsConfig, nav: Navigation, files: Files, env: Environment | None = None
) -> ThemeAllowlist:
    """The allowlist of this site's theme and templates (see the module docstring)."""
    base_path = urlsplit(config.site_url or "/").path or "/"
    base_path += "" if base_path.endswith("/") else "/"
    return allowlist_from_html(render_probes(config, nav, files, env), base_path)
