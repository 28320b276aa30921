"""Atomic builds (iopguide.publish): swap, throw away, count strict warnings, lock, deploy URL."""

from __future__ import annotations

import fcntl
import logging
import os
import stat
import threading
import time
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from iopguide.publish import (
    AtomicBuild,
    deploy_url_problem,
    failure_message,
)


def make_site(folder: Path, text: str) -> Path:
    (folder / "site").mkdir(parents=True)
    (folder / "site" / "index.html").write_text(text)
    return folder / "site"


def siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_finished_build_replaces_site(tmp_path: Path) -> None:
    site = make_site(tmp_path, "old")
    build = AtomicBuild(site, strict=True)
    temp = build.start()
    assert temp.parent == tmp_path and temp.name.startswith(".site.building-")
    (temp / "index.html").write_text("new")
    assert (site / "index.html").read_text() == "old"  # nothing changes until the end
    assert build.finish() is True
    assert (site / "index.html").read_text() == "new"
    assert siblings(tmp_path) == [".site.lock", "site"]
    assert build.temp is None


def test_the_new_site_is_readable_by_others(tmp_path: Path) -> None:
    build = AtomicBuild(tmp_path / "site", strict=False)
    mask = os.umask(0o022)
    try:
        build.start()
        build.finish()
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "site").stat().st_mode) == 0o755


def test_a_discarded_build_leaves_site_alone(tmp_path: Path) -> None:
    site = make_site(tmp_path, "old")
    build = AtomicBuild(site, strict=True)
    (build.start() / "index.html").write_text("half")
    build.discard()
    assert (site / "index.html").read_text() == "old"
    assert siblings(tmp_path) == [".site.lock", "site"]


def test_strict_warnings_are_counted_and_stop_the_swap(tmp_path: Path) -> None:
    site = make_site(tmp_path, "old")
    build = AtomicBuild(site, strict=True)
    (build.start() / "index.html").write_text("new")
    logging.getLogger("mkdocs.plugins.something").warning("a link is broken")
    logging.getLogger("mkdocs").info("not a warning")
    logging.getLogger("elsewhere").warning("not MkDocs' logger: MkDocs does not count it")
    assert len(build.counter.records) == 1
    assert build.finish() is False
    assert (site / "index.html").read_text() == "old"
    # The counter is gone once the build is over.
    logging.getLogger("mkdocs").warning("after the build")
    assert len(build.counter.records) == 1


def test_warnings_do_not_stop_a_build_that_is_not_strict(tmp_path: Path) -> None:
    site = make_site(tmp_path, "old")
    build = AtomicBuild(site, strict=False)
    (build.start() / "index.html").write_text("new")
    logging.getLogger("mkdocs").warning("a warning")
    assert build.finish() is True
    assert (site / "index.html").read_text() == "new"


def test_a_dirty_build_starts_from_the_last_site(tmp_path: Path) -> None:
    # `mkdocs build --dirty` writes only the pages that changed: the others must be there.
    site = make_site(tmp_path, "old home")
    (site / "faq").mkdir()
    (site / "faq" / "index.html").write_text("unchanged page")
    build = AtomicBuild(site, strict=True, dirty=True)
    (build.start() / "index.html").write_text("new home")
    assert build.finish() is True
    assert (site / "index.html").read_text() == "new home"
    assert (site / "faq" / "index.html").read_text() == "unchanged page"
    clean = AtomicBuild(site, strict=True)
    assert list(clean.start().iterdir()) == []
    clean.discard()


def test_a_linked_site_folder_is_updated_where_it_points(tmp_path: Path) -> None:
    served = make_site(tmp_path / "www", "old")
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "site").symlink_to(served)
    build = AtomicBuild(tmp_path / "project" / "site", strict=True)
    (build.start() / "index.html").write_text("new")
    assert build.finish() is True
    assert (tmp_path / "project" / "site").is_symlink()
    assert (served / "index.html").read_text() == "new"
    assert siblings(tmp_path / "www") == [".site.lock", "site"]


def test_site_as_a_file_is_refused_before_building(tmp_path: Path) -> None:
    (tmp_path / "site").write_text("not a folder")
    with pytest.raises(PluginError, match="is a file, not a folder"):
        AtomicBuild(tmp_path / "site", strict=True).start()


def test_a_killed_build_is_cleaned_up_and_a_lost_site_restored(tmp_path: Path) -> None:
    # As if a build was killed between the two renames of its swap, and another mid-build.
    (tmp_path / ".site.old-abc").mkdir()
    (tmp_path / ".site.old-abc" / "index.html").write_text("last good")
    (tmp_path / ".site.building-xyz").mkdir()
    build = AtomicBuild(tmp_path / "site", strict=True)
    temp = build.start()
    assert (tmp_path / "site" / "index.html").read_text() == "last good"
    assert siblings(tmp_path) == sorted([".site.lock", temp.name, "site"])
    build.discard()


def test_a_second_build_waits_for_the_first(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    site = make_site(tmp_path, "old")
    first = AtomicBuild(site, strict=False)
    (first.start() / "index.html").write_text("first")
    order: list[str] = []

    def second_build() -> None:
        build = AtomicBuild(site, strict=False)
        temp = build.start()
        order.append("second started")
        (temp / "index.html").write_text("second")
        build.finish()

    with caplog.at_level(logging.INFO, logger="mkdocs"):
        thread = threading.Thread(target=second_build)
        thread.start()
        deadline = time.monotonic() + 10
        while "waiting for it to finish" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "Another build of site/ is running (lock .site.lock)" in caplog.text
        assert order == []
        order.append("first finished")
        first.finish()
        thread.join(timeout=10)
    assert order == ["first finished", "second started"]
    assert (site / "index.html").read_text() == "second"


def test_the_lock_is_free_after_a_build(tmp_path: Path) -> None:
    build = AtomicBuild(tmp_path / "site", strict=False)
    build.start()
    build.finish()
    with open(tmp_path / ".site.lock") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if still held


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (RecursionError("maximum recursion depth exceeded"), "docs/x.md: [page-too-deep]"),
        (OSError(28, "No space left on device"), "could not write the site: No space left"),
        (OSError(27, "File too large"), "could not write the site: File too large"),
    ],
)
def test_crashes_become_one_clear_line(error: BaseException, words: str) -> None:
    message = failure_message(error, Path("/p/site"), "docs/x.md")
    assert message is not None and words in message
    assert "site/ was not changed" in message and "Fix:" in message
    assert "\n" not in message


def test_mkdocs_own_errors_are_left_to_mkdocs() -> None:
    assert failure_message(ValueError("x"), Path("site"), None) is None


@pytest.mark.parametrize(
    ("environ", "site_url", "problem"),
    [
        ({}, "http://127.0.0.1:8000/", None),
        ({"IOPGUIDE_DEPLOY": "0"}, "http://127.0.0.1:8000/", None),
        ({"IOPGUIDE_DEPLOY": "1"}, "http://127.0.0.1:8000/", "SITE_URL is not set"),
        ({"IOPGUIDE_DEPLOY": "1", "SITE_URL": " "}, "http://127.0.0.1:8000/", "is not set"),
        (
            {"IOPGUIDE_DEPLOY": "1", "SITE_URL": "http://example.org/"},
            "http://example.org/",
            "needs the public https:// address",
        ),
        (
            {"IOPGUIDE_DEPLOY": "1", "SITE_URL": "https://localhost/"},
            "https://localhost/",
            "needs the public https:// address",
        ),
        (
            {"IOPGUIDE_DEPLOY": "1", "SITE_URL": "https://example.org/"},
            "https://example.org/",
            None,
        ),
    ],
)
def test_a_deploy_build_needs_the_public_address(
    environ: dict[str, str], site_url: str, problem: str | None
) -> None:
    found = deploy_url_problem(site_url, environ)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found and "[deploy-site-url]" in found
