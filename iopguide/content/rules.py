"""Load the editable rules: content-rules.yml, terms.yml and reviewers.yml (numbers and lists an
editor changes without touching Python). A broken rules file is a Problem naming file and line."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NoReturn

from iopguide.cache import file_digest
from iopguide.i18n import LANGUAGES_FILE, load_languages
from iopguide.report import Messages, ProblemsFound, load_yaml

RULES_FILE = "content-rules.yml"
TERMS_FILE = "terms.yml"
REVIEWERS_FILE = "reviewers.yml"
READING_MEASURES = {"flesch_kincaid_grade": "Flesch-Kincaid", "smog_index": "SMOG"}
#: Reading-ease measures (higher is easier) for pages in other languages, by textstat name.
EASE_MEASURES = {"fernandez_huerta": "Fernández-Huerta"}


@dataclass(frozen=True)
class Term:  # one entry of terms.yml: words to avoid, what to write instead, who advises it
    avoid: tuple[str, ...]
    prefer: str
    source: str


@dataclass(frozen=True)
class Rules:  # every rule of a project, read from its data files
    root: Path
    front_matter_schema: dict[str, Any]
    review_period_years: int
    review_warn_days: int
    reading_ceiling: float
    reading_measures: tuple[str, ...]
    reading_min_words: int
    vague_link_text: frozenset[str]
    words_file: Path
    terms: tuple[Term, ...]
    proper_names: tuple[str, ...]
    reviewers: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: language code -> its rules, for translated pages (docs/<name>.<code>.md)
    languages: dict[str, Rules] = field(default_factory=dict)
    language: str | None = None  # the pages' language (None: the original)
    # A translation's (content-rules.yml `languages`): reading ease, Hunspell dictionary, words
    reading_measure: str = ""
    reading_floor: float = 0.0
    spelling_dictionary: str = ""
    spelling_words_file: Path | None = None
    #: digest of the files read ("" when made in code): results with the same one can be reused
    fingerprint: str = ""
    vague_alt_text: frozenset[str] = frozenset()
    placeholders: tuple[str, ...] = ()  # template text a published page must not keep
    template_file: str = ""
    codes: tuple[str, ...] = ()  # the project's languages (languages.yml), the original first

    def of_language(self, code: str | None) -> Rules:
        """The rules of a page in ``code`` (its ``page_language``): its language's, if any."""
        return self.languages.get(code or "", self)


#: What the content checks tell editors (messages.yml).
MESSAGES = Messages(Path(__file__).with_name("messages.yml"))
say = MESSAGES.say
#: A text of messages.yml that is not a problem (a report heading, the review issue).
words = MESSAGES.text


def _fail(file: str, what: str, /, line: int | None = None, **values: Any) -> NoReturn:
    raise ProblemsFound([say(file, line, f"rules-file/{what}", file=file, **values)])


def relative(path: Path, root: Path) -> str:
    """``path`` as messages show it: relative to the project root when inside it."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


def read_yaml(path: Path, root: Path) -> Any:
    """Parse one rules file; a syntax error becomes a Problem naming the file and line."""
    rel = relative(path, root)
    if not path.is_file():
        _fail(rel, "missing")
    return load_yaml(path.read_text(encoding="utf-8"), say(rel, None, "rules-file/yaml", file=rel))


def _need(data: Any, dotted: str, file: str = RULES_FILE) -> Any:
    for key in dotted.split("."):
        if not isinstance(data, dict) or key not in data:
            _fail(file, "setting", setting=dotted)
        data = data[key]
    return data


def _measure(name: str, known: dict[str, str], where: str) -> str:
    if name not in known:
        _fail(RULES_FILE, "measure", name=name, where=where, known=", ".join(known))
    return name


def _lower(items: Any) -> frozenset[str]:
    return frozenset(str(t).lower() for t in items or [])


def _read_terms(root: Path, file: str) -> tuple[tuple[Term, ...], tuple[str, ...]]:
    """The terms and proper names of a terms file."""
    data, terms = read_yaml(root / file, root) or {}, list[Term]()
    for index, entry in enumerate(_need(data, "terms", file) or []):
        if not isinstance(entry, dict) or not entry.get("avoid") or not entry.get("prefer"):
            _fail(file, "term", number=index + 1)
        avoid = [entry["avoid"]] if isinstance(entry["avoid"], str) else entry["avoid"]
        source = str(entry.get("source", ""))
        terms.append(Term(tuple(str(a) for a in avoid), str(entry["prefer"]), source))
    return tuple(terms), tuple(str(n) for n in data.get("proper_names") or [])


def _read_languages(data: Any, root: Path, rules: Rules) -> dict[str, Rules]:
    result: dict[str, Rules] = {}
    for code, entry in (data.get("languages") or {}).items():
        terms_file = str(_need(entry, "terms_file", f"{RULES_FILE} (languages.{code})"))
        where = f"under languages.{code}.readability"
        measure = _measure(str(_need(entry, "readability.measure")), EASE_MEASURES, where)
        terms, names = _read_terms(root, terms_file)
        spelling = entry.get("spelling") or {}
        words = spelling.get("words_file")
        result[str(code)] = replace(
            rules,
            language=str(code),
            terms=terms,
            proper_names=names,
            reading_measure=measure,
            reading_floor=float(_need(entry, "readability.floor")),
            vague_link_text=_lower(entry.get("vague_link_text")),
            spelling_dictionary=str(spelling.get("dictionary") or ""),
            spelling_words_file=root / str(words) if words else None,
        )
    return result


def read_reviewers(root: Path) -> dict[str, dict[str, Any]]:
    """reviewers.yml (key -> entry): its one reader, for the content check and the trust block."""
    reviewers = read_yaml(root / REVIEWERS_FILE, root) or {}
    if not isinstance(reviewers, dict):
        _fail(REVIEWERS_FILE, "reviewers")
    for key, entry in reviewers.items():
        if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
            _fail(REVIEWERS_FILE, "reviewer-name", key=key)
    return {str(k): v for k, v in reviewers.items()}


def load_rules(root: Path) -> Rules:
    """Read the rules of the project whose root folder (holding mkdocs.yml) is ``root``.
    Not cached: reading them takes 40 ms (measured), and an edited file always counts."""
    root = Path(root).resolve()
    data = read_yaml(root / RULES_FILE, root)
    reviewers, (terms, names) = read_reviewers(root), _read_terms(root, TERMS_FILE)
    where = "in " + RULES_FILE
    measures = [_measure(m, READING_MEASURES, where) for m in _need(data, "readability.measures")]
    template = data.get("template") or {}
    rules = Rules(
        root=root,
        front_matter_schema=_need(data, "front_matter"),
        review_period_years=int(_need(data, "review.period_years")),
        review_warn_days=int(_need(data, "review.warn_days")),
        reading_ceiling=float(_need(data, "readability.ceiling")),
        reading_measures=tuple(measures),
        reading_min_words=int(_need(data, "readability.min_words")),
        vague_link_text=_lower(_need(data, "links.vague_text")),
        words_file=root / _need(data, "spelling.words_file"),
        terms=terms,
        proper_names=names,
        reviewers=reviewers,
        vague_alt_text=_lower((data.get("images") or {}).get("vague_alt")),
        placeholders=tuple(str(t) for t in template.get("placeholders") or [] if str(t)),
        template_file=str(template.get("file") or ""),
        codes=tuple(load_languages(root)),
    )
    rules = replace(rules, languages=_read_languages(data, root, rules))
    files = [root / RULES_FILE, root / TERMS_FILE, root / REVIEWERS_FILE, rules.words_file]
    files += [root / LANGUAGES_FILE]  # which pages are translations
    files += [root / str(entry["terms_file"]) for entry in (data.get("languages") or {}).values()]
    files += [f for own in rules.languages.values() if (f := own.spelling_words_file)]
    return replace(rules, fingerprint=file_digest(files))
