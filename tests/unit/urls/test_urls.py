"""Unit tests of the published-URL check (iopguide.urls) on small projects in a temp folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from iopguide.buildlog import Project, translate
from iopguide.project import load_config
from iopguide.urls import check, main, update


def _project(tmp_path: Path, pages: list[str], redirects: dict[str, str] | None = None) -> Path:
    for page in pages:
        (tmp_path / "docs" / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / page).write_text(f"# {page}\n", encoding="utf-8")
    lines = ["site_name: Test", "plugins:", "  - redirects:", "      redirect_maps:"]
    lines += [f"        {old}: {new}" for old, new in (redirects or {}).items()]
    if not redirects:
        lines[-1] += " {}"
    (tmp_path / "mkdocs.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path / "mkdocs.yml"


def _rules(problems: list) -> list[str]:
    return sorted(p.rule for p in problems)


def test_update_lists_every_page_and_then_the_check_passes(tmp_path: Path) -> None:
    config = _project(tmp_path, ["index.md", "faq.md", "about/privacy.md"])
    listed = tmp_path / "published-urls.txt"
    assert update(config, listed) == ["/", "/about/privacy/", "/faq/"]
    assert check(config, listed) == []
    # A second update adds nothing and keeps the file as it was.
    before = listed.read_text(encoding="utf-8")
    assert update(config, listed) == []
    assert listed.read_text(encoding="utf-8") == before


def test_a_removed_page_without_redirect_fails_with_the_line_to_add(tmp_path: Path) -> None:
    config = _project(tmp_path, ["index.md", "faq.md", "old-name.md"])
    listed = tmp_path / "published-urls.txt"
    update(config, listed)
    (tmp_path / "docs" / "old-name.md").rename(tmp_path / "docs" / "new-name.md")
    problems = check(config, listed)
    removed = [p for p in problems if p.rule == "url-removed"]
    assert len(removed) == 1
    problem = removed[0]
    assert problem.file == "published-urls.txt"
    assert problem.line == listed.read_text().splitlines().index("/old-name/") + 1
    assert "/old-name/ was published" in problem.message
    assert "docs/new-name.md" in problem.message
    assert "'old-name.md: new-name.md'" in problem.fix
    assert "redirect_maps" in problem.fix
    # The new page is not yet listed either.
    assert _rules(problems) == ["url-not-listed", "url-removed"]


def test_a_redirect_makes_the_removed_url_pass(tmp_path: Path) -> None:
    config = _project(tmp_path, ["index.md", "old-name.md"])
    listed = tmp_path / "published-urls.txt"
    update(config, listed)
    (tmp_path / "docs" / "old-name.md").rename(tmp_path / "docs" / "new-name.md")
    config = _project(tmp_path, [], {"old-name.md": "new-name.md"})
    update(config, listed)
    assert check(config, listed) == []


def test_a_redirect_to_a_missing_page_is_the_builds_line(tmp_path: Path) -> None:
    """One rule id per problem, said even when the build stops earlier (a broken bibliography):
    the URL check gives the build's own redirect-target line, which make check keeps once."""
    config = _project(tmp_path, ["index.md"], {"gone.md": "nowhere.md"})
    listed = tmp_path / "published-urls.txt"
    update(config, listed)
    [problem] = check(config, listed)
    built = Project.of(load_config(config))
    assert problem == translate("Redirect target 'nowhere.md' does not exist!", built)[0]
    assert (problem.rule, problem.line) == ("redirect-target", 5)  # its redirect_maps line


def test_a_redirect_that_hides_a_page_fails(tmp_path: Path) -> None:
    config = _project(tmp_path, ["index.md", "faq.md"], {"faq.md": "index.md"})
    listed = tmp_path / "published-urls.txt"
    update(config, listed)
    assert _rules(check(config, listed)) == ["url-redirect-shadows-page"]


def test_a_missing_list_fails_with_how_to_create_it(tmp_path: Path) -> None:
    config = _project(tmp_path, ["index.md"])
    problems = check(config, tmp_path / "published-urls.txt")
    assert _rules(problems) == ["url-list-missing"]
    assert "Run 'make fix'" in problems[0].fix


def test_cli_exit_codes_and_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _project(tmp_path, ["index.md", "faq.md"])
    assert main(["--config-file", str(config), "--update"]) == 0
    (tmp_path / "docs" / "faq.md").unlink()
    assert main(["--config-file", str(config)]) == 1
    err = capsys.readouterr().err
    assert "published-urls.txt:" in err and "[url-removed] /faq/ was published" in err
    assert "Add 'faq.md: index.md'" in err


def _git(root: Path, *args: str) -> None:
    import subprocess

    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_a_removed_page_redirects_to_the_page_closest_in_content(tmp_path: Path) -> None:
    config = _project(tmp_path, ["index.md", "costs.md", "groups.md", "weekly-schedule.md"])
    docs = tmp_path / "docs"
    (docs / "costs.md").write_text("# Costs\n\nInsurance, copays and bills for a program.\n")
    (docs / "groups.md").write_text("# Groups\n\nTherapy groups meet three mornings each week.\n")
    (docs / "weekly-schedule.md").write_text(
        "# Schedule\n\nGroups meet three mornings each week for therapy and skills.\n"
    )
    listed = tmp_path / "published-urls.txt"
    update(config, listed)
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "base")
    _git(tmp_path, "checkout", "-qb", "remove")
    _git(tmp_path, "rm", "-q", "docs/weekly-schedule.md")

    [problem] = check(config, listed)

    assert problem.rule == "url-removed"
    assert problem.line == listed.read_text().splitlines().index("/weekly-schedule/") + 1
    assert "docs/groups.md is the page closest in content to the removed page" in problem.message
    assert problem.fix.startswith(
        "Add 'weekly-schedule.md: groups.md' under 'redirects: redirect_maps:' in mkdocs.yml "
        "(line 4), indented two spaces more than 'redirect_maps:'"
    )
    # Without git (a download of the project), the closest name, else the home page.
    (tmp_path / ".git").rename(tmp_path / "no-git")
    [problem] = check(config, listed)
    assert "Add 'weekly-schedule.md: index.md'" in problem.fix
    assert "no page is close to it, so the home page" in problem.message
