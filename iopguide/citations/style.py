"""One reference style for the whole site: AMA (11th edition), a numeric medical style, e.g.

    McCarty D, Braude L, Lyman DR, et al. Substance abuse intensive outpatient programs:
    assessing the evidence. *Psychiatric Services*. 2014;65(6):718-726. doi:[10.1176/...](...)

Output is Markdown (footnote definitions and the Sources page); the words around the fields
("Accessed", "In:", "2nd ed.") are the page language's (``reference_words`` in languages.yml).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import quote

from pybtex.database import Entry, Person

from iopguide.citations.bib import Bibliography
from iopguide.citations.latex import clean_url, pieces, to_text, urls
from iopguide.citations.scan import PLACEHOLDER
from iopguide.i18n import ENGLISH_WORDS, ReferenceWords

#: AMA lists up to 6 authors; with 7 or more, the first 3 and "et al".
MAX_AUTHORS, ET_AL_AFTER = 6, 3
#: The line of docs/sources.md the full list replaces (mkdocs-bibtex's own command).
SOURCES_MARKER = "\\full_bibliography"

_MD_SPECIAL = re.compile(r"([\\`*_\[\]>#|])")
EN_DASH = "\u2013"
_RANGE = re.compile(r"(?<=\w)\s*(?:-{1,3}|\u2013|\u2014)\s*(?=\w)")


def escape_md(text: str) -> str:
    """Text that Python-Markdown shows as written (it has no backslash escape for "<")."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")


def markdown(latex: str) -> str:
    """A field as Markdown: text escaped, each address its own link."""
    return "".join(
        escape_md(text) if url is None else _link(url, text) for text, url in pieces(latex)
    )


def en_dash_range(text: str) -> str:
    """``718--726`` or ``3-5`` -> 718, en dash, 726 (AMA uses an en dash in ranges)."""
    return _RANGE.sub(EN_DASH, text)


def _initials(names: list[str]) -> str:
    letters = []
    for name in names:
        for part in re.split(r"[\s\-]+", to_text(name)):
            part = part.strip(".")
            if part:
                letters.append(part[0].upper())
    return "".join(letters)


def family_name(person: Person) -> str:
    """``van der Berg, Anna`` -> ``van der Berg``; ``{Center for ...}`` -> the whole name."""
    return to_text(" ".join(person.prelast_names + person.last_names))


def format_person(person: Person) -> str:
    """``Lyman, D. Russell`` -> ``Lyman DR``; an organisation stays as written."""
    if [n.lower() for n in person.last_names] == ["others"] and not person.first_names:
        return "et al"
    family = family_name(person)
    initials = _initials(person.first_names + person.middle_names)
    text = f"{family} {initials}" if initials else family
    if person.lineage_names:
        text += " " + to_text(" ".join(person.lineage_names))
    return text


def format_people(people: list[Person]) -> str:
    names = [format_person(p) for p in people]
    if len(names) > MAX_AUTHORS:
        names = [*names[:ET_AL_AFTER], "et al"]
    return ", ".join(names)


def _sentence(text: str) -> str:
    """End a segment with a period unless it already ends with punctuation (``*Mapp.*``)."""
    text = text.strip()
    if not text:
        return ""
    return text if text.rstrip("*")[-1:] in (".", "?", "!") else text + "."


def _link(url: str, text: str = "") -> str:
    target = url.replace("<", "%3C").replace(">", "%3E")
    return f"[{escape_md(text or url)}](<{target}>)"


def _field(entry: Entry, name: str) -> str:
    return to_text(entry.fields.get(name, ""))


def _markdown(entry: Entry, name: str) -> str:
    return markdown(entry.fields.get(name, ""))


def _phrase_markdown(entry: Entry, name: str, words: ReferenceWords) -> str:
    """A descriptive field ("Web page") in the page's language when languages.yml translates
    its whole text; otherwise as written."""
    text = _field(entry, name)
    translated = words.phrase(text)
    return escape_md(translated) if translated != text else _markdown(entry, name)


#: Types whose title is a whole work (italic); for the others the container is italic.
STANDALONE = {"book", "booklet", "proceedings", "manual", "techreport", "report", "unpublished"}
STANDALONE |= {"phdthesis", "mastersthesis"}


def format_entry(entry: Entry, words: ReferenceWords = ENGLISH_WORDS) -> str:
    """One entry in AMA style, as Markdown, with the words of one language."""
    kind = entry.type.lower()
    parts: list[str] = []
    people = entry.persons.get("author") or []
    editors = entry.persons.get("editor") or []
    if people:
        parts.append(_sentence(escape_md(format_people(people))))
    elif editors:
        label = ", " + (words.editors if len(editors) > 1 else words.editor)
        parts.append(_sentence(escape_md(format_people(editors) + label)))

    title = _markdown(entry, "title")
    if title:
        parts.append(_sentence(f"*{title}*" if kind in STANDALONE else title))

    year = _field(entry, "year")
    volume, number = _field(entry, "volume"), _field(entry, "number")
    pages = escape_md(en_dash_range(_field(entry, "pages")))
    if kind == "article":
        journal = _markdown(entry, "journal")
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
        booktitle = _markdown(entry, "booktitle")
        if booktitle:
            parts.append(_sentence(f"{escape_md(words.in_)}: *{booktitle}*"))
        edition = escape_md(words.phrase(_field(entry, "edition")))
        if edition:
            if edition.isdigit():
                edition = escape_md(words.ordinal(edition))
            ed = escape_md(words.edition)
            parts.append(_sentence(edition if f" {ed}" in edition else f"{edition} {ed}"))
        series = _markdown(entry, "series")
        if series:
            parts.append(_sentence(f"{series} {escape_md(number)}".strip()))
        for name in ("howpublished", "organization"):
            value = _phrase_markdown(entry, name, words)
            if value and kind in {"misc", "online", "manual"}:
                parts.append(_sentence(value))
        publisher = escape_md(
            _field(entry, "publisher") or _field(entry, "institution") or _field(entry, "school")
        )
        if kind in {"phdthesis", "mastersthesis"}:
            label = words.dissertation if kind == "phdthesis" else words.thesis
            publisher = f"{escape_md(label)}. {publisher}"
        published = "; ".join(x for x in (publisher, year) if x)
        if pages and booktitle:
            published += f":{pages}"
        if published:
            parts.append(_sentence(published))
    note = _phrase_markdown(entry, "note", words)
    if note:
        parts.append(_sentence(note))
    urldate = escape_md(_field(entry, "urldate"))
    doi = clean_url(entry.fields.get("doi", ""))
    links = urls(entry.fields.get("url", ""))
    if doi:
        parts.append(f"doi:[{escape_md(doi)}](<https://doi.org/{quote(doi, safe='/:;()')}>)")
    elif links:
        if urldate:
            parts.append(_sentence(f"{escape_md(words.accessed)} {urldate}"))
        parts.extend(_link(url) for url in links)
    return " ".join(p for p in parts if p)


class ReferenceFormatter:
    """Formats each entry of one bibliography once, in one language."""

    def __init__(self, bib: Bibliography, words: ReferenceWords = ENGLISH_WORDS) -> None:
        self.bib, self.words = bib, words
        self._cache: dict[str, str] = {}
        self.formatted = 0  # entries actually formatted (the bench and tests read it)

    def reference(self, key: str) -> str:
        if key not in self._cache:
            self._cache[key] = format_entry(self.bib.entry(key), self.words)
            self.formatted += 1
        return self._cache[key]

    def sort_key(self, key: str) -> tuple[str, str, str]:
        """First author's family name (or the title), then year, then title."""
        entry = self.bib.entry(key)
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        title = _field(entry, "title").lower()
        name = format_person(people[0]).lower() if people else title
        return (name, _field(entry, "year"), title)

    def sources(self, hidden: Collection[str] = ()) -> str:
        """The Sources page: every entry but the ``hidden`` ones (DOI pending), sorted, each
        with the anchor ``#ref-<key>``."""
        keys = sorted((k for k in self.bib.keys if k not in hidden), key=self.sort_key)
        items = [f"- {self.reference(k).replace('@', PLACEHOLDER)}\n{{: #ref-{k} }}" for k in keys]
        return "\n".join(items) + "\n"
