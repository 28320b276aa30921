"""Spanish spelling (iopguide.content.hunspell): Hunspell's es_US dictionary (Debian's
hunspell-es) and our word list, on translated pages only, with messages in the house format."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from iopguide import ROOT
from iopguide.content import hunspell
from iopguide.content.checker import check_pages
from iopguide.content.page import read_page
from iopguide.content.rules import load_rules
from iopguide.report import Severity, format_problem

FIXTURE = ROOT / "tests" / "fixtures" / "content" / "spelling-es" / "ortografia.es.md"
SPANISH = load_rules(ROOT).languages["es"]


def _check(page: Path, root: Path = ROOT, rules=SPANISH):  # type: ignore[no-untyped-def]
    return hunspell.check([read_page(page, root)], rules)


def test_misspelled_words_are_found_once_per_page_with_line_column_and_a_guess() -> None:
    problems = _check(FIXTURE)
    assert [(p.rule, p.line, p.column) for p in problems] == [("spelling-es", 8, 4)]
    line = format_problem(problems[0])
    assert line.startswith(
        "tests/fixtures/content/spelling-es/ortografia.es.md:8:4: [spelling-es] "
        '"consejeria" is not in the es_US dictionary (perhaps "consejería").'
    ), line
    assert "add it to spelling-es.txt, one word per line" in line


def test_our_word_list_marked_english_code_tags_and_addresses_are_not_flagged() -> None:
    """naloxona and SAMHSA are in spelling-es.txt; the English words are marked lang=en;
    the rest is markup, a web address, an admonition's type or code."""
    text = hunspell.spell_text(read_page(FIXTURE, ROOT), "es")
    for word in ("Insurance", "intensive", "span", "findtreatment", "danger", "xyzzyq", "lang"):
        assert word not in text, word
    assert "Pregúntele" in text and "naloxona" in text and "Ortografía de prueba" in text
    assert "title:" not in text


def test_a_word_added_to_the_list_is_accepted(tmp_path: Path) -> None:
    words = tmp_path / "spelling-es.txt"
    shutil.copy(SPANISH.spelling_words_file, words)
    with words.open("a", encoding="utf-8") as file:
        file.write("consejeria\n")
    rules = dataclasses.replace(SPANISH, spelling_words_file=words)
    assert _check(FIXTURE, rules=rules) == []


def test_a_missing_dictionary_is_reported_once_as_a_warning_and_in_ci_as_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rules = dataclasses.replace(SPANISH, spelling_dictionary="es_ZZ")
    monkeypatch.delenv("CI", raising=False)
    (problem,) = _check(FIXTURE, rules=rules)
    assert problem.severity is Severity.WARNING
    assert problem.rule == "spelling-es-dictionary"
    assert "sudo apt-get install -y hunspell-es" in format_problem(problem)
    monkeypatch.setenv("CI", "true")
    (problem,) = _check(FIXTURE, rules=rules)
    assert problem.severity is Severity.ERROR


def test_english_pages_are_left_to_codespell(tmp_path: Path) -> None:
    """check_pages runs the Spanish check on *.es.md pages only."""
    english = tmp_path / "docs" / "page.md"
    english.parent.mkdir()
    english.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    spanish = tmp_path / "docs" / "page.es.md"
    spanish.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    problems = check_pages([english, spanish], ROOT, spell=True, site_pages=[english, spanish])
    flagged = {(p.file.rsplit("/", 1)[-1], p.rule) for p in problems if "spelling" in p.rule}
    assert ("page.es.md", "spelling-es") in flagged
    assert not any(name == "page.md" and rule == "spelling-es" for name, rule in flagged)


def test_the_real_spanish_pages_pass() -> None:
    pages = sorted((ROOT / "docs").glob("*.es.md"))
    assert len(pages) >= 2
    problems = hunspell.check([read_page(p, ROOT) for p in pages], SPANISH)
    assert problems == [], "\n".join(format_problem(p) for p in problems)
