"""``python -m iopguide headers SITE_DIR``, on a copy of the real built site."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iopguide import ROOT
from iopguide.security.site import main
from tests.helpers import BuildResult


@pytest.fixture
def built(real_site: BuildResult, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(real_site.site_dir, site)
    (site / "_headers").unlink()
    return site


def test_headers_command_writes_headers_and_meta(
    built: Path, real_site: BuildResult, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(built)]) == 0
    out = capsys.readouterr().out
    assert "Content-Security-Policy: default-src 'self'" in out
    assert (built / "_headers").read_text() == (real_site.site_dir / "_headers").read_text()
    assert (built / "faq/index.html").read_text() == real_site.page("faq/")


def test_headers_command_can_leave_pages_alone(built: Path) -> None:
    before = (built / "index.html").read_text(encoding="utf-8")
    assert main([str(built), "--no-meta"]) == 0
    assert (built / "index.html").read_text(encoding="utf-8") == before
    assert (built / "_headers").exists()


def test_headers_command_refuses_a_page_with_a_script(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = built / "faq" / "index.html"
    bad = page.read_text(encoding="utf-8").replace("</h1>", "</h1><script>alert(1)</script>", 1)
    page.write_text(bad, encoding="utf-8")
    assert main([str(built)]) == 1
    assert "docs/faq.md: [csp-inline-script]" in capsys.readouterr().err
    assert not (built / "_headers").exists()
    assert page.read_text(encoding="utf-8") == bad


def test_headers_command_without_a_site_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path / "missing")]) == 1
    err = capsys.readouterr().err
    assert "[headers-no-site]" in err and "make build" in err


def test_headers_command_with_a_broken_mkdocs_yml_names_the_mistake(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: [unclosed\n", encoding="utf-8")
    assert main([str(built), "--config-file", str(config)]) == 1
    err = capsys.readouterr().err
    assert "mkdocs.yml:" in err and "Traceback" not in err


def test_headers_command_prints_only_its_result(built: Path) -> None:
    """MkDocs' "not included in the nav" list for the translations (the build's i18n plugin
    leaves them out of the menu) is noise here: the command prints what it wrote, nothing else."""
    command = [sys.executable, "-m", "iopguide", "headers", str(built)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith(f"Wrote {built / '_headers'} for ")


def test_headers_command_leaves_mkdocs_nav_warnings_on(built: Path) -> None:
    """It quiets MkDocs' menu messages for its own run only: the level is the process's, and a
    build (make serve's preview) run later in the same process must still hear a menu mistake."""
    nav_log = logging.getLogger("mkdocs.structure.nav")
    before = nav_log.level
    assert main([str(built)]) == 0
    assert nav_log.level == before
    assert nav_log.isEnabledFor(logging.WARNING)
