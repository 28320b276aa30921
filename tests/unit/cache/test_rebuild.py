"""Rebuilds in one process, as `mkdocs serve` does them, reuse cached work but never stale results.

Each test runs a small script in a fresh Python process: it loads the configuration and builds a
copy of the real project several times in that one process (exactly what `mkdocs serve` does on
each save), editing files between builds. The caches of iopguide (compiled templates, rules,
bibliography, per-page check results) must notice every edit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import copy_project

SCRIPT = r"""
import contextlib, io, json, logging, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

project, site, steps = Path(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
results = []
for number, edits in enumerate(steps):
    for rel, old, new in edits:
        path = project / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=site)
    if number == 0:
        config.plugins.on_startup(command="serve", dirty=False)
    err = io.StringIO()
    error = ""
    # MkDocs logs a hook's error report (no handler is set up outside its command line).
    handler = logging.StreamHandler(err)
    logging.getLogger("mkdocs").addHandler(handler)
    with contextlib.redirect_stderr(err):
        try:
            build(config, serve_url="http://127.0.0.1:8000/")
        except Exception as exc:
            error = str(exc)
    logging.getLogger("mkdocs").removeHandler(handler)
    faq = Path(site) / "faq" / "index.html"
    html = faq.read_text(encoding="utf-8") if faq.is_file() else ""
    results.append({"error": error, "stderr": err.getvalue(), "faq": html})
print(json.dumps(results))
"""


def rebuild(project: Path, site: Path, steps: list[list[tuple[str, str, str]]]) -> list[dict]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(project), str(site), json.dumps(steps)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


FAQ_TERM = (
    "docs/faq.md",
    "weeks [@gottheil1998randomized].",
    "weeks, said the addict [@gottheil1998randomized].",
)
TEMPLATE = (
    "overrides/main.html",
    '<p class="iop-trust__dates">',
    '<p class="iop-trust__dates zqxtemplate">',
)
RENAME = ("bibliography.bib", "@article{gottheil1998randomized,", "@article{gottheil1998renamed,")
STEPS: list[list[tuple[str, str, str]]] = [
    [],
    # A page and a template change: the page is checked again, the template compiled again.
    [FAQ_TERM, TEMPLATE],
    # The fix clears the problem.
    [(FAQ_TERM[0], FAQ_TERM[2], FAQ_TERM[1])],
    # The pages did not change, but the key they cite is gone from the bibliography.
    [RENAME],
    [(RENAME[0], RENAME[2], RENAME[1])],
    # A rules change applies to pages that did not change.
    [("terms.yml", "  - avoid: [addict,", "  - avoid: [zqxweeks, weeks, addict,")],
]


def test_every_edit_shows_in_the_next_rebuild(tmp_path: Path) -> None:
    # One test, not three: under pytest-xdist each test could run the six builds again.
    project = copy_project(tmp_path / "project")
    names = ["first", "edited", "fixed", "renamed", "restored", "rules"]
    builds = dict(zip(names, rebuild(project, tmp_path / "site", STEPS), strict=True))

    first, edited, fixed = builds["first"], builds["edited"], builds["fixed"]
    assert first["error"] == ""
    assert "docs/faq.md" not in first["stderr"]
    assert "zqxtemplate" not in first["faq"]

    # A page and a template edit: the page is checked again. It has an error, so the preview
    # shows the last good page (iopguide.preview), with the problem on its banner.
    assert "docs/faq.md" in edited["stderr"] and "'addict'" in edited["stderr"].replace('"', "'")
    assert "said the addict" not in edited["faq"] and "zqxtemplate" not in edited["faq"]
    assert "iop-preview-problems" in edited["faq"] and "[language]" in edited["faq"]

    # The fix clears the problem; the template edit, held back with the page, now shows.
    assert "said the addict" not in fixed["faq"]
    assert "zqxtemplate" in fixed["faq"]
    assert "docs/faq.md" not in fixed["stderr"]
    assert "iop-preview-problems" not in fixed["faq"]

    # A bibliography edit is checked although no page changed, and undoing it clears it.
    renamed, restored = builds["renamed"], builds["restored"]
    report = renamed["error"] + renamed["stderr"]
    # The preview does not stop (issue 13): the problem is printed and shown on every page.
    assert renamed["error"] == ""
    assert "unknown citation key 'gottheil1998randomized'" in report
    assert "docs/faq.md:21" in report
    assert "iop-preview-problems" in renamed["faq"] and "docs/faq.md:21" in renamed["faq"]
    assert "iop-preview-problems" not in restored["faq"]
    assert restored["error"] == ""
    assert "gottheil1998randomized" in restored["faq"]

    # A rules edit applies to unchanged pages.
    assert "docs/faq.md" in builds["rules"]["stderr"] and "weeks" in builds["rules"]["stderr"]
