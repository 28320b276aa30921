"""languages.yml: which language a page is in, dates in each language, translation fingerprints."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iopguide import ROOT, project
from iopguide.citations.layer import CitationLayer
from iopguide.i18n import (
    building,
    checksum,
    load_languages,
    original,
    original_of,
    page_language,
    reference_words,
    translation_name,
)
from iopguide.pages.hooks import PageHooks
from iopguide.report import ProblemsFound, format_problem

CODES = list(load_languages(ROOT))


def test_english_is_the_original_and_spanish_a_translation() -> None:
    assert CODES[0] == "en" and "es" in CODES


def test_review_dates_in_each_language() -> None:
    languages = load_languages(ROOT)
    date = dt.date(2026, 11, 28)
    assert languages["es"].format_date(date) == "28 de noviembre de 2026"
    assert languages["en"].format_date(date) == "28 November 2026"
    assert languages["es"].format_date(dt.date(2027, 1, 3)) == "3 de enero de 2027"


def test_the_file_name_says_the_language() -> None:
    assert page_language("docs/get-help-now.es.md", CODES) == "es"
    assert page_language("index.es.md", CODES) == "es"
    assert page_language("docs/get-help-now.md", CODES) is None
    # A dot in a name is not a language, and English is never a suffix.
    assert page_language("docs/v1.2.md", CODES) is None
    assert page_language("docs/index.en.md", CODES) is None
    assert original_of("docs/get-help-now.es.md") == "docs/get-help-now.md"
    # The way there and back: a page's translation is named beside it (the i18n plugin pairs).
    assert translation_name("docs/guides/faq.md", "es") == "docs/guides/faq.es.md"
    assert original_of(translation_name("docs/v1.2.md", "es")) == "docs/v1.2.md"
    assert page_language(translation_name("docs/v1.2.md", "es"), CODES) == "es"


def test_the_fingerprint_follows_the_text_not_the_line_endings(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"# Title\n\nText.\n")
    first = checksum(page)
    page.write_bytes(b"# Title\r\n\r\nText.\r\n")
    assert checksum(page) == first
    page.write_bytes(b"# Title\n\nOther text.\n")
    assert checksum(page) != first and len(first) == 12


def test_the_spanish_pages_record_the_english_page_they_translate() -> None:
    """Every docs/*.es.md names an existing English page; its fingerprint is current, or the
    content check warns (tested in tests/unit/content/test_translation.py)."""
    pages = sorted((ROOT / "docs").glob("*.es.md"))
    assert len(pages) >= 2
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert f"translation_of: {original_of(page.name)}" in text, page.name


@pytest.mark.parametrize(
    ("number", "english", "spanish"),
    [
        ("1", "1st", "1.ª"),
        ("2", "2nd", "2.ª"),
        ("3", "3rd", "3.ª"),
        ("4", "4th", "4.ª"),
        ("11", "11th", "11.ª"),
        ("12", "12th", "12.ª"),
        ("13", "13th", "13.ª"),
        ("21", "21st", "21.ª"),
        ("22", "22nd", "22.ª"),
        ("111", "111th", "111.ª"),
    ],
)
def test_numbered_editions_in_each_language(number: str, english: str, spanish: str) -> None:
    languages = load_languages(ROOT)
    assert languages["en"].reference_words.ordinal(number) == english
    assert languages["es"].reference_words.ordinal(number) == spanish


def test_a_misspelt_reference_word_stops_with_a_clear_problem(tmp_path: Path) -> None:
    """A misspelt key would otherwise print the English word on Spanish pages, silently."""
    text = (ROOT / "languages.yml").read_text(encoding="utf-8")
    (tmp_path / "languages.yml").write_text(
        text.replace("    accessed: Consultado el", "    acessed: Consultado el"), encoding="utf-8"
    )
    with pytest.raises(ProblemsFound) as raised:
        load_languages(tmp_path)
    assert format_problem(raised.value.problems[0]) == (
        "languages.yml: [languages-unknown-key] unknown key 'acessed' under "
        "'es: reference_words'. Fix: use one of: accessed, dissertation, edition, editor, "
        "editors, in, ordinals, phrases, thesis."
    )


def test_a_yaml_mistake_in_languages_yml_is_one_line_in_plain_words(tmp_path: Path) -> None:
    """As mkdocs.yml's (fails on the code that raised PyYAML's own error, lines and all)."""
    (tmp_path / "languages.yml").write_text("en:\n  name: [English\n  date: x\n", "utf-8")
    with pytest.raises(ProblemsFound) as caught:
        load_languages(tmp_path)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.column) == ("languages.yml", 2, 9)
    assert problem.rule == "languages-file" and "\n" not in format_problem(problem)
    assert problem.message.startswith("languages.yml cannot be read at this line (YAML says: ")
    assert problem.fix.startswith("compare this line with the same line of another language")


def test_words_left_out_stay_english() -> None:
    english = original().reference_words  # written once, in IOP Guide's languages.yml
    assert (english.in_, english.accessed) == ("In", "Accessed")
    words = reference_words({"in": "En"}, "es", english)
    assert (words.in_, words.accessed) == ("En", "Accessed")
    assert reference_words(None, "es", english) == english


def _package_copy(tmp_path: Path, old: str, new: str) -> Path:
    """The iopguide package beside a copy of its languages.yml with ``old`` made ``new``: the
    package's own file, which editors may change, as in a clone."""
    shutil.copytree(
        ROOT / "iopguide", tmp_path / "iopguide", ignore=shutil.ignore_patterns("__pycache__")
    )
    text = (ROOT / "languages.yml").read_text(encoding="utf-8")
    assert old in text, old
    (tmp_path / "languages.yml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


_PROBE = """
import iopguide.check, iopguide.citations.layer, iopguide.pages.hooks  # no crash at import
from iopguide.i18n import original
from iopguide.report import ProblemsFound, format_problem
try:
    original()
except ProblemsFound as error:
    print(*map(format_problem, error.problems), sep="\\n")
"""


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("  name: English\n", "  name: [English\n", "languages.yml:27:9: [languages-file] "),
        ("    accessed: Accessed\n", "", "languages.yml:26: [languages-original-missing] the first"
         " language, 'en', has no 'reference_words: accessed'"),
        ("{search: Search, crisis: Crisis help}", "{crisis: Crisis help}", "languages.yml:26: "
         "[languages-original-missing] the first language, 'en', has no 'labels: search'"),
    ],
)  # fmt: skip
def test_a_mistake_in_iop_guides_own_languages_yml_is_a_problem_not_a_crash(
    tmp_path: Path, old: str, new: str, said: str
) -> None:
    """The original's words were read when i18n was imported: one slip in languages.yml was a
    traceback from every command; a word left out of the original, a TypeError or a KeyError."""
    root = _package_copy(tmp_path, old, new)
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, cwd=root, env=env
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert done.stdout.startswith(said), done.stdout


def test_a_translation_leaves_out_the_originals_words_not_englishs(tmp_path: Path) -> None:
    """The English words are written once, in IOP Guide's languages.yml: a project's original
    leaving one out gets it from there, its translations get the original's."""
    original = "  name: x\n  months: [a, b, c, d, e, f, g, h, i, j, k, l]\n  date: '{day}'\n"
    (tmp_path / "languages.yml").write_text(
        f"es:\n{original}  references: R\n  reference_words: {{accessed: Consultado el}}\n"
        f"pt:\n{original}  references: R\n",
        encoding="utf-8",
    )
    spanish, portuguese = load_languages(tmp_path).values()
    assert portuguese.reference_words.accessed == "Consultado el"
    assert spanish.reference_words.in_ == portuguese.reference_words.in_ == "In"


def test_a_project_without_languages_yml_has_iop_guides_original_language(tmp_path: Path) -> None:
    """One fallback: the hooks, the citation layer and the theme all get IOP Guide's original
    language with its words (the hooks used to get English without the theme's words, the theme
    every language of IOP Guide)."""
    original = load_languages(ROOT)["en"]
    assert load_languages(tmp_path) == {"en": original}
    assert load_languages(tmp_path)["en"].words["permalink"] == original.words["permalink"]


def test_the_citation_layer_builds_the_language_the_page_hooks_build(tmp_path: Path) -> None:
    """One decision: a theme language languages.yml lacks is built as the original by both (the
    citation layer kept its English heading, without the anchor every language's has)."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "bibliography.bib").write_text("", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Test\ntheme:\n  name: material\n  language: fr\n"
        "plugins:\n  - bibtex:\n      bib_file: bibliography.bib\n",
        encoding="utf-8",
    )
    config, layer, hooks = (
        project.load_config(tmp_path / "mkdocs.yml"),
        CitationLayer(),
        PageHooks(),
    )
    config.plugins["bibtex"].on_config(layer.on_config(config))
    layer.on_pre_build(config)
    hooks.on_config(config)
    built = building(config, hooks.languages)
    assert built == load_languages(ROOT)["en"]
    assert layer.references_heading == f"## {built.references} {{#references}}"
    assert layer.words == built.reference_words
