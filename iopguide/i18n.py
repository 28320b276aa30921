"""The site's languages (languages.yml): which language a page is written in, review dates in
each language, and whether a translation still matches the page it was translated from.

A translation of ``docs/<name>.md`` is ``docs/<name>.<code>.md``: the i18n plugin publishes it
under ``/<code>/`` (decisions/0014-spanish-edition.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from iopguide.cache import LastResult
from iopguide.report import Problem, ProblemsFound

LANGUAGES_FILE = "languages.yml"


@dataclass(frozen=True)
class ReferenceWords:
    """The words a list of sources prints around the bibliography's own text, in one language
    (``reference_words`` in languages.yml). The defaults are the English ones."""

    #: before the date a web page was read: "Accessed 2026-11-28"
    accessed: str = "Accessed"
    #: before the book a chapter is in: "In: *Book*"
    in_: str = "In"
    #: after the editors' names: "Vol V, ed." / "Vol V, Ray R, eds."
    editor: str = "ed"
    editors: str = "eds"
    #: after an edition: "2nd ed."
    edition: str = "ed"
    #: a numbered edition's suffix: the first (ending, suffix) whose ending the number has
    ordinals: tuple[tuple[str, str], ...] = (
        ("11", "th"),
        ("12", "th"),
        ("13", "th"),
        ("1", "st"),
        ("2", "nd"),
        ("3", "rd"),
        ("", "th"),
    )
    dissertation: str = "Dissertation"
    thesis: str = "Thesis"
    #: a whole edition, howpublished or note field of bibliography.bib -> its translation
    #: ("Web page" -> "Página web"); a field not listed is printed as written
    phrases: Mapping[str, str] = field(default_factory=dict)

    def ordinal(self, number: str) -> str:
        """``2`` -> ``2nd`` (English), ``2.ª`` (Spanish)."""
        suffix = next((s for end, s in self.ordinals if number.endswith(end)), "")
        return number + suffix

    def phrase(self, text: str) -> str:
        return self.phrases.get(text, text)


ENGLISH_WORDS = ReferenceWords()

#: languages.yml's names for the fields of ReferenceWords ("in" is a Python keyword).
_YAML_KEYS = {"in_": "in"}


def reference_words(data: Mapping[Any, Any] | None, code: str) -> ReferenceWords:
    """``reference_words`` of one language in languages.yml; a key it leaves out keeps the
    English word. An unknown key stops with a clear problem: a misspelt key would silently
    print English words on the other language's pages."""
    if not data:
        return ENGLISH_WORDS
    #: languages.yml's key -> the field of ReferenceWords
    names = {_YAML_KEYS.get(f, f): f for f in ReferenceWords.__dataclass_fields__}
    values: dict[str, Any] = {}  # YAML values, made text below
    for key, value in data.items():
        name = names.get(str(key))
        if name is None:
            raise ProblemsFound(
                [
                    Problem(
                        LANGUAGES_FILE,
                        None,
                        None,
                        "languages-unknown-key",
                        f"unknown key '{key}' under '{code}: reference_words'",
                        "use one of: " + ", ".join(sorted(names)),
                    )
                ]
            )
        if name == "ordinals":
            values[name] = tuple((str(end), str(suffix)) for end, suffix in value)
        elif name == "phrases":
            values[name] = {str(k): str(v) for k, v in (value or {}).items()}
        else:
            values[name] = str(value)
    return ReferenceWords(**values)


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    months: tuple[str, ...]
    date: str
    references: str
    #: names of page parts for screen readers: search, crisis
    labels: dict[str, str]
    #: words around each source in the lists of sources
    reference_words: ReferenceWords = ENGLISH_WORDS

    def format_date(self, value: dt.date) -> str:
        """``28 November 2026`` / ``28 de noviembre de 2026``: no leading zero."""
        month = self.months[value.month - 1]
        return self.date.format(day=value.day, month=month, year=value.year)


#: root -> its languages, keyed by the file's text.
_LOADED: LastResult[dict[str, Language]] = LastResult()


def load_languages(root: Path) -> dict[str, Language]:
    """Every language of the project at ``root``, the original first."""
    path = Path(root) / LANGUAGES_FILE
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    cached = _LOADED.get(Path(root).resolve(), text)
    if cached is not None:
        return cached
    data = yaml.safe_load(text) or {"en": _ENGLISH}
    languages = {
        str(code): Language(
            str(code),
            str(entry["name"]),
            tuple(str(m) for m in entry["months"]),
            str(entry["date"]),
            str(entry["references"]),
            {str(k): str(v) for k, v in (entry.get("labels") or {}).items()},
            reference_words(entry.get("reference_words"), str(code)),
        )
        for code, entry in data.items()
    }
    return _LOADED.put(Path(root).resolve(), text, languages)


_ENGLISH = {
    "name": "English",
    "months": [dt.date(2000, m, 1).strftime("%B") for m in range(1, 13)],
    "date": "{day} {month} {year}",
    "references": "References",
    "labels": {"search": "Search", "crisis": "Crisis help"},
}


def page_language(name: str, codes: list[str] | tuple[str, ...]) -> str | None:
    """The language code of a page file named like ``index.es.md``; None for an original."""
    stem = Path(name).name.removesuffix(".md")
    suffix = Path(stem).suffix.lstrip(".")
    return suffix if suffix and suffix in codes[1:] else None


def original_of(name: str) -> str:
    """``get-help-now.md`` for ``get-help-now.es.md``."""
    path = Path(name)
    stem = Path(path.name.removesuffix(".md"))
    return (path.parent / (stem.stem + ".md")).as_posix()


def checksum(path: Path) -> str:
    """A short fingerprint of a page's text: a translation records the one of the page it was
    translated from, so a later change to that page is noticed (line endings do not count)."""
    text = Path(path).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
