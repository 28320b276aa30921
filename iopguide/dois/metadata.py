"""The four fields we compare for every DOI, and how we compare them.

Titles and names are written differently in BibTeX (``{PTSD}``, ``{\\"o}``, ``\\&``), in Crossref
(``<i>...</i>``, ``&amp;``, Unicode) and by hand. We compare a normalized form: LaTeX and HTML
markup removed, accents dropped, case folded, punctuation and spacing ignored, ``&`` read as "and".
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from iopguide.dois.bib import BibEntry, first_author_family, latex_to_text

#: The compared fields, in the order they are reported, with the words editors see.
FIELDS: dict[str, str] = {
    "title": "title",
    "first_author": "first author's family name",
    "year": "year",
    "journal": "journal",
}

#: The BibTeX field an editor changes to fix each compared field.
BIB_FIELD = {"title": "title", "first_author": "author", "year": "year", "journal": "journal"}

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/[-._;()/:a-z0-9]+$", re.IGNORECASE)
#: Old Wiley DOIs contain characters outside Crossref's recommended set.
OLD_WILEY_PATTERN = re.compile(r"^10\.1002/\S+$", re.IGNORECASE)
_DOI_PREFIXES = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def doi_problem(doi: str) -> str | None:
    """Why a DOI is not well-formed (in editors' words), or None if it is fine."""
    if not doi:
        return "The doi field is empty"
    if _DOI_PREFIXES.match(doi):
        return f"The DOI {doi!r} starts with a web address or 'doi:'"
    if any(ch.isspace() for ch in doi):
        return f"The DOI {doi!r} contains a space"
    if DOI_PATTERN.match(doi) or OLD_WILEY_PATTERN.match(doi):
        return None
    return f"{doi!r} is not a well-formed DOI (a DOI looks like 10.1176/appi.ps.201300249)"


def doi_fix(doi: str) -> str:
    bare = _DOI_PREFIXES.sub("", doi).strip()
    if bare != doi and (DOI_PATTERN.match(bare) or OLD_WILEY_PATTERN.match(bare)):
        return f"write only the DOI itself: doi = {{{bare}}}"
    return (
        "copy the DOI again from the article's page or from PubMed; it starts with '10.' "
        "and has no spaces"
    )


def canonical_doi(doi: str) -> str:
    """DOIs are case-insensitive: compare and store them in lower case."""
    return doi.strip().lower()


_TAG = re.compile(r"<[^>]+>")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+\s*")
_NON_WORD = re.compile(r"[^\w]+")


def normalize(value: object) -> str:
    """The comparable form of a title, name or journal."""
    if value is None:
        return ""
    text = str(value)
    text = html.unescape(_TAG.sub(" ", text))
    text = _LATEX_COMMAND.sub(" ", text.replace("{", "").replace("}", ""))
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

    def as_record(self) -> dict[str, object]:
        return {
            "title": self.title,
            "first_author": self.first_author,
            "year": self.year,
            "journal": self.journal,
        }


def _year(value: str | None) -> int | None:
    if not value:
        return None
    match = re.search(r"\d{4}", value)
    return int(match.group(0)) if match else None


def from_bib(entry: BibEntry) -> Metadata:
    title = entry.get("title")
    journal = entry.get("journal") or entry.get("journaltitle")
    return Metadata(
        title=latex_to_text(title).strip() if title else None,
        first_author=first_author_family(entry.get("author") or entry.get("editor")),
        year=_year(entry.get("year") or entry.get("date")),
        journal=latex_to_text(journal).strip() if journal else None,
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
