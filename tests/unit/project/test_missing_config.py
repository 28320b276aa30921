"""A command pointed at no mkdocs.yml says which option names it: ``--root`` takes the project
folder, ``--config-file`` (headers, urls) the file itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from iopguide import ROOT


def iopguide(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "iopguide", *args], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 1, done.stdout + done.stderr
    return done.stderr


def test_headers_with_no_config_file_points_to_config_file(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>x</title>\n")
    said = iopguide("headers", str(tmp_path), "--config-file", str(tmp_path / "mkdocs.yml"))
    assert f"mkdocs.yml: [mkdocs-config] there is no {tmp_path / 'mkdocs.yml'}." in said
    assert "Fix: give the path of the project's mkdocs.yml with --config-file." in said
    assert "--root" not in said


def test_a_folder_with_no_config_points_to_root(tmp_path: Path) -> None:
    said = iopguide("citations", "--root", str(tmp_path))
    assert f"there is no {tmp_path / 'mkdocs.yml'}. Fix: run the command in the project " in said
    assert "folder, or give the folder with --root." in said
