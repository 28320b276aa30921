"""Every check reads mkdocs.yml and the page list the way MkDocs does.

A copy of the real project, with the settings Material for MkDocs documents that plain YAML
cannot read (``!!python/name:`` for emoji and icons, ``!ENV``, ``!relative``), builds strictly,
and the commands that read mkdocs.yml without building read it too. A YAML mistake in mkdocs.yml
is one line that names its place, never a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from iopguide import project
from iopguide.report import ProblemsFound
from tests.helpers import build, copy_project

# As Material's documentation writes them (setup/extensions/python-markdown-extensions/,
# "Emoji" and "Snippets"; MkDocs' user guide for !ENV and !relative).
MATERIAL_SETTINGS = """\
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
  - pymdownx.snippets:
      base_path: !relative $config_dir
"""
ENV_SETTING = "  fixture_contact: !ENV [IOPGUIDE_FIXTURE_CONTACT, 'nobody']\n"
PAGE_ADDITION = """
## Symbols in this guide

We mark a phone number with :material-phone: and a web chat with :octicons-comment-16:.

--8<-- "snippet.txt"
"""


def _with_material_settings(root: Path) -> Path:
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - pymdownx.details\n" in text and "  publisher: IOP Guide\n" in text
    text = text.replace("  - pymdownx.details\n", "  - pymdownx.details\n" + MATERIAL_SETTINGS)
    text = text.replace("  publisher: IOP Guide\n", "  publisher: IOP Guide\n" + ENV_SETTING)
    config.write_text(text, encoding="utf-8")
    (root / "snippet.txt").write_text("Text from a snippet file.\n", encoding="utf-8")
    with (root / "docs" / "faq.md").open("a", encoding="utf-8") as page:
        page.write(PAGE_ADDITION)
    return root


def _command(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "IOPGUIDE_FIXTURE_CONTACT": "team@example.org"}
    return subprocess.run(
        [sys.executable, "-m", "iopguide", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_materials_documented_settings_build_and_are_read_by_every_check(tmp_path: Path) -> None:
    root = _with_material_settings(copy_project(tmp_path / "project"))
    result = build(root, tmp_path / "site")
    assert result.returncode == 0, result.output
    assert "Traceback" not in result.output
    faq = result.page("faq/")
    # Icons as inline SVG, and the snippet read through !relative. (Emoji such as :smile: would
    # be images from a CDN with this setting, a third-party request: the guide uses icons only.)
    assert faq.count('<span class="twemoji"><svg') == 2
    assert ":material-phone:" not in faq and ":octicons-comment-16:" not in faq
    assert "Text from a snippet file." in faq
    # The commands that read mkdocs.yml without a build read the same settings.
    for args in (["content", "--no-spelling"], ["citations"], ["urls"]):
        done = _command(root, *args, *(["--root", str(root)] if args[0] != "urls" else []))
        assert done.returncode == 0, (args, done.stdout + done.stderr)
        assert "Traceback" not in done.stderr
    config = project.load_config(root)
    assert config["extra"]["fixture_contact"] == "nobody"
    assert config["markdown_extensions"].count("pymdownx.emoji") == 1


def test_the_page_list_is_mkdocs_own(tmp_path: Path) -> None:
    """exclude_docs pages are not checked; not_in_nav pages are."""
    root = copy_project(tmp_path / "project")
    (root / "docs" / "next.draft.md").write_text("# Draft\n", encoding="utf-8")
    pages = {p.relative_to(root / "docs").as_posix() for p in project.pages(root)}
    assert "style-guide.md" in pages  # not_in_nav: published, so checked
    assert "index.md" in pages and "faq.md" in pages
    assert "_templates/page.md" not in pages and "next.draft.md" not in pages
    # The Spanish edition's pages (mkdocs-static-i18n's suffix structure) are pages too: the
    # content check gives each the rules of its language (decisions/0014-spanish-edition.md).
    assert {"index.es.md", "get-help-now.es.md"} <= pages
    config = project.load_config(root)
    nav_files = {f.src_uri for f in project.page_files(config) if f.inclusion.is_in_nav()}
    assert pages - nav_files == {"style-guide.md"}


def test_a_yaml_mistake_in_mkdocs_yml_is_one_line_with_its_place(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    config = root / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("site_author:"))
    lines[number - 1] = "site_author: [IOP Guide editorial team"
    config.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ProblemsFound) as caught:
        project.load_config(root)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.column) == ("mkdocs.yml", number, 14)
    for args in (["content", "--root", str(root)], ["citations", "--root", str(root)], ["urls"]):
        done = _command(root, *args)
        assert done.returncode == 1, args
        assert "Traceback" not in done.stderr
        first = done.stderr.splitlines()[0]
        assert first.startswith(f"mkdocs.yml:{number}:14: [yaml-syntax] mkdocs.yml cannot be read")
        assert "Fix: " in first
