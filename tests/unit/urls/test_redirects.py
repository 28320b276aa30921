"""Redirect pages of the translations (iopguide.urls)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from iopguide.urls import redirect_sources, write_translated_redirects


def _target(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text.split('http-equiv="refresh" content="0; url=', 1)[1].split('"', 1)[0]


def test_a_renamed_page_redirects_its_translation_to_the_new_translation(tmp_path: Path) -> None:
    maps = {"faq.md": "questions.md#costs", "old-topic.md": "new-topic.md"}
    config = SimpleNamespace(site_dir=tmp_path, use_directory_urls=True)
    write_translated_redirects(config, "es", maps, {"questions.md": "es/questions/"})
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.html"))
    assert written == ["es/faq/index.html", "es/old-topic/index.html"]
    assert _target(tmp_path / "es/faq/index.html") == "../questions/#costs"
    # The target has no translation: the English page.
    assert _target(tmp_path / "es/old-topic/index.html") == "../../new-topic/"


def test_a_translation_still_there_is_never_replaced(tmp_path: Path) -> None:
    page = tmp_path / "es" / "faq" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<p>Preguntas</p>", encoding="utf-8")
    config = SimpleNamespace(site_dir=tmp_path, use_directory_urls=True)
    write_translated_redirects(config, "es", {"faq.md": "x.md"}, {})
    assert list(tmp_path.rglob("*.html")) == [page]
    assert page.read_text(encoding="utf-8") == "<p>Preguntas</p>"


def test_redirect_sources_cover_every_language() -> None:
    assert redirect_sources({"faq.md": "questions.md"}, ["es"]) == {
        "faq.md": "faq.md",
        "es/faq.md": "faq.md",
    }
