"""Built page -> source file: one map (project.built_pages) for the build log, the security check
and the link check, a translation where the i18n plugin writes it (es/faq/, not faq.es/)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import Files, get_files

from iopguide import ROOT, project
from iopguide.security.site import sources


def _project(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    for name in ("index.md", "index.es.md", "faq.md", "faq.es.md", "static.html"):
        (tmp_path / "docs" / name).write_text("# x\n", encoding="utf-8")
    languages = (ROOT / "languages.yml").read_text(encoding="utf-8")
    (tmp_path / "languages.yml").write_text(languages, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    return tmp_path


def test_a_translation_is_built_under_its_language(tmp_path: Path) -> None:
    config = project.load_config(_project(tmp_path))
    assert project.built_pages(config) == {
        "faq.es.md": "es/faq/index.html",
        "faq.md": "faq/index.html",
        "index.es.md": "es/index.html",
        "index.md": "index.html",
    }


def test_the_security_command_names_a_translations_own_file(tmp_path: Path) -> None:
    """``python -m iopguide security`` reads MkDocs' files without the i18n plugin."""
    config = project.load_config(_project(tmp_path))
    found = sources(config, get_files(config))
    assert found["es/faq/index.html"] == "docs/faq.es.md"
    assert found["faq/index.html"] == "docs/faq.md"
    assert found["static.html"] == "docs/static.html"  # copied as it is, judged too


def test_the_security_check_names_the_pages_of_the_build_it_is_given(tmp_path: Path) -> None:
    """A build's own list (the i18n plugin's Spanish build: its pages only) is the one read, not
    a new listing of the project's files."""
    config = project.load_config(_project(tmp_path))
    spanish = Files([f for f in get_files(config) if f.src_uri.endswith(".es.md")])
    found = sources(config, spanish)
    assert found == {"es/index.html": "docs/index.es.md", "es/faq/index.html": "docs/faq.es.md"}
