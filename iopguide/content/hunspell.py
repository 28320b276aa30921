"""Spelling of translated pages with a Hunspell dictionary (Spanish: Debian's hunspell-es,
``es_US``), read by spylls, a pure-Python Hunspell, and our own word list (spelling-es.txt).

codespell stays the English check (iopguide.content.spelling): it knows common English
misspellings, not Spanish words. A page in another language is checked word by word: every word
of its text (the same text codespell reads: code, addresses, citation keys and HTML comments
blanked, plus HTML tags and web addresses) must be in the dictionary or in the word list.

Where the dictionary is not installed, the run reports it once (a warning on an editor's
machine, so ``make serve`` keeps working; an error in CI, where a silent skip would hide
mistakes) and names the package to install.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from iopguide.content.page import Page
from iopguide.content.rules import RULES_FILE, LanguageRules
from iopguide.report import Problem, Severity

GUIDE = "spelling"
#: Where Hunspell dictionaries are installed (Debian, Ubuntu: hunspell-es and the like).
#: IOPGUIDE_HUNSPELL_PATH (folders separated by ":") is searched first.
DICTIONARY_DIRS = ("/usr/share/hunspell", "/usr/share/myspell/dicts", "/usr/share/myspell")
#: The Debian package of each language's dictionaries (the fix of a missing dictionary).
PACKAGES = {"es": "hunspell-es"}

#: At most this many words of one run get a suggestion.
MAX_SUGGESTIONS = 20
_WORD = re.compile(r"\b[^\W\d_]+\b")
#: Text marked as another language: ``*inpatient*{lang=en}`` (attr_list) or
#: ``<span lang="en">...</span>``. Its words are not checked against this language.
#: (pattern, group of the words, group of the language code)
_MARKED = (
    (
        re.compile(r"(\*\*|\*|__|_)((?:(?!\1)[^\n]|\n(?!\n))+?)\1\{[^}\n]*?\blang=[\"']?([\w-]+)"),
        2,
        3,
    ),
    (re.compile(r"\[((?:[^\]\n]|\n(?!\n))+)\]\([^)\n]*\)\{[^}\n]*?\blang=[\"']?([\w-]+)"), 1, 2),
    (re.compile(r"<(\w+)\b[^>]*?\blang=[\"']?([\w-]+)[^>]*>(.*?)</\1\s*>", re.DOTALL), 3, 2),
)
#: Attribute lists naming a language (``{lang=en}``): markup, not words.
_LANG_ATTRIBUTES = re.compile(r"\{[^}\n]*\blang=[^}\n]*\}")
#: An admonition's type and classes (``!!! danger "Título"``): keywords, not words.
_ADMONITION = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+([^\"\n]*)", re.MULTILINE)
_TAG = re.compile(r"<[^>\n]*>|&#?\w+;")
_WEB_ADDRESS = re.compile(r"\b(?:[\w-]+\.)+(?:org|gov|com|net|edu|us|es|info)\b(?:/[^\s)]*)?")


def dictionary_path(name: str) -> Path | None:
    """``<dir>/<name>`` (without suffix) where ``<name>.dic`` and ``<name>.aff`` exist."""
    extra = [d for d in os.environ.get("IOPGUIDE_HUNSPELL_PATH", "").split(":") if d]
    for folder in [*extra, *DICTIONARY_DIRS]:
        base = Path(folder) / name
        if base.with_suffix(".dic").is_file() and base.with_suffix(".aff").is_file():
            return base
    return None


@lru_cache(maxsize=4)
def _dictionary(base: str) -> Any:
    from spylls.hunspell import Dictionary

    return Dictionary.from_files(base)


@lru_cache(maxsize=8)
def read_words(path: Path | None, stamp: float = 0.0) -> frozenset[str]:
    """Our word list: one word per line; ``#`` starts a comment."""
    if path is None or not path.is_file():
        return frozenset()
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(word)
    return frozenset(words)


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def spell_text(page: Page, language: str = "") -> str:
    """The page's reader-facing text (as codespell reads it), without HTML tags, web addresses
    and text marked as another language than ``language``; every line stays on its line and
    every word in its column."""
    from iopguide.content.spelling import _spell_text

    lines = _spell_text(page).split("\n")
    # The title and description are read; their keys are not words of the page.
    for key in ("title", "description"):
        line = page.front_matter.key_lines.get(key)
        if line and lines[line - 1].startswith(f"{key}:"):
            lines[line - 1] = " " * (len(key) + 1) + lines[line - 1][len(key) + 1 :]
    text = "\n".join(lines)
    for pattern, words, lang in _MARKED:
        for match in pattern.finditer(page.text):
            if language and match[lang].split("-")[0].lower() != language:
                text = _blank(text, *match.span(words))
    text = _ADMONITION.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + " " * len(m[1]), text)
    for pattern in (_LANG_ATTRIBUTES, _TAG, _WEB_ADDRESS):
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


class Checker:
    """One language's dictionary and word list; remembers each word it looked up."""

    def __init__(self, base: Path, words: frozenset[str]) -> None:
        self.dictionary = _dictionary(str(base))
        self.words = words
        self.lowered = frozenset(w.lower() for w in words)
        self._known: dict[str, bool] = {}

    def knows(self, word: str) -> bool:
        if word in self.words or word.lower() in self.lowered:
            return True
        if word not in self._known:
            self._known[word] = bool(self.dictionary.lookup(word))
        return self._known[word]

    def suggestion(self, word: str) -> str | None:
        """A known word one edit away (an accent first: the most common slip in Spanish), or
        None. Hunspell's own suggestions take seconds per word in spylls; these take
        milliseconds: about a thousand dictionary look-ups."""
        for candidate in _accent_variants(word):
            if self.dictionary.lookup(candidate):
                return candidate
        letters = "abcdefghijklmnopqrstuvwxyzáéíóúüñ"
        lower = word.lower()
        splits = [(lower[:i], lower[i:]) for i in range(len(lower) + 1)]
        candidates = (
            [a + b[1:] for a, b in splits if b]
            + [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
            + [a + c + b[1:] for a, b in splits if b for c in letters]
            + [a + c + b for a, b in splits for c in letters]
        )
        for candidate in candidates:
            if candidate != lower and len(candidate) > 1 and self.dictionary.lookup(candidate):
                return candidate if not word[:1].isupper() else candidate.capitalize()
        return None


_ACCENTS = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "úü", "n": "ñ"}
_PLAIN = {accented: plain for plain, marks in _ACCENTS.items() for accented in marks}


def _accent_variants(word: str) -> list[str]:
    """``word`` with one accent added, removed or changed: ``consejeria`` -> ``consejería``."""
    variants = []
    for i, char in enumerate(word):
        base = _PLAIN.get(char.lower(), char.lower())
        for option in [base, *_ACCENTS.get(base, "")]:
            if option != char.lower():
                new = option.upper() if char.isupper() else option
                variants.append(word[:i] + new + word[i + 1 :])
    return variants


def check(pages: list[Page], language: str, rules: LanguageRules, root: Path) -> list[Problem]:
    """Every word of ``pages`` (all in ``language``) that neither the dictionary nor our word
    list knows, as ``docs/x.es.md:line:col: [spelling-es] ...``."""
    if not pages or not rules.spelling_dictionary:
        return []
    words_file = rules.spelling_words_file
    shown = _relative(words_file, root) if words_file else f"a word list for '{language}'"
    base = dictionary_path(rules.spelling_dictionary)
    if base is None:
        return [_missing(rules.spelling_dictionary, language, len(pages))]
    stamp = words_file.stat().st_mtime if words_file and words_file.is_file() else 0.0
    checker = Checker(base, read_words(words_file, stamp))
    problems: list[Problem] = []
    rule = f"spelling-{language}"
    suggestions = MAX_SUGGESTIONS
    for page in pages:
        seen: set[str] = set()
        for number, line in enumerate(spell_text(page, language).split("\n"), start=1):
            for match in _WORD.finditer(line):
                word = match.group(0)
                if len(word) < 2 or checker.knows(word):
                    continue
                # One message per word and page: the first place it is written.
                if word in seen:
                    continue
                seen.add(word)
                # A guess costs up to a second for a long word: a page full of new names
                # (a fresh translation) gets guesses for its first words only.
                guess = checker.suggestion(word) if suggestions > 0 else None
                suggestions -= 1
                hint = f' (perhaps "{guess}")' if guess else ""
                problems.append(
                    Problem(
                        page.rel,
                        number,
                        match.start() + 1,
                        rule,
                        f'"{word}" is not in the {rules.spelling_dictionary} dictionary{hint}',
                        "correct the spelling. If the word is right (a name, a medicine, an "
                        f"acronym), add it to {shown}, one word per line, written as on the page",
                        guide=GUIDE,
                    )
                )
    return problems


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _missing(name: str, language: str, count: int) -> Problem:
    package = PACKAGES.get(language, f"hunspell-{language}")
    in_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    return Problem(
        RULES_FILE,
        None,
        None,
        f"spelling-{language}-dictionary",
        f"the Hunspell dictionary {name} is not installed, so {count} page(s) in '{language}' "
        "were not spell-checked",
        f"install it: sudo apt-get install -y {package} (or set IOPGUIDE_HUNSPELL_PATH to the "
        f"folder holding {name}.dic and {name}.aff)",
        severity=Severity.ERROR if in_ci else Severity.WARNING,
        guide=GUIDE,
    )
