"""The page list of a project whose mkdocs.yml MkDocs cannot load."""

from __future__ import annotations

from pathlib import Path

import pytest

from iopguide import project

ROOT = Path(__file__).resolve().parents[3]


def test_no_docs_folder_means_no_pages_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Found by mypy: with no docs/ not even MkDocs' defaults validate, and None was returned
    # ("'NoneType' object is not subscriptable" in make check).
    (tmp_path / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    monkeypatch.chdir(ROOT)  # a folder that has docs/: it must not be read instead
    config = project.config_despite_mistakes(tmp_path)
    assert Path(config["docs_dir"]) == tmp_path / "docs"
    assert project.page_paths(config) == []
    assert project.docs_dir(tmp_path) == (tmp_path / "docs").resolve()


def test_the_pages_are_still_found_beside_a_broken_mkdocs_yml(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    config = project.config_despite_mistakes(tmp_path)
    assert project.page_paths(config) == [tmp_path / "docs" / "index.md"]


BIBTEX = "  - bibtex:\n      bib_file: refs/sources.bib\n"


@pytest.mark.parametrize(
    "plugins",
    [
        BIBTEX + "  - no-such-plugin\n",  # a plugin MkDocs cannot load
        # A plugin whose own validation crashes (search: AttributeError): since the plugins are
        # kept (the bibliography), MkDocs validates them; it stopped make check's DOI stage.
        "  - search:\n      lang: [[]]\n" + BIBTEX,
    ],
)
def test_the_plugins_mkdocs_accepts_are_kept_one_it_rejects_left_out(
    tmp_path: Path, plugins: str
) -> None:
    """The bibtex plugin's bib_file is known beside a plugin MkDocs rejects or crashes on, never
    raised; MkDocs changes the settings it validates, so each try validates a copy."""
    (tmp_path / "mkdocs.yml").write_text(f"site_name: x\nplugins:\n{plugins}", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    config = project.config_despite_mistakes(tmp_path)
    assert list(config.plugins) == ["bibtex"]
    assert config.plugins["bibtex"].config.bib_file == "refs/sources.bib"
