"""The citation and content hooks of one build report their problems together, once."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from iopguide import ROOT
from iopguide.content.hooks import BOTH_HEADING
from iopguide.project import load_config
from tests.site.content_site import make_site

BIB = """@article{mccarty2014fixture,
  author = {McCarty, Dan}, title = {T}, journal = {J}, year = {2014}
}
"""


def _site(tmp_path: Path) -> Path:
    site = make_site(tmp_path / "project")
    (site / "bibliography.bib").write_text(BIB, encoding="utf-8")
    hooks = "".join(
        f"  - {(ROOT / 'overrides' / 'hooks' / name).as_posix()}\n"
        for name in ("citations.py", "content.py")
    )
    text = (site / "mkdocs.yml").read_text(encoding="utf-8").split("hooks:")[0]
    (site / "mkdocs.yml").write_text(
        text + "plugins:\n  - bibtex:\n      bib_file: bibliography.bib\n"
        "      enable_inline_citations: false\n"
        "markdown_extensions:\n  - footnotes\n"
        f"hooks:\n{hooks}",
        encoding="utf-8",
    )
    return site


def test_a_citation_and_a_content_mistake_in_one_report(tmp_path: Path) -> None:
    site = _site(tmp_path)
    page = site / "docs" / "second.md"
    page.write_text(
        page.read_text().replace("Groups meet", "An addict meets [@mccarty2041fixture]")
    )
    config = load_config(site)
    config = config.plugins.on_config(config)
    with pytest.raises(PluginError) as caught:
        config.plugins.on_pre_build(config=config)
    report = str(caught.value)
    assert report.startswith(BOTH_HEADING + "\n")
    assert "docs/second.md:11:" in report and "[language]" in report
    assert "[citation-unknown-key] unknown citation key 'mccarty2041fixture'" in report
    assert report.endswith("Found 2 errors.")
    # The next build starts with nothing handed over: a good page builds.
    page.write_text(
        page.read_text().replace("An addict meets [@mccarty2041fixture]", "Groups meet")
    )
    config = load_config(site)
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)


def test_a_citation_mistake_alone_keeps_its_own_heading(tmp_path: Path) -> None:
    site = _site(tmp_path)
    page = site / "docs" / "second.md"
    page.write_text(page.read_text().replace("Groups meet", "Groups [@nobody2020x] meet"))
    config = load_config(site)
    config = config.plugins.on_config(config)
    with pytest.raises(PluginError) as caught:
        config.plugins.on_pre_build(config=config)
    assert str(caught.value).startswith("Citation problems; the site was not built:\n")
    assert "[citation-unknown-key]" in str(caught.value)
