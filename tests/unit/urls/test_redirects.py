"""Redirect pages of the translations (iopguide.urls)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

from iopguide import ROOT
from iopguide.i18n import load_languages
from iopguide.urls import redirect_sources, write_translated_redirects

SPANISH = load_languages(ROOT)["es"]


def _target(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text.split('http-equiv="refresh" content="0; url=', 1)[1].split('"', 1)[0]


def test_a_renamed_page_redirects_its_translation_to_the_new_translation(tmp_path: Path) -> None:
    maps = {"faq.md": "questions.md#costs", "old-topic.md": "new-topic.md"}
    config = SimpleNamespace(site_dir=tmp_path, use_directory_urls=True)
    write_translated_redirects(config, SPANISH, maps, {"questions.md": "es/questions/"})
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.html"))
    assert written == ["es/faq/index.html", "es/old-topic/index.html"]
    assert _target(tmp_path / "es/faq/index.html") == "../questions/#costs"
    # The target has no translation: the English page.
    assert _target(tmp_path / "es/old-topic/index.html") == "../../new-topic/"


def test_a_translations_redirect_page_speaks_its_language(tmp_path: Path) -> None:
    """A screen reader picks its voice by lang: /es/ redirect pages are Spanish, words and lang
    (mkdocs-redirects' English page with lang="en" on main before issue 14's G5)."""
    config = SimpleNamespace(site_dir=tmp_path, use_directory_urls=True)
    write_translated_redirects(config, SPANISH, {"faq.md": "questions.md"}, {})
    text = (tmp_path / "es/faq/index.html").read_text(encoding="utf-8")
    words = SPANISH.words["redirect"]
    assert '<html lang="es">' in text and f"<title>{words['title']}</title>" in text
    link = f'<a href="../../questions/">{words["link"]}</a>'
    assert words["text"].format(link=link) in text
    assert "redirected" not in text and "Redirecting" not in text


def test_a_brace_in_a_translators_redirect_words_is_written_as_it_is(tmp_path: Path) -> None:
    # languages.yml's words fill in their {names} as the theme does (main: str.format, and a lone
    # '{' the language-word check lets through was a ValueError traceback from mkdocs build).
    words = {"title": "Le llevamos...", "text": "Siga a la {link} {o espere}", "link": "nueva"}
    language = replace(SPANISH, words={**SPANISH.words, "redirect": words})
    config = SimpleNamespace(site_dir=tmp_path, use_directory_urls=True)
    write_translated_redirects(config, language, {"faq.md": "questions.md"}, {})
    text = (tmp_path / "es/faq/index.html").read_text(encoding="utf-8")
    assert 'Siga a la <a href="../../questions/">nueva</a> {o espere}' in text


def test_a_translation_still_there_is_never_replaced(tmp_path: Path) -> None:
    page = tmp_path / "es" / "faq" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<p>Preguntas</p>", encoding="utf-8")
    config = SimpleNamespace(site_dir=tmp_path, use_directory_urls=True)
    write_translated_redirects(config, SPANISH, {"faq.md": "x.md"}, {})
    assert list(tmp_path.rglob("*.html")) == [page]
    assert page.read_text(encoding="utf-8") == "<p>Preguntas</p>"


def test_redirect_sources_cover_every_language() -> None:
    assert redirect_sources({"faq.md": "questions.md"}, ["es"]) == {
        "faq.md": "faq.md",
        "es/faq.md": "faq.md",
    }
