"""The sources a page cites, for the ``citation`` property of its JSON-LD.

Reads the page's own Markdown for ``[@key]`` citations (Pandoc syntax, as mkdocs-bibtex uses) and
describes each cited entry of bibliography.bib as a schema.org CreativeWork. Keys that are not in
the bibliography are left out here: the citation checker reports them to editors.

Each work carries only what identifies it: its type, its title (``name``) and its DOI link (or
its web address) as ``url``. Authors, year, journal and pages are in the References list that
readers see and in the record behind the DOI; repeating them in every page's JSON-LD cost up to
1.2 KB gzip per page on the longest pages (issue 7, repeat view <= 10 KB).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from iopguide.citations.bib import Bibliography
from iopguide.citations.bib import load_bibliography as read_checked
from iopguide.citations.latex import clean_url, to_text, urls
from iopguide.citations.scan import scan

_TYPES = {
    "article": "ScholarlyArticle",
    "book": "Book",
    "inbook": "Book",
    "incollection": "Book",
    "online": "WebPage",
    "misc": "CreativeWork",
}


def cited_keys(markdown: str) -> list[str]:
    """Citation keys in reading order, each once, found by the citation checker's own scanner
    (so code, comments and links count here exactly as they do there)."""
    keys = (item.key for block in scan(markdown).blocks for item in block.items)
    return list(dict.fromkeys(keys))


def load_bibliography(path: Path) -> Bibliography | None:
    """The bibliography as the citation check reads it, or None if pybtex cannot read it (the
    citation check reports why; JSON-LD then goes without citations)."""
    return read_checked(path, path.parent)[0]


def creative_work(key: str, bib: Bibliography) -> dict[str, Any] | None:
    """One bibliography entry as a schema.org CreativeWork (or subtype): type, title and link;
    None if the key is unknown."""
    entry = bib.data.entries.get(key)
    if entry is None:
        return None
    fields = entry.fields
    work: dict[str, Any] = {"@type": _TYPES.get(entry.type, "CreativeWork")}
    if "title" in fields:
        work["name"] = to_text(fields["title"])
    doi = clean_url(fields.get("doi", ""))
    if doi:
        work["url"] = f"https://doi.org/{doi}"
    elif links := urls(fields.get("url", "")):
        work["url"] = links[0]
    return work


def citations(markdown: str, bib: Bibliography | None) -> list[dict[str, Any]]:
    """CreativeWorks for every known source the page cites, in reading order."""
    if bib is None:
        return []
    works = (creative_work(key, bib) for key in cited_keys(markdown))
    return [work for work in works if work is not None]
