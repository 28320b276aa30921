"""Each fixture page in tests/fixtures/content/pages/ has one mistake (many.md has several).

Every test runs the real command, ``python -m iopguide content <page>``, and asserts its exit
code and the exact lines an editor reads: page, line, rule, what is wrong, how to fix it, and
the style guide section. Review dates are checked against a fixed day (2026-11-28).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from iopguide import ROOT
from iopguide.content import checker as cli

PAGES = ROOT / "tests" / "fixtures" / "content" / "pages"
TODAY = "2026-11-28"


@dataclass
class Expected:
    line: int
    rule: str
    message: str
    fix: str
    guide: str
    warning: bool = False
    column: int | None = None

    def text(self, page: str) -> str:
        level = "warning: " if self.warning else ""
        where = f"{self.line}:{self.column}" if self.column else self.line
        return (
            f"tests/fixtures/content/pages/{page}.md:{where}: {level}[{self.rule}] "
            f"{self.message}. Fix: {self.fix}. (See docs/style-guide.md#{self.guide})"
        )


EXPECTED: dict[str, list[Expected]] = {
    "bad-date": [
        Expected(
            4,
            "front-matter-date",
            "last_reviewed '28/11/2026' is not a date",
            "write the date as YYYY-MM-DD, like `last_reviewed: 2026-11-28`",
            "review-dates",
        ),
    ],
    "description-short": [
        Expected(
            3,
            "description-length",
            "The description is 10 characters long; it must be 50 to 160 characters",
            (
                "say a little more (one or two plain sentences that say what the page "
                "covers; search engines show it)"
            ),
            "front-matter",
        ),
    ],
    "h1-extra": [
        Expected(
            13,
            "h1-extra",
            "This page has more than one main heading ('# '); the first is on line 9",
            "keep one main heading per page: start this one with '## ' instead",
            "headings-links-and-images",
        ),
    ],
    "h1-missing": [
        Expected(
            8,
            "h1-missing",
            "This page has no main heading (a line that starts with '# ')",
            ("add one main heading just under the front matter, like `# Levels of care`"),
            "headings-links-and-images",
        ),
    ],
    "heading-skip": [
        Expected(
            17,
            "heading-skip",
            "This heading jumps from level 2 (##) to level 4 (####)",
            (
                "start it with '### ' so no level is skipped: screen reader users move "
                "through a page by heading level"
            ),
            "headings-links-and-images",
        ),
    ],
    "image-alt": [
        Expected(
            13,
            "image-alt",
            "This image has no alt text",
            (
                "write what the image shows between the brackets, like ![A group meeting "
                "in a bright room](assets/group.png)"
            ),
            "headings-links-and-images",
        ),
    ],
    "language": [
        Expected(
            12,
            "language",
            '"addict" can label or shame people (NIDA Words Matter; ONDCP 2017)',
            (
                'write "person with a substance use disorder" instead. If you quote a '
                "title or a person, put <!-- allow-term: addict --> on the line before"
            ),
            "person-first-language",
        ),
    ],
    "link-empty": [
        Expected(
            13,
            "link-empty",
            "This link has no text, so screen readers cannot say where it goes",
            (
                "put words between the brackets that say where the link goes, like "
                "[questions to ask a program](questions-to-ask.md)"
            ),
            "headings-links-and-images",
        ),
    ],
    "link-text": [
        Expected(
            13,
            "link-text",
            'The link text "click here" does not say where the link goes',
            (
                "use words that make sense on their own, like [levels of "
                "care](levels-of-care.md): screen reader users often hear links alone"
            ),
            "headings-links-and-images",
        ),
    ],
    "many": [
        Expected(
            5,
            "review-overdue",
            (
                'This page was due for review on 2026-11-01; readers see "This page is due '
                'for review" until it is reviewed'
            ),
            (
                "ask the reviewer to check the whole page and its sources; then set "
                "last_reviewed to the review date and next_review to the next one"
            ),
            "review-dates",
            warning=True,
        ),
        Expected(
            6,
            "reviewer-unknown",
            "reviewed_by 'dr-smith' is not a reviewer in reviewers.yml",
            ("use one of: editorial-team; to add a reviewer, see CONTRIBUTING.md#reviewers"),
            "review-dates",
        ),
        Expected(
            11,
            "language",
            '"addict" can label or shame people (NIDA Words Matter; ONDCP 2017)',
            (
                'write "person with a substance use disorder" instead. If you quote a '
                "title or a person, put <!-- allow-term: addict --> on the line before"
            ),
            "person-first-language",
        ),
        Expected(
            13,
            "heading-skip",
            "This heading jumps from level 1 (#) to level 4 (####)",
            (
                "start it with '## ' so no level is skipped: screen reader users move "
                "through a page by heading level"
            ),
            "headings-links-and-images",
        ),
        Expected(
            17,
            "link-text",
            'The link text "Click here" does not say where the link goes',
            (
                "use words that make sense on their own, like [levels of "
                "care](levels-of-care.md): screen reader users often hear links alone"
            ),
            "headings-links-and-images",
        ),
        Expected(
            17,
            "spelling",
            '"recieve" looks misspelled',
            (
                'write "receive". If the word is right (a name or a medical term), add it'
                " in lower case to .codespell-words.txt"
            ),
            "spelling",
        ),
    ],
    "missing-description": [
        Expected(
            1,
            "front-matter-missing-field",
            (
                "The front matter has no 'description' (one or two plain sentences that "
                "say what the page covers; search engines show it)"
            ),
            (
                "add a line like `description: How inpatient, residential and outpatient "
                "care differ, and how to choose.` between the '---' lines"
            ),
            "front-matter",
        ),
    ],
    "no-front-matter": [
        Expected(
            1,
            "front-matter-missing",
            ("This page has no front matter (the block between two '---' lines at the top)"),
            (
                "copy the block from docs/_templates/page.md to the very top and fill in "
                "title, description, last_reviewed, next_review, reviewed_by"
            ),
            "front-matter",
        ),
    ],
    "reading-level": [
        Expected(
            9,
            "reading-level",
            (
                "This page reads at US school grade 41.2 (Flesch-Kincaid) and 33.4 "
                "(SMOG); the highest allowed is 9"
            ),
            (
                "use shorter sentences and everyday words, and explain one idea at a "
                "time; start with the paragraph on line 11 (grade 41.2). Run 'make "
                "readability' to see the grade of every page"
            ),
            "plain-language",
        ),
    ],
    "review-order": [
        Expected(
            5,
            "review-date-order",
            "next_review (2026-05-01) must be after last_reviewed (2026-06-01)",
            "set next_review to a date up to 2 years after last_reviewed",
            "review-dates",
        ),
    ],
    "review-overdue": [
        Expected(
            5,
            "review-overdue",
            (
                'This page was due for review on 2026-11-01; readers see "This page is due '
                'for review" until it is reviewed'
            ),
            (
                "ask the reviewer to check the whole page and its sources; then set "
                "last_reviewed to the review date and next_review to the next one"
            ),
            "review-dates",
            warning=True,
        ),
    ],
    "review-period": [
        Expected(
            5,
            "review-period",
            ("next_review (2029-01-01) is more than 2 years after last_reviewed (2026-01-01)"),
            (
                "set next_review to 2028-01-01 or earlier (the review period is set in "
                "content-rules.yml)"
            ),
            "review-dates",
        ),
    ],
    "review-soon": [
        Expected(
            5,
            "review-due-soon",
            "This page is due for review on 2026-12-10 (in 12 days)",
            ("plan the review now: ask the reviewer to check the whole page before that date"),
            "review-dates",
            warning=True,
        ),
    ],
    "reviewer-unknown": [
        Expected(
            6,
            "reviewer-unknown",
            "reviewed_by 'dr-smith' is not a reviewer in reviewers.yml",
            ("use one of: editorial-team; to add a reviewer, see CONTRIBUTING.md#reviewers"),
            "review-dates",
        ),
    ],
    "spelling": [
        Expected(
            13,
            "spelling",
            '"recieve" looks misspelled',
            (
                'write "receive". If the word is right (a name or a medical term), add it'
                " in lower case to .codespell-words.txt"
            ),
            "spelling",
        ),
    ],
    "unknown-key": [
        Expected(
            6,
            "front-matter-unknown-key",
            "Unknown front matter key 'reviewd_by'",
            "did you mean 'reviewed_by'? Rename the key",
            "front-matter",
        ),
    ],
    "yaml-colon": [
        Expected(
            2,
            "front-matter-yaml",
            (  # the plain words mkdocs.yml gets (yaml-syntax/colon), at the colon
                "The front matter cannot be read: YAML found a ':' where YAML does not expect"
                " one. Check that this line is indented like the lines around it, and put text"
                " that contains ': ' in quotes"
            ),
            (
                "check this line: put double quotes around a value that contains a colon,"
                ' like title: "IOP Guide: the basics", and start each line with key: '
                "value"
            ),
            "front-matter",
            column=17,
        ),
    ],
}


def run(capsys: pytest.CaptureFixture[str], *pages: str) -> tuple[int, list[str], str]:
    code = cli.main(["--today", TODAY, *(str(PAGES / f"{p}.md") for p in pages)])
    out, err = capsys.readouterr()
    return code, err.splitlines(), out


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_each_mistake_gives_its_exact_message(
    page: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, _ = run(capsys, page)
    expected = EXPECTED[page]
    errors = sum(1 for e in expected if not e.warning)
    assert lines[:-1] == [e.text(page) for e in expected]
    summary = f"{errors} error{'s' if errors != 1 else ''}"
    warnings = len(expected) - errors
    if warnings:
        summary += f", {warnings} warning{'s' if warnings != 1 else ''}"
    assert lines[-1] == f"Found {summary}."
    assert code == (1 if errors else 0)


def test_every_fixture_page_is_covered() -> None:
    fixtures = {p.stem for p in PAGES.glob("*.md")}
    covered = set(EXPECTED) | {"clean", "language-allowed", "duplicate-a", "duplicate-b"}
    assert fixtures == covered | set(RENDERED)


#: Raw HTML is judged once, on the rendered page (tests/site/test_check.py), not by the content
#: check of the Markdown: an onclick=, a script, an iframe, a javascript: link, an image from
#: another site.
RENDERED = ["html-handler", "html-script", "html-iframe", "javascript-url", "external-image"]
RENDERED += ["external-img-tag"]


@pytest.mark.parametrize("page", ["clean", "language-allowed", *RENDERED])
def test_clean_pages_pass(page: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, out = run(capsys, page)
    assert (code, lines, out) == (0, [], "Content check passed: 1 page checked.\n")


def test_duplicate_descriptions_are_reported_on_both_pages(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, lines, _ = run(capsys, "duplicate-a", "duplicate-b")
    fix = "write a description that fits only this page: search results show it"
    assert lines == [
        f"tests/fixtures/content/pages/duplicate-{a}.md:3: [description-duplicate] This "
        f"description is the same as the one of tests/fixtures/content/pages/duplicate-{b}.md. "
        f"Fix: {fix}. (See docs/style-guide.md#front-matter)"
        for a, b in (("a", "b"), ("b", "a"))
    ] + ["Found 2 errors."]
    assert code == 1


def test_each_duplicate_alone_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = run(capsys, "duplicate-a")
    assert (code, lines) == (0, [])


def test_command_line_exit_codes_in_a_real_process() -> None:
    """The same checks through ``python -m iopguide content``, as `make` and CI run them."""

    def command(*args: str) -> subprocess.CompletedProcess[str]:
        env = {"IOPGUIDE_TODAY": TODAY, "PATH": "/usr/bin:/bin"}
        return subprocess.run(
            [sys.executable, "-m", "iopguide", "content", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    bad = command("tests/fixtures/content/pages/language.md")
    assert bad.returncode == 1
    assert bad.stderr.startswith("tests/fixtures/content/pages/language.md:12: [language] ")
    good = command("tests/fixtures/content/pages/clean.md")
    assert (good.returncode, good.stderr) == (0, "")
    soon = command("tests/fixtures/content/pages/review-soon.md")
    assert soon.returncode == 0
    assert "warning: [review-due-soon]" in soon.stderr
    missing = command("tests/fixtures/content/pages/no-such-page.md")
    assert missing.returncode == 2
    assert "no-such-page.md does not exist" in missing.stderr
    bad_today = subprocess.run(
        [sys.executable, "-m", "iopguide", "content", "--today", "28/11/2026"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad_today.returncode == 2
    assert "is not a date: write it as YYYY-MM-DD" in bad_today.stderr


def test_folder_argument_checks_every_page_in_it(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["--today", TODAY, "--no-spelling", str(PAGES)])
    _, err = capsys.readouterr()
    reported = {line.split(":")[0] for line in err.splitlines() if line.startswith("tests/")}
    assert code == 1
    # every page with an error is reported; the clean ones and the warning-only one are not
    errors = {
        f"tests/fixtures/content/pages/{name}.md"
        for name, items in EXPECTED.items()
        if any(not e.warning and e.rule != "spelling" for e in items)
    }
    errors |= {f"tests/fixtures/content/pages/duplicate-{x}.md" for x in "ab"}
    warnings = {
        f"tests/fixtures/content/pages/{name}.md" for name in ("review-soon", "review-overdue")
    }
    assert reported == errors | warnings
    assert Path(PAGES / "clean.md").exists()
