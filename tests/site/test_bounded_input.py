"""Hostile or careless input is refused by a real build before anything renders it (issue 12,
points 4 and 6): one clear error naming the file, no traceback, bounded memory.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.site.publish_site import copy_site, make_publish_site, run_build, snapshot

pytestmark = pytest.mark.slow

#: Runs ``mkdocs build --strict`` in this process, then prints its peak memory (ru_maxrss, kB).
PEAK_RSS = """
import resource, runpy, sys
sys.argv = ["mkdocs", "build", "--strict"]
try:
    runpy.run_module("mkdocs", run_name="__main__", alter_sys=True)
except SystemExit:
    pass
print("PEAK_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def alias_bomb(levels: int = 10, refs: int = 13) -> str:
    """A YAML alias bomb for ``hide:``: each list holds ``refs`` aliases of the one before.

    The defaults give 564 bytes standing for 13**10 (about 1.4e11) list items.
    """
    items, before = [], None
    for name in "abcdefghijklmnop"[:levels]:
        body = ", ".join(["x"] * refs if before is None else [f"*{before}"] * refs)
        items.append(f"&{name} [{body}]")
        before = name
    return "hide: [" + ", ".join(items) + "]\n"


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_publish_site(tmp_path_factory.mktemp("bounded") / "project")
    result = run_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture
def project(good_build: Path, tmp_path: Path) -> Path:
    return copy_site(good_build, tmp_path / "project")


def refused(project: Path, *, before_reading: bool = True) -> str:
    """Build; assert it failed cleanly and left site/ alone; return the output.

    ``before_reading``: the refusal came before MkDocs read any page (on_pre_build); file checks
    come a little later (on_files), still before any page is read or rendered.
    """
    before = snapshot(project / "site")
    result = run_build(project, timeout=60)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "Traceback" not in out
    if before_reading:
        assert "Building documentation to directory" not in out, "MkDocs went on to read pages"
    assert snapshot(project / "site") == before
    return out


def add_page(project: Path, body: str, front: str = "") -> None:
    page = project / "docs" / "second.md"
    text = page.read_text(encoding="utf-8")
    if front:
        text = text.replace("---\n\n# Second", f"{front}---\n\n# Second")
    page.write_text(text + "\n" + body, encoding="utf-8")


def test_the_bomb_is_564_bytes() -> None:
    assert len(alias_bomb().encode("utf-8")) == 564


def test_yaml_alias_bomb_is_refused_in_little_memory(project: Path) -> None:
    add_page(project, "", front=alias_bomb())
    limit = 1024**3  # a regression fails with MemoryError here instead of eating the machine

    def bounded() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", PEAK_RSS],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=bounded,
        check=False,
    )
    out = result.stdout + result.stderr
    assert "docs/second.md:7: [front-matter-yaml-alias]" in out, out
    assert "Traceback" not in out
    peak_kb = int(out.split("PEAK_KB ")[1].split()[0])
    assert peak_kb < 200 * 1024, f"peak memory {peak_kb // 1024} MB"


def test_nested_divs_are_refused_before_rendering(project: Path) -> None:
    add_page(project, "<div markdown>\n\n" * 3000 + "Deep.\n\n" + "</div>\n\n" * 3000)
    out = refused(project)
    assert "docs/second.md:" in out and "[page-too-deep] Lists, quotes or HTML blocks" in out


def test_a_10000_level_list_is_refused_before_rendering(project: Path) -> None:
    add_page(project, "- " * 10_000 + "Deep.\n")
    out = refused(project)
    assert "docs/second.md:" in out and "nested 10000 levels deep here; the most is 40" in out


def test_deep_front_matter_is_refused_naming_the_page(project: Path) -> None:
    add_page(project, "", front="hide: " + "[" * 3000 + "]" * 3000 + "\n")
    out = refused(project)
    said = "The front matter has lists or mappings nested more than 40 levels deep here"
    assert f"docs/second.md:7: [page-too-deep] {said}" in out


def test_deep_block_quotes_are_refused(project: Path) -> None:
    add_page(project, ">" * 5000 + " Deep.\n")
    assert "[page-too-deep]" in refused(project)


def test_a_page_over_1_mb_is_refused(project: Path) -> None:
    add_page(project, ("Groups meet in the morning. " * 40 + "\n\n") * 1000)
    out = refused(project)
    assert "docs/second.md: [page-too-large] The page is 1,1" in out


def test_a_page_that_is_not_utf8_is_named(project: Path) -> None:
    page = project / "docs" / "second.md"
    page.write_bytes(page.read_bytes().replace(b"Groups meet", b"Caf\xe9 groups meet"))
    assert "docs/second.md:11:4: [page-encoding]" in refused(project)


def test_nesting_at_the_limit_builds(project: Path) -> None:
    # 40 levels of list, the most publishing.yml allows, render without trouble.
    add_page(project, "\n".join("    " * level + "- Item" for level in range(40)) + "\n")
    result = run_build(project)
    assert result.returncode == 0, result.stdout + result.stderr


HOSTILE_FILES = [
    ("docs/x.html", b"<script>alert(1)</script>", "file-type-code"),
    ("docs/assets/app.js", b"alert(1)", "file-type-code"),
    ("docs/_redirects", b"/get-help-now/ https://example.com 301", "file-host-settings"),
    ("docs/assets/_headers", b"/*\n  X-Test: 1\n", "file-host-settings"),
    ("docs/CNAME", b"example.com", "file-host-settings"),
    ("docs/netlify.toml", b"[build]", "file-host-settings"),
    ("docs/data.json", b"{}", "file-type"),
    (
        "docs/assets/evil.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "svg-script",
    ),
]


def test_hostile_files_are_all_refused_in_one_report(project: Path) -> None:
    for name, content, _ in HOSTILE_FILES:
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_bytes(content)
    out = refused(project, before_reading=False)
    for name, _, rule in HOSTILE_FILES:
        assert re.search(rf"^{re.escape(name)}(:\d+)?: \[{rule}\]", out, re.M), out
    assert f"Found {len(HOSTILE_FILES)} errors." in out
