"""The theme's words in languages.yml: every language has every word of the original with the
same {names}; words are printed as text; links lead to a page's translation when it exists."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from iopguide import ROOT, project
from iopguide.i18n import address_of, check_words, flat_words, load_languages, theme_data
from iopguide.report import format_problem


def _copy_with(tmp_path: Path, change) -> dict:  # type: ignore[no-untyped-def]
    data = yaml.safe_load((ROOT / "languages.yml").read_text(encoding="utf-8"))
    change(data)
    (tmp_path / "languages.yml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return load_languages(tmp_path)


def test_every_language_has_every_word_of_the_original() -> None:
    languages = load_languages(ROOT)
    assert check_words(languages) == []
    english = flat_words(languages["en"].words)
    assert {"crisis.lead", "trust.due", "footer.no_tracking", "not_found.title"} <= set(english)
    assert flat_words(languages["es"].words).keys() == english.keys()


def test_a_missing_word_names_the_language_and_the_key(tmp_path: Path) -> None:
    languages = _copy_with(tmp_path, lambda d: d["es"]["words"]["trust"].pop("due"))
    problems = check_words(languages)
    assert [p.rule for p in problems] == ["language-word-missing"]
    line = format_problem(problems[0])
    assert line.startswith("languages.yml: [language-word-missing] 'es' has no word 'trust.due'")
    assert "Fix: add it under es: words:" in line


def test_a_wrong_name_in_braces_is_refused(tmp_path: Path) -> None:
    def rename(data: dict) -> None:
        data["es"]["words"]["crisis"]["call"] = "Llame al {numero}"

    problems = check_words(_copy_with(tmp_path, rename))
    assert [(p.rule, "crisis.call" in p.message) for p in problems] == [
        ("language-word-placeholder", True)
    ]
    assert "{number}" in problems[0].message


def _theme_data(tmp_path: Path, pages: tuple[str, ...], exclude: str = "") -> dict:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in pages:
        (docs / name).write_text("# Page\n", encoding="utf-8")
    shutil.copy(ROOT / "languages.yml", tmp_path / "languages.yml")
    settings = {"site_name": "Test", "exclude_docs": exclude}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    return theme_data(project.load_config(tmp_path / "mkdocs.yml"))


def test_the_theme_gets_every_language_and_links_for_its_readers(tmp_path: Path) -> None:
    pages = ("index.md", "index.es.md", "privacy.md", "privacy.es.md", "sources.md")
    data = _theme_data(tmp_path, pages)
    assert data["original"] == "en" and list(data["homes"]) == ["en", "es"]
    assert data["homes"] == {"en": "", "es": "es/"}
    assert data["links"]["es"]["privacy.md"] == {"url": "es/privacy/", "hreflang": "", "suffix": ""}
    assert data["links"]["es"]["sources.md"] == {
        "url": "sources/",
        "hreflang": "en",
        "suffix": " (en inglés)",
    }
    assert data["links"]["en"]["sources.md"] == {"url": "sources/", "hreflang": "", "suffix": ""}
    assert data["words"]["es"]["crisis"]["lead"] == "¿Necesita ayuda ahora?"


def test_links_lead_to_the_translation_when_it_exists(tmp_path: Path) -> None:
    links = _theme_data(tmp_path, ("index.md", "privacy.md", "privacy.es.md"))["links"]
    assert links["es"]["privacy.md"]["url"] == "es/privacy/"
    assert links["es"]["get-help-now.md"]["url"] == "get-help-now/"
    assert links["en"]["privacy.md"]["url"] == "privacy/"
    assert address_of("privacy.es.md", ("en", "es")) == "es/privacy/"
    assert address_of("privacy.md", ("en", "es")) == "privacy/"
    assert address_of("index.es.md", ("en", "es")) == "es/"
    assert address_of("index.md") == ""


def test_pages_mkdocs_does_not_build_are_not_linked(tmp_path: Path) -> None:
    """The theme's links come from MkDocs' page list: exclude_docs counts, a Spanish home page
    that is excluded is not offered."""
    pages = ("index.md", "index.es.md", "privacy.md", "draft.md")
    data = _theme_data(tmp_path, pages, exclude="draft.md\nindex.es.md\n")
    assert "draft.md" not in data["links"]["en"] and "privacy.md" in data["links"]["en"]
    assert data["homes"] == {"en": ""}


def test_a_project_without_languages_yml_gets_the_original_language_only(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    data = theme_data(project.load_config(tmp_path / "mkdocs.yml"))
    assert list(data["words"]) == list(data["links"]) == ["en"] and data["homes"] == {"en": ""}
    assert data["words"]["en"] == load_languages(ROOT)["en"].words
