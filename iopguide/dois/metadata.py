"""The four fields we compare for every DOI, and how we compare them.

Titles and names are written differently in BibTeX (``{PTSD}``, ``{\\"o}``, ``\\&``), in Crossref
(``<i>...</i>``, ``&amp;``, Unicode) and by hand. BibTeX fields are read as text the one way the
site renders them (iopguide/citations/latex.py); we compare a normalized form: HTML markup
removed, accents dropped, case folded, punctuation and spacing ignored, ``&`` read as "and".
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from iopguide.citations.latex import to_text
from iopguide.citations.style import family_name
from iopguide.dois.bib import BibEntry

#: The compared fields, in the order they are reported, with the words editors see.
FIELDS: dict[str, str] = {
    "title": "title",
    "first_author": "first author's family name",
    "year": "year",
    "journal": "journal",
}

#: The BibTeX field an editor changes to fix each compared field.
BIB_FIELD = {"title": "title", "first_author": "author", "year": "year", "journal": "journal"}


def canonical_doi(doi: str) -> str:
    """DOIs are case-insensitive: compare and store them in lower case."""
    return doi.strip().lower()


_TAG = re.compile(r"<[^>]+>")
_NON_WORD = re.compile(r"[^\w]+")


def normalize(value: object) -> str:
    """The comparable form of a title, name or journal."""
    if value is None:
        return ""
    text = str(value)
    text = html.unescape(_TAG.sub(" ", text))
    text = text.replace("&", " and ")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NON_WORD.sub(" ", text.casefold()).replace("_", " ")
    words = text.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True)
class Metadata:
    """The compared fields of one work, in readable form (not normalized)."""

    title: str | None
    first_author: str | None
    year: int | None
    journal: str | None


def _year(value: str | None) -> int | None:
    if not value:
        return None
    match = re.search(r"\d{4}", value)
    return int(match.group(0)) if match else None


def from_bib(entry: BibEntry) -> Metadata:
    people = entry.entry.persons.get("author") or entry.entry.persons.get("editor")
    return Metadata(
        title=to_text(entry.get("title") or "") or None,
        first_author=family_name(people[0]) if people else None,
        year=_year(entry.get("year") or entry.get("date")),
        journal=to_text(entry.get("journal") or entry.get("journaltitle") or "") or None,
    )


def squeeze(value: object) -> str:
    """Normalized, without spaces: "post-traumatic" and "posttraumatic" compare equal."""
    return normalize(value).replace(" ", "")


def same(field_name: str, left: object, right: object) -> bool:
    if field_name == "year":
        return left == right
    if field_name == "title" and left and right:
        return same_title(str(left), str(right))
    return squeeze(left) == squeeze(right)


def same_title(ours: str | None, title: str | None, subtitle: str | None = None) -> bool:
    """Do two titles name the same work? One side may leave out the subtitle (after ':').

    Crossref often keeps the subtitle in its own field, or leaves it out; bibliographies differ
    too. Two different subtitles under the same main title do not match.
    """
    if not ours or not title:
        return False
    theirs_full = {squeeze(title)}
    if subtitle:
        theirs_full.add(squeeze(f"{title}: {subtitle}"))
    ours_full = squeeze(ours)
    ours_main = squeeze(ours.split(":", 1)[0]) if ":" in ours else None
    theirs_main = squeeze(title.split(":", 1)[0]) if ":" in title else None
    return ours_full in theirs_full or ours_full == theirs_main or ours_main in theirs_full


def mismatched_fields(bib: Metadata, recorded: Metadata) -> list[str]:
    """Names of the fields whose normalized values differ."""
    return [name for name in FIELDS if not same(name, getattr(bib, name), getattr(recorded, name))]
