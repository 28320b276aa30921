"""The citation hooks (overrides/hooks/citations.py makes one :class:`CitationHooks` and hands
MkDocs its methods): validate and protect citations before mkdocs-bibtex renders them.

Priorities: higher runs earlier; mkdocs-bibtex runs at the default 0. We check the bibliography
and the Markdown BEFORE the plugin (100), and restore protected text right after rendering.
See iopguide/citations/layer.py for the order of events, decisions/0002-citation-layer.md for why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from iopguide import project
from iopguide.citations import bibtex_adapter
from iopguide.citations.layer import CitationLayer, line_offset
from iopguide.citations.order import reading_order
from iopguide.content.hooks import reporter_of
from iopguide.i18n import load_languages
from iopguide.report import stop_build

HEADING = "Citation problems; the site was not built:"


class CitationHooks:
    """The citation events of one MkDocs process; the layer keeps what the builds read."""

    def __init__(self) -> None:
        self.layer = CitationLayer()

    @event_priority(100)
    def on_config(self, config: Any) -> Any:
        bib_file = bibtex_adapter.bib_file(config)
        if bib_file is None:
            raise PluginError(
                "mkdocs.yml: [citation-config] the citation hook needs the bibtex plugin with "
                "'bib_file: bibliography.bib'. Fix: add it under 'plugins:'."
            )
        self.layer.configure_markdown(config.markdown_extensions, config.mdx_configs)
        root = Path(config.config_file_path).parent
        problems = self.layer.load(root / bib_file, root)
        if problems:
            # Stops the build; in `python -m iopguide check` the problems are recorded and the
            # build goes on, so MkDocs' own link checks still report.
            stop_build(problems, "bibliography.bib has problems; the site was not built:")
        return config

    def on_pre_build(self, config: Any) -> None:
        layer = self.layer
        # The heading above the sources, in the language being built: the i18n plugin sets the
        # theme's language in its on_config, which runs after ours (words from languages.yml).
        root = Path(config.config_file_path).parent
        language = load_languages(root).get(str(config.theme.get("language") or "en"))
        if language is not None:
            # The same anchor in every language (#references), so links and styles need no change.
            layer.references_heading = f"## {language.references} {{#references}}"
            # "Accessed", "In:", "2nd ed." and the bibliography's descriptive phrases, in the
            # same language (the Sources page and the list at the end of each page).
            layer.use_language(language.code, language.reference_words)
        # The plugin built its registry in its own on_config; its references use our formatter.
        bibtex_adapter.use_formatter(config, layer.reference_text)
        # Check every published page now, before MkDocs empties site/ (CitationLayer.precheck).
        pages = project.page_files(config)
        problems = layer.precheck(
            (layer.page_file(f.abs_src_path, f.src_uri), f.content_string) for f in pages
        )
        reporter = reporter_of(config)
        if reporter is not None:
            # The content hook runs after this one and reports its problems and ours together.
            reporter.report_with_mine(HEADING, problems)
        elif problems:
            stop_build(problems, HEADING)

    @event_priority(100)
    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        offset = line_offset(page.file.content_string, markdown)
        file = self.layer.page_file(page.file.abs_src_path, page.file.src_uri)
        return self.layer.process_markdown(markdown, file, offset)

    @event_priority(100)
    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        self.layer.restore_page(page)
        return reading_order(self.layer.restore_html(html))

    @event_priority(100)
    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        if self.layer.problems:
            stop_build(self.layer.problems, HEADING)
        return env
