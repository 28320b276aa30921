"""checks.yml: defaults, environment overrides, and clear errors for bad settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from iopguide.dois.config import (
    PLACEHOLDER_EMAIL,
    ConfigError,
    DoiConfig,
    load_doi_config,
    load_links_config,
)
from tests.unit.dois.conftest import FakeApi
from tests.unit.dois.helpers import install, run

REAL_CHECKS = Path(__file__).parents[3] / "checks.yml"


def test_shipped_checks_file_loads_and_uses_the_placeholder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DOI_API_URL", raising=False)
    monkeypatch.delenv("CROSSREF_API_URL", raising=False)
    config = load_doi_config(REAL_CHECKS)
    assert config.contact_email == PLACEHOLDER_EMAIL
    assert f"mailto:{PLACEHOLDER_EMAIL}" in config.user_agent
    assert (
        config.crossref_api_url == DoiConfig().crossref_api_url == "https://api.crossref.org/works/"
    )
    assert "doi.org" in load_links_config(REAL_CHECKS).unverified_hosts


def test_environment_overrides_endpoints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOI_API_URL", "http://127.0.0.1:1/handles")
    monkeypatch.setenv("CROSSREF_API_URL", "http://127.0.0.1:1/works/")
    config = load_doi_config(tmp_path / "missing.yml")
    assert config.doi_api_url == "http://127.0.0.1:1/handles/"
    assert config.crossref_api_url == "http://127.0.0.1:1/works/"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dois:\n  timeout: 3\n", "unknown setting dois.timeout"),
        ("dois:\n  attempts: -1\n", "dois.attempts must be a number"),
        ("dois:\n  contact_email: ''\n", "dois.contact_email must be a non-empty text"),
        ("dois: [1, 2]\n", "the dois: section must be a mapping"),
        ("dois:\n  a: [\n", "checks.yml:3:1: [checks-file] checks.yml cannot be read at this line"),
    ],
)
def test_bad_settings_are_explained(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "checks.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=expected.replace(".", r"\.").replace("[", r"\[")):
        load_doi_config(path)


def test_placeholder_contact_is_a_warning_online(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    (project / "checks.yml").write_text("dois:\n  attempts: 1\n", encoding="utf-8")
    fake_api.found("10.1176/appi.ps.201300249")
    fake_api.work("10.1176/appi.ps.201300249")
    code, _, err = run(project, capsys, "--online", "--key", "mccarty2014substance")
    assert code == 0, err
    assert "warning: [doi-contact]" in err and PLACEHOLDER_EMAIL in err
    assert fake_api.paths() == [
        "/api/handles/10.1176/appi.ps.201300249",
        "/works/10.1176/appi.ps.201300249",
    ]


def test_unknown_key_is_a_usage_error(
    project: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    install(project)
    code, _, err = run(project, capsys, "--online", "--key", "nobody2020nothing")
    assert code == 2
    assert "no entry with the key nobody2020nothing" in err
    assert fake_api.requests == []


def test_update_lock_needs_online(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    install(project)
    with pytest.raises(SystemExit) as exit_info:
        run(project, capsys, "--update-lock")
    assert exit_info.value.code == 2
    assert "--update-lock and --only-new need --online" in capsys.readouterr().err


def test_online_a_broken_checks_file_is_said_before_a_broken_lock_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """checks.yml is read before dois.lock.json: online, its error is the one an editor sees;
    offline, checks.yml is not read and the lock file's error shows."""
    install(project)
    (project / "checks.yml").write_text("dois:\n  a: [\n", encoding="utf-8")
    (project / "dois.lock.json").write_text("{", encoding="utf-8")
    code, out, err = run(project, capsys, "--online")
    assert (code, out) == (2, "")
    assert "checks.yml:3:1: [checks-file] checks.yml cannot be read" in err
    assert "doi-lock-invalid" not in err
    code, out, err = run(project, capsys)
    assert (code, out) == (1, "")
    assert "dois.lock.json:1:2: [doi-lock-invalid]" in err and "checks.yml" not in err
