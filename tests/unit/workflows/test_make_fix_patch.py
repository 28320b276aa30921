"""The patch pr.yml's check job uploads for the bot: its own `run:` lines, in a small real git
repository whose Makefile's `fix` target changes the files as iopguide/fix.py does (a
translation renamed and staged, then edited; mkdocs.yml edited, not staged). The real
`make fix` runs in tests/site/test_fix_commit.py."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from iopguide import ROOT
from iopguide.fixcommit import check_patch

STEP = next(
    step
    for step in yaml.safe_load((ROOT / ".github/workflows/pr.yml").read_text())["jobs"]["check"][
        "steps"
    ]
    if step.get("id") == "fix"
)
WHO = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
MAKEFILE = """fix:
\tgit mv docs/faq.es.md docs/questions.es.md
\tsed -i 's/^translation_of: faq.md/translation_of: questions.md/' docs/questions.es.md
\tprintf '        faq.md: questions.md\\n' >> mkdocs.yml
\tprintf 'make fix: redirect\\n' > make-fix/message.txt
"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


def run_step(tmp_path: Path, text: str) -> tuple[Path, str]:
    """Run the step in a repository whose docs/faq.es.md after its front matter is ``text``:
    (the repository, its base commit)."""
    repo = tmp_path / "pr"
    (repo / "docs").mkdir(parents=True)
    (repo / "docs" / "faq.es.md").write_text(f"---\ntranslation_of: faq.md\n---\n{text}")
    (repo / "mkdocs.yml").write_text("plugins:\n  - redirects:\n      redirect_maps:\n")
    (repo / "Makefile").write_text(MAKEFILE)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, *WHO, "commit", "-qm", "base")
    base = git(repo, "rev-parse", "HEAD").strip()
    output, summary = tmp_path / "output", tmp_path / "summary.md"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "MAKE"))}
    env |= {"HOME": str(tmp_path), "SAME_REPO": "true", "GITHUB_WORKSPACE": str(repo)}
    env |= {"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)}
    ran = subprocess.run(
        ["bash", "-e", "-c", STEP["run"]], cwd=repo, env=env, capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return repo, base


# A short translation keeps under half its text once translation_of changes (git diff -M's
# threshold): still a rename, not a deletion and a creation the bot refuses.
@pytest.mark.parametrize("answers", [10, 0], ids=["translation", "short-translation"])
def test_the_patch_holds_the_staged_rename_and_every_edit(tmp_path: Path, answers: int) -> None:
    lines = "".join(f"Respuesta {n}.\n" for n in range(answers))
    repo, base = run_step(tmp_path, f"\n{lines}")
    output, summary = tmp_path / "output", tmp_path / "summary.md"
    patch = repo / "make-fix" / "fix.patch"
    assert output.read_text() == "changed=true\n"
    assert patch.read_text() in summary.read_text()  # shown on the summary page, as before
    assert "make-fix/" not in patch.read_text()  # the artifact's own files are untracked
    assert check_patch(patch) == ["docs/faq.es.md", "docs/questions.es.md", "mkdocs.yml"]
    # Applied where the bot applies it (the branch as it was), it gives make fix's result.
    bot = tmp_path / "bot"
    git(tmp_path, "clone", "-q", str(repo), str(bot))
    git(bot, "checkout", "-q", base)
    git(bot, "apply", "--index", str(patch))
    status = git(bot, "diff", "--cached", "-M1%", "--name-status", "HEAD").splitlines()
    assert sorted((kind[0], *paths) for kind, *paths in map(str.split, status)) == [
        ("M", "mkdocs.yml"),
        ("R", "docs/faq.es.md", "docs/questions.es.md"),
    ]
    assert "translation_of: questions.md" in (bot / "docs" / "questions.es.md").read_text()


def test_the_summary_shows_a_page_with_code_blocks_as_one_block(tmp_path: Path) -> None:
    repo, _ = run_step(tmp_path, "```\n````\n\nRespuesta.\n")
    patch = (repo / "make-fix" / "fix.patch").read_text()
    assert "\n ```\n ````\n" in patch  # context lines: " ```" closes a fence of three
    summary = (tmp_path / "summary.md").read_text()
    fence = re.search(r"^(`{3,})diff$", summary, re.MULTILINE)
    assert fence and f"{fence[0]}\n{patch}{fence[1]}\n" in summary
    # CommonMark 4.5: a closing fence is up to 3 spaces, then at least as many backticks.
    closing = rf"^ {{0,3}}`{{{len(fence[1])},}}[ \t]*$"
    assert not re.search(closing, patch, re.MULTILINE)
    assert fence[1] == "`" * 5
