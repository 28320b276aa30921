"""Load the editable rules: content-rules.yml, terms.yml and reviewers.yml.

The numbers and lists live in those commented data files, never in code, so an editor can change
a rule without touching Python. A broken rules file is itself reported as a :class:`Problem` that
names the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from iopguide.cache import LastResult, file_digest
from iopguide.report import Problem, ProblemsFound

RULES_FILE = "content-rules.yml"
TERMS_FILE = "terms.yml"
REVIEWERS_FILE = "reviewers.yml"


@dataclass(frozen=True)
class Term:
    """One entry of terms.yml: words to avoid, what to write instead, and who advises it."""

    avoid: tuple[str, ...]
    prefer: str
    source: str


@dataclass(frozen=True)
class HtmlPolicy:
    forbidden_tags: frozenset[str]
    forbid_event_handlers: bool
    forbidden_url_schemes: tuple[str, ...]
    local_media_tags: frozenset[str]


@dataclass(frozen=True)
class LanguageRules:
    """The rules that differ for pages in another language (content-rules.yml `languages`)."""

    terms: tuple[Term, ...]
    proper_names: tuple[str, ...]
    reading_measure: str
    reading_floor: float
    vague_link_text: frozenset[str]
    #: Hunspell dictionary name (``es_US``: /usr/share/hunspell/es_US.dic), or "" for none
    spelling_dictionary: str = ""
    #: our own words for that language's spelling check (names, medicines, acronyms)
    spelling_words_file: Path | None = None


@dataclass(frozen=True)
class Rules:
    """Every rule of a project, read from its data files."""

    root: Path
    front_matter_schema: dict[str, Any]
    review_period_years: int
    review_warn_days: int
    reading_ceiling: float
    reading_measures: tuple[str, ...]
    reading_min_words: int
    html: HtmlPolicy
    vague_link_text: frozenset[str]
    words_file: Path
    terms: tuple[Term, ...]
    proper_names: tuple[str, ...]
    reviewers: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: language code -> its rules, for translated pages (docs/<name>.<code>.md)
    languages: dict[str, LanguageRules] = field(default_factory=dict)
    #: the language of the pages these rules are for (None: the original language)
    language: str | None = None
    #: Digest of the rules files and the word list these rules were read from ("" when the rules
    #: were made in code): results computed with the same fingerprint can be reused.
    fingerprint: str = ""
    #: Alt text that says nothing (compared whole, any case): content-rules.yml images.vague_alt.
    vague_alt_text: frozenset[str] = frozenset()
    #: Template text a published page must not keep: content-rules.yml template.placeholders.
    placeholders: tuple[str, ...] = ()
    #: The page template the placeholders come from (for the message).
    template_file: str = ""


READING_MEASURES = {"flesch_kincaid_grade": "Flesch-Kincaid", "smog_index": "SMOG"}
#: Reading-ease measures (higher is easier) for pages in other languages, by textstat name.
EASE_MEASURES = {"fernandez_huerta": "Fernández-Huerta"}


def for_language(rules: Rules, language: str | None) -> Rules:
    """The rules for a page in ``language`` (None or unknown: the rules as they are)."""
    own = rules.languages.get(language or "")
    if own is None:
        return rules
    return replace(
        rules,
        terms=own.terms,
        proper_names=own.proper_names,
        vague_link_text=own.vague_link_text,
        language=language,
    )


def _rules_problem(file: str, line: int | None, message: str, fix: str) -> Problem:
    return Problem(file, line, None, "rules-file", message, fix, guide="how-the-checks-work")


def read_yaml(path: Path, root: Path) -> Any:
    """Parse one rules file; a syntax error becomes a Problem naming the file and line."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    if not path.is_file():
        raise ProblemsFound(
            [_rules_problem(rel, None, f"{rel} is missing", f"restore {rel} from git")]
        )
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "it is not valid YAML"
        raise ProblemsFound(
            [
                _rules_problem(
                    rel,
                    line,
                    f"{rel} cannot be read ({problem})",
                    "check the indentation and put quotes around values that contain a colon",
                )
            ]
        ) from None


def _need(data: Any, keys: list[str], file: str) -> Any:
    value = data
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            dotted = ".".join(keys)
            raise ProblemsFound(
                [
                    _rules_problem(
                        file,
                        None,
                        f"{file} has no '{dotted}' setting",
                        f"add '{dotted}' back to {file} (see git history for the old value)",
                    )
                ]
            )
        value = value[key]
    return value


#: root -> the rules read from its files, keyed by their digest: ``mkdocs serve`` asks for the
#: rules on every rebuild; they are read again only when a file's content changed.
_LOADED: LastResult[Rules] = LastResult()


def load_rules(root: Path) -> Rules:
    """Read the rules of the project whose root folder (holding mkdocs.yml) is ``root``."""
    root = Path(root).resolve()
    files = [root / RULES_FILE, root / TERMS_FILE, root / REVIEWERS_FILE, *_terms_files(root)]
    digest = file_digest(files)
    rules = _LOADED.get(root, digest)
    if rules is None:
        rules = _LOADED.put(root, digest, _read_rules(root))
    # The word lists are named in content-rules.yml; spelling results depend on them too.
    word_lists = [rules.words_file] + [
        lang.spelling_words_file for lang in rules.languages.values() if lang.spelling_words_file
    ]
    return replace(rules, fingerprint=file_digest([*files, *word_lists]))


def _terms_files(root: Path) -> list[Path]:
    """The word lists of other languages named in content-rules.yml (for the cache key)."""
    try:
        data = yaml.safe_load((root / RULES_FILE).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return []
    languages = data.get("languages") if isinstance(data, dict) else None
    if not isinstance(languages, dict):
        return []
    return [
        root / str(entry["terms_file"])
        for entry in languages.values()
        if isinstance(entry, dict) and entry.get("terms_file")
    ]


def _read_terms(terms_data: Any, file: str) -> tuple[Term, ...]:
    terms: list[Term] = []
    for index, entry in enumerate(_need(terms_data, ["terms"], file) or []):
        if not isinstance(entry, dict) or not entry.get("avoid") or not entry.get("prefer"):
            raise ProblemsFound(
                [
                    _rules_problem(
                        file,
                        None,
                        f"entry {index + 1} of {file} needs 'avoid', 'prefer' and 'source'",
                        f"follow the other entries in {file}",
                    )
                ]
            )
        avoid = entry["avoid"]
        avoid = [avoid] if isinstance(avoid, str) else list(avoid)
        terms.append(
            Term(
                tuple(str(a) for a in avoid),
                str(entry["prefer"]),
                str(entry.get("source", "")),
            )
        )
    return tuple(terms)


def _read_languages(data: Any, root: Path) -> dict[str, LanguageRules]:
    languages = data.get("languages") or {}
    result: dict[str, LanguageRules] = {}
    for code, entry in languages.items():
        prefix = f"languages.{code}"
        terms_file = str(_need(entry, ["terms_file"], f"{RULES_FILE} ({prefix})"))
        terms_data = read_yaml(root / terms_file, root) or {}
        measure = str(_need(entry, ["readability", "measure"], RULES_FILE))
        if measure not in EASE_MEASURES:
            raise ProblemsFound(
                [
                    _rules_problem(
                        RULES_FILE,
                        None,
                        f"unknown reading measure '{measure}' under {prefix}.readability",
                        f"use one of: {', '.join(EASE_MEASURES)}",
                    )
                ]
            )
        result[str(code)] = LanguageRules(
            terms=_read_terms(terms_data, terms_file),
            proper_names=tuple(str(n) for n in terms_data.get("proper_names") or []),
            reading_measure=measure,
            reading_floor=float(_need(entry, ["readability", "floor"], RULES_FILE)),
            vague_link_text=frozenset(str(t).lower() for t in entry.get("vague_link_text") or []),
            spelling_dictionary=str((entry.get("spelling") or {}).get("dictionary") or ""),
            spelling_words_file=(
                root / str(entry["spelling"]["words_file"])
                if (entry.get("spelling") or {}).get("words_file")
                else None
            ),
        )
    return result


def read_reviewers(root: Path) -> dict[str, dict[str, Any]]:
    """reviewers.yml: reviewer key -> its entry (``name``, ``credentials``, ``type``...).

    The one reader of the file: the content check (which keys ``reviewed_by`` may use) and the
    trust block (who reviewed a page) both read it here, under the same rules.
    """
    reviewers = read_yaml(root / REVIEWERS_FILE, root) or {}
    if not isinstance(reviewers, dict):
        raise ProblemsFound(
            [
                _rules_problem(
                    REVIEWERS_FILE,
                    None,
                    "reviewers.yml must list reviewers as 'key:' entries",
                    "follow the example at the top of reviewers.yml",
                )
            ]
        )

    for key, entry in reviewers.items():
        if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
            raise ProblemsFound(
                [
                    _rules_problem(
                        REVIEWERS_FILE,
                        None,
                        f"reviewer '{key}' in reviewers.yml has no name",
                        "add a 'name:' line under it, as in the example at the top of the file",
                    )
                ]
            )
    return {str(k): v for k, v in reviewers.items()}


def _read_rules(root: Path) -> Rules:
    data = read_yaml(root / RULES_FILE, root)
    terms_data = read_yaml(root / TERMS_FILE, root) or {}
    reviewers = read_reviewers(root)

    terms = _read_terms(terms_data, TERMS_FILE)

    html = _need(data, ["html"], RULES_FILE)
    measures = tuple(_need(data, ["readability", "measures"], RULES_FILE))
    for measure in measures:
        if measure not in READING_MEASURES:
            raise ProblemsFound(
                [
                    _rules_problem(
                        RULES_FILE,
                        None,
                        f"unknown reading measure '{measure}' in content-rules.yml",
                        f"use one of: {', '.join(READING_MEASURES)}",
                    )
                ]
            )
    return Rules(
        root=root,
        front_matter_schema=_need(data, ["front_matter"], RULES_FILE),
        review_period_years=int(_need(data, ["review", "period_years"], RULES_FILE)),
        review_warn_days=int(_need(data, ["review", "warn_days"], RULES_FILE)),
        reading_ceiling=float(_need(data, ["readability", "ceiling"], RULES_FILE)),
        reading_measures=measures,
        reading_min_words=int(_need(data, ["readability", "min_words"], RULES_FILE)),
        html=HtmlPolicy(
            forbidden_tags=frozenset(t.lower() for t in html.get("forbidden_tags", [])),
            forbid_event_handlers=bool(html.get("forbid_event_handlers", True)),
            forbidden_url_schemes=tuple(s.lower() for s in html.get("forbidden_url_schemes", [])),
            local_media_tags=frozenset(t.lower() for t in html.get("local_media_tags", [])),
        ),
        vague_link_text=frozenset(
            t.lower() for t in _need(data, ["links", "vague_text"], RULES_FILE)
        ),
        words_file=root / _need(data, ["spelling", "words_file"], RULES_FILE),
        terms=tuple(terms),
        proper_names=tuple(str(n) for n in terms_data.get("proper_names") or []),
        reviewers=reviewers,
        vague_alt_text=frozenset(
            str(t).lower() for t in (data.get("images") or {}).get("vague_alt") or []
        ),
        placeholders=tuple(
            str(t) for t in (data.get("template") or {}).get("placeholders") or [] if str(t)
        ),
        template_file=str((data.get("template") or {}).get("file") or ""),
        languages=_read_languages(data, root),
    )
