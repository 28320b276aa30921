"""Supply chain of the GitHub workflows (issue 12, point 9; decisions/0011).

Every workflow in .github/workflows is read as YAML (and as text, for the version comments):

- every ``uses:`` is pinned to a full 40-hex commit SHA with its version in a comment;
- the workflow grants nothing by default (``permissions: {}``) and every job lists its own;
- every checkout has ``persist-credentials: false``;
- every container image is pinned by digest, the same one as .devcontainer/Dockerfile;
- a job that may write (issues, contents, pull requests) runs no command and checks nothing out.

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
        for step in job.get("steps") or []:
            uses = str(step.get("uses", ""))
            action = uses.split("@")[0]
            checkout_with = step.get("with") or {}
            if (
                action == "actions/checkout"
                and checkout_with.get("persist-credentials") is not False
            ):
                found.append(f"{where}: checkout without 'persist-credentials: false'")
            if writes and "run" in step:
                found.append(f"{where} may write ({', '.join(sorted(writes))}) and runs commands")
            if writes and uses and action not in WRITER_ACTIONS:
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
    ],
)
def test_checker_catches_each_mistake(change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in GOOD
    found = problems(GOOD.replace(old, new, 1), "bad.yml", IMAGE)
    assert any(expected in problem for problem in found), found
