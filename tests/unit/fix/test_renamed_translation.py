"""`make fix` on a renamed page takes its translation along (iopguide.fix.fix): the i18n plugin
pairs docs/faq.es.md with docs/faq.md by file name."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from iopguide import ROOT
from iopguide.fix import edit_nav, fix

CONFIG = """site_name: Test
site_url: https://example.org/
plugins:
  - redirects:
      redirect_maps:
  - i18n:
      docs_structure: suffix
      languages:
        - locale: en
          name: English
          default: true
        - locale: es
          name: Español
          nav:
            - Inicio: index.md
            - Preguntas: faq.md
nav:
  - Home: index.md
  - FAQ: faq.md
"""
SPANISH = "---\ntranslation_of: faq.md\n---\n\n# Preguntas\n"


def run(root: Path, *args: str) -> str:
    return subprocess.run(args, cwd=root, check=True, capture_output=True, text=True).stdout


def git(root: Path, *args: str) -> None:
    run(root, "git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args)


def committed_project(root: Path, config: str, pages: dict[str, str], published: str) -> Path:
    """A project in git: ``pages`` under docs/ (path -> text), its published-urls.txt; its docs/."""
    shutil.copy2(ROOT / "languages.yml", root / "languages.yml")
    (root / "mkdocs.yml").write_text(config)
    (root / "published-urls.txt").write_text(published)
    for name, text in pages.items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(text)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root / "docs"


def test_every_menu_names_the_renamed_page_and_a_removed_page_leaves_the_site_menu() -> None:
    renamed = edit_nav(CONFIG, "faq.md", "questions.md")
    assert renamed == CONFIG.replace(": faq.md\n", ": questions.md\n")
    removed = edit_nav(CONFIG, "faq.md")
    assert removed == CONFIG.replace("  - FAQ: faq.md\n", "")  # the translation's stays


def test_a_translation_keeps_the_name_of_its_renamed_page(tmp_path: Path) -> None:
    pages = {
        "index.md": "# Home\n\n[FAQ](faq.md)\n",
        "index.es.md": "# Inicio\n\n[Preguntas](faq.md), [otra](faq.es.md)\n",
        "faq.md": "# FAQ\n",
        "faq.es.md": SPANISH,
    }
    # Only the Spanish address was published: its redirect is the same line (/faq/ and /es/faq/).
    docs = committed_project(tmp_path, CONFIG, pages, "/\n/es/\n/es/faq/\n")
    git(tmp_path, "mv", "docs/faq.md", "docs/questions.md")

    done = fix(tmp_path)

    assert (
        "fix/translation-moved",
        {"docs": "docs", "old": "faq.es.md", "new": "questions.es.md"},
    ) in done
    # Said under the name it has by then, after the line saying it moved (main: faq.es.md).
    moved = done.index(
        ("fix/translation-moved", {"docs": "docs", "old": "faq.es.md", "new": "questions.es.md"})
    )
    retarget = {"docs": "docs", "page": "questions.es.md", "old": "faq.md", "new": "questions.md"}
    assert done.index(("fix/translation", retarget)) > moved
    assert not (docs / "faq.es.md").exists()
    assert (docs / "questions.es.md").read_text() == SPANISH.replace("faq.md", "questions.md")
    assert (docs / "index.es.md").read_text() == (
        "# Inicio\n\n[Preguntas](questions.md), [otra](questions.es.md)\n"
    )
    config = (tmp_path / "mkdocs.yml").read_text()
    assert "      redirect_maps:\n        faq.md: questions.md\n" in config
    assert "            - Preguntas: questions.md\n" in config
    # Staged: the bot's patch (git diff) names no file its pull request's branch lacks.
    status, diff = (run(tmp_path, "git", *args) for args in (["status", "--short"], ["diff"]))
    assert "D  docs/faq.es.md\n" in status and "A  docs/questions.es.md\n" in status
    assert "a/docs/questions.es.md" not in diff and "a/docs/index.es.md" in diff


def test_a_translation_in_a_subfolder_keeps_its_pair(tmp_path: Path) -> None:
    # translation_of names a file in the translation's folder, where the i18n plugin pairs:
    # guides/faq.es.md's 'faq.md' is guides/faq.md (main looked for 'guides/faq.md' and left it).
    config = CONFIG.replace(" faq.md", " guides/faq.md")
    pages = {"index.md": "# Home\n", "guides/faq.md": "# FAQ\n", "guides/faq.es.md": SPANISH}
    guides = committed_project(tmp_path, config, pages, "/\n") / "guides"
    git(tmp_path, "mv", "docs/guides/faq.md", "docs/guides/questions.md")

    fix(tmp_path)

    assert (guides / "questions.es.md").read_text() == SPANISH.replace("faq.md", "questions.md")


def test_a_page_moved_to_a_subfolder_under_a_new_name_keeps_its_pair(tmp_path: Path) -> None:
    # faq.es.md's translation_of 'faq.md' is read where faq.es.md was, not where make fix moved
    # it (main read it in guides/, found no guides/faq.md and left it: translation-source/no-page).
    pages = {
        "index.md": "# Home\n",
        "guides/other.md": "# Other\n",
        "faq.md": "# FAQ\n",
        "faq.es.md": SPANISH,
    }
    docs = committed_project(tmp_path, CONFIG, pages, "/\n")
    git(tmp_path, "mv", "docs/faq.md", "docs/guides/questions.md")

    done = fix(tmp_path)

    moved = docs / "guides" / "questions.es.md"
    assert moved.read_text() == SPANISH.replace("faq.md", "questions.md")
    retarget = {"docs": "docs", "page": "guides/questions.es.md", "old": "faq.md"}
    assert ("fix/translation", retarget | {"new": "guides/questions.md"}) in done
    assert "a/docs/guides/questions.es.md" not in run(tmp_path, "git", "diff")  # staged edited
