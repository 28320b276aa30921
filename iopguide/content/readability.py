"""Reading grade of a page's prose, with textstat 0.7.8 (works offline).

What counts as prose (documented in docs/style-guide.md#plain-language):
- counted: paragraphs, list items, block quotes, admonition bodies, definition lists, link text;
- not counted: front matter, headings, admonition titles, fenced code and inline code, tables,
  HTML comments and tags, images, link addresses, citations ``[@key]``, footnote and reference
  definitions, abbreviation definitions.
Each paragraph or list item is one or more sentences: one without end punctuation gets a
period, so a list does not read as one endless sentence. "e.g.", "i.e." and "vs." do not end a
sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import textstat

from iopguide.citations.scan import citation_spans
from iopguide.content.markup import markup_masked
from iopguide.content.page import Page
from iopguide.content.rules import EASE_MEASURES, READING_MEASURES, Rules
from iopguide.markdown_tokens import ATX_RE, SETEXT_RE, mask
from iopguide.report import Problem

GUIDE = "plain-language"

_SKIP_LINE_RE = re.compile(
    r"^\s*("
    r"\|"  # table row
    r"|:?-{3,}:?\s*\|"  # table separator
    r"|(!!!|\?\?\?\+?)\s"  # admonition title line
    r"|\[\^[^\]]+\]:"  # footnote definition
    r"|\[[^\]]+\]:\s"  # reference definition
    r"|\*\[[^\]]+\]:"  # abbreviation definition
    r"|([-*_]\s*){3,}$"  # horizontal rule
    r")"
)
_ITEM_RE = re.compile(r"^\s*([-*+]|\d+[.)])\s+(\[[ xX]\]\s+)?")
_ABBREVIATIONS = [
    (re.compile(r"\be\.g\.", re.I), "eg"),
    (re.compile(r"\bi\.e\.", re.I), "ie"),
    (re.compile(r"\bvs\.", re.I), "vs"),
    (re.compile(r"\betc\.(?=\s+[a-z])"), "etc"),
    (re.compile(r"\bU\.S\."), "US"),
    (re.compile(r"\b(Dr|Mr|Mrs|Ms)\.(?=\s)"), r"\1"),
    (re.compile(r"\b(p|pp)\.(?=\s*\d)"), r"\1"),
]


@dataclass(frozen=True)
class Grade:
    page: str
    words: int
    sentences: int
    scores: dict[str, float]
    graded: bool

    def over(self, ceiling: float) -> dict[str, float]:
        return {k: v for k, v in self.scores.items() if v > ceiling} if self.graded else {}


def _clean_inline(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)  # images
    text = re.sub(r"\[\^[^\]]+\]", " ", text)  # footnote references
    text = re.sub(r"\[([^\[\]]*)\]\([^)]*\)", r"\1", text)  # links -> their text
    text = re.sub(r"\[([^\[\]]*)\]\[[^\]]*\]", r"\1", text)  # reference links
    text = re.sub(r"<https?://[^>]*>|https?://\S+", " ", text)  # bare addresses
    text = re.sub(r"<[^>]+>", " ", text)  # HTML tags
    text = re.sub(r"\{[:#.][^}]*\}", " ", text)  # attribute lists
    text = re.sub(r"[*_~]{1,3}", "", text)  # emphasis markers
    for pattern, repl in _ABBREVIATIONS:
        text = pattern.sub(repl, text)
    text = " ".join(text.split())
    return re.sub(r"\s+([.,;:!?])", r"\1", text)


def prose_blocks(page: Page) -> list[tuple[int, str]]:
    """(first line, text) of each paragraph or list item that counts as prose."""
    text = markup_masked(page)
    lines = mask(text, citation_spans(text)).split("\n")  # citations are not prose
    blocks: list[tuple[int, list[str]]] = []
    current: tuple[int, list[str]] | None = None
    for index, raw in enumerate(lines):
        number = index + 1
        is_setext = SETEXT_RE.match(raw) and index > 0 and lines[index - 1].strip()
        skip = (
            number < page.body_start
            or not raw.strip()
            or ATX_RE.match(raw)
            or _SKIP_LINE_RE.match(raw)
            or (index + 1 < len(lines) and SETEXT_RE.match(lines[index + 1]) and raw.strip())
            or is_setext
        )
        if skip:
            current = None
            continue
        line = raw.strip()
        line = re.sub(r"^(>\s*)+", "", line)  # block quotes
        line = re.sub(r"^:\s+", "", line)  # definition list
        item = _ITEM_RE.match(line)
        if item:
            line = line[item.end() :]
            current = None
        if current is None:
            current = (number, [])
            blocks.append(current)
        current[1].append(line)
    result = []
    for first, parts in blocks:
        text = _clean_inline(" ".join(parts))
        if not re.search(r"[A-Za-z]", text):
            continue
        if not re.search(r"[.!?][\"')\]]*$", text):
            text += "."
        result.append((first, text))
    return result


def prose(page: Page) -> str:
    return " ".join(text for _, text in prose_blocks(page))


def grade_text(text: str, rules: Rules, name: str = "") -> Grade:
    words = textstat.lexicon_count(text) if text else 0
    sentences = textstat.sentence_count(text) if text else 0
    scores = {m: float(getattr(textstat, m)(text)) if text else 0.0 for m in READING_MEASURES}
    return Grade(name, words, sentences, scores, words >= rules.reading_min_words)


def grade_page(page: Page, rules: Rules) -> Grade:
    return grade_text(prose(page), rules, page.rel)


def hardest_block(page: Page) -> tuple[int, float] | None:
    """Line and grade of the paragraph or list item with the highest Flesch-Kincaid grade."""
    scored = [
        (textstat.flesch_kincaid_grade(text), first)
        for first, text in prose_blocks(page)
        if textstat.lexicon_count(text) >= 8
    ]
    if not scored:
        return None
    grade, first = max(scored)
    return first, grade


#: language code -> textstat's language name (a textstat object per language: set_lang on the
#: module would change the language for every other caller too).
_TEXTSTAT_LANG = {"es": "es"}
_STATS: dict[str, Any] = {}


def reading_ease(text: str, measure: str, language: str) -> float:
    """``measure`` (e.g. fernandez_huerta) of ``text`` in ``language``, syllables counted with
    that language's hyphenation rules."""
    stats = _STATS.get(language)
    if stats is None:
        stats = _STATS[language] = type(textstat.textstat)()
        stats.set_lang(_TEXTSTAT_LANG.get(language, language))
    return float(getattr(stats, measure)(text))


def check_ease(page: Page, rules: Rules) -> list[Problem]:
    """A translated page: its reading ease must be at least its language's floor."""
    own = rules.languages[str(rules.language)]
    text = prose(page)
    words = textstat.lexicon_count(text) if text else 0
    if words < rules.reading_min_words:
        return []
    score = reading_ease(text, own.reading_measure, str(rules.language))
    if score >= own.reading_floor:
        return []
    name = EASE_MEASURES[own.reading_measure]
    return [
        Problem(
            page.rel,
            page.body_start,
            None,
            "reading-level",
            f"This page's reading ease is {score:.1f} ({name}); the lowest allowed is "
            f"{own.reading_floor:g}",
            "use shorter sentences and shorter, everyday words; explain one idea at a time. "
            "Run 'make readability' to see the score of every page",
            guide=GUIDE,
        )
    ]


def check(page: Page, rules: Rules, grade: Grade | None = None) -> list[Problem]:
    if rules.language is not None and rules.language in rules.languages:
        return check_ease(page, rules)
    grade = grade or grade_page(page, rules)
    measures = {m: v for m, v in grade.over(rules.reading_ceiling).items()}
    measures = {m: v for m, v in measures.items() if m in rules.reading_measures}
    if not measures:
        return []
    scores = " and ".join(f"{v:.1f} ({READING_MEASURES[m]})" for m, v in measures.items())
    hardest = hardest_block(page)
    where = (
        f"; start with the paragraph on line {hardest[0]} (grade {hardest[1]:.1f})"
        if hardest
        else ""
    )
    ceiling = f"{rules.reading_ceiling:g}"
    return [
        Problem(
            page.rel,
            page.body_start,
            None,
            "reading-level",
            f"This page reads at US school grade {scores}; the highest allowed is {ceiling}",
            "use shorter sentences and everyday words, and explain one idea at a time"
            f"{where}. Run 'make readability' to see the grade of every page",
            guide=GUIDE,
        )
    ]
