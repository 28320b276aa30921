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
    files = [root / RULES_FILE, root / TERMS_FILE, root / REVIEWERS_FILE]
    digest = file_digest(files)
    rules = _LOADED.get(root, digest)
    if rules is None:
        rules = _LOADED.put(root, digest, _read_rules(root))
    # The word list is named in content-rules.yml; spelling results depend on its content too.
    return replace(rules, fingerprint=file_digest([*files, rules.words_file]))


def _read_rules(root: Path) -> Rules:
    data = read_yaml(root / RULES_FILE, root)
    terms_data = read_yaml(root / TERMS_FILE, root) or {}
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

    terms: list[Term] = []
    for index, entry in enumerate(_need(terms_data, ["terms"], TERMS_FILE) or []):
        if not isinstance(entry, dict) or not entry.get("avoid") or not entry.get("prefer"):
            raise ProblemsFound(
                [
                    _rules_problem(
                        TERMS_FILE,
                        None,
                        f"entry {index + 1} of terms.yml needs 'avoid', 'prefer' and 'source'",
                        "follow the other entries in terms.yml",
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
        reviewers={str(k): (v or {}) for k, v in reviewers.items()},
        vague_alt_text=frozenset(
            str(t).lower() for t in (data.get("images") or {}).get("vague_alt") or []
        ),
        placeholders=tuple(
            str(t) for t in (data.get("template") or {}).get("placeholders") or [] if str(t)
        ),
        template_file=str((data.get("template") or {}).get("file") or ""),
    )
