"""A small MkDocs site with the publish, content and security hooks, for the build-safety tests.

Two good pages (from ``content_site``), the real rules files and ``publishing.yml``, MkDocs' own
theme (fast to build). Tests break it in one way each and check what happens to ``site/``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from iopguide import ROOT
from tests.site.content_site import GOOD_PAGE, RULES_FILES, SECOND_PAGE, TEMPLATE

HOOKS = ["publish.py", "content.py", "security.py"]


def make_publish_site(dest: Path) -> Path:
    """Write the site into ``dest`` (created) and return it."""
    (dest / "docs" / "_templates").mkdir(parents=True)
    for name in [*RULES_FILES, "publishing.yml", "crisis-lines.yml"]:
        shutil.copy2(ROOT / name, dest / name)
    hooks = "".join(f"  - {(ROOT / 'overrides' / 'hooks' / h).as_posix()}\n" for h in HOOKS)
    (dest / "mkdocs.yml").write_text(
        "site_name: Publish fixture\n"
        'site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]\n'
        "strict: true\n"
        "theme:\n  name: material\n  font: false\n"
        "exclude_docs: |\n  _templates/\n"
        "markdown_extensions:\n  - md_in_html\n  - attr_list\n"
        f"hooks:\n{hooks}",
        encoding="utf-8",
    )
    (dest / "docs" / "index.md").write_text(GOOD_PAGE, encoding="utf-8")
    (dest / "docs" / "second.md").write_text(SECOND_PAGE, encoding="utf-8")
    (dest / "docs" / "_templates" / "page.md").write_text(TEMPLATE, encoding="utf-8")
    return dest


def run_build(
    project: Path,
    *,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    **popen: object,
) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of ``project`` into ``project/site``, in a subprocess."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    environment.pop("SITE_URL", None)
    environment.pop("IOPGUIDE_DEPLOY", None)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **popen,  # type: ignore[arg-type]
    )


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file and folder under ``folder``: relative path -> (mode, bytes)."""
    found: dict[str, tuple[int, bytes]] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        data = path.read_bytes() if path.is_file() else b""
        found[rel] = (path.stat().st_mode, data)
    return found


def leftovers(project: Path) -> list[str]:
    """Temporary folders of the build left beside site/ (there must be none)."""
    return sorted(p.name for p in project.glob(".site.*") if p.name != ".site.lock")


def copy_site(built: Path, dest: Path) -> Path:
    """A copy of a built project (its site/ included, modes kept) for one test to break."""
    shutil.copytree(built, dest, symlinks=True)
    return dest
