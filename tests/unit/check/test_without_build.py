"""When the build cannot start, make check still checks the bibliography mkdocs.yml names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iopguide import ROOT, check

BIB = """@article{alpha2020fixture,
  title = {A fixture page},
  author = {Alpha, Ann},
  year = {2020},
  doi = {10.1000/xyz123}
}
"""
RULES = ["content-rules.yml", "terms.yml", "terms-es.yml", "languages.yml", "reviewers.yml"]
HOOK = ROOT / "overrides" / "hooks" / "citations.py"
PLUGINS = "plugins:\n  - bibtex:\n      bib_file: refs/sources.bib\n"


@pytest.mark.parametrize(
    "mistake",
    [
        f"site_name: F\ntheme:\n  name: no-such-theme\n{PLUGINS}",  # a setting MkDocs rejects
        f"site_name: F\n{PLUGINS}  - no-such-plugin\n",  # a plugin MkDocs cannot load
    ],
)
def test_the_configured_bibliography_is_checked_when_the_build_cannot_start(
    tmp_path: Path, mistake: str
) -> None:
    """On main: bibliography.bib (missing here) was looked for, and nothing was checked."""
    (tmp_path / "mkdocs.yml").write_text(f"{mistake}hooks: [{HOOK}]\n", encoding="utf-8")
    for name in RULES:  # the content check's own files
        shutil.copy2(ROOT / name, tmp_path / name)
    (tmp_path / "refs").mkdir()
    (tmp_path / "refs" / "sources.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    page = "# Home\n\nText [@alpha2020fixture] and [@beta2021fixture].\n"
    (tmp_path / "docs" / "index.md").write_text(page, encoding="utf-8")
    problems, notes = check.run(tmp_path, tmp_path / "site")
    citations = ("bib-", "citation-", "doi-")
    found = [(p.file, p.line, p.rule) for p in problems if p.rule.startswith(citations)]
    assert found == [
        ("refs/sources.bib", 1, "bib-policy-missing-field"),
        ("docs/index.md", 3, "citation-unknown-key"),
        ("refs/sources.bib", 5, "doi-unverified"),
    ]
    assert [p.values["name"] for p in problems if p.rule == "bib-policy-missing-field"] == [
        "journal"
    ]
    assert notes[2] == "DOIs: 1 error(s), 0 warning(s)"


def test_a_stage_stopped_by_a_missing_message_is_not_ok(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On main: 'content and citations: ok', its messages-file line dropped as the build's."""
    from iopguide.content.rules import MESSAGES

    content_hook = ROOT / "overrides" / "hooks" / "content.py"
    (tmp_path / "mkdocs.yml").write_text(f"site_name: F\nhooks: [{content_hook}]\n", "utf-8")
    for name in RULES:
        shutil.copy2(ROOT / name, tmp_path / name)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("No heading here.\n", encoding="utf-8")
    monkeypatch.delitem(MESSAGES, "h1-missing")  # as if an editor cut the entry from the file
    problems, notes = check.run(tmp_path, tmp_path / "site")
    assert [(p.file, p.rule) for p in problems if p.rule == "messages-file"] == [
        ("iopguide/content/messages.yml", "messages-file")
    ]
    assert notes[1] == "content and citations: stopped (the problems below say why)"
