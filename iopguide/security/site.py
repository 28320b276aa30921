"""The MkDocs side of the security checks: what the theme writes in a page without content
(probes rendered at every build: decisions/0009), the build's events and the headers command."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, get_files
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url, is_error_template
from mkdocs_redirects.plugin import get_html_path

from iopguide import ROOT, project
from iopguide.citations import bibtex_adapter
from iopguide.content.rules import relative
from iopguide.i18n import THEME_KEY, load_languages, theme_data
from iopguide.pages.html import split_index
from iopguide.report import ProblemsFound, collect, print_report
from iopguide.security import MESSAGES, published
from iopguide.security.csp import HTML_SUFFIXES, SiteSecurity, apply_security
from iopguide.security.parse import scan_html
from iopguide.security.published import CrisisLines, SiteRules, ThemeAllowlist
from iopguide.security.trim import patch_bundle, trim_site
from iopguide.urls import base_path, redirect_maps, redirect_sources


def render_probes(
    config: MkDocsConfig, nav: Navigation, files: Files, env: Environment | None = None
) -> list[tuple[str, str]]:
    """``(built path, html)`` of the theme's output for an empty page at each page depth, and of
    its error pages."""
    env = env or config.theme.get_env()
    site = Path(config.site_dir)
    dests = [f.dest_uri for f in files.documentation_pages()]
    dests += [p.relative_to(site).as_posix() for p in sorted(site.rglob("index.html"))]
    probes: dict[str, File] = {}
    for dest in dests:
        # File.generated() without the plugin bookkeeping it expects (none runs here).
        probe = File("probe.md", None, config.site_dir, config.use_directory_urls, dest_uri=dest)
        probes.setdefault(get_relative_url(".", probe.url), probe)
    outputs: list[tuple[str, str]] = []
    template = env.get_template("main.html")
    for _, probe in sorted(probes.items()):
        probe.generated_by, probe.content_string = __name__, ""
        page = Page(None, probe, config)
        page.read_source(config)
        page.render(config, files)
        outputs.append((probe.dest_uri, template.render(get_context(nav, files, config, page))))
    for name in config.theme.static_templates:
        if is_error_template(name) and name.endswith(".html"):
            context = get_context(nav, files, config, base_url=base_path(config))
            outputs.append((name, env.get_template(name).render(context)))
    return outputs


def allowlist_from_html(outputs: Iterable[tuple[str, str]], base_path: str = "/") -> ThemeAllowlist:
    """The inline code, script files, data blocks, ids and refused tags of template output."""
    allowlist = ThemeAllowlist()
    for page, html in outputs:
        tags = scan_html(html).tags
        scripts = [t for t in tags if t.name == "script"]
        inline = [t for t in scripts if t.get("src") is None]
        code = [t for t in inline if (t.get("type") or "").strip().lower() in published.JS_TYPES]
        files = [published.site_path(t.get("src") or "", page, base_path) for t in scripts]
        allowlist |= ThemeAllowlist(
            frozenset(published.source_hash(t.text) for t in code),
            frozenset(published.source_hash(t.text) for t in tags if t.name == "style"),
            frozenset(i for t in inline if t not in code and (i := t.get("id"))),
            frozenset(i for t in tags if (i := t.get("id")) is not None),
            frozenset(f for t, f in zip(scripts, files, strict=True) if t not in inline and f),
            Counter(t.source for t in tags if t.name in published.REFUSED),
        )
    return allowlist


def redirect_pages(config: MkDocsConfig) -> set[str]:
    """Built-site paths of the redirect pages (``redirect_maps``), in every language."""
    translations = list(load_languages(project.root(config)))[1:]
    paths = redirect_sources(redirect_maps(config), translations)
    return {get_html_path(path, config.use_directory_urls) for path in paths}


def sources(config: MkDocsConfig, files: Files) -> dict[str, str]:
    """Built path -> the file an editor changes (page, template, mkdocs.yml for redirects)."""
    root = project.root(config)
    prefix = relative(Path(config.docs_dir).resolve(), root)
    built = project.built_pages(config, files.documentation_pages())
    pages = {dest: src for src, dest in built.items()}
    html = (f for f in files if Path(f.dest_uri).suffix.lower() in HTML_SUFFIXES)
    pages |= {f.dest_uri: f.src_uri for f in html if not f.is_documentation_page()}  # copied
    found = {dest: f"{prefix}/{src}" for dest, src in pages.items()}
    found |= dict.fromkeys(redirect_pages(config), Path(config.config_file_path).name)
    custom = Path(config.theme.custom_dir).resolve() if config.theme.custom_dir else None
    for name in config.theme.static_templates:
        if custom and name.endswith(".html") and (custom / name).is_file():
            found.setdefault(name, f"{relative(custom, root)}/{name}")
    return found


def configure(config: MkDocsConfig) -> CrisisLines:
    """Read ``crisis-lines.yml`` (once a build) and put what the templates read in ``extra``."""
    crisis = published.load_crisis_lines(project.root(config))
    config.extra["crisis"], config.extra[THEME_KEY] = crisis.by_id, theme_data(config)
    return crisis


def site_rules(
    config: MkDocsConfig,
    nav: Navigation,
    files: Files,
    env: Environment | None = None,
    crisis: CrisisLines | None = None,
) -> SiteRules:
    """Everything :func:`iopguide.security.published.judge_page` needs for this site (``crisis``:
    what :func:`configure` read, else read now)."""
    crisis = crisis or configure(config)
    allowlist = allowlist_from_html(render_probes(config, nav, files, env), base_path(config))
    own = {host} if (host := published.host_of(config.site_url or "")) else set()
    return SiteRules(allowlist, crisis, own, base_path(config), redirect_pages(config))


def secure_site(
    site_dir: Path, config: MkDocsConfig, rules: SiteRules, **options: Any
) -> SiteSecurity:
    """What every build does to ``site/`` (idempotent): one search index per language (before
    the trim keeps their files), lighter assets, then :func:`apply_security`. A finding not in a
    page's source is looked for in the bibliography (reference lists)."""
    split_index(site_dir, list(load_languages(project.root(config))))
    trim_site(site_dir, [str(name) for name in config.extra_css])
    patch_bundle(site_dir)
    also = [bib] if (bib := bibtex_adapter.bib_file(config)) else []
    return apply_security(site_dir, rules, root=project.root(config), also=also, **options)


class SecurityHooks:
    """The security events of one MkDocs process. The i18n plugin runs each other language's
    build inside the default one's: each build's nav, files and env go on a stack; the default
    language's post_build, last, judges every page with what every build allowed and named."""

    def __init__(self) -> None:
        self.serving = False
        self.allowlist: ThemeAllowlist | None = None
        self.sources: dict[str, str] = {}
        self.builds: list[dict[str, Any]] = []
        self.crisis: CrisisLines | None = None

    def on_startup(self, command: str, dirty: bool, **kwargs: object) -> None:
        # A CSP meta would block `mkdocs serve`'s live-reload script.
        self.serving = command == "serve"
        self.allowlist, self.sources, self.builds = None, {}, []

    def on_config(self, config: Any, **kwargs: object) -> Any:
        try:
            self.crisis = configure(config)
        except ProblemsFound as error:
            raise PluginError(str(error)) from None
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
        build = self.builds.pop()
        rules = site_rules(config, build["nav"], build["files"], build.get("env"), self.crisis)
        rules.allowlist = self.allowlist = rules.allowlist | (self.allowlist or ThemeAllowlist())
        try:
            secure_site(site_dir, config, rules, sources=self.sources, inject=not self.serving)
        except ProblemsFound as error:
            # `make serve` lists them on its banner (iopguide.preview); a build fails.
            if not (self.serving and collect(error.problems)):
                raise PluginError(str(error)) from None


def main(argv: list[str]) -> int:
    """``python -m iopguide headers SITE_DIR``: the build's security steps again on a built site."""
    words = MESSAGES.text
    parser = MESSAGES.parser("headers", "cli/about")
    parser.add_argument("site_dir", nargs="?", default="site", help=words("cli/site-dir"))
    parser.add_argument("--no-meta", action="store_true", help=words("cli/no-meta"))
    config_file = str(ROOT / "mkdocs.yml")
    parser.add_argument("--config-file", default=config_file, help=words("cli/config-file"))
    args = parser.parse_args(argv)
    site = Path(args.site_dir)
    if not (site / "index.html").is_file():
        return print_report([MESSAGES.say(args.site_dir, None, "headers-no-site")])
    try:
        config = project.load_config(Path(args.config_file), site_dir=str(site.resolve()))
        files = get_files(config)
        # MkDocs alone lists the translations as "not included in the nav": noise here. Said
        # in this command's own config (MkDocs' setting), not the process's logger.
        config.validation.nav.omitted_files = logging.DEBUG
        rules = site_rules(config, get_navigation(files, config), files)
        found = sources(config, files)
        result = secure_site(site, config, rules, sources=found, inject=not args.no_meta)
    except ProblemsFound as error:
        return print_report(error.problems)
    print(words("cli/wrote", path=result.headers_path, pages=result.pages))
    print(f"Content-Security-Policy: {result.policy}")
    return 0
