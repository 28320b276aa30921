"""A failed build never changes the last good site/ (issue 12, point 7), and hostile input is
refused before it is rendered (points 4 and 6).

Each test builds the small publish site once (the last good build), breaks it in one real way,
builds again with ``mkdocs build --strict`` as an editor would, and compares every byte and mode
of site/ with the last good build.
"""

from __future__ import annotations

import fcntl
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.site.publish_site import (
    copy_site,
    leftovers,
    make_publish_site,
    run_build,
    snapshot,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The publish site, built once per test process: the last good build."""
    project = make_publish_site(tmp_path_factory.mktemp("publish") / "project")
    result = run_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture
def built(good_build: Path, tmp_path: Path) -> tuple[Path, dict[str, tuple[int, bytes]]]:
    """A copy of the good build for one test: (project folder, snapshot of its site/)."""
    project = copy_site(good_build, tmp_path / "project")
    return project, snapshot(project / "site")


def output(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


def assert_unchanged(project: Path, before: dict[str, tuple[int, bytes]], out: str) -> None:
    assert snapshot(project / "site") == before, "site/ changed after a failed build"
    assert leftovers(project) == [], "the failed build left its temporary folder behind"
    assert "Traceback" not in out
    assert "site/ was not changed" in out


def second(project: Path) -> Path:
    return project / "docs" / "second.md"


def test_content_error_leaves_site_unchanged(built) -> None:  # type: ignore[no-untyped-def]
    project, before = built
    page = second(project)
    page.write_text(page.read_text().replace("Groups meet", "Every addict meets"))
    result = run_build(project)
    assert result.returncode == 1
    assert "docs/second.md:11: [language]" in output(result)
    assert_unchanged(project, before, output(result))


def test_strict_warning_leaves_site_unchanged(built) -> None:  # type: ignore[no-untyped-def]
    project, before = built
    page = second(project)
    page.write_text(page.read_text() + "\nSee [the old page](missing.md).\n")
    result = run_build(project)
    assert result.returncode == 1
    assert "Aborted with 1 warnings in strict mode" in output(result)
    assert "1 warning(s) in strict mode" in output(result)
    assert_unchanged(project, before, output(result))


def test_render_crash_names_the_page_and_leaves_site_unchanged(built) -> None:  # type: ignore[no-untyped-def]
    # The nesting limit is what normally stops this page; lift it to reach the renderer's crash.
    project, before = built
    rules = project / "publishing.yml"
    rules.write_text(rules.read_text().replace("nesting_depth: 40", "nesting_depth: 100000"))
    page = second(project)
    nested = "<div markdown>\n\n" * 3000 + "Deep.\n\n" + "</div>\n\n" * 3000
    page.write_text(page.read_text() + "\n" + nested)
    result = run_build(project)
    assert result.returncode == 1
    assert "docs/second.md: [page-too-deep] The page is nested too deeply" in output(result)
    assert_unchanged(project, before, output(result))


def test_security_failure_after_rendering_leaves_site_unchanged(built) -> None:  # type: ignore[no-untyped-def]
    # The security hook judges the built pages after they were written (to the temporary folder).
    project, before = built
    page = second(project)
    page.write_text(page.read_text() + '\n<span style="color: red">Red.</span>\n')
    result = run_build(project)
    assert result.returncode == 1
    # Named with the line of the Markdown that holds it.
    lines = len(page.read_text().splitlines())
    assert f"docs/second.md:{lines}: [csp-style-attribute]" in output(result)
    assert "Building documentation to directory" in output(result)  # it got past rendering
    assert_unchanged(project, before, output(result))


def test_full_disk_leaves_site_unchanged(built) -> None:  # type: ignore[no-untyped-def]
    # A file-size limit makes the kernel refuse to write past 20 kB (EFBIG), as a full disk would.
    project, before = built

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    result = run_build(project, preexec_fn=small_files)
    assert result.returncode == 1
    assert "The build could not write the site: File too large" in output(result)
    assert_unchanged(project, before, output(result))


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder another user's process may enter (pytest's own tmp folders are private)."""
    folder = Path(tempfile.mkdtemp(prefix="iopguide-readonly-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(folder)


def test_read_only_folder_leaves_site_unchanged(shared_folder: Path) -> None:
    project = make_publish_site(shared_folder / "project")
    assert run_build(project).returncode == 0
    before = snapshot(project / "site")
    project.chmod(0o555)
    # Tests run as root in CI, and root writes anywhere: drop the two capabilities that let it
    # ignore file modes, so the kernel refuses the write as it would for an editor.
    prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    command = [
        *(prefix if os.geteuid() == 0 else []),
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
    ]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    out = output(result)
    assert result.returncode == 1
    assert f"The build cannot write next to site/ in {project} (Permission denied)" in out
    project.chmod(0o755)
    assert_unchanged(project, before, out)


def test_a_second_build_waits_for_the_lock(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project, _ = built
    page = second(project)
    page.write_text(page.read_text().replace("in the evening", "at night"))
    log = tmp_path / "build.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    message = "Another build of site/ is running (lock .site.lock); waiting for it to finish"
    with open(project / ".site.lock", "a") as lock, open(log, "w") as out:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # as a running build holds it
        waiting = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict"],
            cwd=project,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while message not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert message in log.read_text(), log.read_text()
        assert waiting.poll() is None, "the build did not wait for the lock"
        assert "at night" not in (project / "site" / "second" / "index.html").read_text()
    assert waiting.wait(timeout=120) == 0, log.read_text()
    assert "at night" in (project / "site" / "second" / "index.html").read_text()


def test_two_builds_at_once_both_finish_and_site_is_whole(built) -> None:  # type: ignore[no-untyped-def]
    project, before = built
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    builds = [
        subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict"],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [b.communicate(timeout=180)[0] for b in builds]
    assert [b.returncode for b in builds] == [0, 0], outputs
    after = snapshot(project / "site")
    assert sorted(after) == sorted(before)
    empty = [name for name, (_, data) in after.items() if name.endswith(".html") and not data]
    assert empty == []
    assert leftovers(project) == []
    # Same pages as the first build (the search index and sitemap dates may differ by build).
    for name in ("index.html", "second/index.html", "404.html"):
        assert after[name] == before[name]


def test_deploy_build_without_site_url_fails_clearly(built) -> None:  # type: ignore[no-untyped-def]
    project, before = built
    result = run_build(project, env={"IOPGUIDE_DEPLOY": "1"})
    assert result.returncode == 1
    assert "[deploy-site-url] This is a deploy build, but SITE_URL is not set" in output(result)
    assert snapshot(project / "site") == before
    result = run_build(project, env={"IOPGUIDE_DEPLOY": "1", "SITE_URL": "https://example.org/"})
    assert result.returncode == 0, output(result)
    page = (project / "site" / "second" / "index.html").read_text()
    assert '<link rel="canonical" href="https://example.org/second/">' in page
    assert "https://example.org/second/" in (project / "site" / "sitemap.xml").read_text()
