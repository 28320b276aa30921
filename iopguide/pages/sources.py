"""The sources a page cites, for its JSON-LD ``citation``: each cited entry of bibliography.bib as
a schema.org CreativeWork with only what identifies it (type, title, DOI link or web address);
the rest cost up to 1.2 KB gzip per page (issue 7) and is in the References readers see."""

from __future__ import annotations

from typing import Any

from iopguide.citations.bib import Bibliography
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
    """Citation keys in reading order, each once, found by the citation checker's scanner."""
    return list(dict.fromkeys(item.key for block in scan(markdown).blocks for item in block.items))


def creative_work(key: str, bib: Bibliography) -> dict[str, Any] | None:
    """One entry as a schema.org CreativeWork (or subtype); None if the key is unknown."""
    entry = bib.data.entries.get(key)
    if entry is None:
        return None
    fields = entry.fields
    work: dict[str, Any] = {"@type": _TYPES.get(entry.type, "CreativeWork")}
    if "title" in fields:
        work["name"] = to_text(fields["title"])
    if doi := clean_url(fields.get("doi", "")):
        work["url"] = f"https://doi.org/{doi}"
    elif links := urls(fields.get("url", "")):
        work["url"] = links[0]
    return work


def citations(markdown: str, bib: Bibliography | None) -> list[dict[str, Any]]:
    """CreativeWorks for every known source the page cites, in reading order (unknown keys are
    the citation check's to report)."""
    works = (creative_work(key, bib) for key in cited_keys(markdown)) if bib else ()
    return [work for work in works if work is not None]
