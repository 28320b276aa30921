"""`make fix` on a removed page moves links over MkDocs' page list (iopguide.fix.fix)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from iopguide.fix import fix

CONFIG = """site_name: Test
site_url: https://example.org/
exclude_docs: |
  _templates/
plugins:
  - redirects:
      redirect_maps:
nav:
  - Home: index.md
  - Levels: levels.md
"""


def test_links_move_in_built_pages_only(tmp_path: Path) -> None:
    (tmp_path / "docs" / "_templates").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n[Old](old-page.md)\n")
    (tmp_path / "docs" / "levels.md").write_text("# Levels\n\nLevels of care.\n")
    template = "# Template\n\n[Old](../old-page.md)\n"  # exclude_docs: MkDocs never builds it
    (tmp_path / "docs" / "_templates" / "page.md").write_text(template)
    (tmp_path / "published-urls.txt").write_text("/\n/levels/\n/old-page/\n")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)  # no base: no renames

    done = fix(tmp_path)

    assert [key for key, _ in done] == ["fix/removed", "fix/links-removed"]
    assert done[1][1]["page"] == "index.md"
    assert "        old-page.md: index.md\n" in (tmp_path / "mkdocs.yml").read_text()
    assert (tmp_path / "docs" / "index.md").read_text() == "# Home\n\n[Old](index.md)\n"
    assert (tmp_path / "docs" / "_templates" / "page.md").read_text() == template
