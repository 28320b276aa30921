"""Spelling of translated pages: a Hunspell dictionary (Spanish: Debian's hunspell-es, es_US)
read by spylls, plus our word list (spelling-es.txt); codespell stays the English check. A missing
dictionary is a warning on an editor's machine (``make serve`` keeps working), an error in CI."""

from __future__ import annotations

import os
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from iopguide.content.page import Page
from iopguide.content.rules import RULES_FILE, Rules, relative, say, words
from iopguide.markdown_tokens import mask
from iopguide.report import Problem, Severity

#: Hunspell folders (Debian, Ubuntu), after those of IOPGUIDE_HUNSPELL_PATH (":"-separated)
DICTIONARY_DIRS = ("/usr/share/hunspell", "/usr/share/myspell/dicts", "/usr/share/myspell")
#: The Debian package of each language's dictionaries (the fix of a missing dictionary).
PACKAGES = {"es": "hunspell-es"}
#: At most this many words of one run get a suggestion (a guess can take a second).
MAX_SUGGESTIONS = 20
_WORD = re.compile(r"\b[^\W\d_]+\b")
#: Words marked as another language: ``*a*{lang=en}``, ``[a](url){lang=en}``, ``<span lang=en>``
_LANG = r"\blang=[\"']?(?P<lang>[\w-]+)"
_MARKED = (
    re.compile(r"(\*\*|\*|__|_)(?P<words>(?:(?!\1)[^\n]|\n(?!\n))+?)\1\{[^}\n]*?" + _LANG),
    re.compile(r"\[(?P<words>(?:[^\]\n]|\n(?!\n))+)\]\([^)\n]*\)\{[^}\n]*?" + _LANG),
    re.compile(r"(?s)<(\w+)\b[^>]*?" + _LANG + r"[^>]*>(?P<words>.*?)</\1\s*>"),
)
#: Not words: ``{lang=en}`` attribute lists, HTML tags and entities, web addresses.
_NOT_WORDS = (
    re.compile(r"\{[^}\n]*\blang=[^}\n]*\}"),
    re.compile(r"<[^>\n]*>|&#?\w+;"),
    re.compile(r"\b(?:[\w-]+\.)+(?:org|gov|com|net|edu|us|es|info)\b(?:/[^\s)]*)?"),
)
#: An admonition's type and classes (``!!! danger "Título"``): keywords, not words.
_ADMONITION = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+([^\"\n]*)", re.MULTILINE)
_ACCENTS = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "úü", "n": "ñ"}
_PLAIN = {accented: plain for plain, marks in _ACCENTS.items() for accented in marks}


def dictionary_path(name: str) -> Path | None:  # <dir>/<name> with <name>.dic and <name>.aff
    extra = [d for d in os.environ.get("IOPGUIDE_HUNSPELL_PATH", "").split(":") if d]
    for base in (Path(folder) / name for folder in [*extra, *DICTIONARY_DIRS]):
        if base.with_suffix(".dic").is_file() and base.with_suffix(".aff").is_file():
            return base
    return None


@lru_cache(maxsize=4)
def _dictionary(base: str) -> Any:
    from spylls.hunspell import Dictionary

    return Dictionary.from_files(base)


def spell_text(page: Page, language: str = "") -> str:
    """The words to spell: no front matter keys, tags, addresses, or text in another language."""
    text = page.reader_text(keys=False)
    for pattern in _MARKED if language else ():
        found = [
            m for m in pattern.finditer(page.text) if m["lang"].split("-")[0].lower() != language
        ]
        text = mask(text, [m.span("words") for m in found])
    text = mask(text, [m.span(1) for m in _ADMONITION.finditer(text)])
    for pattern in _NOT_WORDS:  # one after the other: a tag inside an address is blanked first
        text = mask(text, [m.span() for m in pattern.finditer(text)])
    return text


def _suggestion(dictionary: Any, word: str) -> str | None:
    """A known word one edit away (an accent first: the most common slip in Spanish), or None.
    spylls' own suggestions take seconds per word; these about a thousand look-ups."""
    accents = [
        word[:i] + (option.upper() if char.isupper() else option) + word[i + 1 :]
        for i, char in enumerate(word)
        for base in [_PLAIN.get(char.lower(), char.lower())]
        for option in [base, *_ACCENTS.get(base, "")]
        if option != char.lower()
    ]
    if accented := next((c for c in accents if dictionary.lookup(c)), ""):
        return accented
    letters, lower = "abcdefghijklmnopqrstuvwxyzáéíóúüñ", word.lower()
    splits = [(lower[:i], lower[i:]) for i in range(len(lower) + 1)]
    edits = (
        [a + b[1:] for a, b in splits if b]
        + [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
        + [a + c + b[1:] for a, b in splits if b for c in letters]
        + [a + c + b for a, b in splits for c in letters]
    )
    known = (e for e in edits if e != lower and len(e) > 1 and dictionary.lookup(e))
    guess: str | None = next(known, None)
    return guess.capitalize() if guess and word[:1].isupper() else guess


def check(pages: list[Page], rules: Rules) -> list[Problem]:
    """Words of ``pages`` neither the dictionary nor our word list knows, once a page."""
    name, words_file = rules.spelling_dictionary, rules.spelling_words_file
    language = str(rules.language)
    if not pages or not name:
        return []
    if (base := dictionary_path(name)) is None:
        in_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
        severity = Severity.ERROR if in_ci else Severity.WARNING
        values: dict[str, Any] = {"name": name, "count": len(pages), "severity": severity}
        values |= {"language": language, "rule": f"spelling-{language}-dictionary"}
        package = PACKAGES.get(language, f"hunspell-{language}")
        return [say(RULES_FILE, None, "spelling-language-dictionary", package=package, **values)]
    no_list = words("spelling-language/no-list", language=language)
    shown = relative(words_file, rules.root) if words_file else no_list
    # Our word list: one word per line; ``#`` starts a comment.
    text = words_file.read_text(encoding="utf-8") if words_file and words_file.is_file() else ""
    listed = {w for w in (line.split("#", 1)[0].strip() for line in text.splitlines()) if w}
    dictionary, lowered = _dictionary(str(base)), {w.lower() for w in listed}
    knows = cache(lambda word: word in listed or word.lower() in lowered or dictionary.lookup(word))
    problems: list[Problem] = []
    fixed = {"dictionary": name, "words_file": shown, "rule": f"spelling-{language}"}
    for page in pages:
        seen: set[str] = set()
        for number, line in enumerate(spell_text(page, language).split("\n"), start=1):
            for match in _WORD.finditer(line):
                if len(word := match.group(0)) < 2 or word in seen or knows(word):
                    continue
                seen.add(word)
                # A page full of new names (a fresh translation) gets guesses for its first words.
                guess = _suggestion(dictionary, word) if len(problems) < MAX_SUGGESTIONS else None
                values = {"guess": guess, "word": word, "column": match.start() + 1, **fixed}
                key = "spelling-language/guess" if guess else "spelling-language"
                problems.append(say(page.rel, number, key, **values))
    return problems
