"""Reading grade of a page's prose (textstat, offline), and ``python -m iopguide readability``:
every page's grade, exit 1 above the ceiling of content-rules.yml. What counts as prose:
docs/style-guide.md#plain-language; a block without end punctuation gets a period."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

import textstat

from iopguide import project
from iopguide.content.page import Page, read_page
from iopguide.content.rules import EASE_MEASURES, READING_MEASURES, Rules, load_rules, say, words
from iopguide.i18n import page_language
from iopguide.markdown_tokens import mask
from iopguide.report import Problem, ProblemsFound, plural, print_error

_SKIP_LINE_RE = re.compile(  # tables, admonition titles, definitions, horizontal rules
    r"^\s*(\||:?-{3,}:?\s*\||(!!!|\?\?\?\+?)\s|\[\^[^\]]+\]:|\[[^\]]+\]:\s|\*\[[^\]]+\]:"
    r"|([-*_]\s*){3,}$)"
)
_ITEM_RE = re.compile(r"^\s*([-*+]|\d+[.)])\s+(\[[ xX]\]\s+)?")
_INLINE = [  # (pattern, replacement): Markdown and HTML -> the words a reader reads
    (r"!\[[^\]]*\]\([^)]*\)", " "),  # images
    (r"\[\^[^\]]+\]", " "),  # footnote references
    (r"\[([^\[\]]*)\]\([^)]*\)", r"\1"),  # links -> their text
    (r"\[([^\[\]]*)\]\[[^\]]*\]", r"\1"),  # reference links
    (r"<https?://[^>]*>|https?://\S+", " "),  # bare addresses
    (r"<[^>]+>", " "),  # HTML tags
    (r"\{[:#.][^}]*\}", " "),  # attribute lists
    (r"[*_~]{1,3}", ""),  # emphasis markers
    # Abbreviations that do not end a sentence ("e.g." -> "eg").
    (r"(?i)\be\.g\.", "eg"),
    (r"(?i)\bi\.e\.", "ie"),
    (r"(?i)\bvs\.", "vs"),
    (r"\betc\.(?=\s+[a-z])", "etc"),
    (r"\bU\.S\.", "US"),
    (r"\b(Dr|Mr|Mrs|Ms)\.(?=\s)", r"\1"),
    (r"\b(p|pp)\.(?=\s*\d)", r"\1"),
]


@dataclass(frozen=True)
class Grade:
    page: str
    words: int
    sentences: int
    scores: dict[str, float]
    graded: bool

    def over(self, rules: Rules) -> dict[str, float]:  # above the ceiling (a translation: under)
        if rules.language:  # reading ease: higher is easier
            return {k: v for k, v in self.scores.items() if v < rules.reading_floor and self.graded}
        measured = {k: v for k, v in self.scores.items() if k in rules.reading_measures}
        return {k: v for k, v in measured.items() if v > rules.reading_ceiling and self.graded}


def prose_blocks(page: Page) -> list[tuple[int, str]]:
    """(first line, text) of each paragraph or list item that counts as prose."""
    text = page.markup_masked
    lines = mask(text, page.citations).split("\n")  # citations are not prose
    # A heading's line, and a setext heading's underline (its line does not start with "#").
    heads = {n - 1 for n, _, _ in page.headings}
    heads |= {n + 1 for n in heads if not lines[n].startswith("#")}
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    for index, raw in enumerate(lines):
        if not raw.strip() or index in heads or _SKIP_LINE_RE.match(raw):
            current = None
            continue
        line = re.sub(r"^:\s+", "", re.sub(r"^(>\s*)+", "", raw.strip()))  # quotes, definitions
        if item := _ITEM_RE.match(line):
            line, current = line[item.end() :], None
        if current is None:
            blocks.append((index + 1, current := []))
        current.append(line)
    found = []
    for first, parts in blocks:
        text = " ".join(parts)
        for pattern, repl in _INLINE:
            text = re.sub(pattern, repl, text)
        text = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(text.split()))
        if re.search(r"[A-Za-z]", text):
            found.append((first, text if re.search(r"[.!?][\"')\]]*$", text) else text + "."))
    return found


def prose(page: Page) -> str:
    return " ".join(text for _, text in prose_blocks(page))


#: language -> its own textstat object (set_lang on the module would change every caller's).
_STATS: dict[str, Any] = {}


def grade_text(text: str, rules: Rules, name: str = "") -> Grade:
    """A translation is scored by its reading ease, syllables by its language's hyphenation."""
    stats, measures = textstat, list(READING_MEASURES)
    if (code := rules.language) and code not in _STATS:
        _STATS[code] = type(textstat.textstat)()
        _STATS[code].set_lang(code)
    if code:
        stats, measures = _STATS[code], [rules.reading_measure]
    words, sentences = textstat.lexicon_count(text), textstat.sentence_count(text)
    scores = {m: float(getattr(stats, m)(text)) if text else 0.0 for m in measures}
    return Grade(name, words, sentences, scores, words >= rules.reading_min_words)


def grade_page(page: Page, rules: Rules) -> Grade:
    return grade_text(prose(page), rules, page.rel)


def check(page: Page, rules: Rules) -> list[Problem]:
    """A page above the grade ceiling (a translation: under its reading ease floor)."""
    line = next((n for n, level, _ in page.headings if level == 1), page.front_matter.end_line + 1)
    if not (over := grade_page(page, rules).over(rules)):
        return []
    if rules.language:
        measure, floor = EASE_MEASURES[rules.reading_measure], f"{rules.reading_floor:g}"
        values: dict[str, Any] = {"score": f"{over[rules.reading_measure]:.1f}", "floor": floor}
        return [say(page.rel, line, "reading-level/ease", measure=measure, **values)]
    scores = " and ".join(f"{v:.1f} ({READING_MEASURES[m]})" for m, v in over.items())
    blocks = [(t, first) for first, t in prose_blocks(page) if textstat.lexicon_count(t) >= 8]
    grade, first = max(((textstat.flesch_kincaid_grade(t), n) for t, n in blocks), default=(0.0, 0))
    where = words("readability/where", line=first, grade=grade) if blocks else ""
    ceiling = f"{rules.reading_ceiling:g}"
    return [say(page.rel, line, "reading-level", scores=scores, ceiling=ceiling, where=where)]


def _result(grade: Grade, rules: Rules, over: str) -> str:
    if over:
        return words("readability/too-hard", what=over)
    return words("readability/ok" if grade.graded else "readability/not-graded", rules=rules)


def main(argv: list[str]) -> int:
    """``python -m iopguide readability``: the table."""
    from iopguide.content.checker import parser, resolve_paths

    args = parser("readability", "help/readability").parse_args(argv)
    root = project.root_of(args.root)
    try:
        rules = load_rules(root)
        paths = resolve_paths(args.paths, root) or project.pages(root)
    except FileNotFoundError as exc:
        return print_error(exc)
    except ProblemsFound as exc:
        print(exc, file=sys.stderr)
        return 1
    page, count, result = (words(f"readability/{c}") for c in ("page", "words", "result"))
    own, failed = {p: rules.of_language(page_language(p.name, rules.codes)) for p in paths}, 0
    grades = {p: grade_page(read_page(p, root), own[p]) for p in paths}
    if translated := [p for p in paths if own[p].language]:  # by reading ease: higher is easier
        width = max(len(page), *(len(grades[p].page) for p in translated))
        header = f"{page:<{width}}  {count:>5}  {words('readability/ease'):>12}"
        print(f"{header}  {result}\n{'-' * (len(header) + 15)}")
        for grade, ease in ((grades[p], own[p]) for p in translated):
            over = words("readability/floor", rules=ease) if grade.over(ease) else ""
            failed, score = failed + bool(over), grade.scores[ease.reading_measure]
            name = EASE_MEASURES[ease.reading_measure]
            verdict = f"{_result(grade, ease, over)} ({ease.language}, {name})"
            print(f"{grade.page:<{width}}  {grade.words:>5}  {score:>12.1f}  {verdict}")
        print()
    english = [grades[p] for p in paths if not own[p].language]
    width = max([len(page), *(len(g.page) for g in english)])
    names = "  ".join(f"{n:>14}" for n in READING_MEASURES.values())
    header = f"{page:<{width}}  {count:>5}  {words('readability/sentences'):>9}  {names}"
    print(f"{header}  {result}\n{'-' * (len(header) + 8)}")
    for grade in english:
        scores = "  ".join(f"{grade.scores[m]:>14.1f}" for m in READING_MEASURES)
        over = ", ".join(READING_MEASURES[m] for m in grade.over(rules))
        failed, verdict = failed + bool(over), _result(grade, rules, over)
        print(f"{grade.page:<{width}}  {grade.words:>5}  {grade.sentences:>9}  {scores}  {verdict}")
    measured = ", ".join(READING_MEASURES[m] for m in rules.reading_measures)
    values = {"rules": rules, "measured": measured, "pages": plural(failed, "page")}
    print("\n" + words("readability/ceiling", **values))
    return 1 if failed else 0
