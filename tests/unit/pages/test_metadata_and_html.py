"""JSON-LD, Open Graph and the HTML fixes, on small inputs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import yaml

from iopguide import ROOT
from iopguide.i18n import Language, load_languages, original
from iopguide.pages import html
from iopguide.pages.hooks import PageHooks, Reviewer
from iopguide.pages.html import compact_whitespace, fix_html, script_json

LABELS = original().labels  # IOP Guide's English names of page parts (languages.yml)
REVIEWED = {
    "last_reviewed": dt.date(2026, 3, 3),
    "next_review": dt.date(2028, 3, 3),
    "reviewed_by": "dr",
}


def _context(meta: dict, home: bool = False, languages: dict[str, Language] | None = None) -> dict:
    """The template data PageHooks gives one page (JSON-LD as data, Open Graph pairs), in the
    last of ``languages`` (default: IOP Guide's original)."""
    hooks = PageHooks()
    hooks.languages = languages or hooks.languages
    hooks.reviewers = {"dr": Reviewer("dr", "Dr A", "MD", "Person")}
    file = SimpleNamespace(generated_by=None, content_string="", src_uri="what.md", alternates={})
    page = SimpleNamespace(
        meta={"title": "What is an IOP?", "description": "Plain words.", **meta},
        title=None,
        canonical_url="https://example.org/what-is-an-iop/",
        is_homepage=home,
        file=file,
    )
    config = SimpleNamespace(
        site_name="IOP Guide",
        site_description="",
        site_author=None,
        site_url="https://example.org/",
        extra={},
        theme={"language": list(languages)[-1] if languages else "en"},
    )
    context = hooks.on_page_context({}, page, config)["iop"]  # type: ignore[arg-type]
    return {**context, "jsonld": json.loads(context["jsonld"])}


def test_medical_web_page_has_review_data() -> None:
    data = _context(REVIEWED)["jsonld"]
    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == "What is an IOP?" and data["inLanguage"] == "en"
    assert data["lastReviewed"] == "2026-03-03"
    assert data["reviewedBy"] == {"@type": "Person", "name": "Dr A", "description": "MD"}
    assert data["publisher"]["@type"] == "Organization"
    assert "nextReview" not in json.dumps(data)  # schema.org has no such property


def test_without_review_dates_no_review_properties() -> None:
    data = _context({})["jsonld"]
    assert "lastReviewed" not in data and "reviewedBy" not in data


def test_script_json_cannot_close_the_script_element() -> None:
    text = script_json({"name": "</script><script>alert(1)</script> & more"})
    assert "</script>" not in text and "<" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> & more"


def test_open_graph_type_depends_on_home() -> None:
    assert ("og:type", "website") in _context({}, home=True)["og"]
    assert ("og:type", "article") in _context({}, home=False)["og"]
    assert ("og:locale", "en_US") in _context({})["og"]


def test_open_graph_locale_of_a_new_language_is_data(tmp_path: Path) -> None:
    """A third language needs no code: its locale is written beside it in languages.yml."""
    data = yaml.safe_load((ROOT / "languages.yml").read_text(encoding="utf-8"))
    data["pt"] = {**data["es"], "name": "Português", "locale": "pt_BR"}
    (tmp_path / "languages.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    assert ("og:locale", "pt_BR") in _context({}, languages=load_languages(tmp_path))["og"]


THEME = (
    '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" '
    'autocomplete="off">'
    '<input type="text" class="md-search__input" name="query" autocomplete="off">'
    '<aside class="md-banner">'
    '<div class="md-search" data-md-component="search" role="dialog">'
    '<label class="task-list-control"><input type="checkbox" disabled/>'
    '<span class="task-list-indicator"></span></label> Ask about cost'
    '<label class="md-nav__title" for="__toc">Table of contents</label>'
    '<a href="https://doi.org/10.1/x">https://doi.org/10.1/x</a>'
    '<a href="https://doi.org/10.1/y">doi:10.1/y</a>'
    '<img src="../assets/logo.svg" alt="logo">'
    '<link rel="stylesheet" href="../assets/print.css">'
)


def test_fix_html() -> None:
    html = fix_html(THEME, LABELS)
    # autocomplete stays on the text input, leaves the checkbox.
    assert 'id="__drawer">' in html
    assert 'name="query" autocomplete="off"' in html
    assert '<aside class="md-banner iop-crisis" aria-label="Crisis help">' in html
    assert 'role="dialog" aria-label="Search">' in html
    assert '<span class="task-list-control" aria-hidden="true"><input type="checkbox"' in html
    assert '<div class="md-nav__title">Table of contents</div>' in html
    assert '<a class="iop-url" href="https://doi.org/10.1/x">' in html
    assert '<a href="https://doi.org/10.1/y">doi:10.1/y</a>' in html
    assert '<img src="../assets/logo.svg" alt="" width="24" height="24">' in html
    assert '<link rel="stylesheet" href="../assets/print.css" media="print">' in html


def test_fix_html_keeps_toc_label_when_toggle_exists() -> None:
    html = '<input id="__toc" type="checkbox"><label class="md-nav__title" for="__toc">T</label>'
    assert fix_html(html, LABELS) == html


def test_fix_html_is_idempotent() -> None:
    once = fix_html(THEME, LABELS)
    assert fix_html(once, LABELS) == once


# White space as Material's templates leave it, with every place where it must stay as it is.
LOOSE = (
    "<!doctype html>\n<html>\n  <head>\n    <title>\n      A page\n    </title>\n"
    "    <script>var a = 1;\n    var b = 2;</script>\n"
    "    <style>\n  p { color: red }\n</style>\n"
    "    <!-- a comment\n      over lines -->\n  </head>\n  <body>\n\n\n"
    '    <a href="#main"\n       class="md-skip" title="Line one\n   line two">\n'
    "      Skip to content\n    </a>\n"
    "    <span>Call 988</span>\n    <span>SAMHSA</span> text  with  spaces\n"
    "    <pre><code>def f():\n    return 1\n\n\n</code></pre>\n"
    "    <p>Run <code>make   serve\n    now</code> or press <kbd>Ctrl\n  C</kbd>.</p>\n"
    "    <textarea>\n  keep\n    me\n</textarea>\n"
    "  </body>\n</html>\n"
)


def test_compact_whitespace_collapses_line_breaks_in_text_only() -> None:
    html = compact_whitespace(LOOSE)
    # Indentation and blank lines between tags and around text become one line break.
    assert "<body>\n<a href" in html
    assert ">\nSkip to content\n</a>\n<span>Call 988</span>\n<span>SAMHSA</span>" in html
    assert "<title>\nA page\n</title>" in html
    # Spaces without a line break are left alone (they render the same anyway).
    assert "</span> text  with  spaces\n<pre>" in html
    # Tags and attribute values are not touched, nor comments.
    assert '<a href="#main"\n       class="md-skip" title="Line one\n   line two">' in html
    assert "<!-- a comment\n      over lines -->" in html
    # Scripts and styles keep every byte (their CSP hashes), and so do pre, code, kbd, textarea.
    assert "<script>var a = 1;\n    var b = 2;</script>" in html
    assert "<style>\n  p { color: red }\n</style>" in html
    assert "<pre><code>def f():\n    return 1\n\n\n</code></pre>" in html
    assert "<code>make   serve\n    now</code>" in html
    assert "<kbd>Ctrl\n  C</kbd>" in html
    assert "<textarea>\n  keep\n    me\n</textarea>" in html
    assert len(html) < len(LOOSE) - 60


def test_compact_whitespace_is_idempotent_and_part_of_fix_html() -> None:
    once = compact_whitespace(LOOSE)
    assert compact_whitespace(once) == once
    assert fix_html(LOOSE, LABELS) == once


def test_compact_whitespace_reads_quoted_greater_than_in_attributes() -> None:
    """A '>' inside a quoted attribute does not end the tag early."""
    html = '<p title="a > b\n   c">\n   x\n</p>\n  <abbr title="1 > 0\n  ok">y</abbr>'
    assert (
        compact_whitespace(html)
        == '<p title="a > b\n   c">\nx\n</p>\n<abbr title="1 > 0\n  ok">y</abbr>'
    )


def test_links_to_untranslated_pages_are_marked_with_the_original_language() -> None:
    page = (
        '<p><a href="../../levels-of-care/#nivel-1">niveles</a> y '
        '<a href="../faq/">preguntas</a> y <a href="https://example.org/levels-of-care/">x</a> '
        '<a href="../../levels-of-care/" hreflang="en">ya marcado</a></p>'
    )
    marked = html.mark_untranslated_links(
        page, "es/que-es/", {"levels-of-care/"}, "en", "en inglés"
    )
    assert marked == (
        '<p><a href="../../levels-of-care/#nivel-1" hreflang="en">niveles (en inglés)</a> y '
        '<a href="../faq/">preguntas</a> y <a href="https://example.org/levels-of-care/">x</a> '
        '<a href="../../levels-of-care/" hreflang="en">ya marcado</a></p>'
    )
    # From the Spanish home page (es/), and with no untranslated page nothing changes.
    home = '<a href="../levels-of-care/">niveles</a>'
    assert html.mark_untranslated_links(home, "es/", {"levels-of-care/"}, "en", "") == (
        '<a href="../levels-of-care/" hreflang="en">niveles</a>'
    )
    assert html.mark_untranslated_links(home, "es/", set(), "en", "en inglés") == home
