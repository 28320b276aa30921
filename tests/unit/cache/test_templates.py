"""Compiled templates are reused across the builds of one process, never when stale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest

from iopguide.cache import SharedTemplates

#: The compiled templates of one process (the preview hooks keep theirs).
TEMPLATES: dict[str, Any] = {}


class CountingEnvironment(jinja2.Environment):
    """A Jinja environment that counts how many templates it really compiled."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.compiled = 0

    def compile(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        self.compiled += 1
        return super().compile(*args, **kwargs)


def render(templates: Path, **options: Any) -> tuple[str, int]:
    env = CountingEnvironment(loader=jinja2.FileSystemLoader(str(templates)), **options)
    env.bytecode_cache = SharedTemplates(env, TEMPLATES)  # as the preview hooks do
    return env.get_template("page.html").render(name="reader"), env.compiled


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    TEMPLATES.clear()
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.html").write_text("Hello {{ name }}", encoding="utf-8")
    yield folder
    TEMPLATES.clear()


def test_a_second_build_in_one_process_does_not_compile_again(templates: Path) -> None:
    assert render(templates) == ("Hello reader", 1)
    assert render(templates) == ("Hello reader", 0)


def test_an_edited_template_is_compiled_again(templates: Path) -> None:
    assert render(templates) == ("Hello reader", 1)
    (templates / "page.html").write_text("Welcome {{ name }}", encoding="utf-8")
    assert render(templates) == ("Welcome reader", 1)
    assert render(templates) == ("Welcome reader", 0)


def test_other_environment_options_compile_again(templates: Path) -> None:
    (templates / "page.html").write_text("Hello {{ name }} {{ '<b>' }}", encoding="utf-8")
    assert render(templates) == ("Hello reader <b>", 1)
    assert render(templates, autoescape=True) == ("Hello reader &lt;b&gt;", 1)


def test_two_builds_of_the_real_theme_share_the_same_key() -> None:
    """MkDocs makes a new Jinja environment for each build; Jinja's i18n extension puts bound
    methods in it, whose repr holds a memory address: the key must not depend on it."""
    from mkdocs.theme import Theme

    from iopguide.cache import SharedTemplates

    first, second = (Theme("material").get_env() for _ in range(2))
    assert SharedTemplates(first, {}).options == SharedTemplates(second, {}).options
