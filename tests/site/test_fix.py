"""`make fix` on a renamed page, then `make check` passes and the old address redirects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.site.test_check import english_only, run, runnable_copy

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
    # The Spanish FAQ follows: the i18n plugin pairs a translation with its page by file name.
    assert not (project / "docs" / "faq.es.md").exists()
    translation = (project / "docs" / "common-questions.es.md").read_text()
    assert "\ntranslation_of: common-questions.md\n" in translation
    assert "/common-questions/" in (project / "published-urls.txt").read_text()
    assert "published-urls.txt: added /common-questions/" in fixed.stdout

    after = run(["make", "check"], project)
    assert after.returncode == 0, after.stdout + after.stderr
    built = run(["make", "build"], project)
    assert built.returncode == 0, built.stdout + built.stderr
    old = (project / "site" / "faq" / "index.html").read_text()
    assert "../common-questions/" in old  # mkdocs-redirects' page for the old address
    spanish = (project / "site" / "es" / "faq" / "index.html").read_text()
    assert "../common-questions/" in spanish and '<html lang="es">' in spanish
    # Running it again changes nothing.
    again = run(["make", "fix"], project)
    assert again.stdout.startswith("0 change(s).") or "0 change(s)." in again.stdout


def test_a_removed_page_gets_a_redirect_to_the_closest_page(tmp_path: Path) -> None:
    project = runnable_copy(tmp_path / "project")
    english_only(project)  # see its note: make fix leaves a removed page's translation
    git(project, "init", "-q", "-b", "main")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    git(project, "checkout", "-q", "-b", "remove")
    inbound = [
        p.name for p in (project / "docs").glob("*.md") if "](what-happens.md" in p.read_text()
    ]
    assert inbound, "some page links to the page"
    # What an editor does on GitHub: delete the file, nothing else.
    git(project, "rm", "-q", "docs/what-happens.md")
    before = run(["make", "check"], project)
    assert before.returncode != 0
    config_lines = (project / "mkdocs.yml").read_text().splitlines()
    maps_line = next(i for i, x in enumerate(config_lines, 1) if x.strip() == "redirect_maps:")
    # The message names the page closest in content, and the exact line to add and where;
    # the menu entry's message says to remove it.
    assert "Fix: change it to 'what-is-an-iop.md' (the closest page), or create docs/what-ha" in (
        before.stdout
    )
    assert "If you removed the page on purpose, remove this line (make fix does)" in before.stdout
    # The theme's links to the page (previous/next at the foot of its neighbours) are not
    # reported again: the menu entry's problem covers them.
    assert "[broken-link]" not in before.stdout
    assert (
        "[url-removed] /what-happens/ was published, but no page is there now and there is no "
        "redirect (docs/what-is-an-iop.md is the page closest in content to the removed page). "
        "Fix: Add 'what-happens.md: what-is-an-iop.md' under 'redirects: redirect_maps:' in "
        f"mkdocs.yml (line {maps_line}), indented two spaces more" in before.stdout
    ), before.stdout

    fixed = run(["make", "fix"], project)

    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Fixed mkdocs.yml: redirect what-happens.md -> what-is-an-iop.md (removed page;" in (
        fixed.stdout
    )
    config = (project / "mkdocs.yml").read_text()
    assert re.search(
        r"^      redirect_maps:\n        what-happens\.md: what-is-an-iop\.md$", config, re.M
    )
    assert "what-happens.md" not in config.split("\nnav:")[1]  # out of the menu
    for name in inbound:
        text = (project / "docs" / name).read_text()
        assert "](what-happens.md" not in text, name
    assert "now go to what-is-an-iop.md (check that the link text still fits)" in fixed.stdout

    after = run(["make", "check"], project)
    assert after.returncode == 0, after.stdout + after.stderr
    built = run(["make", "build"], project)
    assert built.returncode == 0, built.stdout + built.stderr
    old = (project / "site" / "what-happens" / "index.html").read_text()
    assert "../what-is-an-iop/" in old  # mkdocs-redirects' page for the old address
