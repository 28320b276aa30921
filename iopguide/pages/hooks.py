"""MkDocs page events (overrides/hooks/pages.py): the templates' ``iop`` data (trust block, JSON-LD,
Open Graph), the theme's HTML fixed, its icons in one file, a translation's links and redirects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from iopguide import ROOT, i18n, project
from iopguide.citations.bib import Bibliography
from iopguide.citations.latex import clean_url, to_text
from iopguide.citations.latex import urls as web_addresses
from iopguide.citations.layer import CitationLayer
from iopguide.content.frontmatter import today_from_env
from iopguide.content.hooks import ContentHooks
from iopguide.i18n import THEME_KEY, Language, check_words, load_languages, original_of, parse_date
from iopguide.i18n import page_language as file_language
from iopguide.pages import html
from iopguide.report import Messages, Problem, ProblemsFound
from iopguide.urls import base_path, redirect_maps, write_translated_redirects

MESSAGES = Messages(Path(__file__).with_name("messages.yml"))

#: What every page of the site is about (JSON-LD ``about``).
TOPIC = "Intensive outpatient programs for mental health and substance use"
ABOUT = {"@type": "Thing", "name": TOPIC}


# "Report a problem with this page": a plain link to the new-issue form (.github/ISSUE_TEMPLATE/),
# its fields filled from the query string; nothing loads from GitHub until a reader clicks it.
SETTING = "report_problem_url"  # in mkdocs.yml's extra: the form's address
TEMPLATE = "report-a-problem.yml"
PAGE_FIELD = "page"  # the id of the form's field for the page address
TITLE = "Problem on the page: {title}"


def check_form_url(value: object, config_file: str = "mkdocs.yml") -> Problem | None:
    """A problem when the setting is not a web address (an empty setting turns the link off)."""
    parts = urlsplit(text := "" if value is None else str(value).strip())
    if not text or (parts.scheme in ("https", "http") and parts.netloc):
        return None
    return MESSAGES.say(config_file, None, "report-problem-url", setting=SETTING, value=text)


def report_url(form_url: object, *, title: str, page_url: str) -> str | None:
    """The form's address with the page's title and address filled in; None: no address, no link."""
    if not (text := "" if form_url is None else str(form_url).strip()):
        return None
    parts = urlsplit(text)
    ours = ("template", "title", PAGE_FIELD)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in ours]
    query += [("template", TEMPLATE), ("title", TITLE.format(title=title)), (PAGE_FIELD, page_url)]
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))


# A page's JSON-LD ``citation``: each cited source's type, title and DOI or web address only (the
# rest cost up to 1.2 KB gzip per page, issue 7, and is in the References readers see).
_TYPES = {"article": "ScholarlyArticle", "online": "WebPage", "misc": "CreativeWork"}
_TYPES |= dict.fromkeys(("book", "inbook", "incollection"), "Book")


def citations(keys: Iterable[str], bib: Bibliography | None) -> list[dict[str, Any]]:
    """Each known source of ``keys`` (a page's, in reading order) as a schema.org CreativeWork."""
    works = []
    for entry in filter(None, (bib.data.entries.get(key) for key in keys) if bib else ()):
        work: dict[str, Any] = {"@type": _TYPES.get(entry.type, "CreativeWork")}
        if "title" in entry.fields:
            work["name"] = to_text(entry.fields["title"])
        if doi := clean_url(entry.fields.get("doi", "")):
            work["url"] = f"https://doi.org/{doi}"
        elif links := web_addresses(entry.fields.get("url", "")):
            work["url"] = links[0]
        works.append(work)
    return works


def translation_note(page: Page, language: Language) -> dict[str, str] | None:
    """A translated page's original (address relative to it), date of the version translated."""
    meta, alternates = page.meta or {}, getattr(page.file, "alternates", {}) or {}
    date, named = parse_date(meta.get("translated_from")), meta.get("translation_of")
    source = named and i18n.translation_source(page.file.src_uri, named)
    original = next((f for f in alternates.values() if f.src_uri == source), None)
    if date is None or original is None:
        return None
    url, lang = get_relative_url(original.url, page.url), getattr(original, "locale", "") or "en"
    return {"url": url, "date": language.format_date(date), "lang": str(lang)}


# The trust block (NHS pattern: "Page last reviewed: 3 March 2026 · Next review due: ..."): review
# dates from the front matter, the reviewer from reviewers.yml.
EDITORIAL_TEAM = "editorial-team"  # the reviewer key every page may use (reviewers.yml names it)


@dataclass(frozen=True)
class Reviewer:
    key: str
    name: str
    credentials: str = ""
    kind: str = "Organization"  # schema.org type: "Person" for a clinician

    @property
    def label(self) -> str:
        """As readers see it: "Dr A. Smith, MD, psychiatrist"."""
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


@dataclass(frozen=True)
class TrustInfo:
    last_reviewed: dt.date
    next_review: dt.date
    reviewer: Reviewer
    overdue: bool  # the next review date has passed: the page tells readers so
    last_reviewed_text: str  # the dates as the page's language writes them
    next_review_text: str


def load_reviewers(entries: Mapping[str, Mapping[str, Any]]) -> dict[str, Reviewer]:
    """Reviewers by key, from reviewers.yml's entries as the content check read them."""
    reviewers = {}
    for key, entry in entries.items():
        kind = str(entry.get("type", "")).strip().lower()
        person = kind == "person" or (not kind and key != EDITORIAL_TEAM)
        credentials = entry.get("credentials") or ""
        if isinstance(credentials, list | tuple):
            credentials = ", ".join(str(c).strip() for c in credentials if str(c).strip())
        name, credentials = str(entry["name"]).strip(), str(credentials).strip()
        reviewers[key] = Reviewer(key, name, credentials, "Person" if person else "Organization")
    return reviewers


def trust_info(
    meta: Mapping[str, Any],
    reviewers: dict[str, Reviewer],
    fallback_name: str,
    formatter: Callable[[dt.date], str],
) -> TrustInfo | None:
    """A page's trust data (None without review dates); an unknown ``reviewed_by`` as written."""
    last, nxt = parse_date(meta.get("last_reviewed")), parse_date(meta.get("next_review"))
    if last is None or nxt is None:
        return None
    key = str(meta["reviewed_by"]).strip() if meta.get("reviewed_by") else EDITORIAL_TEAM
    reviewer = reviewers.get(key) or Reviewer(key, fallback_name if key == EDITORIAL_TEAM else key)
    return TrustInfo(last, nxt, reviewer, nxt < today_from_env(), formatter(last), formatter(nxt))


class PageHooks:
    """The page events of one MkDocs process, and what each build reads once."""

    def __init__(self) -> None:
        self.icons: html.Icons = {}
        self.reviewers: dict[str, Reviewer] = {}
        self.layer: CitationLayer | None = None  # the citation layer: what each page cites
        self.languages = load_languages(ROOT)  # the project's, from on_config on
        self.original = next(iter(self.languages))  # the first of languages.yml
        self.untranslated: set[str] = set()  # original pages a translation being built links to
        self.originals: set[str] = set()  # the original pages, where a redirect may go
        self.translated: dict[str, str] = {}  # original page -> its translation's address

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Read languages.yml; check the form address and words."""
        config_file, self.icons = Path(config.config_file_path).name, {}
        self.layer = project.hook_of(config, CitationLayer)
        try:
            if form := check_form_url(config.extra.get(SETTING), config_file):
                raise ProblemsFound([form])
            self.languages = load_languages(project.root(config))
            self.original = next(iter(self.languages))
            if problems := check_words(self.languages):
                raise ProblemsFound(problems)
        except ProblemsFound as exc:
            raise PluginError(str(exc)) from None
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        """Heading and footnote back-link titles in the language being built."""
        words, mdx = i18n.building(config, self.languages).words, config.mdx_configs
        if "toc" in config.markdown_extensions and words.get("permalink"):
            mdx.setdefault("toc", {})["permalink_title"] = words["permalink"]
        if "footnotes" in config.markdown_extensions and words.get("footnote_back"):
            mdx.setdefault("footnotes", {})["BACKLINK_TITLE"] = words["footnote_back"]

    def translation(self, config: MkDocsConfig) -> str | None:
        """The code of the translation being built; None while the original is."""
        code = i18n.building(config, self.languages).code
        return code if code != self.original else None

    def on_page_context(
        self, context: dict[str, Any], page: Page, config: MkDocsConfig, **_: Any
    ) -> dict[str, Any]:
        """Put ``iop`` in the template context: everything the templates need for one page."""
        meta, site_name, url = page.meta or {}, config.site_name, page.canonical_url or ""
        title = str(meta.get("title") or page.title or site_name)
        description = str(meta.get("description") or config.site_description or "")
        lang = i18n.building(config, self.languages)
        fallback = config.site_author or f"{site_name} editorial team"
        info = trust_info(meta, self.reviewers, fallback, lang.format_date)
        publisher = {"@type": "Organization", "name": config.extra.get("publisher") or site_name}
        # schema.org MedicalWebPage (no "next review" property: only readers see it).
        jsonld: dict[str, Any] = {"@context": "https://schema.org", "@type": "MedicalWebPage"}
        jsonld |= {"name": title, "description": description, "url": url, "inLanguage": lang.code}
        jsonld |= {"about": ABOUT, "publisher": publisher | {"url": config.site_url or ""}}
        if info is not None:
            reviewer = {"@type": info.reviewer.kind, "name": info.reviewer.name}
            reviewer |= {"description": c} if (c := info.reviewer.credentials) else {}
            jsonld |= {"lastReviewed": info.last_reviewed.isoformat(), "reviewedBy": reviewer}
        keys = self.layer.cited.get(self.layer.page_file(page.file), ()) if self.layer else ()
        if cited := citations(keys, self.layer.bib if self.layer else None):
            jsonld["citation"] = cited
        # The Spanish home page (es/) is a home page too.
        home = page.is_homepage or original_of(page.file.src_uri) == "index.md"
        og = {"type": "website" if home else "article", "site_name": site_name, "title": title}
        og |= {"description": description, "url": url}
        og["locale"] = lang.locale
        context["iop"] = {
            "lang": lang.code,
            "original": self.original,  # the report form's language
            "translation": translation_note(page, lang),
            "trust": info,
            "report_url": report_url(config.extra.get(SETTING), title=title, page_url=url),
            "jsonld": html.script_json(jsonld),
            "og": [(f"og:{key}", value) for key, value in og.items()],  # no image to share
        }
        return context

    @event_priority(-110)  # after the i18n plugin (-100) has chosen this language's files
    def on_files(self, files: Files, config: MkDocsConfig, **_: Any) -> Files:
        """In a translation's build, an untranslated original page joins the files as excluded
        (never built, in no menu, search or sitemap) so links to it resolve (decisions/0014)."""
        # reviewers.yml as the content check read it this build (its on_pre_build ran).
        rules = content.rules if (content := project.hook_of(config, ContentHooks)) else None
        self.reviewers = load_reviewers(rules.reviewers if rules else {})
        self.untranslated, self.originals = set(), set()
        if not self.translation(config):
            return files
        self.translated = {original_of(f.src_uri): f.url for f in files.documentation_pages()}
        for file in project.page_files(config):
            original = file_language(file.src_uri, tuple(self.languages)) is None
            if original:
                self.originals.add(file.src_uri)
            if original and files.get_file_from_path(file.src_uri) is None:
                file.inclusion = InclusionLevel.EXCLUDED
                files.append(file)
                self.untranslated.add(file.url)
        return files

    def on_page_content(self, text: str, page: Page, config: MkDocsConfig, **_: Any) -> str:
        label = i18n.building(config, self.languages).labels.get("untranslated", "")
        return html.mark_untranslated_links(text, page.url, self.untranslated, self.original, label)

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig, **_: Any) -> str:
        lang = i18n.building(config, self.languages)
        output = html.fix_html(output, lang.labels)
        # hreflang only where this page has a translation (the i18n plugin records them).
        if (alternates := getattr(getattr(page, "file", None), "alternates", None)) is not None:
            output = html.drop_alternates(output, {lang.code, *alternates})
        if code := self.translation(config):
            output = html.point_search_to(output, code)
        sprite = get_relative_url(html.SPRITE_NAME, page.url)
        return html.use_icon_sprite(output, sprite, self.icons)

    def on_post_template(
        self, output_content: str, template_name: str, config: MkDocsConfig, **_: Any
    ) -> str:
        """The 404 page gets the same fixes, with absolute links: it is served at any address."""
        base = base_path(config)
        output = output_content
        if template_name.endswith(".html") and "<html" in output:
            output = html.fix_html(output, i18n.building(config, self.languages).labels)
            output = html.use_icon_sprite(output, base + html.SPRITE_NAME, self.icons)
        if template_name != "404.html":
            return output
        # It has no translation of its own: its language links lead to each home page.
        homes = ((getattr(config, "extra", None) or {}).get(THEME_KEY) or {}).get("homes") or {}
        homes = {code: base + home for code, home in homes.items()}
        output = html.point_alternates(output, homes)
        if not (code := self.translation(config)):
            return output
        # GitHub Pages serves the root /404.html for any missing address: a translation's goes
        # to /<code>/404.html, and empty output makes MkDocs skip the root one (decisions/0014).
        target = Path(config.site_dir) / code / "404.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html.point_search_to(output, code), encoding="utf-8")
        return ""

    def on_post_build(self, config: MkDocsConfig, **_: Any) -> None:
        """A translation's redirect pages; the icon file (keeping icons --dirty builds skip)."""
        if (code := self.translation(config)) and (maps := redirect_maps(config)):
            language = self.languages[code]
            write_translated_redirects(config, language, maps, self.translated, self.originals)
        path = Path(config.site_dir) / html.SPRITE_NAME
        if self.icons:
            old = html.read_sprite(path.read_text(encoding="utf-8")) if path.exists() else {}
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html.render_sprite({**old, **self.icons}), encoding="utf-8")
