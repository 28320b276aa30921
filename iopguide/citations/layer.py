"""The citation layer in front of mkdocs-bibtex, one method per MkDocs event.

``overrides/hooks/citations.py`` calls these methods; the order of events is:

1. ``on_config`` (before the plugin's): read and check bibliography.bib; stop with one clean
   message on any problem, before pybtex inside the plugin can raise a traceback.
2. ``on_pre_build``: give the plugin's registry our cached AMA formatter; check every published
   page (:meth:`CitationLayer.precheck`) and stop before MkDocs empties ``site/``.
3. ``on_page_markdown`` (before the plugin's): check every citation of the page, rewrite locators
   and prefixes into plain ``[@key]`` forms the plugin renders, protect every other "@",
   add the References heading, expand the Sources list.
4. ``on_page_content``: give the HTML its "@" back.
5. ``on_env`` (after all pages were read, before anything is written): fail with every problem
   found in pages the pre-check did not see (e.g. drafts shown by ``mkdocs serve``).
Problems stop strict and non-strict builds alike.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mkdocs.utils.meta import get_data

from iopguide.cache import LastResult, file_digest
from iopguide.citations.bib import CITABLE_KEY_RE, GUIDE, Bibliography, load_bibliography
from iopguide.citations.scan import (
    CitationBlock,
    CitationItem,
    Rendered,
    Scan,
    protect,
    restore,
    scan,
)
from iopguide.citations.sources import SOURCES_MARKER, sources_markdown
from iopguide.citations.style import ReferenceFormatter, en_dash_range, escape_md
from iopguide.dois.lock import LOCK_FILE, LockError, pending_keys, read_lock
from iopguide.i18n import ENGLISH_WORDS, ReferenceWords
from iopguide.report import Problem

#: Where the References list goes: Python-Markdown's footnotes extension puts its list at this
#: marker (its PLACE_MARKER setting), so the heading above it ends up right before the list.
FOOTNOTES_MARKER = "///Footnotes Go Here///"
REFERENCES_HEADING = "## References"


def _heading_re(heading: str) -> re.Pattern[str]:
    """A heading an editor wrote with the same words as ``heading`` (any level from 2)."""
    words = re.escape(heading.lstrip("#").split("{", 1)[0].strip())
    return re.compile(rf"^#{{2,6}}[ \t]+{words}[ \t#]*$", re.MULTILINE | re.I)


def _problem(file: str, line: int, column: int, rule: str, message: str, fix: str) -> Problem:
    return Problem(file, line, column, rule, message, fix, guide=GUIDE)


def render_block(block: CitationBlock) -> Rendered:
    """Markdown that mkdocs-bibtex renders for a valid block (AMA superscripts).

    ``[@a]`` -> ``[@a]`` glued to the word before it; ``[@a, p. 5]`` -> the number then a
    superscript "(p. 5)"; ``[@a; @b]`` -> numbers separated by a superscript comma; a block
    with a prefix (``[see @a, pp. 3-5]``) is written in parentheses: "(see 1(pp. 3-5))"
    with an en dash.
    """
    pieces = []
    for item in block.items:
        text = f"[@{item.key}]"
        if item.locator:
            locator = escape_md(en_dash_range(item.locator))
            text += f'<sup class="citation-locator">({locator})</sup>'
        if item.prefix:
            text = f"{item.prefix} {text}"
        pieces.append(text)
    if any(item.prefix for item in block.items):
        return "(" + "; ".join(pieces) + ")", False
    return '<sup class="citation-separator">,</sup>'.join(pieces), True


class CitationLayer:
    def __init__(self) -> None:
        self.root = Path.cwd()
        self.bib: Bibliography | None = None
        self.formatter: ReferenceFormatter | None = None
        self.problems: list[Problem] = []
        self._lower_keys: dict[str, str] = {}
        self._keys: set[str] = set()
        #: Keys whose DOI dois.lock.json records as pending: not shown, not citable (0004, 0011).
        self.pending: set[str] = set()
        #: file -> (Markdown, rewritten Markdown) of pages checked before the build.
        self._prechecked: dict[str, tuple[str, str]] = {}
        #: Where Python-Markdown puts the footnotes list; "" when the extension is off.
        self.footnotes_marker = FOOTNOTES_MARKER
        #: the heading above the list of sources, in the language being built (languages.yml)
        self.references_heading = REFERENCES_HEADING
        #: the language being built and the words its lists of sources print (languages.yml)
        self.language = "en"
        self.words = ENGLISH_WORDS
        #: language -> its formatter (each keeps its own cache of formatted entries)
        self._formatters: dict[str, ReferenceFormatter] = {}
        #: The bibliography and its problems, keyed by the file's digest (``mkdocs serve`` loads
        #: the configuration on every save; the file is parsed again only when it changed).
        self._loaded: LastResult[tuple[Bibliography | None, list[Problem], set[str]]] = LastResult()
        #: file -> (rewritten Markdown, problems) of each page's last check, reused while the
        #: page, its position and the bibliography are unchanged.
        self._done: LastResult[tuple[str, tuple[Problem, ...]]] = LastResult()

    # ------------------------------------------------------------------ configuration
    def load(self, bib_path: Path, root: Path) -> list[Problem]:
        """Read and check the bibliography; returns its problems (empty when usable)."""
        self.root = root
        self.problems = []
        self._prechecked = {}
        lock_path = Path(root) / LOCK_FILE
        digest = file_digest([bib_path, lock_path]) + str(Path(root).resolve())
        loaded = self._loaded.get("bibliography", digest)
        if loaded is not None:
            self.bib, problems, self.pending = loaded
            return list(problems)
        self._done.clear()
        self.bib, problems = load_bibliography(bib_path, root)
        self.pending = set()
        if self.bib is not None:
            dois = {key: self.bib.doi(key) or "" for key in self.bib.keys}
            try:
                self.pending = pending_keys(dois, read_lock(lock_path, LOCK_FILE))
            except LockError as error:
                # Which sources are confirmed is unknown: stop rather than show an unconfirmed one.
                problems = problems + error.problems
        self._loaded.put("bibliography", digest, (self.bib, list(problems), self.pending))
        if self.bib is not None:
            self.formatter = ReferenceFormatter(self.bib, self.words)
            self._formatters = {self.language: self.formatter}
            self._lower_keys = {key.lower(): key for key in self.bib.keys}
            self._keys = set(self.bib.keys)
        return problems

    def use_language(self, code: str, words: ReferenceWords) -> None:
        """Print the lists of sources with the words of the language being built."""
        self.language, self.words = code, words
        if self.bib is None:
            return
        formatter = self._formatters.get(code)
        if formatter is None or formatter.bib is not self.bib or formatter.words != words:
            formatter = self._formatters[code] = ReferenceFormatter(self.bib, words)
        self.formatter = formatter

    def configure_markdown(
        self, markdown_extensions: list[str], mdx_configs: dict[str, dict[str, Any]]
    ) -> None:
        """Number footnotes by first reference, not by definition (Python-Markdown >= 3.6
        numbers by definition unless USE_DEFINITION_ORDER is false): an editor's footnote
        defined above the citations would otherwise take number 1 wherever it is cited.
        Also learn where the footnotes extension puts its list (its PLACE_MARKER)."""
        if "footnotes" in markdown_extensions:
            options = mdx_configs.setdefault("footnotes", {})
            options.setdefault("USE_DEFINITION_ORDER", False)
            self.footnotes_marker = options.get("PLACE_MARKER", FOOTNOTES_MARKER)
        else:
            self.footnotes_marker = ""

    # ------------------------------------------------------------------ one page
    def check_page(self, result: Scan, file: str) -> tuple[list[Problem], set[int]]:
        """Problems of one page, and the ids of the blocks that may be rendered."""
        problems: list[Problem] = []
        valid: set[int] = set()
        cited: dict[str, CitationItem] = {}
        for issue in result.issues:
            problems.append(
                _problem(
                    file,
                    issue.line,
                    issue.column,
                    "citation-syntax",
                    f"cannot read the citation {issue.raw}: {issue.reason}",
                    "write citations as [@key], [@key, p. 5], [see @key, pp. 3-5] or "
                    "[@key1; @key2]; if this is not a citation, write the @ as &#64;",
                )
            )
        for block in result.blocks:
            block_ok = True
            if block.in_heading:
                block_ok = False
                problems.append(
                    _problem(
                        file,
                        block.line,
                        block.column,
                        "citation-in-heading",
                        f"the citation {block.raw} is in a heading",
                        "headings cannot carry citations: move it to the first sentence "
                        "under the heading",
                    )
                )
            for item in block.items:
                problem = self.check_key(item, file)
                if problem is not None:
                    block_ok = False
                    problems.append(problem)
                else:
                    cited.setdefault(item.key, item)
            if block_ok:
                valid.add(id(block))
        for footnote in result.footnotes:
            first = cited.get(footnote.label)
            if first is None:
                continue
            problems.append(
                _problem(
                    file,
                    footnote.line,
                    footnote.column,
                    "citation-footnote-collision",
                    f"your footnote [^{footnote.label}] has the same label as the citation "
                    f"[@{first.key}] at {file}:{first.line}:{first.column}; the reference list "
                    "would replace your footnote",
                    f"rename your footnote, e.g. [^{footnote.label}-note], in its reference "
                    "and its definition",
                )
            )
        return problems, valid

    def check_key(self, item: CitationItem, file: str) -> Problem | None:
        key = item.key
        if key in self.pending:
            return _problem(
                file,
                item.line,
                item.column,
                "citation-pending",
                f"the source '{key}' cannot be cited yet: its DOI is waiting to be confirmed "
                f"({LOCK_FILE} records it as pending)",
                "cite it once the weekly online check has confirmed it and "
                f"{LOCK_FILE} records it as verified (CONTRIBUTING-citations.md, 'New sources "
                "wait for confirmation'); until then, cite a confirmed source or leave the "
                "claim out",
            )
        if key in self._keys:
            return None
        if not CITABLE_KEY_RE.match(key):
            return _problem(
                file,
                item.line,
                item.column,
                "citation-key-characters",
                f"citation key '{key}' has characters a citation cannot use (only letters, "
                "digits, '_' and '-')",
                "copy the key exactly from bibliography.bib; do not end a citation with a "
                "period inside the brackets",
            )
        exact = self._lower_keys.get(key.lower())
        if exact is not None:
            return _problem(
                file,
                item.line,
                item.column,
                "citation-key-case",
                f"citation key '{key}' differs from '{exact}' in bibliography.bib only in "
                "upper/lower case",
                f"write it exactly as in bibliography.bib: [@{exact}]",
            )
        message = f"unknown citation key '{key}'"
        fix = (
            "copy the key exactly from bibliography.bib, or add the source there first "
            "(see CONTRIBUTING, 'How to cite')"
        )
        close = difflib.get_close_matches(key.lower(), list(self._lower_keys), n=1, cutoff=0.6)
        if close:
            message += f" (did you mean '{self._lower_keys[close[0]]}'?)"
        return _problem(file, item.line, item.column, "citation-unknown-key", message, fix)

    def precheck(self, pages: Iterable[tuple[str, str]]) -> list[Problem]:
        """Check pages given as (file, source) before the build starts writing anything.

        MkDocs empties ``site/`` before it reads the pages; checking them first means a
        citation mistake leaves the last good build in place. The rewritten Markdown is kept,
        so each page is scanned once per build.
        """
        for file, source in pages:
            markdown, _meta = get_data(source)
            output = self.process_markdown(markdown, file, line_offset(source, markdown))
            self._prechecked[file] = (markdown, output)
        problems, self.problems = self.problems, []
        return problems

    def process_markdown(self, markdown: str, file: str, line_offset: int = 0) -> str:
        """Check one page (problems are kept for the end of the build) and rewrite it."""
        cached = self._prechecked.pop(file, None)
        if cached is not None and cached[0] == markdown:
            return cached[1]
        inputs = (
            markdown,
            line_offset,
            self.footnotes_marker,
            str(self.root),
            self.references_heading,
            self.language,
            self.words,
        )
        done = self._done.get(file, inputs)
        if done is not None:
            self.problems += done[1]
            return done[0]
        result = scan(markdown, line_offset)
        problems, valid = self.check_page(result, file)
        self.problems += problems

        def render(block: CitationBlock) -> Rendered | None:
            return render_block(block) if id(block) in valid else None

        output = protect(result, render)
        if valid and not _heading_re(self.references_heading).search(markdown):
            output = output.rstrip("\n") + f"\n\n{self.references_heading}\n"
            if self.footnotes_marker:
                output += f"\n{self.footnotes_marker}\n"
        if SOURCES_MARKER in output and self.formatter is not None:
            output = output.replace(
                SOURCES_MARKER, sources_markdown(self.formatter, hidden=self.pending)
            )
        self._done.put(file, inputs, (output, tuple(problems)))
        return output

    def reference_text(self, citation: Any) -> str:
        """Replacement for the plugin registry's ``reference_text`` (cached, AMA)."""
        assert self.formatter is not None
        return self.formatter.reference(citation.key).replace("@", "\ue040")

    @staticmethod
    def restore_html(html: str) -> str:
        return restore(html)

    @staticmethod
    def restore_page(page: Any) -> None:
        """Give back "@" in the page's table of contents and rendered title."""

        def walk(items: Any) -> None:
            for item in items:
                item.title = restore(item.title)
                walk(item.children)

        walk(getattr(page, "toc", []) or [])
        # MkDocs' Page.title may be set for good (a "weak property"): set it only when the
        # rendered title (a heading) held a protected "@".
        title = page.title
        if isinstance(title, str) and restore(title) != title:
            page.title = restore(title)

    def page_file(self, abs_src_path: str | None, src_uri: str) -> str:
        """A page's path as editors see it, relative to the project root."""
        if abs_src_path:
            try:
                return Path(abs_src_path).resolve().relative_to(self.root.resolve()).as_posix()
            except ValueError:
                pass
        return f"docs/{src_uri}"


def line_offset(source: str, markdown: str) -> int:
    """Lines of front matter removed from ``source`` before ``markdown`` (MkDocs strips it)."""
    if markdown and source.endswith(markdown):
        return source[: len(source) - len(markdown)].count("\n")
    return 0
