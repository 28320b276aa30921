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
from iopguide.content.rules import EASE_MEASURES, READING_MEASURES, Rules, load_rules, say
from iopguide.i18n import load_languages, page_language
from iopguide.markdown_tokens import mask
from iopguide.report import Problem, ProblemsFound, plural

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

    def over(self, rules: Rules) -> dict[str, float]:  # the measures of ``rules`` above its ceiling
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


def grade_text(text: str, rules: Rules, name: str = "") -> Grade:
    words, sentences = textstat.lexicon_count(text), textstat.sentence_count(text)
    scores = {m: float(getattr(textstat, m)(text)) if text else 0.0 for m in READING_MEASURES}
    return Grade(name, words, sentences, scores, words >= rules.reading_min_words)


def grade_page(page: Page, rules: Rules) -> Grade:
    return grade_text(prose(page), rules, page.rel)


#: language -> its own textstat object (set_lang on the module would change every caller's).
_STATS: dict[str, Any] = {}


def _ease(page: Page, own: Rules) -> tuple[int, float, str]:
    """Words, reading ease (syllables by its language's hyphenation), verdict of a translation."""
    code, text = str(own.language), prose(page)
    if code not in _STATS:
        _STATS[code] = type(textstat.textstat)()
        _STATS[code].set_lang(code)
    score = float(getattr(_STATS[code], own.reading_measure)(text)) if text else 0.0
    words, hard = textstat.lexicon_count(text), score < own.reading_floor
    if words < own.reading_min_words:
        return words, score, f"not graded (under {own.reading_min_words} words)"
    return words, score, f"TOO HARD: under {own.reading_floor:g}" if hard else "ok"


def check(page: Page, rules: Rules) -> list[Problem]:
    """A page above the grade ceiling (a translation: under its reading ease floor)."""
    line = next((n for n, level, _ in page.headings if level == 1), page.front_matter.end_line + 1)
    if rules.language:
        _, score, verdict = _ease(page, rules)
        measure, floor = EASE_MEASURES[rules.reading_measure], f"{rules.reading_floor:g}"
        values: dict[str, Any] = {"score": f"{score:.1f}", "measure": measure, "floor": floor}
        return [say(page.rel, line, "reading-level/ease", **values)] if "HARD" in verdict else []
    if not (over := grade_page(page, rules).over(rules)):
        return []
    scores = " and ".join(f"{v:.1f} ({READING_MEASURES[m]})" for m, v in over.items())
    blocks = [(t, first) for first, t in prose_blocks(page) if textstat.lexicon_count(t) >= 8]
    grade, first = max(((textstat.flesch_kincaid_grade(t), n) for t, n in blocks), default=(0.0, 0))
    where = f"; start with the paragraph on line {first} (grade {grade:.1f})" if blocks else ""
    ceiling = f"{rules.reading_ceiling:g}"
    return [say(page.rel, line, "reading-level", scores=scores, ceiling=ceiling, where=where)]


def main(argv: list[str]) -> int:
    """``python -m iopguide readability``: the table."""
    from iopguide.content.checker import parser, resolve_paths

    prog, description = "python -m iopguide readability", "Print the reading grade of every page."
    args = parser(prog, description).parse_args(argv)
    root = project.root_of(args.root)
    try:
        rules = load_rules(root)
        paths = resolve_paths(args.paths, root) or project.pages(root)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ProblemsFound as exc:
        print(exc, file=sys.stderr)
        return 1
    codes, failed = list(load_languages(root)), 0
    translated = {p: c for p in paths if (c := page_language(p.name, codes)) in rules.languages}
    if translated:  # the reading ease of their language (higher is easier)
        width = max(len("page"), *(len(p.relative_to(root).as_posix()) for p in translated))
        print(f"{'page':<{width}}  {'words':>5}  {'reading ease':>12}  result")
        print("-" * (width + 36))
        for path, code in translated.items():
            page, own = read_page(path, root), rules.languages[str(code)]
            words, score, verdict = _ease(page, own)
            failed += "HARD" in verdict
            name = EASE_MEASURES[own.reading_measure]
            print(f"{page.rel:<{width}}  {words:>5}  {score:>12.1f}  {verdict} ({code}, {name})")
        print()
    grades = [grade_page(read_page(p, root), rules) for p in paths if p not in translated]
    width = max([len("page"), *(len(g.page) for g in grades)])
    names = "  ".join(f"{n:>14}" for n in READING_MEASURES.values())
    header = f"{'page':<{width}}  {'words':>5}  {'sentences':>9}  {names}"
    print(f"{header}  result\n{'-' * (len(header) + 8)}")
    for grade in grades:
        scores = "  ".join(f"{grade.scores[m]:>14.1f}" for m in READING_MEASURES)
        over = ", ".join(READING_MEASURES[m] for m in grade.over(rules))
        result = "ok" if grade.graded else f"not graded (under {rules.reading_min_words} words)"
        failed, result = failed + bool(over), f"TOO HARD: {over}" if over else result
        print(f"{grade.page:<{width}}  {grade.words:>5}  {grade.sentences:>9}  {scores}  {result}")
    measured = ", ".join(READING_MEASURES[m] for m in rules.reading_measures)
    ceiling = f"US school grade {rules.reading_ceiling:g} ({measured}), set in content-rules.yml"
    print(f"\nCeiling: {ceiling}. {plural(failed, 'page')} above it.")
    return 1 if failed else 0
