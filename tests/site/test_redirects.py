"""Stable URLs: the real list of published URLs holds, and redirects work in the built site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from iopguide import ROOT
from iopguide.security.csp import HEADERS_FILE
from iopguide.urls import check
from tests.browser.test_csp import WATCH_VIOLATIONS
from tests.helpers import (
    BuildResult,
    build,
    copy_project,
    headers_for,
    parse_headers_file,
    serve_directory,
)


def test_every_published_url_of_the_real_site_leads_somewhere() -> None:
    problems = check(ROOT / "mkdocs.yml", ROOT / "published-urls.txt")
    assert problems == [], "\n".join(p.message for p in problems)


def _urls_command(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "iopguide", "urls"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


def test_removing_a_page_without_a_redirect_fails_with_the_fix(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "docs" / "what-happens.md").rename(project / "docs" / "what-happens-in-an-iop.md")
    result = _urls_command(project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "published-urls.txt:" in result.stderr
    assert "[url-removed] /what-happens/ was published" in result.stderr
    assert "Add 'what-happens.md: what-happens-in-an-iop.md' under 'redirects: redirect_maps:'" in (
        result.stderr
    )


# Session scope, not module: the browser test of this module runs at the end of the session
# (tests/conftest.py), so a module-scoped site would be built a second time for it.
@pytest.fixture(scope="session")
def redirected_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The real project with an old address redirected to a current page, built strictly."""
    project = copy_project(tmp_path_factory.mktemp("redirects") / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    # An editor's line under `redirect_maps:` (shipped without a value, so a line can be added).
    assert "      redirect_maps:\n" in text, "the redirects plugin entry changed; update this test"
    config.write_text(
        text.replace(
            "      redirect_maps:\n",
            "      redirect_maps:\n        what-is-iop.md: what-is-an-iop.md\n",
        ),
        encoding="utf-8",
    )
    result = build(project, project / "site")
    assert result.returncode == 0, result.output
    return result


def test_the_redirect_page_is_built_and_allowed_by_the_policy(
    redirected_site: BuildResult,
) -> None:
    stub = redirected_site.page("what-is-iop/")
    assert 'http-equiv="refresh" content="0; url=../what-is-an-iop/"' in stub
    assert 'http-equiv="Content-Security-Policy"' in stub
    # The same line redirects the Spanish address to the Spanish page.
    spanish = redirected_site.page("es/what-is-iop/")
    assert 'http-equiv="refresh" content="0; url=../what-is-an-iop/"' in spanish
    assert 'http-equiv="Content-Security-Policy"' in spanish
    assert '<html lang="es">' in spanish  # a screen reader's voice: the folder's language
    assert "<h1" in redirected_site.page("es/what-is-an-iop/")


def test_one_redirect_line_covers_a_renamed_page_and_its_translation(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    docs = project / "docs"
    for suffix in (".md", ".es.md"):
        (docs / f"what-happens{suffix}").rename(docs / f"what-happens-in-an-iop{suffix}")
    result = _urls_command(project)
    removed = [line for line in result.stderr.splitlines() if "[url-removed]" in line]
    assert len(removed) == 2, result.stderr
    assert "/es/what-happens/ was published" in removed[1]
    assert all("Add 'what-happens.md: what-happens-in-an-iop.md'" in line for line in removed)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      redirect_maps:\n",
            "      redirect_maps:\n        what-happens.md: what-happens-in-an-iop.md\n",
        ),
        encoding="utf-8",
    )
    result = _urls_command(project)
    assert "[url-removed]" not in result.stderr, result.stderr
    assert "[url-not-listed]" in result.stderr  # make fix adds the new addresses


@pytest.mark.browser
def test_an_old_address_lands_on_the_new_page(redirected_site: BuildResult, browser) -> None:  # type: ignore[no-untyped-def]
    site = redirected_site.site_dir
    rules = parse_headers_file((site / HEADERS_FILE).read_text(encoding="utf-8"))
    context = browser.new_context()
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    try:
        with serve_directory(site, headers=lambda path: headers_for(rules, path)) as url:
            page.goto(url + "what-is-iop/#top")
            page.wait_for_url("**/what-is-an-iop/#top")
            page.wait_for_load_state("networkidle")
            assert page.locator("h1").first.inner_text().strip()
            assert page.evaluate("window.__csp") == []
    finally:
        context.close()


def test_a_translation_renamed_alone_is_named_back_not_redirected(tmp_path: Path) -> None:
    """A redirect for the lost Spanish address would also move the English page: the check asks
    for the translation's file name back, and ``make fix`` adds no redirect for it."""
    from iopguide.urls import removed_pages

    project = copy_project(tmp_path / "project")
    (project / "docs" / "levels-of-care.es.md").rename(project / "docs" / "niveles.es.md")
    result = _urls_command(project)
    removed = [line for line in result.stderr.splitlines() if "[url-removed]" in line]
    assert len(removed) == 1, result.stderr
    gone = "/es/levels-of-care/ was published, but its translation docs/levels-of-care.es.md"
    assert gone + " is gone" in removed[0]
    assert "rename it back, or restore it, as docs/levels-of-care.es.md" in removed[0]
    assert "levels-of-care.md: " not in result.stderr
    assert removed_pages(project / "mkdocs.yml", project / "published-urls.txt") == []
