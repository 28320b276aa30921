"""Synthetic IOP Guide sites of any size, for the build benchmarks in ``bench/run.py``.

A synthetic site is a copy of the real project's theme, overrides, hooks and rule files, with
``docs/`` and the navigation replaced by generated pages: about 600 words each, three citations
each, organised in sections of 20 pages (as a growing real site would be), and a bibliography of
clearly fake entries. Pages pass our content checks (front matter, plain words), so the build
measured is the real build, with every hook.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers import PROJECT_FILES as HELPER_FILES  # noqa: E402

#: What a project needs to build, besides docs/ and the bibliography: the tests' one list, so a
#: file a new feature needs (languages.yml, for the Spanish edition) is never missing here.
PROJECT_FILES = [name for name in HELPER_FILES if name not in {"docs", "bibliography.bib"}]

SECTION_SIZE = 20
#: Sections per part: a big site groups its sections under a few top-level parts.
SECTIONS_PER_PART = 10
CITATIONS_PER_PAGE = 3
#: Fake sources: one per five pages, each cited by several pages, as real sources are.
PAGES_PER_SOURCE = 5
#: Real pages that the footer, the crisis banner and the review note link to from every page.
TEMPLATE_PAGES = ("get-help-now.md", "editorial-policy.md", "privacy.md", "sources.md")
#: A Markdown link to another page of the site (not a web, phone, text or e-mail link).
INTERNAL_LINK = re.compile(r"\[([^\]]+)\]\((?!https?:|tel:|sms:|mailto:)[^)]*\)")

# Short, plain sentences keep the synthetic text inside the reading-grade ceiling.
SENTENCES = [
    "An intensive outpatient program meets a few days each week.",
    "You go home at the end of each day.",
    "Your care team helps you set goals that matter to you.",
    "Many people keep working or going to school while they take part.",
    "Groups give you a place to share and to learn from others.",
    "You may also meet one on one with a counselor.",
    "Family members can often join some of the sessions.",
    "The team checks in with you about how things are going.",
    "You can ask questions at any time.",
    "It is fine to go at your own pace.",
    "Some weeks feel easier than others, and that is normal.",
    "Your plan can change as your needs change.",
    "Programs differ, so ask each one how it works.",
    "Write down what you want to ask before you call.",
    "Bring a list of the medicines you take.",
    "A friend or family member can help you keep track of dates.",
    "Sleep, food and time outside can help you feel steady.",
    "Small steps add up over time.",
    "If you feel unsafe, call or text 988 right away.",
    "Care works best when you and your team trust each other.",
]


def _page_text(rng: random.Random, title: str, keys: list[str], words: int) -> str:
    """Markdown body of about ``words`` words with one citation per cited key."""
    paragraphs: list[str] = []
    count = 0
    heading = 0
    cite = list(keys)
    while count < words:
        if len(paragraphs) % 4 == 0:
            heading += 1
            paragraphs.append(f"## Part {heading}")
        sentences = rng.sample(SENTENCES, 5)
        if cite:
            sentences[-1] = sentences[-1][:-1] + f" [@{cite.pop(0)}]."
        paragraph = " ".join(sentences)
        count += len(paragraph.split())
        paragraphs.append(paragraph)
    return f"# {title}\n\n" + "\n\n".join(paragraphs) + "\n"


def _front_matter(number: int, title: str) -> str:
    return (
        "---\n"
        f'title: "{title}"\n'
        f'description: "Synthetic benchmark page number {number}, with plain text about '
        'outpatient care and three sources."\n'
        "last_reviewed: 2026-11-28\n"
        "next_review: 2028-11-28\n"
        "reviewed_by: editorial-team\n"
        "---\n\n"
    )


def fake_bibliography(count: int) -> str:
    """BibTeX entries that are obviously fake: no DOI, a journal named for the benchmark."""
    entries = []
    for n in range(1, count + 1):
        entries.append(
            f"@article{{bench2000source{n:04d},\n"
            f"  author  = {{Benchmark, Synthetic}},\n"
            f"  title   = {{Synthetic benchmark source number {n}}},\n"
            f"  journal = {{Journal of Synthetic Benchmarks (not a real journal)}},\n"
            f"  year    = {{2000}},\n"
            f"  volume  = {{1}},\n"
            f"  pages   = {{{n}}}\n"
            f"}}\n"
        )
    return "% FAKE entries for the build benchmark only. Not sources.\n\n" + "\n".join(entries)


def _about_nav(indent: str) -> list[str]:
    """The pages that templates link to, last in the menu as on the real site."""
    return [f"{indent}- About:"] + [f"{indent}    - {name}" for name in TEMPLATE_PAGES]


def _nav_yaml(sections: list[tuple[str, list[tuple[str, str]]]], nested: bool) -> str:
    """Sections of 20 pages; with ``nested``, grouped in parts of 10 sections once there are
    more than 10 sections (a 2000-page site has 10 parts, not 100 top-level entries)."""
    lines = ["nav:", "  - Home: index.md"]
    if nested and len(sections) > SECTIONS_PER_PART:
        for start in range(0, len(sections), SECTIONS_PER_PART):
            lines.append(f"  - Part {start // SECTIONS_PER_PART + 1}:")
            for name, pages in sections[start : start + SECTIONS_PER_PART]:
                lines.append(f"      - {name}:")
                lines += [f'          - "{title}": {path}' for title, path in pages]
        return "\n".join(lines + _about_nav("  ")) + "\n"
    for name, pages in sections:
        lines.append(f"  - {name}:")
        lines += [f'      - "{title}": {path}' for title, path in pages]
    return "\n".join(lines + _about_nav("  ")) + "\n"


def _without_citations(config: str) -> str:
    """The same configuration without mkdocs-bibtex and our citation hook."""
    config = re.sub(r"\n  - bibtex:\n(?:      .*\n|\s*#.*\n)*", "\n", config)
    return config.replace("  - overrides/hooks/citations.py\n", "")


def make_site(
    dest: Path,
    pages: int,
    *,
    citations: bool = True,
    features: list[str] | None = None,
    nested: bool = True,
    words: int = 600,
    seed: int = 1,
) -> Path:
    """Write a buildable synthetic project of ``pages`` pages (plus a home page and the
    TEMPLATE_PAGES) into ``dest``."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    docs = dest / "docs"
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    # Pages outside the nav that templates or checks link to (404, style guide) stay real.
    for name in ("style-guide.md",):
        if (ROOT / "docs" / name).exists():
            shutil.copy2(ROOT / "docs" / name, docs / name)
    # Pages the footer and crisis banner link to on every page: real text, with their links to
    # real pages that a synthetic site lacks turned into plain words.
    for name in TEMPLATE_PAGES:
        text = (ROOT / "docs" / name).read_text(encoding="utf-8")
        (docs / name).write_text(INTERNAL_LINK.sub(r"\1", text), encoding="utf-8")

    rng = random.Random(seed)
    sources = max(CITATIONS_PER_PAGE, pages // PAGES_PER_SOURCE)
    keys = [f"bench2000source{n:04d}" for n in range(1, sources + 1)]
    # The real sources stay (pages copied from the real site cite them), then the fake ones.
    real = (ROOT / "bibliography.bib").read_text(encoding="utf-8")
    (dest / "bibliography.bib").write_text(
        real + "\n\n" + fake_bibliography(sources), encoding="utf-8"
    )

    sections: list[tuple[str, list[tuple[str, str]]]] = []
    for number in range(1, pages + 1):
        section = (number - 1) // SECTION_SIZE + 1
        if not sections or len(sections) < section:
            sections.append((f"Section {section}", []))
        title = f"Topic {number}"
        path = f"section-{section:03d}/topic-{number:04d}.md"
        cited = rng.sample(keys, CITATIONS_PER_PAGE) if citations else []
        file = docs / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(
            _front_matter(number, title) + _page_text(rng, title, cited, words), encoding="utf-8"
        )
        sections[-1][1].append((title, path))
    (docs / "index.md").write_text(
        _front_matter(0, "Home") + _page_text(rng, "Synthetic IOP Guide", [], 200),
        encoding="utf-8",
    )

    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config[: config.index("\nnav:")] + "\n" + _nav_yaml(sections, nested)
    # The real not_in_nav list names real pages; only the style guide exists here.
    if not citations:
        config = _without_citations(config)
    for feature in features or []:
        # "name" adds a Material feature; "-name" removes it.
        line = f"    - {feature.lstrip('-')}\n"
        if feature.startswith("-"):
            config = config.replace(line, "")
        elif line not in config:
            config = config.replace("  features:\n", "  features:\n" + line, 1)
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    if (dest / "published-urls.txt").exists():
        (dest / "published-urls.txt").unlink()
    return dest
