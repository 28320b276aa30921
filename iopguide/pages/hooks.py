"""MkDocs event handlers for reader-facing page data: overrides/hooks/pages.py makes one
:class:`PageHooks` and hands MkDocs its methods; what the builds read lives on it.

- ``on_config``: read reviewers.yml and bibliography.bib once per build; check the address of
  the "Report a problem" form (``extra.report_problem_url``).
- ``on_page_context``: put ``iop`` in the template context: trust block data, JSON-LD, Open
  Graph tags. overrides/main.html renders them.
- ``on_post_page`` and ``on_post_template`` (the 404 page): fix theme HTML (validity and
  accessibility), and point the theme's inline icons at one cached icon file.
- ``on_files`` and ``on_page_content``, while a translation is built: a link to a page that
  has no translation yet leads to the original page, marked as such ("en inglés").
- ``on_post_build``: write that icon file (``assets/iop-icons.svg``).
- ``on_pre_build``: the titles of heading and footnote links in the language being built
  (languages.yml; the templates' own words are in ``extra.iop_i18n``, from the security hook).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel, get_files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from iopguide.citations import bibtex_adapter
from iopguide.i18n import THEME_KEY, Language, check_words, load_languages, original_of
from iopguide.i18n import page_language as file_language
from iopguide.pages import html, metadata, redirects, report, search, sources, trust
from iopguide.report import ProblemsFound


def _project_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def translation_note(page: Page, language: Language) -> dict[str, str] | None:
    """For a translated page: the English page it translates (its address, relative to this
    page) and the date of the version translated, written in this page's language."""
    meta = page.meta or {}
    source = meta.get("translation_of")
    date = trust.parse_date(meta.get("translated_from"))
    alternates = getattr(page.file, "alternates", {}) or {}
    original = next((f for f in alternates.values() if Path(f.src_uri).name == str(source)), None)
    if not source or date is None or original is None:
        return None
    return {
        "url": get_relative_url(original.url, page.url),
        "date": language.format_date(date),
        "lang": str(getattr(original, "locale", "") or "en"),
    }


class PageHooks:
    """The page events of one MkDocs process, and what each build reads once."""

    def __init__(self) -> None:
        self.icons: html.Icons = {}
        self.reviewers: dict[str, Any] = {}
        self.bibliography: Any = None
        self.languages: dict[str, Language] = {}
        #: addresses of the original pages a translation links to while it is built
        self.untranslated: set[str] = set()
        #: original page -> the address of its translation, in the translation being built
        self.translated: dict[str, str] = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = _project_root(config)
        self.icons = {}
        try:
            self.reviewers = trust.load_reviewers(root / "reviewers.yml")
        except ProblemsFound as exc:
            raise PluginError(str(exc)) from None
        bib_path = root / (bibtex_adapter.bib_file(config) or "bibliography.bib")
        self.bibliography = sources.load_bibliography(bib_path)
        problem = report.check_form_url(
            config.extra.get(report.SETTING), Path(config.config_file_path).name
        )
        if problem is not None:
            raise PluginError(str(ProblemsFound([problem])))
        self.languages = load_languages(root)
        problems = check_words(self.languages)
        if problems:
            raise PluginError(str(ProblemsFound(problems)))
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        """The titles of the heading links and the footnote back links, in the language being
        built: the i18n plugin builds every language with the same config, so each build sets
        them."""
        words = self.page_language(config).words
        mdx = config.mdx_configs
        if "toc" in config.markdown_extensions and words.get("permalink"):
            mdx.setdefault("toc", {})["permalink_title"] = words["permalink"]
        if "footnotes" in config.markdown_extensions and words.get("footnote_back"):
            mdx.setdefault("footnotes", {})["BACKLINK_TITLE"] = words["footnote_back"]

    def _languages(self) -> dict[str, Language]:
        from iopguide import ROOT

        return self.languages or load_languages(ROOT)

    def page_language(self, config: MkDocsConfig) -> Language:
        """The language of the pages being built: the i18n plugin sets the theme's language
        for each language it builds (decisions/0014-spanish-edition.md)."""
        languages = self._languages()
        theme = getattr(config, "theme", None) or {}
        code = str(theme.get("language") or "en")
        return languages.get(code) or next(iter(languages.values()))

    def _is_translation_build(self, config: MkDocsConfig) -> bool:
        """True while the i18n plugin builds a language other than the original (the first
        one of languages.yml)."""
        return self.page_language(config).code != next(iter(self._languages()))

    def page_context(self, page: Page, config: MkDocsConfig) -> dict[str, Any]:
        """Everything the templates need for one page."""
        meta = page.meta or {}
        site_name = config.site_name
        title = str(meta.get("title") or page.title or site_name)
        description = str(meta.get("description") or config.site_description or "")
        url = page.canonical_url or ""
        fallback = config.site_author or f"{site_name} editorial team"
        lang = self.page_language(config)
        info = trust.trust_info(meta, self.reviewers, fallback, lang.format_date)
        publisher = str(config.extra.get("publisher") or site_name)
        language = lang.code
        markdown = "" if page.file.generated_by else page.file.content_string
        jsonld = metadata.medical_web_page(
            title=title,
            description=description,
            url=url,
            language=language,
            publisher=publisher,
            site_url=config.site_url or "",
            trust=info,
            citations=sources.citations(markdown, self.bibliography),
        )
        return {
            "lang": language,
            #: the original language (the report form is written in it)
            "original": next(iter(self._languages())),
            "translation": translation_note(page, lang),
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
                locale={"en": "en_US", "es": "es_US"}.get(language, language),
                # The Spanish home page (es/) is a home page too.
                is_home=page.is_homepage or original_of(page.file.src_uri) == "index.md",
            ),
        }

    def on_page_context(
        self, context: dict[str, Any], page: Page, config: MkDocsConfig, **_: Any
    ) -> dict[str, Any]:
        context["iop"] = self.page_context(page, config)
        return context

    @event_priority(-110)  # after the i18n plugin (-100) has chosen this language's files
    def on_files(self, files: Files, config: MkDocsConfig, **_: Any) -> Files:
        """While a translation is built, its pages may link to an original page that has no
        translation yet (``[texto](levels-of-care.md)``): that link leads to the original
        page. The original page joins this build's files as excluded (never built, never in
        the menu, search or sitemap) so that MkDocs resolves and checks the link;
        ``on_page_content`` then marks it with the original's language
        (decisions/0014-spanish-edition.md)."""
        self.untranslated = set()
        if not self._is_translation_build(config):
            return files
        self.translated = {
            original_of(f.src_uri): f.url
            for f in files.documentation_pages()
            if f.inclusion.is_included()
        }
        codes = tuple(self.languages)
        for file in get_files(config):
            if (
                not file.is_documentation_page()
                or not file.inclusion.is_included()
                or file_language(file.src_uri, codes) is not None
                or files.get_file_from_path(file.src_uri) is not None
            ):
                continue
            original = File(
                file.src_uri,
                config.docs_dir,
                config.site_dir,
                config.use_directory_urls,
                inclusion=InclusionLevel.EXCLUDED,
            )
            files.append(original)
            self.untranslated.add(original.url)
        return files

    def on_page_content(self, html_text: str, page: Page, config: MkDocsConfig, **_: Any) -> str:
        if not self.untranslated:
            return html_text
        original = next(iter(self.languages), "en")
        label = self.page_language(config).labels.get("untranslated", "")
        return html.mark_untranslated_links(html_text, page.url, self.untranslated, original, label)

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig, **_: Any) -> str:
        sprite_url = get_relative_url(html.SPRITE_NAME, page.url)
        lang = self.page_language(config)
        output = html.fix_html(output, lang.labels)
        # hreflang only where this page has a translation (the i18n plugin records them).
        alternates = getattr(getattr(page, "file", None), "alternates", None)
        if alternates is not None:
            output = html.drop_alternates(output, {lang.code, *alternates})
        if self._is_translation_build(config):
            # Search this language's pages only (iopguide.pages.search).
            output = search.point_search_to(output, lang.code)
        return html.use_icon_sprite(output, sprite_url, self.icons)

    def on_post_template(
        self, output_content: str, template_name: str, config: MkDocsConfig, **_: Any
    ) -> str:
        """The 404 page is a theme template, not a page: it gets the same fixes. It is served at
        any address, so its icon address is absolute, as MkDocs makes its other links."""
        if template_name.endswith(".html") and "<html" in output_content:
            base = urlsplit(config.site_url or "/").path or "/"
            sprite_url = base.rstrip("/") + "/" + html.SPRITE_NAME
            labels = self.page_language(config).labels
            output_content = html.use_icon_sprite(
                html.fix_html(output_content, labels), sprite_url, self.icons
            )
        if template_name == "404.html":
            base = (urlsplit(config.site_url or "/").path or "/").rstrip("/") + "/"
            # Each language's home page: the 404 page has no translation of its own.
            data = (getattr(config, "extra", None) or {}).get(THEME_KEY) or {}
            homes = {code: base + home for code, home in (data.get("homes") or {}).items()}
            output_content = html.point_alternates(output_content, homes)
        if template_name == "404.html" and self._is_translation_build(config):
            # GitHub Pages answers every missing address with the root /404.html (in every
            # language, the original first); the i18n plugin's build of another language would
            # overwrite it. That build's own 404 page (its language first) goes to
            # /<code>/404.html instead, for hosts that serve the nearest 404.html; empty output
            # makes MkDocs skip the root file (decisions/0014-spanish-edition.md, DEPLOY.md).
            code = self.page_language(config).code
            output_content = search.point_search_to(output_content, code)
            target = Path(config.site_dir) / code / "404.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(output_content, encoding="utf-8")
            return ""
        return output_content

    def on_post_build(self, config: MkDocsConfig, **_: Any) -> None:
        """Write the icons the pages refer to. A ``--dirty`` build renders only some pages, so
        the icons already in the file are kept; a full build starts from an empty site/. While
        a translation is built: its redirect pages (:mod:`iopguide.pages.redirects`)."""
        translation = self._is_translation_build(config)
        plugin = config.plugins.get("redirects") if translation else None
        maps = getattr(plugin, "config", {}).get("redirect_maps") or {}
        if maps:
            redirects.write_translated_redirects(
                Path(config.site_dir),
                self.page_language(config).code,
                maps,
                self.translated,
                config.use_directory_urls,
            )
        icons = self.icons
        if not icons:
            return
        path = Path(config.site_dir) / html.SPRITE_NAME
        if path.exists():
            icons = {**html.read_sprite(path.read_text(encoding="utf-8")), **icons}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html.render_sprite(icons), encoding="utf-8")
