"""Supply chain of the GitHub workflows (issue 12, point 9; decisions/0011).

Every workflow in .github/workflows is read as YAML (and as text, for the version comments):

- every ``uses:`` is pinned to a full 40-hex commit SHA with its version in a comment;
- the workflow grants nothing by default (``permissions: {}``) and every job lists its own;
- every checkout has ``persist-credentials: false``;
- every container image is pinned by digest, the same one as .devcontainer/Dockerfile;
- a job that may write (issues, contents, pull requests) runs none of the pull request's code:
  it checks out only the BASE branch (``ref: ${{ github.event.pull_request.base.sha }}``) and
  its only commands run a Python script from that checkout (``python3 base/...``, no other
  shell); a job that may push to a pull request's branch runs only for branches of this
  repository, never for forks.

The checker is tested on small bad workflows too, so each rule is known to catch its mistake.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from iopguide import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
DOCKERFILE = ROOT / ".devcontainer" / "Dockerfile"

#: ``uses: owner/repo[/path]@<40 hex> # vX[.Y[.Z]]`` on one line.
PINNED_LINE = re.compile(
    r"^\s*(?:-\s+)?uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s*v\d+(?:\.\d+){0,2}\s*$"
)
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:")
DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")
#: Actions a job with write access may use: they only read an artifact or call GitHub's API.
WRITER_ACTIONS = {"actions/download-artifact", "actions/github-script", "actions/deploy-pages"}
#: The only checkout a job with write access may make: the base branch of the pull request.
BASE_REF = "${{ github.event.pull_request.base.sha }}"
#: The condition a job that may push must have in a workflow that pull requests start.
SAME_REPO = "github.event.pull_request.head.repo.full_name == github.repository"
#: Shell beyond one command with quoted variables: ; & | < > ` $( and new lines.
SHELL = re.compile(r"[;&|<>`\n]|\$\(")


def _runs_base_script(command: str, base_paths: set[str]) -> bool:
    """True when ``command`` is ``python3 <base checkout>/<script>.py`` and arguments only."""
    words = command.split()
    return (
        len(words) >= 2
        and words[0] == "python3"
        and any(re.fullmatch(rf"{re.escape(p)}/[\w/.-]+\.py", words[1]) for p in base_paths)
        and ".." not in words[1]
        and not SHELL.search(command.strip())
    )


def _image(job: dict[str, Any]) -> str | None:
    container = job.get("container")
    if isinstance(container, dict):
        return container.get("image")
    return container


def problems(text: str, name: str, dev_image: str | None) -> list[str]:
    """Every supply-chain problem of one workflow (empty when it is fine)."""
    found: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if USES_LINE.match(line) and not PINNED_LINE.match(line):
            found.append(
                f"{name}:{number}: 'uses:' not pinned to a commit SHA with a version comment"
            )
    data = yaml.safe_load(text)
    if data.get("permissions") != {}:
        found.append(f"{name}: top-level 'permissions:' must be {{}} (each job lists its own)")
    for job_name, job in (data.get("jobs") or {}).items():
        where = f"{name}: job '{job_name}'"
        permissions = job.get("permissions")
        if not isinstance(permissions, dict):
            found.append(f"{where} has no 'permissions:' of its own")
            permissions = {}
        writes = {scope for scope, level in permissions.items() if level == "write"}
        image = _image(job)
        if image is not None:
            if not DIGEST.search(image):
                found.append(f"{where}: container image {image!r} is not pinned by digest")
            elif dev_image is not None and image != dev_image:
                found.append(
                    f"{where}: container image {image!r} differs from .devcontainer/Dockerfile "
                    f"({dev_image!r}); copy the Dockerfile's image here"
                )
        base_paths = {
            str((step.get("with") or {}).get("path", "."))
            for step in job.get("steps") or []
            if str(step.get("uses", "")).startswith("actions/checkout@")
            and (step.get("with") or {}).get("ref") == BASE_REF
        }
        pushes = writes & {"contents", "pull-requests"}
        if (
            pushes
            and "pull_request" in str(data.get(True, ""))
            and SAME_REPO not in " ".join(str(job.get("if", "")).split())
        ):
            found.append(f"{where} may write and is not limited to this repository's branches")
        for step in job.get("steps") or []:
            uses = str(step.get("uses", ""))
            action = uses.split("@")[0]
            checkout_with = step.get("with") or {}
            if (
                action == "actions/checkout"
                and checkout_with.get("persist-credentials") is not False
            ):
                found.append(f"{where}: checkout without 'persist-credentials: false'")
            if writes and "run" in step and not _runs_base_script(str(step["run"]), base_paths):
                found.append(f"{where} may write ({', '.join(sorted(writes))}) and runs commands")
            base_checkout = action == "actions/checkout" and checkout_with.get("ref") == BASE_REF
            if writes and uses and action not in WRITER_ACTIONS and not base_checkout:
                found.append(f"{where} may write ({', '.join(sorted(writes))}) and uses {action}")
    return found


def _dev_image() -> str:
    lines = [line for line in DOCKERFILE.read_text().splitlines() if line.startswith("FROM ")]
    assert len(lines) == 1, "the Dockerfile has one FROM line"
    return lines[0].split()[1]


# ------------------------------------------------------------------ the real workflows


def test_there_are_workflows_to_check() -> None:
    names = {path.name for path in WORKFLOWS}
    assert {"pr.yml", "deploy.yml", "online-checks.yml", "pr-dois.yml"} <= names


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_workflow_supply_chain(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "uses:" in text
    assert problems(text, path.name, _dev_image()) == []


def test_devcontainer_image_is_pinned_by_digest() -> None:
    assert DIGEST.search(_dev_image()), _dev_image()
    assert (
        '"dockerfile": "Dockerfile"' in (ROOT / ".devcontainer" / "devcontainer.json").read_text()
    )


def test_the_job_that_opens_issues_only_reads_the_checks_artifact() -> None:
    data = yaml.safe_load((ROOT / ".github/workflows/online-checks.yml").read_text())
    jobs = data["jobs"]
    writers = [name for name, job in jobs.items() if job["permissions"].get("issues") == "write"]
    assert writers == ["report"]
    report = jobs["report"]
    assert report["needs"] == "check" and "container" not in report
    assert [s["uses"].split("@")[0] for s in report["steps"]] == [
        "actions/download-artifact",
        "actions/github-script",
    ]
    check = jobs["check"]
    assert check["permissions"] == {"contents": "read"}
    uploads = [s for s in check["steps"] if s.get("uses", "").startswith("actions/upload-art")]
    assert uploads and uploads[0]["with"]["name"] == "online-checks"
    assert "--online --update-lock" in str(check["steps"])  # pending records get a verdict
    # The issue lists the verdicts the DOI check prints (iopguide/dois/cli.py, tests/unit/dois).
    assert "(confirmed|refuted|still pending): " in report["steps"][1]["with"]["script"]


def test_the_bot_commits_make_fix_only_from_the_base_branch_and_never_for_forks() -> None:
    jobs = yaml.safe_load((ROOT / ".github/workflows/pr.yml").read_text())["jobs"]
    writers = {
        name
        for name, job in jobs.items()
        if any(level == "write" for level in job["permissions"].values())
    }
    assert writers == {"commit-fix", "status"}
    check, commit, status = jobs["check"], jobs["commit-fix"], jobs["status"]
    assert check["permissions"] == {"contents": "read"}
    uploads = [s for s in check["steps"] if s.get("uses", "").startswith("actions/upload-art")]
    assert [u["with"]["name"] for u in uploads] == ["make-fix"]
    assert check["outputs"]["fixed"] == "${{ steps.fix.outputs.changed }}"

    assert commit["needs"] == "check"
    condition = " ".join(commit["if"].split())
    assert "github.event_name == 'pull_request'" in condition  # not on its own dispatched run
    assert SAME_REPO in condition and "needs.check.outputs.fixed == 'true'" in condition
    assert commit["permissions"] == {"contents": "write", "actions": "write"}
    checkout, download, script = commit["steps"]
    assert checkout["with"]["ref"] == BASE_REF and checkout["with"]["path"] == "base"
    assert download["with"]["name"] == "make-fix"
    command = " ".join(script["run"].split())
    assert command.startswith("python3 base/iopguide/fixcommit.py ")
    assert '--expect "$HEAD_SHA"' in command and "--dispatch pr.yml" in command
    assert script["env"]["HEAD_SHA"] == "${{ github.event.pull_request.head.sha }}"
    # The script is the project's own, tested in tests/unit/fixcommit and tests/site.
    assert (ROOT / "iopguide" / "fixcommit.py").is_file()

    # The dispatched run's result reaches the pull request as a commit status.
    assert status["if"] == "always() && github.event_name == 'workflow_dispatch'"
    assert status["permissions"] == {"statuses": "write"} and "container" not in status
    assert [s["uses"].split("@")[0] for s in status["steps"]] == ["actions/github-script"]
    on = yaml.safe_load((ROOT / ".github/workflows/pr.yml").read_text())[True]
    assert "workflow_dispatch" in on


def test_dependabot_covers_every_ecosystem_we_pin() -> None:
    data = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text())
    ecosystems = {(u["package-ecosystem"], u["directory"]) for u in data["updates"]}
    assert {
        ("pip", "/"),
        ("npm", "/"),
        ("github-actions", "/"),
        ("docker", "/.devcontainer"),
    } <= ecosystems


# ------------------------------------------------------------------ the checker itself

SHA = "11d5960a326750d5838078e36cf38b85af677262"
IMAGE = "python:3.11-bookworm@sha256:" + "a" * 64
GOOD = f"""
on:
  pull_request:
permissions: {{}}
jobs:
  build:
    permissions:
      contents: read
    container: {IMAGE}
    steps:
      - uses: actions/checkout@{SHA} # v4.4.0
        with:
          persist-credentials: false
      - run: make build
  report:
    permissions:
      issues: write
    steps:
      - uses: actions/github-script@{SHA} # v7.1.0
  commit:
    if: always() && github.event.pull_request.head.repo.full_name == github.repository
    permissions:
      contents: write
    steps:
      - uses: actions/checkout@{SHA} # v4.4.0
        with:
          ref: ${{{{ github.event.pull_request.base.sha }}}}
          path: base
          persist-credentials: false
      - uses: actions/download-artifact@{SHA} # v4.3.0
      - run: >-
          python3 base/iopguide/fixcommit.py --patch p/fix.patch
          --branch "$HEAD_REF"
"""


def test_checker_accepts_a_good_workflow() -> None:
    assert problems(GOOD, "good.yml", IMAGE) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ((f"checkout@{SHA} # v4.4.0", "checkout@v4"), "not pinned to a commit SHA"),
        ((f"checkout@{SHA} # v4.4.0", f"checkout@{SHA}"), "not pinned to a commit SHA"),
        ((f"checkout@{SHA} # v4.4.0", f"checkout@{SHA[:12]} # v4"), "not pinned"),
        (("permissions: {}\njobs", "permissions:\n  contents: read\njobs"), "top-level"),
        (("    permissions:\n      contents: read\n", ""), "has no 'permissions:'"),
        (("persist-credentials: false", "persist-credentials: true"), "persist-credentials"),
        ((IMAGE, "python:3.11-bookworm"), "not pinned by digest"),
        ((IMAGE, IMAGE.replace("a" * 64, "b" * 64)), "differs from .devcontainer"),
        (
            ("      - uses: actions/github-script", "      - run: make build\n      - uses: x"),
            "may write (issues) and runs commands",
        ),
        (
            (f"github-script@{SHA} # v7.1.0", f"checkout@{SHA} # v4.4.0"),
            "may write (issues) and uses actions/checkout",
        ),
        (
            ("ref: ${{ github.event.pull_request.base.sha }}", "ref: ${{ github.sha }}"),
            "may write (contents) and uses actions/checkout",
        ),
        (
            ("ref: ${{ github.event.pull_request.base.sha }}", "ref: ${{ github.head_ref }}"),
            "may write (contents) and runs commands",
        ),
        (("python3 base/iopguide", "python3 iopguide"), "may write (contents) and runs commands"),
        (("python3 base/iopguide", "make fix; python3 base/iopguide"), "runs commands"),
        (('--branch "$HEAD_REF"', '--branch "$(cat x)"'), "runs commands"),
        (('--branch "$HEAD_REF"', "--branch a | sh"), "runs commands"),
        (("base/iopguide/fixcommit.py", "base/../x.sh"), "runs commands"),
        (("base/iopguide/fixcommit.py", "base/../pr/evil.py"), "runs commands"),
        (
            (
                "always() && github.event.pull_request.head.repo.full_name == github.repository",
                "always()",
            ),
            "not limited to this repository's branches",
        ),
    ],
)
def test_checker_catches_each_mistake(change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in GOOD
    found = problems(GOOD.replace(old, new, 1), "bad.yml", IMAGE)
    assert any(expected in problem for problem in found), found
