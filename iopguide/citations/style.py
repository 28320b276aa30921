"""One reference style for the whole site: AMA (11th edition), a numeric medical style.

Example (a journal article with more than six authors)::

    McCarty D, Braude L, Lyman DR, et al. Substance abuse intensive outpatient programs:
    assessing the evidence. *Psychiatric Services*. 2014;65(6):718-726.
    doi:[10.1176/appi.ps.201300249](https://doi.org/10.1176/appi.ps.201300249)

(the page range is printed with an en dash).

Output is Markdown (it goes into footnote definitions and the Sources page). Each entry is
formatted once per build: :class:`ReferenceFormatter` keeps a cache keyed by entry key.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from pybtex.database import Entry, Person
from pybtex.richtext import Text

from iopguide.citations.bib import Bibliography

#: AMA lists up to 6 authors; with 7 or more, the first 3 and "et al".
MAX_AUTHORS = 6
ET_AL_AFTER = 3

#: Text with none of these needs no LaTeX decoding (a fast path: decoding is slow).
_LATEX_SPECIAL = re.compile(r"[\\{}~$]|--|``|''")
#: A bare % would start a LaTeX comment and cut the text ("50% of" -> "50"): keep it as text.
_BARE_PERCENT = re.compile(r"(?<!\\)%")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
EN_DASH = "\u2013"
_RANGE = re.compile(r"(?<=\w)\s*(?:-{1,3}|\u2013|\u2014)\s*(?=\w)")


def plain(latex: str) -> str:
    """LaTeX field text as plain Unicode: braces dropped, accents and dashes decoded."""
    if _LATEX_SPECIAL.search(latex):
        latex = str(Text.from_latex(_BARE_PERCENT.sub(r"\\%", latex)))
    return " ".join(latex.split())


def escape_md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def en_dash_range(text: str) -> str:
    """``718--726`` or ``3-5`` -> 718, en dash, 726 (AMA uses an en dash in ranges)."""
    return _RANGE.sub(EN_DASH, text)


def _initials(names: list[str]) -> str:
    letters = []
    for name in names:
        for part in re.split(r"[\s\-]+", plain(name)):
            part = part.strip(".")
            if part:
                letters.append(part[0].upper())
    return "".join(letters)


def format_person(person: Person) -> str:
    """``Lyman, D. Russell`` -> ``Lyman DR``; an organisation stays as written."""
    if [n.lower() for n in person.last_names] == ["others"] and not person.first_names:
        return "et al"
    family = plain(" ".join(person.prelast_names + person.last_names))
    initials = _initials(person.first_names + person.middle_names)
    text = f"{family} {initials}" if initials else family
    if person.lineage_names:
        text += " " + plain(" ".join(person.lineage_names))
    return text


def format_people(people: list[Person]) -> str:
    names = [format_person(p) for p in people]
    if len(names) > MAX_AUTHORS:
        names = [*names[:ET_AL_AFTER], "et al"]
    return ", ".join(names)


def _sentence(text: str) -> str:
    """End a segment with a period unless it already ends with punctuation."""
    text = text.strip()
    if not text:
        return ""
    return text if text[-1] in ".?!" else text + "."


def _link(url: str) -> str:
    return f"[{escape_md(url)}](<{url.replace('<', '%3C').replace('>', '%3E')}>)"


def _field(entry: Entry, name: str) -> str:
    return plain(str(entry.fields.get(name, "")))


#: Types whose title is a whole work (italic); for the others the container is italic.
STANDALONE = {
    "book",
    "manual",
    "techreport",
    "report",
    "phdthesis",
    "mastersthesis",
    "unpublished",
}


def format_entry(entry: Entry) -> str:
    """One entry in AMA style, as Markdown."""
    kind = entry.type.lower()
    parts: list[str] = []
    people = entry.persons.get("author") or []
    editors = entry.persons.get("editor") or []
    if people:
        parts.append(_sentence(escape_md(format_people(people))))
    elif editors:
        label = ", eds" if len(editors) > 1 else ", ed"
        parts.append(_sentence(escape_md(format_people(editors) + label)))

    title = escape_md(_field(entry, "title"))
    if title:
        parts.append(_sentence(f"*{title}*" if kind in STANDALONE else title))

    year = _field(entry, "year")
    volume, number = _field(entry, "volume"), _field(entry, "number")
    pages = escape_md(en_dash_range(_field(entry, "pages")))
    if kind == "article":
        journal = escape_md(_field(entry, "journal"))
        parts.append(_sentence(f"*{journal}*"))
        date = year
        if volume:
            date += f";{escape_md(volume)}"
            if number:
                date += f"({escape_md(number)})"
        if pages:
            date += f":{pages}"
        parts.append(_sentence(date))
    else:
        booktitle = escape_md(_field(entry, "booktitle"))
        if booktitle:
            parts.append(_sentence(f"In: *{booktitle}*"))
        edition = escape_md(_field(entry, "edition"))
        if edition:
            if edition.isdigit():
                suffix = {"1": "st", "2": "nd", "3": "rd"}.get(edition[-1], "th")
                edition = edition + ("th" if edition[-2:-1] == "1" else suffix)
            parts.append(_sentence(edition if " ed" in edition else f"{edition} ed"))
        series = escape_md(_field(entry, "series"))
        if series:
            parts.append(_sentence(f"{series} {escape_md(number)}".strip()))
        for name in ("howpublished", "organization"):
            value = escape_md(_field(entry, name))
            if value and kind in {"misc", "online", "manual"}:
                parts.append(_sentence(value))
        publisher = escape_md(
            _field(entry, "publisher") or _field(entry, "institution") or _field(entry, "school")
        )
        if kind in {"phdthesis", "mastersthesis"}:
            publisher = ("Dissertation. " if kind == "phdthesis" else "Thesis. ") + publisher
        published = "; ".join(x for x in (publisher, year) if x)
        if pages and booktitle:
            published += f":{pages}"
        if published:
            parts.append(_sentence(published))
    note = escape_md(_field(entry, "note"))
    if note:
        parts.append(_sentence(note))
    urldate = escape_md(_field(entry, "urldate"))
    doi = str(entry.fields.get("doi", "")).strip()
    url = str(entry.fields.get("url", "")).strip()
    if doi:
        parts.append(f"doi:[{escape_md(doi)}](<https://doi.org/{quote(doi, safe='/:;()')}>)")
    elif url:
        if urldate:
            parts.append(_sentence(f"Accessed {urldate}"))
        parts.append(_link(url))
    return " ".join(p for p in parts if p)


class ReferenceFormatter:
    """Formats each entry of one bibliography once, then answers from its cache."""

    def __init__(self, bib: Bibliography) -> None:
        self.bib = bib
        self._cache: dict[str, str] = {}
        #: How many times an entry was actually formatted (the bench and tests read it).
        self.formatted = 0

    def reference(self, key: str) -> str:
        try:
            return self._cache[key]
        except KeyError:
            pass
        text = format_entry(self.bib.entry(key))
        self.formatted += 1
        self._cache[key] = text
        return text

    def sort_key(self, key: str) -> tuple[str, str, str]:
        """First author's family name (or the title), then year, then title."""
        entry = self.bib.entry(key)
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        title = _field(entry, "title").lower()
        name = format_person(people[0]).lower() if people else title
        return (name, _field(entry, "year"), title)
