"""Citation hooks: validate and protect citations before mkdocs-bibtex renders them.

Thin on purpose: the logic lives in ``iopguide.citations`` (see iopguide/citations/layer.py for
the order of events, and decisions/0002-citation-layer.md for why).

Priorities: higher runs earlier; mkdocs-bibtex runs at the default 0. We check the bibliography
and the Markdown BEFORE the plugin (100), and restore protected text right after rendering.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from iopguide import project
from iopguide.citations import bibtex_adapter
from iopguide.citations.layer import CitationLayer, line_offset
from iopguide.citations.order import reading_order
from iopguide.i18n import load_languages
from iopguide.report import pending, stop_build

layer = CitationLayer()


def _fail(problems: list, heading: str) -> None:
    # Stops the build; in `python -m iopguide check` the problems are recorded and the build goes
    # on, so MkDocs' own link checks still report.
    stop_build(problems, heading)


@event_priority(100)
def on_config(config):
    bib_file = bibtex_adapter.bib_file(config)
    if bib_file is None:
        raise PluginError(
            "mkdocs.yml: [citation-config] the citation hook needs the bibtex plugin with "
            "'bib_file: bibliography.bib'. Fix: add it under 'plugins:'."
        )
    layer.configure_markdown(config.markdown_extensions, config.mdx_configs)
    root = Path(config.config_file_path).parent
    problems = layer.load(root / bib_file, root)
    if problems:
        _fail(problems, "bibliography.bib has problems; the site was not built:")
    return config


def on_pre_build(config):
    # The heading above the sources, in the language being built: the i18n plugin sets the
    # theme's language in its on_config, which runs after ours (words from languages.yml).
    root = Path(config.config_file_path).parent
    language = load_languages(root).get(str(config.theme.get("language") or "en"))
    if language is not None:
        # The same anchor in every language (#references), so links and styles need no change.
        layer.references_heading = f"## {language.references} {{#references}}"
        # "Accessed", "In:", "2nd ed." and the bibliography's descriptive phrases, in the same
        # language (the Sources page and the list at the end of each page).
        layer.use_language(language.code, language.reference_words)
    # The plugin built its registry in its own on_config; its references use our formatter.
    bibtex_adapter.use_formatter(config, layer.reference_text)
    # Check every published page now, before MkDocs empties site/ (see CitationLayer.precheck).
    pages = project.page_files(config)
    problems = layer.precheck(
        (layer.page_file(f.abs_src_path, f.src_uri), f.content_string) for f in pages
    )
    heading = "Citation problems; the site was not built:"
    if any(getattr(hook, "REPORTS_PENDING", False) for hook in config["hooks"].values()):
        # The content hook runs after this one and reports its problems and ours together.
        pending.add(heading, problems)
    elif problems:
        _fail(problems, heading)


@event_priority(100)
def on_page_markdown(markdown, page, config, files):
    offset = line_offset(page.file.content_string, markdown)
    file = layer.page_file(page.file.abs_src_path, page.file.src_uri)
    return layer.process_markdown(markdown, file, offset)


@event_priority(100)
def on_page_content(html, page, config, files):
    layer.restore_page(page)
    return reading_order(layer.restore_html(html))


@event_priority(100)
def on_env(env, config, files):
    if layer.problems:
        _fail(layer.problems, "Citation problems; the site was not built:")
    return env
