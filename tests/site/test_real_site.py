"""The real site builds strictly and every page in the navigation renders."""

from __future__ import annotations

from iopguide import ROOT, project
from tests.helpers import BuildResult


def _nav_files(nav: list) -> list[str]:
    files: list[str] = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            files += _nav_files(value)
        else:
            files.append(value)
    return files


def test_strict_build_has_no_warnings(real_site: BuildResult) -> None:
    assert "WARNING" not in real_site.output, real_site.output


def test_every_nav_page_renders(real_site: BuildResult) -> None:
    nav = _nav_files(project.load_config(ROOT)["nav"])
    assert len(nav) >= 15
    for md in nav:
        url = "" if md == "index.md" else md.removesuffix(".md") + "/"
        html = real_site.page(url)
        assert "<h1" in html, f"{md} has no heading"
        assert "This page is being written" not in html, f"{md} is still a placeholder"
