"""Fixtures shared by every suite.

- ``real_site``: the real project built once per test session with ``mkdocs build --strict``.
- ``site_url``: that build served on 127.0.0.1.
- ``browser``: real headless Chromium (Debian's ``/usr/bin/chromium``) driven by Playwright.

Browser tests never skip. If Chromium is missing they fail with an install hint. To run the other
tests without a browser, leave them out with pytest's own marker selection,
``pytest -m "not browser"`` (pytest then reports them as deselected); CI refuses that, since it
sets ``IOPGUIDE_REQUIRE_BROWSER=1``.

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


def pytest_configure(config: pytest.Config) -> None:
    # In CI every browser test must run: a marker expression that names them (-m "not browser")
    # stops the whole run before any test starts.
    in_ci = os.environ.get("IOPGUIDE_REQUIRE_BROWSER") == "1" or os.environ.get("CI")
    if in_ci and "browser" in (config.option.markexpr or ""):
        raise pytest.UsageError(
            f"-m {config.option.markexpr!r} is not allowed in CI: browser tests must run"
        )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Browser tests run last: Playwright's session-wide browser keeps an asyncio loop running,
    # which would break later tests that call asyncio.run(). Under pytest-xdist this still holds
    # in each process: the scheduler hands every process its tests in this order.
    items.sort(key=lambda item: "browser" in item.keywords)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A real headless Chromium (a Playwright ``Browser``), shared by the session.

    Tests open their own ``browser.new_context(viewport=..., color_scheme=...)``.
    """
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}. Browser tests need it: run "
            "'sudo apt-get install -y chromium' (Debian/Ubuntu), or set CHROMIUM_PATH. "
            'To run the other tests without a browser: pytest -m "not browser".',
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
