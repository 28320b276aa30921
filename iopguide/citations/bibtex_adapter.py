"""Everything IOP Guide relies on in mkdocs-bibtex (4.4.0), in one place.

mkdocs-bibtex renders ``[@key]`` as footnotes; our citation layer checks the citations first and
formats the references (AMA) itself. The plugin has no public setting for a formatter of our
own, so this module is the one place that reaches into it:

- the plugin is registered as ``bibtex`` and has a ``bib_file`` setting;
- its ``on_config`` builds ``plugin.registry``, a :class:`~mkdocs_bibtex.registry.ReferenceRegistry`
  whose ``reference_text(citation)`` gives the text of each footnote; its ``on_page_markdown``
  calls it for every cited key (``bib_by_default``) and for the full list.

:func:`use_formatter` puts :class:`HouseRegistry` in the plugin's place: the plugin's own registry
for everything else, our formatter for the reference text. :func:`check_plugin` says clearly,
naming the upgrade, when mkdocs-bibtex no longer works this way (tests/unit/citations/
test_bibtex_adapter.py runs it against the installed version). The same test checks the three
things the checks copy from the plugin without importing it: how it finds a citation bracket
(``scan._PLUGIN_BRACKET_RE``), which keys it reads (``bib.CITABLE_KEY_RE``) and its
``\\full_bibliography`` command (``sources.SOURCES_MARKER``).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import version
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs_bibtex.plugin import BibTexPlugin
from mkdocs_bibtex.registry import ReferenceRegistry

#: The version this adapter was written against (requirements.in pins it).
TESTED_VERSION = "4.4.0"
#: What the plugin's registry must offer: the methods its on_page_markdown calls.
REGISTRY_METHODS = (
    "validate_citation_blocks",
    "validate_inline_references",
    "inline_text",
    "reference_text",
)


def plugin_of(config: Any) -> Any:
    """The bibtex plugin of a loaded configuration, or None."""
    return config.plugins.get("bibtex")


def bib_file(config: Any) -> str | None:
    """The ``bib_file`` setting of the bibtex plugin (relative to mkdocs.yml), or None."""
    plugin = plugin_of(config)
    value = getattr(getattr(plugin, "config", None), "bib_file", None)
    return str(value) if value else None


def _changed(what: str) -> PluginError:
    return PluginError(
        f"mkdocs-bibtex {version('mkdocs-bibtex')} (IOP Guide was written for "
        f"{TESTED_VERSION}) changed what iopguide/citations/bibtex_adapter.py relies on: {what}. "
        "Fix: pin mkdocs-bibtex to the tested version in requirements.in and requirements.txt, "
        "or update the adapter and its test (tests/unit/citations/test_bibtex_adapter.py)."
    )


class HouseRegistry(ReferenceRegistry):  # type: ignore[misc]  # mkdocs-bibtex is untyped
    """The plugin's own registry for everything, our formatter for the reference text."""

    def __init__(self, inner: ReferenceRegistry, reference_text: Callable[[Any], str]) -> None:
        # No super().__init__(): it would parse the bibliography again; ``inner`` has.
        self.inner = inner
        self.bib_data = inner.bib_data
        self.footnote_format = inner.footnote_format
        self.formatter = reference_text

    def validate_citation_blocks(self, citation_blocks: Any) -> None:
        self.inner.validate_citation_blocks(citation_blocks)

    def validate_inline_references(self, inline_references: Any) -> Any:
        return self.inner.validate_inline_references(inline_references)

    def inline_text(self, citation_block: Any) -> str:
        return str(self.inner.inline_text(citation_block))

    def reference_text(self, citation: Any) -> str:
        return self.formatter(citation)


def check_plugin(plugin: Any) -> ReferenceRegistry:
    """The plugin's own registry, after its ``on_config``; a clear error when the plugin is not
    what this adapter was written for."""
    if not isinstance(plugin, BibTexPlugin):
        raise _changed("the 'bibtex' plugin is not mkdocs_bibtex.plugin.BibTexPlugin")
    registry = getattr(plugin, "registry", None)
    if isinstance(registry, HouseRegistry):  # a rebuild with an unchanged bibliography
        registry = registry.inner
    if not isinstance(registry, ReferenceRegistry):
        raise _changed("the plugin no longer keeps a ReferenceRegistry in 'registry'")
    if set(ReferenceRegistry.__abstractmethods__) != set(REGISTRY_METHODS):
        raise _changed(f"a registry's methods are no longer {', '.join(REGISTRY_METHODS)}")
    return registry


def use_formatter(config: Any, reference_text: Callable[[Any], str]) -> None:
    """Make the bibtex plugin write ``reference_text(citation)`` for every reference.

    Called in ``on_pre_build``, after the plugin built its registry in its ``on_config``."""
    plugin = plugin_of(config)
    plugin.registry = HouseRegistry(check_plugin(plugin), reference_text)
