"""`make deploy-build`, as DEPLOY.md shows it, on a copy of the real project (issue 12, point 8)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from iopguide import ROOT
from tests.helpers import copy_project

pytestmark = pytest.mark.slow


def make(project: Path, target: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the project's Makefile in ``project`` with the installed .venv, as an editor would."""
    environment = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "IOPGUIDE_DEPLOY"}}
    environment.update(env)
    return subprocess.run(
        ["make", "-f", str(ROOT / "Makefile"), target, f"VENV={ROOT / '.venv'}"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_make_deploy_build_needs_site_url_and_uses_it(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    shutil.copy2(ROOT / "requirements.txt", project / "requirements.txt")  # the venv is current

    failed = make(project, "deploy-build")
    assert failed.returncode != 0
    assert "[deploy-site-url] This is a deploy build, but SITE_URL is not set" in failed.stderr
    assert not (project / "site").exists()

    built = make(project, "deploy-build", SITE_URL="https://example.org/")
    assert built.returncode == 0, built.stdout + built.stderr
    page = (project / "site" / "faq" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/faq/">' in page
    sitemap = (project / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://example.org/faq/" in sitemap and "127.0.0.1" not in sitemap
    headers = (project / "site" / "_headers").read_text(encoding="utf-8")
    assert "Strict-Transport-Security: max-age=31536000" in headers
    assert "Cross-Origin-Resource-Policy: same-origin" in headers
