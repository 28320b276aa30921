"""What IOP Guide relies on in mkdocs-bibtex, checked against the installed version.

If one of these fails after an upgrade of mkdocs-bibtex, the upgrade changed how the plugin
builds its registry or formats references: see iopguide/citations/bibtex_adapter.py.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import PluginError

from iopguide import project
from iopguide.citations import bibtex_adapter

BIB = """@article{mccarty2014fixture,
  author = {McCarty, Dan}, title = {A title}, journal = {J}, year = {2014}
}
"""


def _config(tmp_path: Path) -> Any:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "bibliography.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - bibtex:\n      bib_file: bibliography.bib\n"
        "      footnote_format: '{key}'\n      enable_inline_citations: false\n",
        encoding="utf-8",
    )
    config = project.load_config(tmp_path)
    return config.plugins.on_config(config)  # the plugin builds its registry here


def test_the_installed_version_is_the_tested_one() -> None:
    assert version("mkdocs-bibtex") == bibtex_adapter.TESTED_VERSION, (
        "mkdocs-bibtex was upgraded: run this file's other tests, then update TESTED_VERSION "
        "in iopguide/citations/bibtex_adapter.py"
    )


def test_the_plugin_writes_our_reference_text(tmp_path: Path) -> None:
    config = _config(tmp_path)
    assert bibtex_adapter.bib_file(config) == "bibliography.bib"
    seen = []

    def reference_text(citation: Any) -> str:
        seen.append(citation.key)
        return f"Our text for {citation.key}."

    bibtex_adapter.use_formatter(config, reference_text)
    plugin = config.plugins["bibtex"]
    markdown = plugin.on_page_markdown("Claim [@mccarty2014fixture].\n", None, config, None)
    assert seen == ["mccarty2014fixture"]
    assert "Claim [^mccarty2014fixture]." in markdown
    assert "[^mccarty2014fixture]: Our text for mccarty2014fixture." in markdown
    # A rebuild whose bibliography did not change keeps the plugin's registry: not wrapped twice.
    bibtex_adapter.use_formatter(config, reference_text)
    assert plugin.registry.inner is not None
    assert not isinstance(plugin.registry.inner, bibtex_adapter.HouseRegistry)


def test_a_changed_plugin_is_named_with_its_version(tmp_path: Path) -> None:
    config = _config(tmp_path)
    config.plugins["bibtex"].registry = object()  # as if an upgrade kept it elsewhere
    with pytest.raises(PluginError) as caught:
        bibtex_adapter.use_formatter(config, str)
    message = str(caught.value)
    assert message.startswith(
        f"requirements.in: [bibtex-adapter] mkdocs-bibtex {version('mkdocs-bibtex')}"
    )
    assert "iopguide/citations/bibtex_adapter.py" in message and "Fix: pin" in message


def test_what_our_citation_scanner_copies_from_the_plugin() -> None:
    """The scanner and the key check copy how mkdocs-bibtex reads a citation (without importing
    the plugin in every check); an upgrade that reads citations otherwise fails here."""
    from mkdocs_bibtex import citation
    from mkdocs_bibtex.config import BibTexConfig

    from iopguide.citations.bib import CITABLE_KEY_RE
    from iopguide.citations.scan import _PLUGIN_BRACKET_RE
    from iopguide.citations.style import SOURCES_MARKER

    upgrade = f"mkdocs-bibtex {version('mkdocs-bibtex')} reads citations differently"
    assert citation.CITATION_BLOCK_REGEX.pattern == _PLUGIN_BRACKET_RE.pattern, upgrade
    assert "@(?P<key>[\\w-]+)" in citation.CITATION_REGEX.pattern, upgrade
    assert CITABLE_KEY_RE.pattern == "^[\\w-]+$"
    assert BibTexConfig.full_bib_command.default == SOURCES_MARKER, upgrade
