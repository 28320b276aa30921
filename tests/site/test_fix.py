"""`make fix` on a renamed page, then `make check` passes and the old address redirects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.site.test_check import run, runnable_copy

pytestmark = pytest.mark.slow


def git(project: Path, *args: str) -> str:
    result = run(["git", *args], project)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_renamed_page_gets_its_redirect_menu_entry_and_links(tmp_path: Path) -> None:
    project = runnable_copy(tmp_path / "project")
    git(project, "init", "-q", "-b", "main")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    git(project, "checkout", "-q", "-b", "rename")
    inbound = [p.name for p in (project / "docs").glob("*.md") if "](faq.md" in p.read_text()]
    assert inbound, "some page links to the FAQ"
    # What an editor does on GitHub: rename the file, nothing else.
    git(project, "mv", "docs/faq.md", "docs/common-questions.md")
    before = run(["make", "check"], project)
    assert before.returncode != 0
    assert "[nav-not-found]" in before.stdout and "[url-removed]" in before.stdout

    fixed = run(["make", "fix"], project)

    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    config = (project / "mkdocs.yml").read_text()
    assert re.search(r"^      redirect_maps:\n        faq\.md: common-questions\.md$", config, re.M)
    assert "  - FAQ: common-questions.md\n" in config
    for name in inbound:
        text = (project / "docs" / name).read_text()
        assert "](faq.md" not in text and "](common-questions.md" in text, name
    translation = (project / "docs" / "faq.es.md").read_text()
    assert "\ntranslation_of: common-questions.md\n" in translation  # the Spanish FAQ follows
    assert "/common-questions/" in (project / "published-urls.txt").read_text()
    assert "published-urls.txt: added /common-questions/" in fixed.stdout

    after = run(["make", "check"], project)
    assert after.returncode == 0, after.stdout + after.stderr
    built = run(["make", "build"], project)
    assert built.returncode == 0, built.stdout + built.stderr
    old = (project / "site" / "faq" / "index.html").read_text()
    assert "../common-questions/" in old  # mkdocs-redirects' page for the old address
    # Running it again changes nothing.
    again = run(["make", "fix"], project)
    assert again.stdout.startswith("0 change(s).") or "0 change(s)." in again.stdout
