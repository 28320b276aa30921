"""The citation layer in front of mkdocs-bibtex (decisions/0002): check bibliography.bib and pages
before MkDocs empties ``site/``, rewrite valid citations as plain ``[@key]``, protect every other
"@" and give it back in the HTML. :func:`main`: the same checks without a build."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from markdown.extensions.footnotes import FootnoteExtension
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils.meta import get_data

from iopguide import project
from iopguide.cache import LastResult, file_digest
from iopguide.citations import MESSAGES, bibtex_adapter, words
from iopguide.citations import scan as cites
from iopguide.citations.bib import CITABLE_KEY_RE, Bibliography, load_bibliography
from iopguide.citations.style import SOURCES_MARKER, ReferenceFormatter, en_dash_range, escape_md
from iopguide.content.hooks import ContentHooks
from iopguide.content.rules import relative
from iopguide.dois.lock import LOCK_FILE, Lock, pending_keys, read_lock
from iopguide.i18n import ReferenceWords, building, load_languages
from iopguide.report import Problem, ProblemsFound, format_problem, print_report, stop_build

#: Where Python-Markdown's footnotes extension puts its list, unless configured otherwise.
FOOTNOTES_MARKER: str = FootnoteExtension().getConfig("PLACE_MARKER")
HEADING = words("stopped")
_FN_REF = re.compile(r'(<a class="footnote-ref" href="#fn:([^"]+)">)(\d+)(</a>)')
_FN_LIST = re.compile(r'(<div class="footnote">\s*<hr\s*/?>\s*<ol>)(.*?)(\s*</ol>\s*</div>)', re.S)
_FN_ITEM = re.compile(r'\s*<li id="fn:([^"]+)">.*?</li>(?=\s*<li id="fn:|\s*$)', re.S)


def render_block(block: cites.CitationBlock) -> tuple[str, bool]:
    """Markdown mkdocs-bibtex renders for a valid block, and whether it is glued to the word
    before (numbers with a superscript comma and "(p. 5)"; with a prefix, in parentheses)."""
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
    found = markdown and source.endswith(markdown)
    return source[: len(source) - len(markdown)].count("\n") if found else 0


def reading_order(html: str) -> str:
    """Renumber citations by first appearance, and their list in that order: Python-Markdown's
    footnotes (3.11) reach nested blocks (lists, admonitions) out of document order."""
    order = {k: n for n, k in enumerate(dict.fromkeys(m[2] for m in _FN_REF.finditer(html)), 1)}
    if not order or not (lists := list(_FN_LIST.finditer(html))):
        return html
    block, body = lists[-1], lists[-1][2]
    items = [(m[1], m[0]) for m in _FN_ITEM.finditer(body)]
    whole = "".join(text for _, text in items).strip() == body.strip()
    if not whole or len(items) != body.count('id="fn:'):  # not the shape we know: leave it
        return html
    items.sort(key=lambda item: order.get(item[0], len(order) + 1))
    new_list = block[1] + "".join(text for _, text in items) + block[3]
    html = html[: block.start()] + new_list + html[block.end() :]
    return _FN_REF.sub(lambda m: f"{m.group(1)}{order[m.group(2)]}{m.group(4)}", html)


class CitationLayer:
    def __init__(self) -> None:
        self.root = Path.cwd()
        self.bib: Bibliography | None = None
        self.lock: Lock | None = None  # dois.lock.json, when the bibliography and it read
        self.formatter: ReferenceFormatter | None = None
        self.problems: list[Problem] = []
        self.pending: set[str] = set()  # DOI pending in dois.lock.json: not citable (0004, 0011)
        self._prechecked: set[str] = set()  # pages whose problems check_pages handed over
        self.cited: dict[str, tuple[str, ...]] = {}  # page file -> the keys it cites, in order
        self.footnotes_marker = FOOTNOTES_MARKER  # "" when the extension is off
        self.references_heading, self.references_title = "## References", "references"
        self._digest, self._read = "", list[Problem]()  # the files read, and their problems
        self.words: ReferenceWords | None = None  # the original's until a language is built
        # `mkdocs serve` checks only changed pages again (37 pages: 110 ms of CPU, 5 with this).
        self._done: LastResult[tuple[str, tuple[Problem, ...]]] = LastResult()

    def load(self, bib_path: Path, root: Path) -> list[Problem]:
        """Read and check the bibliography; returns its problems (empty when usable). Unchanged
        files are not read again: the i18n plugin configures each language's build (9 ms a read)."""
        self.root, self.problems, self._prechecked = root, [], set()
        lock_path = root / LOCK_FILE
        if (digest := file_digest([bib_path, lock_path]) + str(root.resolve())) == self._digest:
            return list(self._read)
        self.lock, self.pending, self._digest = None, set(), ""
        self.bib, problems = load_bibliography(bib_path, root)
        if self.bib is not None:
            dois = {key: self.bib.doi(key) or "" for key in self.bib.keys}
            try:
                self.lock = read_lock(lock_path, LOCK_FILE)
                self.pending = pending_keys(dois, self.lock)
            except ProblemsFound as error:  # which sources are confirmed is unknown: stop
                problems = problems + error.problems
            self.use_language(self.words)
        self._digest, self._read = digest, problems
        return list(problems)

    def use_language(self, words: ReferenceWords | None) -> None:
        """Print the lists of sources with the words of the language being built."""
        self.words = words
        self.formatter = None if self.bib is None else ReferenceFormatter(self.bib, words)

    def configure_markdown(self, extensions: list[str], configs: dict[str, dict[str, Any]]) -> None:
        """Number footnotes by first reference (Python-Markdown >= 3.6: by definition)."""
        self.footnotes_marker = ""
        if "footnotes" in extensions:
            options = configs.setdefault("footnotes", {})
            options.setdefault("USE_DEFINITION_ORDER", False)
            self.footnotes_marker = options.get("PLACE_MARKER", FOOTNOTES_MARKER)

    def check_page(self, result: cites.Scan, file: str) -> tuple[list[Problem], set[int]]:
        """Problems of one page, and the ids of the blocks that may be rendered."""

        def say(where: Any, what: str, /, **values: Any) -> Problem:
            return MESSAGES.say(file, where.line, what, column=where.column, **values)

        problems = [say(i, "citation-syntax", raw=i.raw, reason=i.reason) for i in result.issues]
        valid: set[int] = set()
        cited: dict[str, cites.CitationItem] = {}
        keys = {key.lower(): key for key in (self.bib.keys if self.bib else ())}
        for block in result.blocks:
            found = [say(block, "citation-in-heading", raw=block.raw)] if block.in_heading else []
            for item in block.items:
                key = item.key
                if key in self.pending:
                    found.append(say(item, "citation-pending", key=key, lock=LOCK_FILE))
                elif (exact := keys.get(key.lower())) == key:
                    cited.setdefault(key, item)
                elif not CITABLE_KEY_RE.match(key):
                    found.append(say(item, "citation-key-characters", key=key))
                elif exact is not None:
                    found.append(say(item, "citation-key-case", key=key, exact=exact))
                elif close := difflib.get_close_matches(key.lower(), keys, n=1, cutoff=0.6):
                    found.append(
                        say(item, "citation-unknown-key/close", key=key, close=keys[close[0]])
                    )
                else:
                    found.append(say(item, "citation-unknown-key", key=key))
            problems += found
            valid |= set() if found else {id(block)}
        for note in result.footnotes:
            if (first := cited.get(note.label)) is not None:
                at = f"{file}:{first.line}:{first.column}"
                rule = "citation-footnote-collision"
                problems.append(say(note, rule, label=note.label, key=first.key, at=at))
        return problems, valid

    def check_pages(self, config: Any) -> list[Problem]:
        """Check every page before MkDocs empties ``site/`` (a mistake leaves the last good build);
        the build's own pass reuses these results."""
        for file in project.page_files(config):
            (markdown, _meta), name = get_data(file.content_string), self.page_file(file)
            self.process_markdown(markdown, name, line_offset(file.content_string, markdown))
            self._prechecked.add(name)
        problems, self.problems = self.problems, []
        return problems

    def process_markdown(self, markdown: str, file: str, line_offset: int = 0) -> str:
        """Check one page (problems are kept for the end of the build) and rewrite it."""
        prechecked = file in self._prechecked
        self._prechecked.discard(file)
        heading, marker = self.references_heading, self.footnotes_marker
        inputs = (markdown, line_offset, marker, self._digest, heading, self.words)
        if (done := self._done.get(file, inputs)) is not None:
            self.problems += () if prechecked else done[1]
            return done[0]
        result = cites.scan(markdown, line_offset)
        self.cited[file] = tuple(dict.fromkeys(i.key for b in result.blocks for i in b.items))
        problems, valid = self.check_page(result, file)
        self.problems += problems
        output = cites.protect(result, lambda b: render_block(b) if id(b) in valid else None)
        found = (t.split("{", 1)[0].strip().lower() for _, level, t in result.headings if level > 1)
        if valid and self.references_title not in found:
            output = output.rstrip("\n") + f"\n\n{self.references_heading}\n"
            output += f"\n{self.footnotes_marker}\n" if self.footnotes_marker else ""
        if SOURCES_MARKER in output and self.formatter is not None:
            output = output.replace(SOURCES_MARKER, self.formatter.sources(self.pending))
        return self._done.put(file, inputs, (output, tuple(problems)))[0]

    def reference_text(self, citation: Any) -> str:
        """The plugin registry's ``reference_text`` (AMA)."""
        assert self.formatter is not None
        return self.formatter.reference(citation.key).replace("@", cites.PLACEHOLDER)

    @staticmethod
    def restore_page(page: Any) -> None:
        """Give back "@" in the page's table of contents and rendered title."""
        items = list(getattr(page, "toc", []) or [])
        for item in items:
            item.title = cites.restore(item.title)
            items += item.children
        # MkDocs' Page.title is a "weak property": set it only when it held a protected "@".
        if isinstance(page.title, str) and cites.restore(page.title) != page.title:
            page.title = cites.restore(page.title)

    def page_file(self, file: File) -> str:
        """A page's path as editors see it, relative to the project root."""
        if file.abs_src_path is None:  # a page a plugin made
            return f"docs/{file.src_uri}"
        return relative(Path(file.abs_src_path).resolve(), self.root.resolve())

    # ------------------------------------------------------------------ MkDocs events
    @event_priority(100)
    def on_config(self, config: Any) -> Any:
        if (bib_file := bibtex_adapter.bib_file(config)) is None:
            raise PluginError(format_problem(MESSAGES.say("mkdocs.yml", None, "citation-config")))
        self.configure_markdown(config.markdown_extensions, config.mdx_configs)
        root = project.root(config)
        if problems := self.load(root / bib_file, root):
            heading = words("bib-stopped", bib=bib_file)
            if self.bib is None:  # mkdocs-bibtex cannot read it either: no build can go on
                raise PluginError(str(ProblemsFound(problems, heading=heading)))
            # In `python -m iopguide check` the problems are recorded and the build goes on.
            stop_build(problems, heading)
        return config

    def on_pre_build(self, config: Any) -> None:
        # The i18n plugin sets the theme's language in its on_config, after ours.
        language = building(config, load_languages(project.root(config)))
        self.references_heading = f"## {language.references} {{#references}}"  # one anchor
        self.references_title = language.references.split("{", 1)[0].strip().lower()
        self.use_language(language.reference_words)
        bibtex_adapter.use_formatter(config, self.reference_text)
        problems = self.check_pages(config)
        if (reporter := project.hook_of(config, ContentHooks)) is not None:
            # The content hook runs after this one and reports its problems and ours together.
            reporter.report_with_mine(HEADING, problems)
        elif problems:
            stop_build(problems, HEADING)

    @event_priority(100)
    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        offset = line_offset(page.file.content_string, markdown)
        return self.process_markdown(markdown, self.page_file(page.file), offset)

    @event_priority(100)
    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        self.restore_page(page)
        return reading_order(cites.restore(html))

    @event_priority(100)
    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        if self.problems:
            stop_build(self.problems, HEADING)
        return env


def check(root: Path, config: Any = None, bib: Path | None = None) -> list[Problem]:
    """Problems of the bibliography (the bibtex plugin's, or ``bib``) and of every page MkDocs
    builds (``config``: by default the project's mkdocs.yml)."""
    config, layer = project.load_config(root) if config is None else config, CitationLayer()
    if bib is None:
        if (bib_file := bibtex_adapter.bib_file(config)) is None:
            return [MESSAGES.say("mkdocs.yml", None, "citation-config")]
        bib = root / bib_file
    problems = layer.load(bib, root)
    return problems + (layer.check_pages(config) if layer.bib is not None else [])


def main(argv: list[str]) -> int:
    parser = MESSAGES.parser("citations", "words/cli", root="words/cli-root")
    try:
        problems = check(project.root_of(parser.parse_args(argv).root))
    except ProblemsFound as exc:
        problems = exc.problems
    if (code := print_report(problems)) == 0:
        print(words("ok"))
    return code
