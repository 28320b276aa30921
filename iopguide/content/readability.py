"""Reading grade of a page's prose (textstat 0.7.8: works offline), and ``python -m iopguide
readability``: every page's grade, exit 1 above the ceiling of content-rules.yml, as the build.
What counts as prose: docs/style-guide.md#plain-language; a paragraph or list item without end
punctuation gets a period, so a list does not read as one endless sentence."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import textstat

from iopguide import project
from iopguide.citations.scan import citation_spans
from iopguide.content.markup import headings, markup_masked
from iopguide.content.page import Page, read_page
from iopguide.content.rules import EASE_MEASURES, READING_MEASURES, Rules, load_rules, say
from iopguide.i18n import load_languages, page_language
from iopguide.markdown_tokens import ATX_RE, SETEXT_RE, mask
from iopguide.report import Problem, ProblemsFound

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
_INLINE = [  # (pattern, replacement): Markdown and HTML -> the words a reader reads
    (r"!\[[^\]]*\]\([^)]*\)", " "),  # images
    (r"\[\^[^\]]+\]", " "),  # footnote references
    (r"\[([^\[\]]*)\]\([^)]*\)", r"\1"),  # links -> their text
    (r"\[([^\[\]]*)\]\[[^\]]*\]", r"\1"),  # reference links
    (r"<https?://[^>]*>|https?://\S+", " "),  # bare addresses
    (r"<[^>]+>", " "),  # HTML tags
    (r"\{[:#.][^}]*\}", " "),  # attribute lists
    (r"[*_~]{1,3}", ""),  # emphasis markers
]
#: Abbreviations that do not end a sentence ("e.g." -> "eg").
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

    def over(self, rules: Rules) -> dict[str, float]:
        """The measures of ``rules`` above its ceiling."""
        over = {k: v for k, v in self.scores.items() if v > rules.reading_ceiling}
        return {k: v for k, v in over.items() if k in rules.reading_measures and self.graded}


def _clean_inline(text: str) -> str:
    for pattern, repl in _INLINE:
        text = re.sub(pattern, repl, text)
    for compiled, repl in _ABBREVIATIONS:
        text = compiled.sub(repl, text)
    return re.sub(r"\s+([.,;:!?])", r"\1", " ".join(text.split()))


def prose_blocks(page: Page) -> list[tuple[int, str]]:
    """(first line, text) of each paragraph or list item that counts as prose."""
    text = markup_masked(page)
    lines = mask(text, citation_spans(text)).split("\n")  # citations are not prose
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    for index, raw in enumerate(lines):
        underlined = index + 1 < len(lines) and SETEXT_RE.match(lines[index + 1]) and raw.strip()
        if (
            index + 1 < page.body_start
            or not raw.strip()
            or ATX_RE.match(raw)
            or _SKIP_LINE_RE.match(raw)
            or underlined
            or (SETEXT_RE.match(raw) and index > 0 and lines[index - 1].strip())
        ):
            current = None
            continue
        line = re.sub(r"^:\s+", "", re.sub(r"^(>\s*)+", "", raw.strip()))  # quotes, definitions
        if item := _ITEM_RE.match(line):
            line, current = line[item.end() :], None
        if current is None:
            current = []
            blocks.append((index + 1, current))
        current.append(line)
    result = []
    for first, parts in blocks:
        text = _clean_inline(" ".join(parts))
        if re.search(r"[A-Za-z]", text):
            result.append((first, text if re.search(r"[.!?][\"')\]]*$", text) else text + "."))
    return result


def prose(page: Page) -> str:
    return " ".join(text for _, text in prose_blocks(page))


def _words(text: str) -> int:
    return int(textstat.lexicon_count(text)) if text else 0


def grade_text(text: str, rules: Rules, name: str = "") -> Grade:
    sentences = textstat.sentence_count(text) if text else 0
    scores = {m: float(getattr(textstat, m)(text)) if text else 0.0 for m in READING_MEASURES}
    return Grade(name, _words(text), sentences, scores, _words(text) >= rules.reading_min_words)


def grade_page(page: Page, rules: Rules) -> Grade:
    return grade_text(prose(page), rules, page.rel)


#: language -> a textstat object of its own (set_lang on the module would change the language
#: for every other caller too).
_STATS: dict[str, Any] = {}


def reading_ease(text: str, measure: str, language: str) -> float:
    """``measure`` (e.g. fernandez_huerta) of ``text``, syllables counted with ``language``'s
    hyphenation rules."""
    if language not in _STATS:
        _STATS[language] = type(textstat.textstat)()
        _STATS[language].set_lang(language)
    return float(getattr(_STATS[language], measure)(text))


def _ease(page: Page, rules: Rules, code: str) -> tuple[int, float, str | None]:
    """Words, reading ease and what is wrong (None: nothing) of a translated page."""
    own, text = rules.languages[code], prose(page)
    score = reading_ease(text, own.reading_measure, code) if text else 0.0
    if _words(text) < rules.reading_min_words:
        return _words(text), score, f"not graded (under {rules.reading_min_words} words)"
    return (
        _words(text),
        score,
        f"under {own.reading_floor:g}" if score < own.reading_floor else None,
    )


def check(page: Page, rules: Rules) -> list[Problem]:
    """A page above the grade ceiling (a translation: under its language's reading ease floor),
    reported on its main heading."""
    line = next((n for n, level, _ in headings(page) if level == 1), page.body_start)
    if rules.language in rules.languages:
        own = rules.languages[str(rules.language)]
        _, score, wrong = _ease(page, rules, str(rules.language))
        if not wrong or wrong.startswith("not graded"):
            return []
        name, floor = EASE_MEASURES[own.reading_measure], f"{own.reading_floor:g}"
        return [
            say(
                page.rel,
                line,
                "reading-level/ease",
                score=f"{score:.1f}",
                measure=name,
                floor=floor,
            )
        ]
    over = grade_page(page, rules).over(rules)
    if not over:
        return []
    scores = " and ".join(f"{v:.1f} ({READING_MEASURES[m]})" for m, v in over.items())
    scored = [
        (textstat.flesch_kincaid_grade(text), first)
        for first, text in prose_blocks(page)
        if textstat.lexicon_count(text) >= 8
    ]
    hardest = max(scored, default=None)
    where = (
        f"; start with the paragraph on line {hardest[1]} (grade {hardest[0]:.1f})"
        if hardest
        else ""
    )
    ceiling = f"{rules.reading_ceiling:g}"
    return [say(page.rel, line, "reading-level", scores=scores, ceiling=ceiling, where=where)]


def main(argv: list[str]) -> int:
    """``python -m iopguide readability``: the table."""
    from iopguide.content.cli import parser, resolve_paths

    args = parser(
        "python -m iopguide readability", "Print the reading grade of every page."
    ).parse_args(argv)
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
    codes = list(load_languages(root))
    translated = [p for p in paths if page_language(p.name, codes) in rules.languages]
    failed = _translated_table(translated, root, rules, codes) if translated else 0
    grades = [grade_page(read_page(p, root), rules) for p in paths if p not in translated]
    width = max([len("page"), *(len(g.page) for g in grades)])
    header = f"{'page':<{width}}  {'words':>5}  {'sentences':>9}  " + "  ".join(
        f"{n:>14}" for n in READING_MEASURES.values()
    )
    print(f"{header}  result\n{'-' * (len(header) + 8)}")
    for grade in grades:
        scores = "  ".join(f"{grade.scores[m]:>14.1f}" for m in READING_MEASURES)
        over = [READING_MEASURES[m] for m in grade.over(rules)]
        result = "ok"
        if not grade.graded:
            result = f"not graded (under {rules.reading_min_words} words)"
        elif over:
            failed += 1
            result = "TOO HARD: " + ", ".join(over)
        print(f"{grade.page:<{width}}  {grade.words:>5}  {grade.sentences:>9}  {scores}  {result}")
    measured = ", ".join(READING_MEASURES[m] for m in rules.reading_measures)
    print(
        f"\nCeiling: US school grade {rules.reading_ceiling:g} ({measured}), set in "
        f"content-rules.yml. {failed} page{'s' if failed != 1 else ''} above it."
    )
    return 1 if failed else 0


def _translated_table(paths: list[Path], root: Path, rules: Rules, codes: list[str]) -> int:
    """Translated pages: the reading ease of their language (higher is easier)."""
    width = max(len("page"), *(len(p.relative_to(root).as_posix()) for p in paths))
    print(f"{'page':<{width}}  {'words':>5}  {'reading ease':>12}  result\n{'-' * (width + 36)}")
    failed = 0
    for path in paths:
        page = read_page(path, root)
        code = str(page_language(path.name, codes))
        words, score, wrong = _ease(page, rules, code)
        failed += bool(wrong and not wrong.startswith("not graded"))
        result = (
            "ok" if wrong is None else wrong if wrong.startswith("not") else f"TOO HARD: {wrong}"
        )
        name = EASE_MEASURES[rules.languages[code].reading_measure]
        print(f"{page.rel:<{width}}  {words:>5}  {score:>12.1f}  {result} ({code}, {name})")
    print()
    return failed
