"""The citation layer in front of mkdocs-bibtex; overrides/hooks/citations.py hands MkDocs the
``on_*`` methods of one :class:`CitationLayer` (why: decisions/0002-citation-layer.md).

Ours run before the plugin's: check bibliography.bib and every page before MkDocs empties
``site/``, rewrite valid citations into plain ``[@key]`` forms, protect every other "@", give it
back in the HTML; ``on_env`` fails with problems of pages the pre-check did not see (drafts).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils.meta import get_data

from iopguide import project
from iopguide.cache import LastResult, file_digest
from iopguide.citations import bibtex_adapter
from iopguide.citations import scan as cites
from iopguide.citations.bib import CITABLE_KEY_RE, GUIDE, Bibliography, load_bibliography
from iopguide.citations.style import SOURCES_MARKER, ReferenceFormatter, en_dash_range, escape_md
from iopguide.content.hooks import reporter_of
from iopguide.dois.lock import LOCK_FILE, LockError, pending_keys, read_lock
from iopguide.i18n import ENGLISH_WORDS, ReferenceWords, load_languages
from iopguide.report import Problem, stop_build

#: Python-Markdown's footnotes extension puts its list at this marker (its PLACE_MARKER).
FOOTNOTES_MARKER = "///Footnotes Go Here///"
HEADING = "Citation problems; the site was not built:"
_FN_REF = re.compile(r'(<a class="footnote-ref" href="#fn:([^"]+)">)(\d+)(</a>)')
_FN_LIST = re.compile(r'(<div class="footnote">\s*<hr\s*/?>\s*<ol>)(.*?)(\s*</ol>\s*</div>)', re.S)
_FN_ITEM = re.compile(r'\s*<li id="fn:([^"]+)">.*?</li>(?=\s*<li id="fn:|\s*$)', re.S)


def render_block(block: cites.CitationBlock) -> tuple[str, bool]:
    """Markdown mkdocs-bibtex renders for a valid block, and whether it is glued to the word
    before: ``[@a; @b]`` -> numbers with a superscript comma; ``[@a, p. 5]`` -> the number and
    a superscript "(p. 5)"; a block with a prefix is written in parentheses."""
    pieces = []
    for item in block.items:
        text = f"[@{item.key}]"
        if locator := escape_md(en_dash_range(item.locator)):
            text += f'<sup class="citation-locator">({locator})</sup>'
        pieces.append(f"{item.prefix} {text}" if item.prefix else text)
    if any(item.prefix for item in block.items):
        return "(" + "; ".join(pieces) + ")", False
    return '<sup class="citation-separator">,</sup>'.join(pieces), True


def line_offset(source: str, markdown: str) -> int:
    """Lines of front matter removed from ``source`` before ``markdown`` (MkDocs strips it)."""
    if markdown and source.endswith(markdown):
        return source[: len(source) - len(markdown)].count("\n")
    return 0


def reading_order(html: str) -> str:
    """Number citations in reading order: Python-Markdown's footnotes (3.11) reach nested blocks
    (lists, admonitions) out of document order; renumber the references by first appearance and
    put the list at the end of the page in the same order."""
    order: dict[str, int] = {}
    for match in _FN_REF.finditer(html):
        order.setdefault(match.group(2), len(order) + 1)
    lists = list(_FN_LIST.finditer(html)) if order else []
    if not lists:
        return html
    block = lists[-1]
    body = block.group(2)
    items = [(m.group(1), m.group(0)) for m in _FN_ITEM.finditer(body)]
    whole = "".join(text for _, text in items).strip() == body.strip()
    if not whole or len(items) != body.count('id="fn:'):
        # Not the shape we know: leave the page as Python-Markdown made it.
        return html
    unreferenced = len(order) + 1
    items.sort(key=lambda item: order.get(item[0], unreferenced))
    new_list = block.group(1) + "".join(text for _, text in items) + block.group(3)
    html = html[: block.start()] + new_list + html[block.end() :]
    return _FN_REF.sub(lambda m: f"{m.group(1)}{order[m.group(2)]}{m.group(4)}", html)


class CitationLayer:
    def __init__(self) -> None:
        self.root = Path.cwd()
        self.bib: Bibliography | None = None
        self.formatter: ReferenceFormatter | None = None
        self.problems: list[Problem] = []
        #: Keys whose DOI dois.lock.json records as pending: not shown, not citable (0004, 0011).
        self.pending: set[str] = set()
        self._lower_keys: dict[str, str] = {}
        self._prechecked: set[str] = set()  # pages whose problems precheck handed over
        self.footnotes_marker = FOOTNOTES_MARKER  # "" when the extension is off
        #: The heading above the list of sources and the words of the lists (languages.yml).
        self.references_heading = "## References"
        self.language, self.words = "en", ENGLISH_WORDS
        self._digest = ""
        #: ``mkdocs serve`` rebuilds every page on each save: a page is checked again only when
        #: it or the bibliography changed (37 pages: 110 ms of CPU, 5 ms from the cache).
        self._done: LastResult[tuple[str, tuple[Problem, ...]]] = LastResult()

    def load(self, bib_path: Path, root: Path) -> list[Problem]:
        """Read and check the bibliography; returns its problems (empty when usable)."""
        self.root, self.problems, self._prechecked = root, [], set()
        lock_path = Path(root) / LOCK_FILE
        self._digest = file_digest([bib_path, lock_path]) + str(Path(root).resolve())
        self.bib, problems = load_bibliography(bib_path, root)
        self.pending = set()
        if self.bib is not None:
            dois = {key: self.bib.doi(key) or "" for key in self.bib.keys}
            try:
                self.pending = pending_keys(dois, read_lock(lock_path, LOCK_FILE))
            except LockError as error:  # which sources are confirmed is unknown: stop
                problems = problems + error.problems
            self.use_language(self.language, self.words)
            self._lower_keys = {key.lower(): key for key in self.bib.keys}
        return problems

    def use_language(self, code: str, words: ReferenceWords) -> None:
        """Print the lists of sources with the words of the language being built."""
        self.language, self.words, old = code, words, self.formatter
        if self.bib is not None and (old is None or old.bib is not self.bib or old.words != words):
            self.formatter = ReferenceFormatter(self.bib, words)

    def configure_markdown(self, extensions: list[str], configs: dict[str, dict[str, Any]]) -> None:
        """Number footnotes by first reference (Python-Markdown >= 3.6 numbers them by
        definition unless USE_DEFINITION_ORDER is false), and learn the footnotes' PLACE_MARKER."""
        self.footnotes_marker = ""
        if "footnotes" in extensions:
            options = configs.setdefault("footnotes", {})
            options.setdefault("USE_DEFINITION_ORDER", False)
            self.footnotes_marker = options.get("PLACE_MARKER", FOOTNOTES_MARKER)

    def check_page(self, result: cites.Scan, file: str) -> tuple[list[Problem], set[int]]:
        """Problems of one page, and the ids of the blocks that may be rendered."""

        def problem(where: Any, rule: str, message: str, fix: str) -> Problem:
            return Problem(file, where.line, where.column, rule, message, fix, guide=GUIDE)

        fix = "write citations as [@key], [@key, p. 5], [see @key, pp. 3-5] or [@key1; @key2]; "
        fix += "if this is not a citation, write the @ as &#64;"
        problems = [
            problem(i, "citation-syntax", f"cannot read the citation {i.raw}: {i.reason}", fix)
            for i in result.issues
        ]
        valid: set[int] = set()
        cited: dict[str, cites.CitationItem] = {}
        for block in result.blocks:
            found = []
            for item in block.items:
                if (bad := self.check_key(item, file)) is None:
                    cited.setdefault(item.key, item)
                else:
                    found.append(bad)
            if block.in_heading:
                fix = "headings cannot carry citations: move it to the first sentence under the "
                text = f"the citation {block.raw} is in a heading"
                found.insert(0, problem(block, "citation-in-heading", text, fix + "heading"))
            problems += found
            if not found:
                valid.add(id(block))
        for note in result.footnotes:
            if (first := cited.get(note.label)) is not None:
                text = f"your footnote [^{note.label}] has the same label as the citation "
                text += f"[@{first.key}] at {file}:{first.line}:{first.column}; the reference "
                fix = f"rename your footnote, e.g. [^{note.label}-note], in its reference and its "
                rule = "citation-footnote-collision"
                problems.append(
                    problem(
                        note, rule, text + "list would replace your footnote", fix + "definition"
                    )
                )
        return problems, valid

    def check_key(self, item: cites.CitationItem, file: str) -> Problem | None:
        key, exact = item.key, self._lower_keys.get(item.key.lower())
        if key in self.pending:
            rule = "citation-pending"
            text = f"the source '{key}' cannot be cited yet: its DOI is waiting to be confirmed "
            text += f"({LOCK_FILE} records it as pending)"
            fix = f"cite it once the weekly online check has confirmed it and {LOCK_FILE} records "
            fix += "it as verified (CONTRIBUTING-citations.md, 'New sources wait for confirmation'"
            fix += "); until then, cite a confirmed source or leave the claim out"
        elif exact == key:
            return None
        elif not CITABLE_KEY_RE.match(key):
            rule = "citation-key-characters"
            text = f"citation key '{key}' has characters a citation cannot use (only letters, "
            text += "digits, '_' and '-')"
            fix = "copy the key exactly from bibliography.bib; do not end a citation with a "
            fix += "period inside the brackets"
        elif exact is not None:
            rule = "citation-key-case"
            text = f"citation key '{key}' differs from '{exact}' in bibliography.bib only in "
            text += "upper/lower case"
            fix = f"write it exactly as in bibliography.bib: [@{exact}]"
        else:
            rule, text = "citation-unknown-key", f"unknown citation key '{key}'"
            close = difflib.get_close_matches(key.lower(), list(self._lower_keys), n=1, cutoff=0.6)
            if close:
                text += f" (did you mean '{self._lower_keys[close[0]]}'?)"
            fix = "copy the key exactly from bibliography.bib, or add the source there first "
            fix += "(see CONTRIBUTING, 'How to cite')"
        return Problem(file, item.line, item.column, rule, text, fix, guide=GUIDE)

    def precheck(self, pages: Iterable[tuple[str, str]]) -> list[Problem]:
        """Check pages given as (file, source) before the build writes anything: MkDocs empties
        ``site/`` before it reads the pages, so a mistake leaves the last good build in place."""
        for file, source in pages:
            markdown, _meta = get_data(source)
            self.process_markdown(markdown, file, line_offset(source, markdown))
            self._prechecked.add(file)
        problems, self.problems = self.problems, []
        return problems

    def process_markdown(self, markdown: str, file: str, line_offset: int = 0) -> str:
        """Check one page (problems are kept for the end of the build) and rewrite it."""
        prechecked = file in self._prechecked
        self._prechecked.discard(file)
        language = self.references_heading, self.language, self.words
        inputs = (markdown, line_offset, self.footnotes_marker, self._digest, *language)
        done = self._done.get(file, inputs)
        if done is not None:
            self.problems += () if prechecked else done[1]
            return done[0]
        result = cites.scan(markdown, line_offset)
        problems, valid = self.check_page(result, file)
        self.problems += problems
        output = cites.protect(result, lambda b: render_block(b) if id(b) in valid else None)
        words = re.escape(self.references_heading.lstrip("#").split("{", 1)[0].strip())
        if valid and not re.search(rf"^#{{2,6}}[ \t]+{words}[ \t#]*$", markdown, re.M | re.I):
            output = output.rstrip("\n") + f"\n\n{self.references_heading}\n"
            output += f"\n{self.footnotes_marker}\n" if self.footnotes_marker else ""
        if SOURCES_MARKER in output and self.formatter is not None:
            output = output.replace(SOURCES_MARKER, self.formatter.sources(self.pending))
        return self._done.put(file, inputs, (output, tuple(problems)))[0]

    def reference_text(self, citation: Any) -> str:
        """The plugin registry's ``reference_text`` (cached, AMA)."""
        assert self.formatter is not None
        return self.formatter.reference(citation.key).replace("@", cites.PLACEHOLDER)

    @staticmethod
    def restore_page(page: Any) -> None:
        """Give back "@" in the page's table of contents and rendered title."""

        def walk(items: Any) -> None:
            for item in items:
                item.title = cites.restore(item.title)
                walk(item.children)

        walk(getattr(page, "toc", []) or [])
        # MkDocs' Page.title may be set for good (a "weak property"): set it only when the
        # rendered title (a heading) held a protected "@".
        title = page.title
        if isinstance(title, str) and cites.restore(title) != title:
            page.title = cites.restore(title)

    def page_file(self, abs_src_path: str | None, src_uri: str) -> str:
        """A page's path as editors see it, relative to the project root."""
        try:
            if abs_src_path:
                return Path(abs_src_path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            pass
        return f"docs/{src_uri}"

    def check_pages(self, config: Any) -> list[Problem]:
        """The problems of every page MkDocs builds (``precheck``)."""
        pages = project.page_files(config)
        return self.precheck(
            (self.page_file(f.abs_src_path, f.src_uri), f.content_string) for f in pages
        )

    # ------------------------------------------------------------------ MkDocs events
    @event_priority(100)
    def on_config(self, config: Any) -> Any:
        bib_file = bibtex_adapter.bib_file(config)
        if bib_file is None:
            raise PluginError(
                "mkdocs.yml: [citation-config] the citation hook needs the bibtex plugin with "
                "'bib_file: bibliography.bib'. Fix: add it under 'plugins:'."
            )
        self.configure_markdown(config.markdown_extensions, config.mdx_configs)
        root = Path(config.config_file_path).parent
        if problems := self.load(root / bib_file, root):
            # In `python -m iopguide check` the problems are recorded and the build goes on.
            stop_build(problems, "bibliography.bib has problems; the site was not built:")
        return config

    def on_pre_build(self, config: Any) -> None:
        # The i18n plugin sets the theme's language in its on_config, after ours.
        root = Path(config.config_file_path).parent
        language = load_languages(root).get(str(config.theme.get("language") or "en"))
        if language is not None:  # the same anchor in every language
            self.references_heading = f"## {language.references} {{#references}}"
            self.use_language(language.code, language.reference_words)
        bibtex_adapter.use_formatter(config, self.reference_text)
        problems = self.check_pages(config)
        if (reporter := reporter_of(config)) is not None:
            # The content hook runs after this one and reports its problems and ours together.
            reporter.report_with_mine(HEADING, problems)
        elif problems:
            stop_build(problems, HEADING)

    @event_priority(100)
    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        offset = line_offset(page.file.content_string, markdown)
        file = self.page_file(page.file.abs_src_path, page.file.src_uri)
        return self.process_markdown(markdown, file, offset)

    @event_priority(100)
    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        self.restore_page(page)
        return reading_order(cites.restore(html))

    @event_priority(100)
    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        if self.problems:
            stop_build(self.problems, HEADING)
        return env
