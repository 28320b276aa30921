"""Everything IOP Guide relies on in mkdocs-bibtex (4.4.0), which has no setting for our own
formatter: :func:`use_formatter` wraps its registry; :func:`check_plugin` names the upgrade that
breaks this (tests/unit/citations/test_bibtex_adapter.py)."""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import version
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs_bibtex.plugin import BibTexPlugin
from mkdocs_bibtex.registry import ReferenceRegistry

from iopguide.citations import BIB, MESSAGES, words
from iopguide.report import format_problem

#: The version this adapter was written against (requirements.in pins it).
TESTED_VERSION = "4.4.0"
#: What the plugin's registry must offer: the methods its on_page_markdown calls.
REGISTRY_METHODS = (
    "validate_citation_blocks",
    "validate_inline_references",
    "inline_text",
    "reference_text",
)


def bib_file(config: Any) -> str | None:
    """The ``bib_file`` setting of the bibtex plugin (relative to mkdocs.yml), or None (also
    when MkDocs stopped before the plugins: project.config_despite_mistakes without docs/)."""
    plugin = config.plugins.get("bibtex") if isinstance(config.plugins, dict) else None
    value = getattr(getattr(plugin, "config", None), "bib_file", None)
    return str(value) if value else None


def bib_name(config: Any) -> str:
    """The bibliography of ``config``'s project, relative to mkdocs.yml: :func:`bib_file`, else
    ``bibliography.bib`` (no bibtex plugin, or none MkDocs validated)."""
    return bib_file(config) or BIB


class HouseRegistry:
    """The plugin's own registry for everything, our formatter for the reference text."""

    def __init__(self, inner: ReferenceRegistry, reference_text: Callable[[Any], str]) -> None:
        self.inner = inner
        self.reference_text = reference_text

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def check_plugin(plugin: Any) -> ReferenceRegistry:
    """The plugin's own registry (after its ``on_config``), or a clear error."""
    registry = getattr(plugin, "registry", None)
    if isinstance(registry, HouseRegistry):  # a rebuild with an unchanged bibliography
        registry = registry.inner
    if not isinstance(plugin, BibTexPlugin):
        what = words("not-the-plugin")
    elif not isinstance(registry, ReferenceRegistry):
        what = words("no-registry")
    elif set(ReferenceRegistry.__abstractmethods__) != set(REGISTRY_METHODS):
        what = words("registry-methods", methods=", ".join(REGISTRY_METHODS))
    else:
        return registry
    values = {"version": version("mkdocs-bibtex"), "tested": TESTED_VERSION, "what": what}
    problem = MESSAGES.say("requirements.in", None, "bibtex-adapter", **values)  # pinned there
    raise PluginError(format_problem(problem))


def use_formatter(config: Any, reference_text: Callable[[Any], str]) -> None:
    """Make the bibtex plugin write ``reference_text(citation)`` for every reference."""
    plugin = config.plugins.get("bibtex")
    plugin.registry = HouseRegistry(check_plugin(plugin), reference_text)
