"""Valid HTML: the Nu Html Checker (vnu, the W3C validator) finds no error on any built page.

vnu comes from npm (``vnu-jar``, pinned in package.json; ``npm ci`` installs it into node_modules/)
and runs on the machine's Java. Theme output that vnu rejects is fixed in the page hook
(iopguide/pages/html.py).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from iopguide import ROOT
from tests.helpers import BuildResult

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "Java is not installed; the HTML validity test runs the Nu Html Checker on Java. "
            "Install it with 'sudo apt-get install -y default-jre-headless'.",
            pytrace=False,
        )
    if not VNU_JAR.exists():
        hint = (
            "run 'npm ci --ignore-scripts' in the project folder"
            if shutil.which("npm")
            else "install Node.js and npm ('sudo apt-get install -y nodejs npm'), then run "
            "'npm ci --ignore-scripts' in the project folder"
        )
        pytest.fail(f"The Nu Html Checker is missing ({VNU_JAR}): {hint}.", pytrace=False)
    return [java, "-jar", str(VNU_JAR)]


def vnu_errors(files: list[Path]) -> list[dict]:
    """vnu's error messages for the given HTML files."""
    proc = subprocess.run(
        [*_vnu_command(), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(proc.stderr or proc.stdout)
    errors = [m for m in report["messages"] if m.get("type") in {"error", "non-document-error"}]
    assert proc.returncode == (1 if errors else 0), proc.stderr[-2000:]
    return errors


#: A page with the one theme error the page hook removes (autocomplete on a checkbox).
THEME_ERROR_PAGE = (
    '<!doctype html><html lang="en"><head><title>t</title></head><body>'
    '<input type="checkbox" id="x" autocomplete="off"><label for="x">x</label></body></html>'
)


@pytest.fixture(scope="module")
def vnu_report(real_site: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One run of vnu (one Java start, several seconds) on every built page and on the page with
    the theme error; each test reads its own files' errors."""
    sample = tmp_path_factory.mktemp("vnu") / "theme-error.html"
    sample.write_text(THEME_ERROR_PAGE, encoding="utf-8")
    files = sorted(real_site.site_dir.rglob("*.html"))
    by_file: dict[Path, list[dict]] = {path.resolve(): [] for path in [*files, sample]}
    for error in vnu_errors([*files, sample]):
        by_file.setdefault(Path(error["url"].removeprefix("file:")).resolve(), []).append(error)
    return {"site": files, "sample": sample, "errors": by_file}


def test_every_page_is_valid_html(real_site: BuildResult, vnu_report: dict) -> None:
    files = vnu_report["site"]
    assert len(files) >= 17
    sample = vnu_report["sample"].resolve()
    errors = [e for path, found in vnu_report["errors"].items() if path != sample for e in found]
    lines = [
        f"{Path(e['url'].removeprefix('file:')).relative_to(real_site.site_dir)}"
        f":{e.get('lastLine', '?')}: {e['message']}"
        for e in errors
    ]
    assert not errors, f"{len(errors)} vnu errors:\n" + "\n".join(lines[:50])


def test_vnu_reports_the_theme_error_we_fix(vnu_report: dict) -> None:
    """The checker does catch the error the page hook removes (autocomplete on a checkbox)."""
    errors = vnu_report["errors"][vnu_report["sample"].resolve()]
    assert len(errors) == 1 and "autocomplete" in errors[0]["message"], errors
