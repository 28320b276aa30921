"""Every command the editors' documents show works as written (issue 13, point 6).

The commands are read from the documents themselves: each line of a ``sh``/``console``/``bash``
code block, and each inline code or ``text`` block line that starts like a command (``make ...``,
``python -m ...``, ``.venv/bin/...``, ``.ci/...``). Each is run in a copy of the project with
this checkout's .venv, as on a fresh clone after its first ``make``:

- most run for real and must exit 0;
- ``make serve`` is started and must answer on its address (on a free port: other previews may
  use 8000);
- commands that take minutes or need the internet (``make test``, ``make bench``...) are checked
  with ``make -n`` (the target exists and its recipe expands), and pytest with --collect-only;
- a few cannot be run by a test at all; each is listed in NOT_RUN with the reason, and a
  command that is neither run nor listed fails the test.
"""

from __future__ import annotations

import re
import shlex
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from iopguide import ROOT
from tests.site.test_check import run, runnable_copy

pytestmark = pytest.mark.slow

DOCUMENTS = [
    "README.md",
    "CONTRIBUTING.md",
    "CONTRIBUTING-citations.md",
    "docs/style-guide.md",
    "docs/_templates/page.md",
]
SHELL_BLOCKS = {"sh", "console", "bash", "shell"}
COMMAND_START = re.compile(r"^(make|python3?|\.venv/bin/\S+|\.ci/\S+|sudo|git)(\s|$)")

#: Commands that run too long for the suite, or need the internet: their make target must exist.
DRY_RUN = {
    "make test",
    "make test TEST_PROCESSES=0",
    "make bench",
    "make audit",
    "make lock",
    "make check-online",
    ".ci/run",
}
#: Commands the documents say need a setting: run with it.
SETTINGS = {"make deploy-build": {"SITE_URL": "https://example.org/"}}
#: Commands no test can run, and why.
NOT_RUN = {
    "git clone <the repository address>": "a placeholder address; the tests run on a checkout",
    "cd iop-guide": "the folder a clone makes; the tests run in a copy of the project",
    "sudo apt-get install -y chromium default-jre-headless nodejs npm hunspell-es": (
        "installs system packages; the test checks the programs they provide instead"
    ),
    "sudo apt-get install -y hunspell-es": (
        "installs a system package; tests/unit/content/test_hunspell.py uses the dictionary"
    ),
    "make check PAGE=docs/your-page-name.md": (
        "a placeholder page name; the same command runs with PAGE=docs/faq.md"
    ),
    "git checkout -- bibliography.bib": "restores a file from git; the copy is not a repository",
    "git pull": (
        "gets the bot's commit from GitHub; the copy has no remote (tests/site/test_fix_commit.py "
        "pushes the bot's commit to a real remote)"
    ),
    ".venv/bin/python -m iopguide dois --online --update-lock --key <key>": (
        "needs the internet and a placeholder key; tests/unit/dois runs it against local servers"
    ),
}


def documented_commands() -> dict[str, str]:
    """Command -> the document that shows it first."""
    found: dict[str, str] = {}
    for name in DOCUMENTS:
        text = (ROOT / name).read_text(encoding="utf-8")
        for match in re.finditer(r"^ *```(\w*)\n(.*?)^ *```", text, re.M | re.S):
            kind, body = match[1], match[2]
            for raw in body.splitlines():
                line = raw.strip().removeprefix("$ ")
                line = re.sub(r"\s+#.*$", "", line).strip()
                if not line or line.startswith("#"):
                    continue
                if kind in SHELL_BLOCKS or (kind == "text" and COMMAND_START.match(line)):
                    found.setdefault(line, name)
        prose = re.sub(r"^ *```.*?^ *```", "", text, flags=re.M | re.S)
        for code in re.findall(r"`([^`\n]+)`", prose):
            # A lone word ("`git` and `make`") names a program, not a command.
            if COMMAND_START.match(code) and (" " in code or code.startswith(".ci/")):
                found.setdefault(code.strip(), name)
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_answers(project: Path, command: str) -> None:
    port = free_port()
    cmd = re.sub(r"SERVE_ADDR=\S+", "", command).strip() + f" SERVE_ADDR=127.0.0.1:{port}"
    proc = subprocess.Popen(
        shlex.split(cmd), cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"{command} stopped:\n{proc.stdout.read()}"  # type: ignore[union-attr]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                    assert answer.status == 200
                    assert "IOP Guide" in answer.read().decode()
                    return
            except OSError:
                time.sleep(0.5)
        raise AssertionError(f"{command} did not answer within 90 s")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_documents_show_commands() -> None:
    commands = documented_commands()
    assert "make serve" in commands and "make check" in commands
    # The one that failed outside the venv (issue 13) is no longer shown.
    assert not [c for c in commands if c.startswith("python -m iopguide")], commands


def test_every_documented_command_works_as_written(tmp_path: Path) -> None:
    project = runnable_copy(tmp_path / "project")
    for folder in ("tests", "bench", "iopguide", ".ci"):
        (project / folder).symlink_to(ROOT / folder)
    failures = []
    for command, document in sorted(documented_commands().items()):
        if command in NOT_RUN:
            continue
        started = time.monotonic()
        if command.startswith("make serve"):
            serve_answers(project, command)
            print(f"{time.monotonic() - started:5.1f} s  {command}")
            continue
        if command in DRY_RUN:
            target = command.removeprefix("make ") if command.startswith("make") else "test"
            result = run(["make", "-n", *shlex.split(target)], ROOT)  # prints, runs nothing
        elif command.startswith(".venv/bin/pytest"):
            # As on an editor's machine: CI refuses -m "not browser" on purpose (tests/conftest.py).
            local = {"CI": "", "IOPGUIDE_REQUIRE_BROWSER": ""}
            result = run([*shlex.split(command), "--collect-only", "-q"], ROOT, **local)
        elif command in {"make lint", "make typecheck", "git diff"}:
            result = run(shlex.split(command), ROOT)  # reads this checkout, changes nothing
        else:
            result = run(shlex.split(command), project, **SETTINGS.get(command, {}))
        print(f"{time.monotonic() - started:5.1f} s  {command}")
        if result.returncode != 0:
            failures.append(
                f"{document}: {command!r} exited {result.returncode}:\n"
                f"{result.stdout[-2000:]}{result.stderr[-2000:]}"
            )
    assert failures == []


def test_the_system_packages_the_readme_installs_are_there() -> None:
    # What `sudo apt-get install -y chromium default-jre-headless nodejs npm hunspell-es`
    # provides: the programs, and the Spanish dictionary of the spelling check.
    assert [p for p in ("chromium", "java", "node", "npm") if shutil.which(p) is None] == []
    from iopguide.content.hunspell import dictionary_path

    assert dictionary_path("es_US") is not None


def test_commands_not_run_are_still_documented() -> None:
    # NOT_RUN must not hide a command the documents no longer show (or never showed).
    assert set(NOT_RUN) <= set(documented_commands())
