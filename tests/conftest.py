"""Fixtures shared by every suite.

- ``real_site``: the real project built once per test session with ``mkdocs build --strict``.
- ``site_url``: that build served on 127.0.0.1.
- ``browser``: real headless Chromium (Debian's ``/usr/bin/chromium``) driven by Playwright.

Browser tests never skip silently. If Chromium is missing they fail with an install hint, unless
the user opts out with ``IOPGUIDE_SKIP_BROWSER=1`` (refused in CI, where
``IOPGUIDE_REQUIRE_BROWSER=1``).

``make test`` runs the tests in parallel processes (pytest-xdist, ``-n``). Each process builds the
real site and starts Chromium once, in its own temporary folder; servers take free ports. A plain
``pytest`` runs in one process.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from iopguide import ROOT, chromium
from tests.helpers import BuildResult, build, serve_directory

CHROMIUM = chromium.CHROMIUM
CHROMIUM_ARGS = chromium.ARGS


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The real site, built strictly once for the whole test session."""
    site_dir = tmp_path_factory.mktemp("real-site")
    result = build(ROOT, site_dir)
    assert result.returncode == 0, f"the real site does not build:\n{result.output}"
    return result


@pytest.fixture(scope="session")
def site_url(real_site: BuildResult) -> Iterator[str]:
    with serve_directory(real_site.site_dir) as url:
        yield url


def _browser_opt_out() -> bool:
    if os.environ.get("IOPGUIDE_SKIP_BROWSER") == "1":
        if os.environ.get("IOPGUIDE_REQUIRE_BROWSER") == "1" or os.environ.get("CI"):
            raise pytest.UsageError("IOPGUIDE_SKIP_BROWSER=1 is not allowed in CI")
        return True
    return False


def pytest_configure(config: pytest.Config) -> None:
    # Checked here as well as at collection: under pytest-xdist only the worker processes
    # collect, and the refusal must stop the whole run before any test starts.
    _browser_opt_out()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Browser tests run last: Playwright's session-wide browser keeps an asyncio loop running,
    # which would break later tests that call asyncio.run(). Under pytest-xdist this still holds
    # in each process: the scheduler hands every process its tests in this order.
    items.sort(key=lambda item: "browser" in item.keywords)
    if not _browser_opt_out():
        return
    skip = pytest.mark.skip(reason="browser tests opted out with IOPGUIDE_SKIP_BROWSER=1")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A real headless Chromium (a Playwright ``Browser``), shared by the session.

    Tests open their own ``browser.new_context(viewport=..., color_scheme=...)``.
    """
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}. Browser tests need it: run "
            "'sudo apt-get install -y chromium' (Debian/Ubuntu), or set CHROMIUM_PATH. "
            "To run the other tests without a browser, set IOPGUIDE_SKIP_BROWSER=1.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    # Playwright gives every launch a fresh, temporary user-data dir of its own.
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()
