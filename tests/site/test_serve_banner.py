"""`make serve` never stops for a content mistake: every page shows a banner of the problems.

Starts the real `make serve` in a copy of the project with a mistake already there, reads the
banner, makes another mistake, waits for the rebuild, and fixes both.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.site.test_check import edit, runnable_copy
from tests.site.test_documented_commands import free_port

pytestmark = pytest.mark.slow


def page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return answer.read().decode("utf-8")


def wait_for(url: str, test, what: str, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        try:
            text = page(url)
            if test(text):
                return text
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{what} within {seconds} s; last page:\n{text[:3000]}")


def test_a_mistake_shows_in_a_banner_and_the_preview_keeps_running(tmp_path: Path) -> None:
    project = runnable_copy(tmp_path / "project")
    faq = project / "docs" / "faq.md"
    # A mistake present at start (a citation problem used to stop `make serve` at once).
    edit(faq, "[@mccarty2014substance]", "[@mcarty2014substance]")
    port = free_port()
    proc = subprocess.Popen(
        ["make", "serve", f"SERVE_ADDR=127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, ended below by its id
    )
    url = f"http://127.0.0.1:{port}/faq/"
    try:
        text = wait_for(url, lambda t: "iop-preview-problems" in t, "no banner at start")
        assert "Preview only: " in text
        assert "docs/faq.md:35:45: [citation-unknown-key] unknown citation key " in text
        # The banner is on every page, not only the one with the mistake.
        assert "citation-unknown-key" in page(f"http://127.0.0.1:{port}/")

        edit(faq, "(questions-to-ask.md)", "(questions-to-aks.md)")
        text = wait_for(url, lambda t: "link-missing-page" in t, "the banner did not update")
        assert "docs/faq.md:13:30: [link-missing-page] The link &#x27;questions-to-aks.md" in text

        faq.write_text(
            faq.read_text()
            .replace("[@mcarty2014substance]", "[@mccarty2014substance]")
            .replace("(questions-to-aks.md)", "(questions-to-ask.md)")
        )
        text = wait_for(url, lambda t: "iop-preview-problems" not in t, "the banner stayed")
        assert "Frequently asked questions" in text
        assert proc.poll() is None, "make serve stopped"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
