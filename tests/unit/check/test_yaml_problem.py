"""A YAML mistake is named by its line, in plain words."""

from __future__ import annotations

import yaml

from iopguide.report import yaml_problem


def problem_of(text: str):
    try:
        yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return yaml_problem("mkdocs.yml", exc)
    raise AssertionError("the YAML was read without error")


def test_a_line_under_an_empty_mapping() -> None:
    found = problem_of("plugins:\n  - redirects:\n      redirect_maps: {}\n        old.md: a.md\n")
    assert (found.file, found.line, found.rule) == ("mkdocs.yml", 4, "yaml-syntax")
    assert "under 'redirect_maps: {}', remove the '{}' first" in found.message


def test_a_colon_in_a_title() -> None:
    found = problem_of("nav:\n  - FAQ: questions: faq.md\n")
    assert found.line == 2
    assert "put text that contains ': ' in quotes" in found.message


def test_an_unknown_mistake_keeps_yaml_words() -> None:
    found = problem_of("a: [1, 2\n")
    assert found.line is not None
    assert found.message.startswith("mkdocs.yml cannot be read at this line (YAML says: ")


def test_a_bracket_never_closed_is_named_where_it_opens() -> None:
    found = problem_of("site_name: x\nsite_author: [IOP Guide\nstrict: true\n")
    assert (found.line, found.column, found.rule) == (2, 14, "yaml-syntax")
    assert found.message.endswith("on line 3)")
