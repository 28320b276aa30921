"""``python -m iopguide pr-preview``: for every page a pull request changed (see fix.base_commit),
screenshots at 390 and 1280 px in headless Chromium, and a Markdown table for the job summary:
reading grade, words, citations and the content check's warnings.
"""

from __future__ import annotations

import sys
from pathlib import Path

from iopguide import chromium, fix, github, localserver, project, urls
from iopguide.citations.scan import scan
from iopguide.content.checker import check_pages
from iopguide.content.page import read_page
from iopguide.content.readability import grade_page
from iopguide.content.rules import EASE_MEASURES, READING_MEASURES, load_rules
from iopguide.i18n import page_language
from iopguide.report import MESSAGES, format_problem

WIDTHS = {"phone": 390, "desktop": 1280}


def changed_pages(root: Path) -> list[str]:
    """Markdown files (from ``root``) added or changed since the branch left its base, wherever
    docs_dir is; summarize keeps the pages the site builds."""
    if not (base := fix.base_commit(root)):
        return []
    # -z: names as they are (no quotes around a space or an accent), each ended by a NUL
    out = fix.git(root, "diff", "-z", "--relative", "--name-only", "--diff-filter=AMR", base) or ""
    out += fix.git(root, "ls-files", "-z", "--others", "--exclude-standard") or ""
    return sorted(n for n in set(out.split("\0")) if n.endswith(".md"))


def summarize(root: Path, files: list[str]) -> list[tuple[str, str, str]]:
    """(file, address, row of the summary table) of each changed page the site builds."""
    rules = load_rules(root)
    # Where MkDocs publishes each page: a translation under its language (es/faq/).
    addresses = {src: url for url, src in urls.site_urls(root / "mkdocs.yml").pages.items()}
    built = [f for f in files if f in addresses]
    mine, site = [root / f for f in built], [root / f for f in addresses]  # one page list
    problems = check_pages(mine, root, spell=False, site_pages=site, rules=rules) if built else []
    summaries = []
    for rel in built:
        page = read_page(root / rel, root)
        own = rules.of_language(page_language(rel, rules.codes))
        grade = grade_page(page, own)  # a translation: its language's reading ease
        score = ", ".join(f"{v:.1f}" for v in grade.scores.values())
        if own.language:  # the table's header names the English grades
            score = MESSAGES.text(
                "text/ease", score=score, measure=EASE_MEASURES[own.reading_measure]
            )
        score = score if grade.graded else MESSAGES.text("text/too-short")
        citations = scan(page.code_masked).blocks  # the one citation scanner
        keys = {item.key for block in citations for item in block.items}
        notes = [format_problem(p).replace("|", "\\|") for p in problems if p.file == rel]
        cited = MESSAGES.text("text/cited", count=len(citations), sources=len(keys))
        row = f"| `{rel}` | {score} | {grade.words} | {cited} | "
        row += ("<br>".join(notes) or MESSAGES.text("text/no-warnings")) + " |"
        summaries.append((rel, addresses[rel].lstrip("/"), row))
    return summaries


def screenshots(site: Path, pages: list[tuple[str, str, str]], out: Path) -> list[Path]:
    """Full-page screenshots of each page at each width, in real headless Chromium."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    taken = []
    with (
        localserver.serve(site) as base,
        sync_playwright() as pw,
        pw.chromium.launch(executable_path=chromium.CHROMIUM, args=chromium.ARGS) as browser,
    ):
        for name, width in WIDTHS.items():
            with browser.new_context(viewport={"width": width, "height": 900}) as context:
                tab = context.new_page()
                for file, url, _ in pages:
                    answer = tab.goto(base + url, wait_until="load")
                    if not answer or answer.status != 200:  # never a picture of a 404 page
                        said = dict(file=file, url=url, status=answer and answer.status)
                        raise RuntimeError(MESSAGES.text("text/not-200", **said))
                    stem = file.removeprefix("docs/").removesuffix(".md").replace("/", "-")
                    taken.append(out / f"{stem}-{name}-{width}px.png")
                    tab.screenshot(path=str(taken[-1]), full_page=True)
    return taken


def main(argv: list[str]) -> int:
    parser = MESSAGES.parser("pr-preview", "text/help-pr-preview", root="")
    add = parser.add_argument
    add("site", type=Path, help=MESSAGES.text("text/help-site"))
    add("--out", type=Path, default=Path("preview"), help=MESSAGES.text("text/help-out"))
    args = parser.parse_args(argv)
    root = project.root_of(args.root)
    if not (args.site / "index.html").is_file():
        print(MESSAGES.text("text/no-site", site=args.site), file=sys.stderr)
        return 2
    pages = summarize(root, changed_pages(root))
    shots = screenshots(args.site, pages, args.out) if pages else []
    head = MESSAGES.text("text/pages-changed", grades=", ".join(READING_MEASURES.values()))
    text = "\n".join([head, *(r for _, _, r in pages)]) + "\n"
    text = text if pages else MESSAGES.text("text/no-page-changed")
    github.append_summary(text)
    print(text)
    print(MESSAGES.text("text/screenshots", count=len(shots), out=args.out))
    return 0
