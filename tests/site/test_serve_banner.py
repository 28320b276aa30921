"""`make serve` never stops for a content mistake: every page shows a banner of the problems.

Starts the real `make serve` in a copy of the project with a mistake already there, reads the
banner, makes another mistake, waits for the rebuild, and fixes both. Then, once there is a good
version: a mistake keeps the last good page text on screen (with the banner saying why), a
security finding and a broken mkdocs.yml reach the banner too, and fixing them shows the new text.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
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


def test_a_mistake_keeps_the_last_good_pages_and_the_banner_lists_it(tmp_path: Path) -> None:
    project = runnable_copy(tmp_path / "project")
    faq = project / "docs" / "faq.md"
    config = project / "mkdocs.yml"
    good_config = config.read_text()
    old = "Ask each program about its own rules."
    new = "Ask each program how it runs its groups."
    port = free_port()
    proc = subprocess.Popen(
        ["make", "serve", f"SERVE_ADDR=127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/faq/"
    try:
        text = wait_for(url, lambda t: old in t, "the first build was not served")
        assert "iop-preview-problems" not in text

        # A content mistake with a new sentence: the banner names it, the old text stays.
        edit(faq, old, f"{new} Some addicts go.")
        text = wait_for(url, lambda t: "[language]" in t, "the banner did not list the mistake")
        assert old in text and new not in text, "the page with the mistake was served"
        assert "Your newest changes are not shown: this preview shows the pages as they were" in (
            text
        )
        assert "docs/faq.md:12:" in text
        home = page(f"http://127.0.0.1:{port}/")
        assert "[language]" in home and "Your newest changes are not shown" in home

        # A finding of the security check of the built pages (a phone link that calls another
        # number than it shows) reaches the banner too.
        faq.write_text(
            faq.read_text().replace(f"{new} Some addicts go.", new)
            + "\nCall [1-800-662-4357](tel:+18006624358).\n"
        )
        text = wait_for(url, lambda t: "[tel-mismatch]" in t, "no security finding on the banner")
        assert "[language]" not in text
        assert old in text and new not in text

        # A file the publishing rules refuse (used to stop the preview at once): left out of
        # the preview, never read, and listed.
        faq.write_text(faq.read_text().replace("\nCall [1-800-662-4357](tel:+18006624358).\n", ""))
        tool = project / "docs" / "tool.exe"
        tool.write_bytes(b"MZ not a page")
        text = wait_for(url, lambda t: "[file-type]" in t, "no banner for a refused file")
        assert "docs/tool.exe: [file-type]" in text and "[tel-mismatch]" not in text
        assert old in text and new not in text
        try:
            page(f"http://127.0.0.1:{port}/tool.exe")
            raise AssertionError("the refused file was published in the preview")
        except urllib.error.HTTPError as error:
            assert error.code == 404
        tool.unlink()

        # mkdocs.yml that cannot be read: the build stops, the server is not stuck.
        config.write_text(good_config.replace("site_name: IOP Guide", "site_name: IOP: Guide", 1))
        text = wait_for(url, lambda t: "[yaml-syntax]" in t, "no banner for a broken mkdocs.yml")
        assert "mkdocs.yml:" in text and old in text and new not in text
        assert proc.poll() is None, "make serve stopped"

        # Everything fixed: the new text, no banner.
        config.write_text(good_config)
        text = wait_for(url, lambda t: new in t, "the fixed page was not served")
        assert old not in text and "Your newest changes are not shown" not in text
        # Only a warning may remain: the Spanish translation of the page is now out of date.
        for rule in ("language", "tel-mismatch", "file-type", "yaml-syntax"):
            assert f"[{rule}]" not in text, rule
        assert proc.poll() is None, "make serve stopped"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def test_a_broken_mkdocs_yml_at_start_does_not_stop_the_preview(tmp_path: Path) -> None:
    project = runnable_copy(tmp_path / "project")
    config = project / "mkdocs.yml"
    good = config.read_text()
    config.write_text(good.replace("site_name: IOP Guide", "site_name: IOP: Guide", 1))
    line = good.splitlines().index("site_name: IOP Guide") + 1
    port = free_port()
    proc = subprocess.Popen(
        ["make", "serve", f"SERVE_ADDR=127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/faq/"
    try:
        text = wait_for(url, lambda t: "[yaml-syntax]" in t, "no page naming the YAML mistake")
        assert f"mkdocs.yml:{line}:" in text
        assert "mkdocs.yml cannot be read, so nothing can be built yet" in text
        assert proc.poll() is None, "make serve stopped"

        config.write_text(good)
        text = wait_for(url, lambda t: "Frequently asked questions" in t, "the site never came")
        assert "iop-preview-problems" not in text
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
