"""The content hook in real MkDocs builds, and the real pages against the content rules."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from iopguide import ROOT, project
from iopguide.content import checker
from iopguide.content.hooks import ContentHooks
from iopguide.content.rules import MESSAGES, load_rules
from iopguide.report import format_report, has_errors
from tests.helpers import build, copy_project
from tests.site.content_site import make_site

pytestmark = pytest.mark.slow

ADDICT_LINE = (
    'docs/second.md:11: [language] "addict" can label or shame people (NIDA Words Matter; '
    'ONDCP 2017). Fix: write "person with a substance use disorder" instead. If you quote a '
    "title or a person, put <!-- allow-term: addict --> on the line before. "
    "(See docs/style-guide.md#person-first-language)"
)


def break_second_page(site: Path) -> None:
    page = site / "docs" / "second.md"
    page.write_text(page.read_text().replace("Groups meet", "An addict meets"))


def test_the_small_site_builds(tmp_path: Path) -> None:
    site = make_site(tmp_path / "project")
    result = build(site, tmp_path / "site")
    assert result.returncode == 0, result.output
    assert "content check" not in result.output


def test_a_mistake_fails_the_strict_build_with_the_editor_message(tmp_path: Path) -> None:
    site = make_site(tmp_path / "project")
    break_second_page(site)
    result = build(site, tmp_path / "site")
    assert result.returncode != 0
    assert ADDICT_LINE in result.output.splitlines()
    assert "The content check found problems." in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "site" / "second" / "index.html").exists()


def test_a_mistake_fails_the_non_strict_build_too(tmp_path: Path) -> None:
    site = make_site(tmp_path / "project")
    break_second_page(site)
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--no-strict", "-d", str(tmp_path / "site")],
        cwd=site,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode != 0
    assert ADDICT_LINE in (proc.stdout + proc.stderr).splitlines()


def test_a_review_due_soon_warns_but_does_not_fail_the_strict_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(tmp_path / "project")
    monkeypatch.setenv("IOPGUIDE_TODAY", "2028-04-20")
    result = build(site, tmp_path / "site")
    assert result.returncode == 0, result.output
    assert (
        "docs/index.md:5: warning: [review-due-soon] This page is due for review on 2028-05-01 "
        "(in 11 days)." in result.output
    )


def test_an_overdue_review_warns_and_the_page_tells_readers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A date never breaks the build (issue 13): the strict build passes with a warning, and the
    # overdue page says so to its readers (the real theme); a page not yet due does not.
    site = make_site(tmp_path / "project")
    monkeypatch.setenv("IOPGUIDE_TODAY", "2028-05-02")
    result = build(site, tmp_path / "site")
    assert result.returncode == 0, result.output
    assert (
        "docs/index.md:5: warning: [review-overdue] This page was due for review on 2028-05-01"
        in result.output
    )
    project = copy_project(tmp_path / "real")
    faq = project / "docs" / "faq.md"
    faq.write_text(faq.read_text().replace("next_review: 2028-11-28", "next_review: 2027-01-01"))
    monkeypatch.setenv("IOPGUIDE_TODAY", "2027-01-02")
    real = build(project, tmp_path / "real-site")
    assert real.returncode == 0, real.output
    assert "This page is due for review." in real.page("faq/")
    assert "This page is due for review." not in real.page("levels-of-care/")


def test_the_rules_files_of_the_built_project_are_used(tmp_path: Path) -> None:
    site = make_site(tmp_path / "project")
    rules = site / "content-rules.yml"
    rules.write_text(rules.read_text().replace("minLength: 50", "minLength: 100"))
    result = build(site, tmp_path / "site")
    assert result.returncode != 0
    assert "docs/second.md:3: [description-length] The description is 72 characters long; " in (
        result.output
    )


def test_serve_prints_errors_and_keeps_the_preview_running(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "project")
    break_second_page(site)
    config = load_config(str(site / "mkdocs.yml"))
    hooks = ContentHooks()
    hooks.on_startup(command="serve", dirty=False)
    hooks.on_pre_build(config)
    assert ADDICT_LINE in capsys.readouterr().err.splitlines()
    hooks.on_startup(command="build", dirty=False)
    with pytest.raises(PluginError, match="person-first-language"):
        hooks.on_pre_build(config)


# ---------------------------------------------------------------- the real site


def test_every_real_page_passes_the_content_rules() -> None:
    """The real gate: every page in docs/ meets every content rule, today."""
    problems = checker.check_pages(root=ROOT)
    errors = [p for p in problems if p.is_error]
    assert not has_errors(errors), "\n" + format_report(problems)


def test_the_page_template_is_not_built_and_has_every_required_field() -> None:
    template = ROOT / "docs" / "_templates" / "page.md"
    assert template.is_file()
    assert template not in project.pages(ROOT)
    keys = re.findall(r"^([a-z_]+):", template.read_text().split("---")[1], re.MULTILINE)
    assert keys == load_rules(ROOT).front_matter_schema["required"]


def test_every_message_links_to_an_existing_style_guide_section() -> None:
    guide = (ROOT / "docs" / "style-guide.md").read_text(encoding="utf-8")
    anchors = set(re.findall(r"^## .*\{#([a-z0-9-]+)\}\s*$", guide, re.MULTILINE))
    used = {text["guide"] for text in MESSAGES.values() if text.get("guide")}
    used |= {"how-the-checks-work"}
    assert used <= anchors, f"missing in docs/style-guide.md: {sorted(used - anchors)}"


def test_a_wrong_today_setting_is_explained_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(tmp_path / "project")
    monkeypatch.setenv("IOPGUIDE_TODAY", "next week")
    result = build(site, tmp_path / "site")
    assert result.returncode != 0
    assert "IOPGUIDE_TODAY='next week' is not a date: write it as YYYY-MM-DD" in result.output
    assert "Traceback" not in result.output
