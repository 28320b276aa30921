"""`make fix` records the new DOIs of the bibliography mkdocs.yml names as pending."""

from __future__ import annotations

import subprocess
from pathlib import Path

from iopguide.fix import fix
from tests.unit.dois.helpers import FIXTURES, read_lock, write_lock
from tests.unit.dois.test_online import ZALTA


def test_a_new_doi_of_a_bibliography_elsewhere_is_recorded(tmp_path: Path) -> None:
    """bib_file: refs/sources.bib (on main, bibliography.bib was looked for: nothing recorded)."""
    config = "site_name: T\nplugins:\n  - bibtex:\n      bib_file: refs/sources.bib\n"
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "published-urls.txt").write_text("/\n", encoding="utf-8")
    (tmp_path / "refs").mkdir()
    (tmp_path / "refs" / "sources.bib").write_bytes((FIXTURES / "sources.bib").read_bytes())
    (tmp_path / "dois.lock.json").write_bytes((FIXTURES / "sources.lock.json").read_bytes())
    data = read_lock(tmp_path)
    del data["dois"][ZALTA]
    write_lock(tmp_path, data)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)  # no base: no renames

    done = fix(tmp_path)

    assert [key for key, _ in done] == ["fix/pending-doi"]
    assert read_lock(tmp_path)["dois"][ZALTA]["verified_by"] == "pending"
