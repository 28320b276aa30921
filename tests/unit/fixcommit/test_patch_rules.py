"""What the bot may commit: only changes to files `make fix` writes (iopguide/fixcommit.py).

Each patch here is made by git itself in a small real repository, so the script reads what
`git diff` really prints.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from iopguide.fixcommit import Refused, allowed_path, check_patch, commit, message


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "docs" / "sub").mkdir(parents=True)
    (repo / "docs" / "faq.md").write_text("# FAQ\n\nSee [levels](levels.md).\n")
    (repo / "docs" / "sub" / "page.md").write_text("# Page\n")
    (repo / "mkdocs.yml").write_text("plugins:\n  - redirects:\n      redirect_maps:\n")
    (repo / "published-urls.txt").write_text("/faq/\n")
    (repo / "Makefile").write_text("check:\n\ttrue\n")
    (repo / "logo.png").write_bytes(b"\x89PNG\x00\x01")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    return repo


def diff(repo: Path, tmp_path: Path) -> Path:
    git(repo, "add", "-A")
    patch = tmp_path / "fix.patch"
    patch.write_text(git(repo, "diff", "--cached", "--binary", "-M"))
    return patch


def test_edits_of_the_files_make_fix_writes_are_accepted(repo: Path, tmp_path: Path) -> None:
    (repo / "mkdocs.yml").write_text(
        "plugins:\n  - redirects:\n      redirect_maps:\n        faq.md: questions.md\n"
    )
    (repo / "published-urls.txt").write_text("/faq/\n/questions/\n")
    (repo / "docs" / "sub" / "page.md").write_text("# Page\n\n[FAQ](../questions.md)\n")
    assert check_patch(diff(repo, tmp_path)) == [
        "docs/sub/page.md",
        "mkdocs.yml",
        "published-urls.txt",
    ]


def test_an_empty_patch_is_nothing_to_commit(tmp_path: Path) -> None:
    patch = tmp_path / "fix.patch"
    patch.write_text("")
    assert check_patch(patch) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda r: (r / "Makefile").write_text("check:\n\tcurl evil\n"), "Makefile"),
        (lambda r: (r / "docs" / "new.md").write_text("# New\n"), "create mode"),
        (lambda r: (r / "docs" / "faq.md").unlink(), "delete mode"),
        (lambda r: (r / "docs" / "faq.md").chmod(0o755), "mode change"),
        (lambda r: (r / "logo.png").write_bytes(b"\x89PNG\x00\x02"), "binary"),
    ],
    ids=["other-file", "new-file", "deleted", "mode", "binary"],
)
def test_anything_else_is_refused(repo: Path, tmp_path: Path, change, expected: str) -> None:
    change(repo)
    with pytest.raises(Refused, match=expected):
        check_patch(diff(repo, tmp_path))


def move(repo: Path, old: str, new: str, *edit: str) -> None:
    """``git mv old new``, then ``edit`` (what, by what) in the page, as make fix does."""
    (repo / new).parent.mkdir(parents=True, exist_ok=True)
    (repo / old).rename(repo / new)
    if edit:
        (repo / new).write_text((repo / new).read_text().replace(*edit))


def test_a_page_renamed_to_a_page_is_accepted(repo: Path, tmp_path: Path) -> None:
    # As make fix renames a translation with its page: alone, or with its translation_of edited
    # (git diff -M finds a rename when at least half the page is the same: pages are longer).
    answers = "".join(f"Answer {n}.\n" for n in range(10))
    (repo / "docs" / "faq.md").write_text(f"# FAQ\n\n{answers}See [levels](levels.md).\n")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "FAQ")
    move(repo, "docs/faq.md", "docs/guides/faq.md", "(levels.md)", "(../levels.md)")
    move(repo, "docs/sub/page.md", "docs/sub/renamed.md")
    patch = diff(repo, tmp_path)
    assert patch.read_text().count("\nrename from ") == 2
    assert check_patch(patch) == [
        "docs/faq.md",
        "docs/guides/faq.md",
        "docs/sub/page.md",
        "docs/sub/renamed.md",
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("docs/faq.md", "docs/.hidden.md", "changes docs/.hidden.md, which make fix never"),
        ("docs/faq.md", ".github/workflows/x.yml", r"\.github/workflows/x\.yml, which make fix"),
        ("docs/faq.md", "docs/faq.txt", "changes docs/faq.txt, which make fix never"),
        ("Makefile", "docs/make.md", "changes Makefile, which make fix never"),
        (
            "mkdocs.yml",
            "docs/settings.md",
            "renames docs/settings.md, mkdocs.yml; make fix renames",
        ),
        ("docs/faq.md", "published-urls.txt.md", "changes published-urls.txt.md, which"),
    ],
)
def test_a_rename_to_or_from_anything_but_a_page_is_refused(
    repo: Path, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    move(repo, old, new)
    patch = diff(repo, tmp_path)
    assert "\nrename from " in patch.read_text()
    with pytest.raises(Refused, match=expected):
        check_patch(patch)


def hand_written(tmp_path: Path, *renames: tuple[str, str], extra: str = "") -> Path:
    """A patch the pull request's own code could have written instead of git diff."""
    patch = tmp_path / "fix.patch"
    patch.write_text(
        "".join(
            f"diff --git a/{old} b/{new}\nsimilarity index 100%\n"
            f"rename from {old}\nrename to {new}\n{extra}"
            for old, new in renames
        )
    )
    return patch


@pytest.mark.parametrize(
    ("renames", "expected"),
    [
        ([("docs/faq.md", "Makefile")], "changes Makefile, which make fix never"),
        ([("docs/faq.md", "mkdocs.yml")], "renames docs/faq.md, mkdocs.yml; make fix"),
        ([("docs/faq.md", "../docs/x.md")], r"changes \.\./docs/x\.md, which make fix"),
        # Through a file make fix may edit, so that neither end names it: still refused.
        ([("docs/faq.md", "mkdocs.yml"), ("mkdocs.yml", "docs/new.md")], "renames docs/faq"),
    ],
    ids=["to-makefile", "to-mkdocs-yml", "dot-dot", "chain"],
)
def test_a_hand_written_rename_beyond_pages_is_refused(
    tmp_path: Path, renames: list[tuple[str, str]], expected: str
) -> None:
    with pytest.raises(Refused, match=expected):
        check_patch(hand_written(tmp_path, *renames))


def test_a_rename_that_also_changes_the_mode_is_refused(tmp_path: Path) -> None:
    patch = hand_written(
        tmp_path, ("docs/a.md", "docs/b.md"), extra="old mode 100644\nnew mode 100755\n"
    )
    with pytest.raises(Refused, match="mode change 100644 => 100755"):
        check_patch(patch)


def test_a_copy_of_a_page_is_refused(tmp_path: Path) -> None:
    patch = tmp_path / "fix.patch"
    patch.write_text(
        "diff --git a/docs/a.md b/docs/b.md\nsimilarity index 100%\n"
        "copy from docs/a.md\ncopy to docs/b.md\n"
    )
    with pytest.raises(Refused, match="copy docs/"):
        check_patch(patch)


def test_a_rename_onto_a_page_the_branch_has_does_not_apply(repo: Path, tmp_path: Path) -> None:
    git(repo, "branch", "-M", "editor")
    patch = hand_written(tmp_path, ("docs/faq.md", "docs/sub/page.md"))
    assert check_patch(patch) == ["docs/faq.md", "docs/sub/page.md"]
    tip = git(repo, "rev-parse", "HEAD")
    with pytest.raises(
        Refused,
        match=r"does not apply to editor \(.* a page it renames to is there already\): "
        r".*docs/sub/page\.md: already exist",
    ):
        commit(patch, "", str(repo), "editor", tip.strip(), None)
    assert git(repo, "rev-parse", "HEAD") == tip


def moved_without_a_rename_line(old: str, new: str, before: str, after: str) -> str:
    """A file patch whose a/ and b/ names differ, with no rename line: git apply moves the file
    (onto ``new`` even when it is there) and --summary says nothing."""
    return (
        f"diff --git a/{old} b/{new}\n--- a/{old}\n+++ b/{new}\n@@ -1 +1 @@\n-{before}\n+{after}\n"
    )


def swap(*pages: str) -> str:
    """Two renames that undo each other, so that --numstat's names before and after balance."""
    one, two = pages
    return "".join(
        f"diff --git a/{a} b/{b}\nsimilarity index 100%\nrename from {a}\nrename to {b}\n"
        for a, b in ((one, two), (two, one))
    )


@pytest.mark.parametrize(
    ("moves", "expected"),
    [
        # Each moves a page onto another one: two pages deleted.
        (
            [("docs/a.md", "docs/b.md", "A", "x"), ("docs/c.md", "docs/d.md", "C", "y")],
            "removes docs/a.md, docs/c.md and adds -; make fix never creates or deletes",
        ),
        # The same page moved twice, edited in between: two pages created.
        (
            [
                ("docs/a.md", "docs/new1.md", "A", "x"),
                ("docs/a.md", "docs/a.md", "A", "A2"),
                ("docs/a.md", "docs/new2.md", "A2", "y"),
            ],
            "removes - and adds docs/new1.md, docs/new2.md; make fix never creates",
        ),
    ],
    ids=["deletions", "creations"],
)
def test_a_creation_or_deletion_hidden_in_renames_is_not_committed(
    tmp_path: Path, moves: list[tuple[str, str, str, str]], expected: str
) -> None:
    remote = tmp_path / "remote"
    (remote / "docs").mkdir(parents=True)
    for page in "abcdef":
        (remote / "docs" / f"{page}.md").write_text(f"{page.upper()}\n")
    git(remote, "init", "-q", "-b", "editor")
    git(remote, "add", "-A")
    git(remote, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    git(remote, "config", "receive.denyCurrentBranch", "ignore")  # a push would be taken
    tip = git(remote, "rev-parse", "HEAD").strip()
    patch = tmp_path / "make-fix" / "fix.patch"
    patch.parent.mkdir()
    patch.write_text(
        swap("docs/e.md", "docs/f.md") + "".join(moved_without_a_rename_line(*m) for m in moves)
    )
    check_patch(patch)  # git's parser sees two renames that undo each other and page edits
    with pytest.raises(Refused, match=rf"applied, the patch {expected}"):
        commit(patch, "", str(remote), "editor", tip, None)
    assert git(remote, "rev-parse", "HEAD").strip() == tip


@pytest.mark.parametrize("edit", [False, True], ids=["renamed", "edited"])
def test_a_link_the_branch_has_is_not_committed(repo: Path, tmp_path: Path, edit: bool) -> None:
    (repo / "docs" / "link.md").symlink_to("../Makefile")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "link")
    git(repo, "branch", "-M", "editor")
    git(repo, "config", "receive.denyCurrentBranch", "ignore")  # a push would be taken
    tip = git(repo, "rev-parse", "HEAD").strip()
    if edit:
        (repo / "docs" / "link.md").unlink()
        (repo / "docs" / "link.md").symlink_to("../.github/workflows/pr.yml")
    else:
        git(repo, "mv", "docs/link.md", "docs/other.md")
    patch = diff(repo, tmp_path)
    git(repo, "reset", "-q", "--hard")
    check_patch(patch)  # an edit or a rename of a page, as git apply --summary says
    with pytest.raises(Refused, match=r"leaves docs/(link|other)\.md with mode 120000"):
        commit(patch, "", str(repo), "editor", tip, None)
    assert git(repo, "rev-parse", "HEAD").strip() == tip


def test_a_hand_written_patch_into_another_folder_is_refused(tmp_path: Path) -> None:
    patch = tmp_path / "fix.patch"
    patch.write_text(
        "diff --git a/.github/workflows/pr.yml b/.github/workflows/pr.yml\n"
        "--- a/.github/workflows/pr.yml\n+++ b/.github/workflows/pr.yml\n"
        "@@ -1 +1 @@\n-name: a\n+name: b\n"
    )
    with pytest.raises(Refused, match=r"\.github/workflows/pr\.yml, which make fix never writes"):
        check_patch(patch)


@pytest.mark.parametrize(
    ("path", "ok"),
    [
        ("mkdocs.yml", True),
        ("published-urls.txt", True),
        ("dois.lock.json", True),
        ("docs/faq.md", True),
        ("docs/es/faq.es.md", True),
        ("docs/assets/iop-guide.css", False),
        ("docs/.hidden/x.md", False),
        ("docs/../Makefile.md", False),
        ("docs/a\nrename b.md", False),
        ("docs/a\tb.md", False),
        ("/docs/faq.md", False),
        ("overrides/main.html", False),
        ("docs", False),
        ("mkdocs.yml.md", False),
    ],
)
def test_allowed_paths(path: str, ok: bool) -> None:
    assert allowed_path(path) is ok


def test_the_message_is_the_one_make_fix_wrote() -> None:
    said = "make fix: new address /questions/\n\n- published-urls.txt: added /questions/\n"
    text = message(said, ["published-urls.txt"])
    subject, blank, *body = text.splitlines()
    assert subject == "make fix: new address /questions/" and blank == ""
    assert body[0] == "- published-urls.txt: added /questions/"
    assert "job commit-fix" in text


def test_without_one_the_message_names_the_files() -> None:
    text = message("", ["docs/index.md", "mkdocs.yml"])
    assert text.splitlines()[:4] == [
        "make fix: mechanical fixes",
        "",
        "- changed docs/index.md",
        "- changed mkdocs.yml",
    ]


def test_the_message_keeps_no_control_characters() -> None:
    text = message("make fix: new address /a/\x1b[31m\u202e\n", ["published-urls.txt"])
    assert text.splitlines()[0] == "make fix: new address /a/[31m"
    assert "\x1b" not in text and "\u202e" not in text
    assert len(message("make fix: " + "a" * 100, []).splitlines()[0]) == 72


@pytest.mark.parametrize(
    "steer",
    [
        {},
        {"core.bare": "false", "core.worktree": "/"},  # git apply would leave out every path
        {"core.bare": "false", "core.worktree": "/", "GIT_DIR": "make-fix"},
    ],
    ids=["bare", "worktree", "git-dir"],
)
@pytest.mark.parametrize("page", [True, False], ids=["accepted", "refused"])
def test_a_repository_in_make_fix_does_not_steer_the_check(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, steer: dict[str, str], page: bool
) -> None:
    # make-fix/ is the artifact the pull request's code writes: it may be a git repository whose
    # config runs a program (core.fsmonitor, core.pager) or moves the work tree.
    (repo / ("docs/sub/page.md" if page else "Makefile")).write_text("changed\n")
    plain = diff(repo, tmp_path)  # a patch in a folder that is no repository
    expected = check_patch(plain) if page else None
    make_fix = tmp_path / "make-fix"
    git(tmp_path, "init", "-q", "--bare", str(make_fix))
    script = tmp_path / "script.sh"
    script.write_text(f"#!/bin/sh\necho ran >> {tmp_path / 'ran.txt'}\ncat\n")
    script.chmod(0o755)
    config = {"core.fsmonitor": str(script), "core.pager": str(script), "pager.apply": "true"}
    for key, value in (config | steer).items():
        if key == "GIT_DIR":
            monkeypatch.setenv(key, str(tmp_path / value))
        else:
            git(make_fix, "config", key, value)
    patch = plain.rename(make_fix / "fix.patch")
    if page:
        assert check_patch(patch) == expected == ["docs/sub/page.md"]
    else:
        with pytest.raises(Refused, match="changes Makefile, which make fix never writes"):
            check_patch(patch)
    assert not (tmp_path / "ran.txt").exists()
