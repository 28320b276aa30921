"""References in AMA style (11th edition) as Markdown, e.g. ``McCarty D, Braude L, Lyman DR, et
al. Title. *Journal*. 2014;65(6):718-726. doi:...``, in the page language's words."""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import cache
from urllib.parse import quote

from pybtex.database import Entry, Person

from iopguide.citations.bib import Bibliography
from iopguide.citations.latex import clean_url, pieces, to_text, urls
from iopguide.citations.scan import PLACEHOLDER
from iopguide.i18n import ReferenceWords, original

#: AMA lists up to 6 authors; with 7 or more, the first 3 and "et al".
MAX_AUTHORS, ET_AL_AFTER = 6, 3
#: The line of docs/sources.md the full list replaces (mkdocs-bibtex's own command).
SOURCES_MARKER = "\\full_bibliography"
#: Types whose title is a whole work (italic); for the others the container is italic.
STANDALONE = {"book", "booklet", "proceedings", "manual", "techreport", "report", "unpublished"}
STANDALONE |= {"phdthesis", "mastersthesis"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]>#|])")
_RANGE = re.compile(r"(?<=\w)\s*(?:-{1,3}|\u2013|\u2014)\s*(?=\w)")


def escape_md(text: str) -> str:
    """Text that Python-Markdown shows as written (it has no backslash escape for "<")."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")


def markdown(latex: str) -> str:
    """A field as Markdown: text escaped, each address its own link."""
    return "".join(escape_md(t) if url is None else _link(url, t) for t, url in pieces(latex))


def en_dash_range(text: str) -> str:
    """``718--726`` or ``3-5`` -> 718, en dash, 726 (AMA uses an en dash in ranges)."""
    return _RANGE.sub("\u2013", text)


def family_name(person: Person) -> str:
    """``van der Berg, Anna`` -> ``van der Berg``; ``{Center for ...}`` -> the whole name."""
    return to_text(" ".join(person.prelast_names + person.last_names))


def format_person(person: Person) -> str:
    """``Lyman, D. Russell`` -> ``Lyman DR``; an organisation stays as written."""
    if [n.lower() for n in person.last_names] == ["others"] and not person.first_names:
        return "et al"
    names = [
        p
        for n in person.first_names + person.middle_names
        for p in re.split(r"[\s\-]+", to_text(n))
    ]
    initials = "".join(p.strip(".")[0].upper() for p in names if p.strip("."))
    text = f"{family_name(person)} {initials}" if initials else family_name(person)
    lineage = to_text(" ".join(person.lineage_names))
    return f"{text} {lineage}" if person.lineage_names else text


def _sentence(text: str) -> str:
    """End a segment with a period unless it already ends with punctuation (``*Mapp.*``)."""
    text = text.strip()
    return text if not text or text.rstrip("*")[-1:] in (".", "?", "!") else text + "."


def _link(url: str, text: str = "") -> str:
    return f"[{escape_md(text or url)}](<{url.replace('<', '%3C').replace('>', '%3E')}>)"


def format_entry(entry: Entry, words: ReferenceWords | None = None) -> str:
    """One entry in AMA style, as Markdown, with the words of one language (the original's)."""
    words = words or original().reference_words
    kind, parts = entry.type.lower(), []  # sentences, each ended with a period
    people, editors = entry.persons.get("author"), entry.persons.get("editor") or []

    def text(name: str) -> str:
        return to_text(entry.fields.get(name, ""))

    def md(name: str) -> str:
        return markdown(entry.fields.get(name, ""))

    def phrase(name: str) -> str:  # "Web page" in the page's language when languages.yml has it
        translated = words.phrase(text(name))
        return escape_md(translated) if translated != text(name) else md(name)

    if names := [format_person(p) for p in people or editors]:
        names = names if len(names) <= MAX_AUTHORS else [*names[:ET_AL_AFTER], "et al"]
        label = "" if people else ", " + (words.editors if len(editors) > 1 else words.editor)
        parts.append(escape_md(", ".join(names) + label))
    title = md("title")
    parts.append(f"*{title}*" if title and kind in STANDALONE else title)
    year, volume, number = text("year"), escape_md(text("volume")), escape_md(text("number"))
    pages = escape_md(en_dash_range(text("pages")))
    if kind == "article":
        date = year + (f";{volume}" + (f"({number})" if number else "") if volume else "")
        parts += [f"*{md('journal')}*", date + (f":{pages}" if pages else "")]
    else:
        booktitle = md("booktitle")
        parts.append(f"{escape_md(words.in_)}: *{booktitle}*" if booktitle else "")
        edition, ed = escape_md(words.phrase(text("edition"))), escape_md(words.edition)
        edition = escape_md(words.ordinal(edition)) if edition.isdigit() else edition
        parts.append(edition if not edition or f" {ed}" in edition else f"{edition} {ed}")
        parts.append(f"{series} {number}".strip() if (series := md("series")) else "")
        if kind in {"misc", "online", "manual"}:
            parts += [phrase("howpublished"), phrase("organization")]
        publisher = escape_md(text("publisher") or text("institution") or text("school"))
        if kind in {"phdthesis", "mastersthesis"}:
            label = words.dissertation if kind == "phdthesis" else words.thesis
            publisher = f"{escape_md(label)}. {publisher}"
        published = "; ".join(x for x in (publisher, year) if x)
        parts.append(published + (f":{pages}" if pages and booktitle else ""))
    parts.append(phrase("note"))
    doi = clean_url(entry.fields.get("doi", ""))
    links = [_link(url) for url in urls(entry.fields.get("url", ""))]
    if doi:
        links = [f"doi:[{escape_md(doi)}](<https://doi.org/{quote(doi, safe='/:;()')}>)"]
    elif links and (urldate := escape_md(text("urldate"))):
        parts.append(f"{escape_md(words.accessed)} {urldate}")
    return " ".join([p for p in map(_sentence, parts) if p] + links)


class ReferenceFormatter:
    """Formats each entry of one bibliography once (``reference`` is cached), in one language."""

    def __init__(self, bib: Bibliography, words: ReferenceWords | None = None) -> None:
        self.bib, words = bib, words or original().reference_words
        self.reference = cache(lambda key: format_entry(bib.entry(key), words))

    def sort_key(self, key: str) -> tuple[str, str, str]:
        """First author's family name (or the title), then year, then title."""
        entry = self.bib.entry(key)
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        title = to_text(entry.fields.get("title", "")).lower()
        name = format_person(people[0]).lower() if people else title
        return (name, to_text(entry.fields.get("year", "")), title)

    def sources(self, hidden: Collection[str] = ()) -> str:
        """The Sources page: every entry but ``hidden`` (DOI pending), sorted, ``#ref-<key>``."""
        keys = sorted((k for k in self.bib.keys if k not in hidden), key=self.sort_key)
        items = [f"- {self.reference(k).replace('@', PLACEHOLDER)}\n{{: #ref-{k} }}" for k in keys]
        return "\n".join(items) + "\n"
