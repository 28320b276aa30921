"""The site's languages (languages.yml): which language a page is written in, review dates in
each language, and whether a translation still matches the page it was translated from.

A translation of ``docs/<name>.md`` is ``docs/<name>.<code>.md``: the i18n plugin publishes it
under ``/<code>/`` (decisions/0014-spanish-edition.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
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
    #: the theme's words (crisis banner, trust block, footer, 404 page), nested by part
    words: dict[str, Any] = field(default_factory=dict)

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
            dict(entry.get("words") or {}),
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


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a word of languages.yml asks the site to fill in."""
    return set(_PLACEHOLDER.findall(text))


def flat_words(words: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """``{"trust.due": "This page is due for review.", ...}``: every word of a language by its
    dotted key (nested parts flattened)."""
    flat: dict[str, str] = {}
    for key, value in words.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flat_words(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


def translated_name(name: str, code: str, docs_dir: Path, original: str) -> str:
    """The file a page in language ``code`` links to for the page ``name`` (``privacy.md``):
    its translation when it exists (``privacy.es.md``), else the original page."""
    if code == original:
        return name
    translation = Path(name).with_suffix(f".{code}.md").as_posix()
    return translation if (Path(docs_dir) / translation).is_file() else name


def address_of(name: str, code: str, original: str) -> str:
    """The site address of a page file, from the site root: ``privacy.es.md`` -> ``es/privacy/``,
    ``index.md`` -> ``""`` (MkDocs' directory URLs; translations under ``/<code>/``)."""
    lang = page_language(name, [original, code])
    base = original_of(name).removesuffix(".md")
    path = "" if base == "index" else base.removesuffix("/index") + "/"
    return f"{lang}/{path}" if lang else path


def check_words(languages: dict[str, Language]) -> list[Problem]:
    """Every language has every word of the original language, with the same ``{names}``: a
    missing word would print nothing on the page, a wrong name would print the braces."""
    if not languages:
        return []
    original, *others = languages.values()
    expected = flat_words(original.words)
    problems: list[Problem] = []
    for language in others:
        words = flat_words(language.words)
        for key, text in expected.items():
            if key not in words:
                problems.append(
                    Problem(
                        LANGUAGES_FILE,
                        None,
                        None,
                        "language-word-missing",
                        f"'{language.code}' has no word '{key}' ({original.code}: {text!r})",
                        f"add it under {language.code}: words: in {LANGUAGES_FILE}, in "
                        f"{language.name}",
                    )
                )
            elif placeholders(words[key]) != placeholders(text):
                names = ", ".join(f"{{{n}}}" for n in sorted(placeholders(text))) or "none"
                problems.append(
                    Problem(
                        LANGUAGES_FILE,
                        None,
                        None,
                        "language-word-placeholder",
                        f"'{language.code}' word '{key}' is {words[key]!r}; its names in braces "
                        f"differ from {original.code}'s ({names})",
                        "use exactly the names in braces of the original word; the site fills "
                        "them in",
                    )
                )
    return problems


#: Pages the theme links to on every page (the crisis banner, the trust block).
THEME_PAGES = ("get-help-now.md", "editorial-policy.md")
#: The key of mkdocs.yml's ``extra`` where the theme finds its words (see theme_data).
THEME_KEY = "iop_i18n"


def theme_data(root: Path, docs_dir: Path) -> dict[str, Any]:
    """What the theme (overrides/) needs to print its words in every language, for
    ``config.extra``: the templates choose by the language being built (``theme.language``).

    - ``words``: each language's words; ``original``: the original language's code;
    - ``homes``: each published language's home page address, in the order of languages.yml;
    - ``links``: for each language, each original page (``privacy.md``) as a link for its
      readers: ``url`` (from the site root), ``hreflang`` and ``suffix`` ("(en inglés)") when
      the page has no translation in that language yet.

    A project without languages.yml (a test fixture) gets IOP Guide's own words.
    """
    from iopguide import ROOT

    languages = load_languages(root if (Path(root) / LANGUAGES_FILE).is_file() else ROOT)
    original = next(iter(languages))
    docs = Path(docs_dir)
    # Every original page, and those the theme links to even where a project has no such page.
    names = sorted(
        {
            p.relative_to(docs).as_posix()
            for p in docs.rglob("*.md")
            if page_language(p.name, list(languages)) is None
        }
        | set(THEME_PAGES)
        | {
            str(n)
            for lang in languages.values()
            for n in lang.words.get("footer", {}).get("links", {})
        }
    )
    links: dict[str, dict[str, dict[str, str]]] = {}
    for code, language in languages.items():
        links[code] = {}
        untranslated = language.labels.get("untranslated", "")
        for name in names:
            target = translated_name(name, code, docs, original)
            same = target != name or code == original
            links[code][name] = {
                "url": address_of(target, code, original),
                "hreflang": "" if same else original,
                # As links in the page text say it (labels.untranslated: "en inglés").
                "suffix": "" if same or not untranslated else f" ({untranslated})",
            }
    return {
        "original": original,
        "words": {code: language.words for code, language in languages.items()},
        # A language without a home page of its own (not published yet) is not offered.
        "homes": {
            code: address_of("index.md" if code == original else f"index.{code}.md", code, original)
            for code in languages
            if code == original or (docs / f"index.{code}.md").is_file()
        },
        "links": links,
    }
