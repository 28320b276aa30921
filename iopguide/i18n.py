"""The site's languages (languages.yml): a page's language, dates and words in each. A translation
of ``docs/<name>.md`` is ``docs/<name>.<code>.md``, published under ``/<code>/`` (decision 0014)."""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from iopguide import ROOT
from iopguide.cache import LastResult
from iopguide.report import MESSAGES, Problem, ProblemsFound, load_yaml

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File

LANGUAGES_FILE = "languages.yml"
#: Pages the theme links to on every page (the logo, the crisis banner, the trust block).
THEME_PAGES = ("index.md", "get-help-now.md", "editorial-policy.md")
#: The page parts every language names for screen readers (pages.html.fix_html).
LABELS = ("search", "crisis")
#: The key of mkdocs.yml's ``extra`` where the theme finds its words (see theme_data).
THEME_KEY = "iop_i18n"


@dataclass(frozen=True)
class ReferenceWords:
    """A language's words around bibliography.bib's text (``reference_words`` in languages.yml)."""

    accessed: str  # before the date a web page was read
    in_: str  # before the book a chapter is in
    editor: str  # after the editors' names
    editors: str
    edition: str  # after an edition: "2nd ed."
    #: a numbered edition's suffix: the first (ending, suffix) whose ending the number has
    ordinals: tuple[tuple[str, str], ...]
    dissertation: str
    thesis: str
    #: a whole edition, howpublished or note field -> its translation; others print as written
    phrases: Mapping[str, str] = field(default_factory=dict)

    def ordinal(self, number: str) -> str:
        """``2`` -> ``2nd`` (English), ``2.ª`` (Spanish)."""
        return number + next((s for end, s in self.ordinals if number.endswith(end)), "")

    def phrase(self, text: str) -> str:
        return self.phrases.get(text, text)


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "ordinals": lambda value: tuple((str(end), str(suffix)) for end, suffix in value),
    "phrases": lambda value: {str(k): str(v) for k, v in (value or {}).items()},
}


def reference_words(data: Any, code: str, base: ReferenceWords | None) -> ReferenceWords:
    """One language's ``reference_words``, ``base``'s where left out; an unknown key: a problem."""
    names = {f.rstrip("_"): f for f in ReferenceWords.__dataclass_fields__}
    if unknown := [key for key in data or {} if str(key) not in names]:
        said = {"key": unknown[0], "code": code, "names": ", ".join(sorted(names))}
        raise ProblemsFound([MESSAGES.say(LANGUAGES_FILE, None, "languages-unknown-key", **said)])
    values = {names[str(k)]: v for k, v in (data or {}).items()}
    values = {k: _CONVERT.get(k, str)(v) for k, v in values.items()}
    return replace(base, **values) if base else ReferenceWords(**values)


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    months: tuple[str, ...]
    date: str
    references: str
    labels: dict[str, str]  # names of page parts for screen readers: search, crisis
    reference_words: ReferenceWords
    #: the theme's words (crisis banner, trust block, footer, 404 page), nested by part
    words: dict[str, Any]
    locale: str  # language and region for Open Graph (``en_US``); by default the code

    def format_date(self, value: dt.date) -> str:
        """``28 November 2026`` / ``28 de noviembre de 2026``: no leading zero."""
        return self.date.format(day=value.day, month=self.months[value.month - 1], year=value.year)


_LOADED: LastResult[dict[str, Language]] = LastResult()


def load_languages(root: Path) -> dict[str, Language]:
    """Every language of the project at ``root``, the original first; a project without
    languages.yml has one: IOP Guide's original language, with its words."""
    path = Path(root) / LANGUAGES_FILE
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if (cached := _LOADED.get(Path(root).resolve(), text)) is not None:
        return cached
    unreadable = MESSAGES.say(LANGUAGES_FILE, None, "languages-file", file=LANGUAGES_FILE)
    if not (data := load_yaml(text, unreadable)) and Path(root).resolve() != ROOT:
        return {(first := original()).code: first}
    # Words a language leaves out are the original's; the original's, IOP Guide's original's.
    base = None if Path(root).resolve() == ROOT else original()
    languages: dict[str, Language] = {}
    for code, entry in (data or {}).items():
        if not languages and base is None:  # IOP Guide's original: it gives the others words
            _complete(text, str(code), entry)
        name, date, heading = (str(entry[key]) for key in ("name", "date", "references"))
        months, code = tuple(map(str, entry["months"])), str(code)
        own = {str(k): str(v) for k, v in (entry.get("labels") or {}).items()}
        labels = {**(base.labels if base else {}), **own}
        unsaid = base.reference_words if base else None
        refs = reference_words(entry.get("reference_words"), code, unsaid)
        words, locale = entry.get("words") or {}, str(entry.get("locale") or code)
        languages[code] = Language(code, name, months, date, heading, labels, refs, words, locale)
        base = next(iter(languages.values()))  # the original gives the others what they omit
    return _LOADED.put(Path(root).resolve(), text, languages)


def original() -> Language:
    """IOP Guide's original language (English) and its words, from its own languages.yml (read
    when needed, never at import: a mistake in it is a report, not a crash of every command)."""
    return next(iter(load_languages(ROOT).values()))


def _complete(text: str, code: str, entry: Any) -> None:
    """The original language sets every page-part label and reference word (a problem if not)."""
    entry = entry if isinstance(entry, dict) else {}
    needed = [f"labels: {k}" for k in LABELS if k not in (entry.get("labels") or {})]
    words = entry.get("reference_words") or {}
    fields = ReferenceWords.__dataclass_fields__.values()
    needed += [f"reference_words: {f.name.rstrip('_')}" for f in fields
               if f.default_factory is MISSING and f.name.rstrip("_") not in words]  # fmt: skip
    if needed:
        keys = [key for key, _ in getattr(yaml.compose(text), "value", [])]
        line = next((k.start_mark.line + 1 for k in keys if str(k.value) == code), None)
        said = {"code": code, "key": needed[0]}
        raise ProblemsFound(
            [MESSAGES.say(LANGUAGES_FILE, line, "languages-original-missing", **said)]
        )


def building(config: MkDocsConfig, languages: Mapping[str, Language]) -> Language:
    """The language being built: the i18n plugin sets the theme's language for each build; one
    ``languages`` lacks is built as the original."""
    code = str((getattr(config, "theme", None) or {}).get("language") or "en")
    return languages.get(code) or next(iter(languages.values()))


def parse_date(value: Any) -> dt.date | None:
    """A front-matter date: a YAML date (MkDocs' reader) or ISO text (the content check's)."""
    if isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def page_language(name: str, codes: Sequence[str]) -> str | None:
    """The language code of a page file named like ``index.es.md``; None for an original."""
    suffix = Path(Path(name).name.removesuffix(".md")).suffix.lstrip(".")
    return suffix if suffix and suffix in codes[1:] else None


def original_of(name: str) -> str:
    """``get-help-now.md`` for ``get-help-now.es.md`` (``translation_name``'s inverse)."""
    path = Path(name)
    return (path.parent / (Path(path.name.removesuffix(".md")).stem + ".md")).as_posix()


def translation_name(name: str, code: str) -> str:
    """Where the i18n plugin pairs a translation: ``guides/faq.es.md`` for ``guides/faq.md``."""
    return name.removesuffix(".md") + f".{code}.md"


def translation_source(name: str, translation_of: object) -> str:
    """The English page that the translation ``name`` (``guides/faq.es.md``) names in its
    ``translation_of``: a file name in the translation's folder, where the i18n plugin pairs."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(name), str(translation_of)))


def checksum(path: Path) -> str:
    """A page's fingerprint (line endings aside): a translation records its original's."""
    text = Path(path).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def flat_words(words: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Every word of a language by its dotted key: ``{"trust.due": "This page is ..."}``."""
    flat: dict[str, str] = {}
    for key, value in words.items():
        nested = isinstance(value, dict)
        flat |= flat_words(value, f"{prefix}{key}.") if nested else {prefix + key: str(value)}
    return flat


def published_file(name: str, codes: Sequence[str] = (), use_directory_urls: bool = True) -> File:
    """A page file where the site publishes it: ``privacy.es.md`` at ``es/privacy/index.html``."""
    from mkdocs.structure.files import File

    code = page_language(name, codes)
    return File(f"{code}/{original_of(name)}" if code else name, "", "", use_directory_urls)


def address_of(name: str, codes: Sequence[str] = (), use_directory_urls: bool = True) -> str:
    """A page file's address from the site root: ``privacy.es.md`` -> ``es/privacy/``."""
    url = published_file(name, codes, use_directory_urls).url
    return "" if url == "./" else url


def check_words(languages: dict[str, Language]) -> list[Problem]:
    """Every language has every word of the original, with the same ``{names}``."""

    def names_in(text: str) -> list[str]:
        return sorted(set(re.findall(r"\{(\w+)\}", text)))

    original, *others = languages.values()
    problems: list[Problem] = []
    for lang in others:
        words = flat_words(lang.words)
        for key, text in flat_words(original.words).items():
            if key in words and names_in(words[key]) == names_in(text):
                continue
            rule = "language-word-placeholder" if key in words else "language-word-missing"
            names = ", ".join(f"{{{n}}}" for n in names_in(text)) or "none"
            values: dict[str, Any] = {"code": lang.code, "key": key, "text": text, "names": names}
            values |= {"word": words.get(key), "original": original.code, "name": lang.name}
            problems.append(MESSAGES.say(LANGUAGES_FILE, None, rule, **values))
    return problems


def theme_data(config: MkDocsConfig) -> dict[str, Any]:
    """For ``config.extra``: the theme's ``words``, ``original`` code, ``homes`` and each original
    page as a link per language (``url``; ``hreflang``, ``suffix`` where not translated yet)."""
    from iopguide import project

    languages = load_languages(project.root(config))
    original, dirs = next(iter(languages)), bool(config.use_directory_urls)
    pages = {f.src_uri for f in project.page_files(config)}
    # Every original page, and those the theme links to even where a project has none.
    names = {n for n in pages if page_language(n, list(languages)) is None} | set(THEME_PAGES)
    for lang in languages.values():
        names |= set(map(str, lang.words.get("footer", {}).get("links", {})))
    links: dict[str, dict[str, dict[str, str]]] = {}
    for code, language in languages.items():
        label, links[code] = language.labels.get("untranslated", ""), {}
        for name in sorted(names):
            target = translation_name(name, code)
            target = target if code != original and target in pages else name
            same = target != name or code == original
            links[code][name] = {
                "url": address_of(target, (original, code), dirs),
                "hreflang": "" if same else original,
                "suffix": "" if same or not label else f" ({label})",
            }
    # A language without a home page of its own (not published yet) is not offered.
    homes = {c: k["index.md"]["url"] for c, k in links.items() if not k["index.md"]["hreflang"]}
    words = {code: language.words for code, language in languages.items()}
    return {"original": original, "words": words, "homes": homes, "links": links}
