"""Commit the change ``make fix`` made to a pull request's branch (job commit-fix of
.github/workflows/pr.yml; decisions/0011): run from the BASE branch, standard library and git only;
refuses a patch beyond make fix's files and a branch that moved; pushes without force."""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

#: Files ``make fix`` may change, besides Markdown pages under docs/.
FIX_FILES = frozenset({"mkdocs.yml", "published-urls.txt", "dois.lock.json"})
BOT_NAME, BOT_EMAIL = "github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com"
SUBJECT_LIMIT = 72
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
#: What the script says (TOML: the standard library reads it).
WORDS = tomllib.loads(Path(__file__).with_name("fixcommit.toml").read_text(encoding="utf-8"))


def words(key: str, **values: object) -> str:
    return str(WORDS[key]).format(**values)


class Refused(Exception):
    """The patch or the branch is not one this script may commit; the message says why."""


def is_page(path: str) -> bool:
    """True for a Markdown page under docs/ (no hidden folder, no '..', no control character in
    its name: git apply --summary prints a new name as it is, a newline in it adds a line)."""
    return bool(re.fullmatch(r"docs(/[^/.\x00-\x1f\x7f][^/\x00-\x1f\x7f]*)+\.md", path))


def allowed_path(path: str) -> bool:
    """True for a file ``make fix`` may write: a page or one of FIX_FILES."""
    return path in FIX_FILES or is_page(path)


def git(
    *args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None, alone: bool = False
) -> str:
    """What ``git args`` prints; Refused with git's words when it fails (make fix's git too).
    ``alone``: without the environment's GIT_* variables (GIT_DIR, GIT_CONFIG_*...)."""
    inherited = {k: v for k, v in os.environ.items() if not (alone and k.startswith("GIT_"))}
    env = {**inherited, **(env or {})}
    ran = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    if ran.returncode != 0:
        raise Refused(
            words("git-failed", command=args[0], error=(ran.stderr or ran.stdout).strip())
        )
    return ran.stdout


def _read(copy: Path, *options: str) -> str:
    """What ``git apply options`` says of ``copy``, alone in a new temporary folder, so that git
    finds no repository: make-fix/ is the pull request's own (a repository there would steer git
    by its config, and in its subfolder git apply leaves out every path outside that folder)."""
    outside = {"GIT_CEILING_DIRECTORIES": str(copy.parent.parent)}
    return git("apply", *options, copy.name, cwd=copy.parent, env=outside, alone=True)


def _numstat(patch: Path, *reverse: str) -> list[list[str]]:
    """[added, removed, path] per file of the patch (git's parser); ``-R``: the path before."""
    out = _read(patch, "--numstat", "-z", *reverse)
    return [record.split("\t", 2) for record in out.split("\0") if record]


def check_patch(patch: Path) -> list[str]:
    """The files the patch changes (a renamed page: both names) if make fix writes each and only
    edits it or renames a page to a page; else Refused."""
    if not (text := patch.read_bytes()).strip():
        return []
    with tempfile.TemporaryDirectory(prefix="fixcommit-patch-") as tmp:
        copy = Path(tmp).resolve() / "fix.patch"
        copy.write_bytes(text)
        return _check(copy)


def _check(patch: Path) -> list[str]:
    """check_patch of a non-empty patch that _read may read."""
    # --summary lists creations, deletions, renames, copies and mode changes, nothing else.
    summary = _read(patch, "--summary").splitlines()
    if extra := [line.strip() for line in summary if line.split()[:1] != ["rename"]]:
        raise Refused(words("not-an-edit", what=extra[0]))
    after, before = _numstat(patch), _numstat(patch, "-R")
    if binary := [path for added, removed, path in after if "-" in (added, removed)]:
        raise Refused(words("binary", path=binary[0]))
    names = Counter(path for _, _, path in after), Counter(path for _, _, path in before)
    if refused := sorted(f for f in names[0] | names[1] if not allowed_path(f)):
        raise Refused(words("other-files", files=", ".join(refused)))
    # --numstat names a file as it is after the patch, -R as it was: a rename differs.
    moved = (names[0] - names[1]) + (names[1] - names[0])
    if any(not is_page(f) for f in moved) or moved.total() != 2 * len(summary):
        raise Refused(words("not-a-page-rename", files=", ".join(sorted(moved))))
    return sorted(names[0] | names[1])


def check_staged(work: Path) -> None:
    """Refused unless what the patch really did in ``work`` (git apply --index) is edits of files
    make fix writes, regular files only, and as many pages gone as pages new (renames). git apply
    may do more than --summary says: a/ and b/ names that differ move a file without a rename
    line, onto a page that is there or from one that another part of the patch writes again."""
    raw = git("diff-index", "--cached", "--raw", "-z", "--no-renames", "HEAD", cwd=work)
    fields = raw.split("\0")
    gone: list[str] = []
    new: list[str] = []
    for info, path in zip(fields[0:-1:2], fields[1::2], strict=True):
        old_mode, new_mode, _, _, status = info.lstrip(":").split(" ")
        if not allowed_path(path):
            raise Refused(words("other-files", files=path))
        if mode := ({old_mode, new_mode} - {"100644", "000000"}):
            raise Refused(words("not-a-file", path=path, mode=mode.pop()))
        if status in {"D", "A"}:
            (gone if status == "D" else new).append(path)
    if len(gone) != len(new) or not all(is_page(f) for f in gone + new):
        raise Refused(words("not-renames", gone=", ".join(gone) or "-", new=", ".join(new) or "-"))


def message(said: str, files: list[str]) -> str:
    """The message ``make fix --message`` wrote (the pull request's code: cleaned, bounded)."""
    lines = [_CONTROL.sub("", line).strip()[:200] for line in said.splitlines()[:52]]
    subject = lines[0] if lines and lines[0] else words("subject")
    if len(subject) > SUBJECT_LIMIT:
        subject = subject[: SUBJECT_LIMIT - 3] + "..."
    body = [line for line in lines[1:] if line] or [words("changed", name=n) for n in files]
    return f"{subject}\n\n" + "\n".join(body) + "\n\n" + words("trailer") + "\n"


def _auth_env(remote: str, token: str | None) -> dict[str, str]:
    """Git settings in the environment (not argv or a file) sending the token as checkout does."""
    parts = urllib.parse.urlsplit(remote)
    if not token or parts.scheme not in {"http", "https"}:
        return {}
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    return {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"http.{parts.scheme}://{parts.netloc}/.extraheader",
        "GIT_CONFIG_VALUE_0": f"AUTHORIZATION: basic {basic}",
        "GIT_TERMINAL_PROMPT": "0",
    }


def commit(
    patch: Path, said: str, remote: str, branch: str, expect: str | None, token: str | None
) -> tuple[str, str] | None:
    """Apply, commit and push the patch to ``branch``: (commit id, message); None if empty."""
    if not (files := check_patch(patch)):
        return None
    ref, env = f"refs/heads/{branch}", _auth_env(remote, token)
    git("check-ref-format", ref)
    with tempfile.TemporaryDirectory(prefix="fixcommit-") as tmp:
        git("init", "-q", tmp)
        work = Path(tmp)
        git("fetch", "-q", "--no-tags", "--depth=1", remote, ref, cwd=work, env=env)
        tip = git("rev-parse", "FETCH_HEAD", cwd=work).strip()
        if expect and tip != expect:
            raise Refused(words("moved", branch=branch, expected=expect[:12], tip=tip[:12]))
        git("checkout", "-q", "--detach", "FETCH_HEAD", cwd=work)
        try:
            git("apply", "--index", "--whitespace=nowarn", str(patch.resolve()), cwd=work)
        except Refused as exc:
            raise Refused(words("does-not-apply", branch=branch, error=exc)) from None
        check_staged(work)
        text = message(said, files)
        bot = {"NAME": BOT_NAME, "EMAIL": BOT_EMAIL}
        who = {f"GIT_{role}_{k}": v for role in ("AUTHOR", "COMMITTER") for k, v in bot.items()}
        git("commit", "-q", "--no-verify", "-m", text, cwd=work, env=who)
        sha = git("rev-parse", "HEAD", cwd=work).strip()
        # No force: if the branch moved meanwhile, the push is refused and nothing is lost.
        git("push", "-q", remote, f"HEAD:{ref}", cwd=work, env=env)
    return sha, text


def dispatch(workflow: str, branch: str, token: str | None) -> None:
    """Run ``workflow`` on ``branch`` again, in the repository the runner names."""
    if not token or not (repository := os.environ.get("GITHUB_REPOSITORY")):
        raise Refused(words("dispatch-needs"))
    api = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    url = f"{api}/repos/{repository}/actions/workflows/{workflow}/dispatches"
    headers = {"Accept": "application/vnd.github+json", "Authorization": f"Bearer {token}"}
    headers |= {"X-GitHub-Api-Version": "2022-11-28", "Content-Type": "application/json"}
    body = json.dumps({"ref": branch}).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:  # urlopen raises HTTPError for any answer but 2xx
        urllib.request.urlopen(request, timeout=30).close()
    except urllib.error.HTTPError as exc:
        raise Refused(words("dispatch-refused", workflow=workflow, code=exc.code)) from None
    except urllib.error.URLError as exc:
        raise Refused(words("dispatch-failed", workflow=workflow, reason=exc.reason)) from None


def append_summary(text: str) -> None:
    """Append ``text`` to the job summary (``$GITHUB_STEP_SUMMARY``) when there is one."""
    if target := os.environ.get("GITHUB_STEP_SUMMARY"):
        with Path(target).open("a", encoding="utf-8") as out:
            out.write(text)


def _tell(status: int, key: str, summary: bool = False, **values: object) -> int:
    """Print the words ``key`` (on stderr for a failure), add ``key-summary`` to the job summary
    if asked; ``status``."""
    print(words(key, **values), file=sys.stderr if status else sys.stdout)
    if summary:
        append_summary(words(f"{key}-summary", **values) + "\n")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fixcommit.py", description=words("help"))
    add = parser.add_argument
    add("--patch", type=Path, required=True, help=words("help-patch"))
    add("--message", type=Path, help=words("help-message"))
    add("--remote", required=True, help=words("help-remote"))
    add("--branch", required=True, help=words("help-branch"))
    add("--expect", help=words("help-expect"))
    add("--dispatch", metavar="WORKFLOW", help=words("help-dispatch"))
    args = parser.parse_args(argv)
    token, branch, said = os.environ.get("GITHUB_TOKEN") or None, args.branch, ""
    if args.message and args.message.is_file():
        said = args.message.read_text(encoding="utf-8", errors="replace")
    try:
        done = args.patch.is_file() and commit(
            args.patch, said, args.remote, branch, args.expect, token
        )
    except Refused as exc:
        return _tell(1, "not-committed", True, error=exc)
    if not done:
        return _tell(0, "nothing")
    _tell(0, "committed", True, sha=done[0][:12], branch=branch, subject=done[1].splitlines()[0])
    if not args.dispatch:
        return 0
    try:
        dispatch(args.dispatch, branch, token)
    except Refused as exc:
        return _tell(1, "not-restarted", True, error=exc, workflow=args.dispatch, branch=branch)
    return _tell(0, "restarted", workflow=args.dispatch, branch=branch)


if __name__ == "__main__":
    sys.exit(main())
