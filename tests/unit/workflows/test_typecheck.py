"""The type check (`make typecheck`, part of `make lint` and of CI) fails on a type error.

mypy runs with the project's own settings ([tool.mypy] in pyproject.toml) on small files: an
ill-typed one must fail with the expected errors, a well-typed one must pass, so a change that
turned the check off (or made it lax) would fail here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from iopguide import ROOT

ILL_TYPED = """\
def shout(text: str) -> str:
    return text.upper()


def count(words: list[str]) -> int:
    return ", ".join(words)


shout(3)


def untyped(value):
    return value
"""

WELL_TYPED = """\
def shout(text: str) -> str:
    return text.upper()


def count(words: list[str]) -> int:
    return len(words)


shout("help")
"""


def mypy(path: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(cache),
            str(path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_type_error_fails_the_check(tmp_path: Path) -> None:
    source = tmp_path / "ill_typed.py"
    source.write_text(ILL_TYPED, encoding="utf-8")
    result = mypy(source, tmp_path / "cache")
    assert result.returncode == 1, result.stdout + result.stderr
    errors = [
        line.split(": error: ", 1) for line in result.stdout.splitlines() if ": error: " in line
    ]
    found = {(where.rsplit(":", 1)[-1], message.rsplit("[", 1)[-1]) for where, message in errors}
    assert found == {
        ("6", "return-value]"),  # a str returned where an int is declared
        ("9", "arg-type]"),  # an int passed where a str is expected
        ("12", "no-untyped-def]"),  # strict: every function is annotated
    }, result.stdout


def test_well_typed_code_passes(tmp_path: Path) -> None:
    source = tmp_path / "well_typed.py"
    source.write_text(WELL_TYPED, encoding="utf-8")
    result = mypy(source, tmp_path / "cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found in 1 source file" in result.stdout


def test_make_lint_runs_the_type_check_on_the_package_and_the_hooks() -> None:
    import tomllib

    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert settings["strict"] is True
    assert sorted(settings["files"]) == ["iopguide", "overrides/hooks"]
    # make -n prints the commands (recursive makes included) and runs none of them.
    shown = subprocess.run(
        ["make", "-n", "lint"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert shown.returncode == 0, shown.stderr
    assert ".venv/bin/mypy" in shown.stdout.splitlines(), shown.stdout
