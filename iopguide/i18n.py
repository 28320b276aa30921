"""The site's languages (languages.yml): which language a page is written in, review dates in
each language, and whether a translation still matches the page it was translated from.

A translation of ``docs/<name>.md`` is ``docs/<name>.<code>.md``: the i18n plugin publishes it
under ``/<code>/`` (decisions/0014-spanish-edition.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from iopguide.cache import LastResult

LANGUAGES_FILE = "languages.yml"


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    months: tuple[str, ...]
    date: str
    references: str
    #: names of page parts for screen readers: search, crisis
    labels: dict[str, str]

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
