"""The Sources page: every entry of bibliography.bib, sorted by first author and year.

Entries whose DOI is still ``pending`` in dois.lock.json are left out until it is confirmed.
"""

from __future__ import annotations

from collections.abc import Collection

from iopguide.citations.scan import PLACEHOLDER
from iopguide.citations.style import ReferenceFormatter

#: The line in docs/sources.md that the full list replaces (mkdocs-bibtex's own command name,
#: so the page still renders a list if our hook is ever removed).
SOURCES_MARKER = "\\full_bibliography"


def anchor(key: str) -> str:
    """Stable anchor of an entry on the Sources page."""
    return f"ref-{key}"


def sources_markdown(formatter: ReferenceFormatter, hidden: Collection[str] = ()) -> str:
    """A Markdown list (one item per entry, each with ``id="ref-<key>"`` via attr_list),
    without the ``hidden`` keys (sources not confirmed yet)."""
    keys = sorted((k for k in formatter.bib.keys if k not in hidden), key=formatter.sort_key)
    items = []
    for key in keys:
        text = formatter.reference(key).replace("@", PLACEHOLDER)
        items.append(f"- {text}\n{{: #{anchor(key)} }}")
    return "\n".join(items) + "\n"
