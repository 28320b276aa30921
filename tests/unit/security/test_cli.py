"""``python -m iopguide headers SITE_DIR``."""

from __future__ import annotations

from pathlib import Path

import pytest

from iopguide.security.cli import main
from tests.unit.security.test_csp import PAGE


def test_headers_command_writes_headers_and_meta(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    assert main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Content-Security-Policy: default-src 'self'" in out
    assert "Content-Security-Policy:" in (tmp_path / "_headers").read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' in (tmp_path / "index.html").read_text()


def test_headers_command_can_leave_pages_alone(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    assert main([str(tmp_path), "--no-meta"]) == 0
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == PAGE
    assert (tmp_path / "_headers").exists()


def test_headers_command_without_a_site_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path / "missing")]) == 1
    err = capsys.readouterr().err
    assert "[headers-no-site]" in err and "make build" in err
