"""The citation layer on one page: problems with file:line:col, and the Markdown it hands on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iopguide import ROOT, project
from iopguide.citations import bib
from iopguide.citations.layer import CitationLayer, line_offset, render_block
from iopguide.citations.scan import PLACEHOLDER, scan
from iopguide.i18n import load_languages
from iopguide.report import format_problem

BIB = """@article{mccarty2014fixture,
  author = {McCarty, Dan}, title = {T}, journal = {J}, year = {2014}
}
@article{gottheil1998fixture,
  author = {Gottheil, Ed}, title = {T}, journal = {J}, year = {1998}
}
"""


@pytest.fixture
def layer(tmp_path: Path) -> CitationLayer:
    (tmp_path / "bibliography.bib").write_text(BIB, encoding="utf-8")
    layer = CitationLayer()
    assert layer.load(tmp_path / "bibliography.bib", tmp_path) == []
    return layer


def _messages(layer: CitationLayer) -> list[str]:
    return [format_problem(p).split(" Fix: ")[0] for p in layer.problems]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Claim [@mccarty2014fixture].", "Claim[@mccarty2014fixture]."),
        (
            "Claim [@mccarty2014fixture; @gottheil1998fixture].",
            'Claim[@mccarty2014fixture]<sup class="citation-separator">,</sup>'
            "[@gottheil1998fixture].",
        ),
        (
            "Claim [@mccarty2014fixture, p. 5].",
            'Claim[@mccarty2014fixture]<sup class="citation-locator">(p. 5)</sup>.',
        ),
        (
            "Claim [see @mccarty2014fixture, pp. 3-5].",
            'Claim (see [@mccarty2014fixture]<sup class="citation-locator">(pp. 3\u20135)</sup>).',
        ),
        (
            "Claim [see @mccarty2014fixture; also @gottheil1998fixture].",
            "Claim (see [@mccarty2014fixture]; also [@gottheil1998fixture]).",
        ),
    ],
)
def test_valid_citations_become_plain_plugin_citations(
    layer: CitationLayer, source: str, expected: str
) -> None:
    out = layer.process_markdown(source, "docs/page.md")
    assert out == f"{expected}\n\n## References\n\n///Footnotes Go Here///\n"
    assert layer.problems == []


def test_no_references_heading_without_citations(layer: CitationLayer) -> None:
    assert layer.process_markdown("Mail [info@example.org].", "docs/p.md") == (
        f"Mail [info{PLACEHOLDER}example.org]."
    )


def test_an_existing_references_heading_is_not_repeated(layer: CitationLayer) -> None:
    out = layer.process_markdown("Claim [@mccarty2014fixture].\n\n## References\n", "docs/p.md")
    assert out == "Claim[@mccarty2014fixture].\n\n## References\n"


@pytest.mark.parametrize(
    ("heading", "added"),
    [
        ("## References {#references}\n", False),  # the heading languages.yml gives
        ("References\n----------\n", False),  # a setext h2
        ("```\n## References\n```\n", True),  # code, not a heading
        ("    ## References\n", True),  # indented code
    ],
)
def test_the_references_heading_is_found_as_markdown_reads_it(
    layer: CitationLayer, heading: str, added: bool
) -> None:
    source = f"Claim [@mccarty2014fixture].\n\n{heading}"
    out = layer.process_markdown(source, "docs/p.md")
    assert out.endswith("\n## References\n\n///Footnotes Go Here///\n") is added
    assert out.count("References") == 1 + added


def test_every_problem_of_a_page_with_line_and_column(layer: CitationLayer) -> None:
    source = (
        "# Page\n\n"
        "Typo [@mcarty2014fixture] and case [@McCarty2014fixture].\n\n"
        "## Heading [@gottheil1998fixture]\n\n"
        "Period [@gottheil1998fixture.] and none [@qqq].\n\n"
        "Cited [@mccarty2014fixture][^mccarty2014fixture].\n\n"
        "[^mccarty2014fixture]: Note.\n"
    )
    out = layer.process_markdown(source, "docs/page.md", line_offset=5)
    assert _messages(layer) == [
        "docs/page.md:8:7: [citation-unknown-key] unknown citation key 'mcarty2014fixture' "
        "(did you mean 'mccarty2014fixture'?).",
        "docs/page.md:8:37: [citation-key-case] citation key 'McCarty2014fixture' differs from "
        "'mccarty2014fixture' in bibliography.bib only in upper/lower case.",
        "docs/page.md:10:12: [citation-in-heading] the citation [@gottheil1998fixture] is in a "
        "heading.",
        "docs/page.md:12:9: [citation-key-characters] citation key 'gottheil1998fixture.' has "
        "characters a citation cannot use (only letters, digits, '_' and '-').",
        "docs/page.md:12:42: [citation-unknown-key] unknown citation key 'qqq'.",
        "docs/page.md:16:1: [citation-footnote-collision] your footnote [^mccarty2014fixture] "
        "has the same label as the citation [@mccarty2014fixture] at docs/page.md:14:8; the "
        "reference list would replace your footnote.",
    ]
    # Blocks with problems stay as written, with their "@" protected from the plugin.
    assert f"[{PLACEHOLDER}mcarty2014fixture]" in out
    assert f"## Heading [{PLACEHOLDER}gottheil1998fixture]" in out


def test_problems_accumulate_across_pages_until_load(layer: CitationLayer, tmp_path: Path) -> None:
    layer.process_markdown("[@one]", "docs/a.md")
    layer.process_markdown("[@two]", "docs/b.md")
    assert [p.file for p in layer.problems] == ["docs/a.md", "docs/b.md"]
    layer.load(tmp_path / "bibliography.bib", tmp_path)
    assert layer.problems == []


def test_sources_marker_lists_every_entry(layer: CitationLayer) -> None:
    out = layer.process_markdown("# Sources\n\n\\full_bibliography\n", "docs/sources.md")
    assert out == (
        "# Sources\n\n"
        "- Gottheil E. T. *J*. 1998.\n{: #ref-gottheil1998fixture }\n"
        "- McCarty D. T. *J*. 2014.\n{: #ref-mccarty2014fixture }\n\n"
    )


def test_reference_text_is_cached_and_protected(layer: CitationLayer) -> None:
    class Citation:
        key = "mccarty2014fixture"

    assert layer.reference_text(Citation()) == "McCarty D. T. *J*. 2014."
    layer.reference_text(Citation())
    assert layer.formatter is not None
    assert layer.formatter.reference.cache_info().misses == 1


def test_footnotes_are_numbered_in_reading_order() -> None:
    layer = CitationLayer()
    configs: dict = {}
    layer.configure_markdown(["footnotes", "toc"], configs)
    assert configs == {"footnotes": {"USE_DEFINITION_ORDER": False}}
    configs = {"footnotes": {"USE_DEFINITION_ORDER": True, "PLACE_MARKER": "@@here@@"}}
    layer.configure_markdown(["footnotes"], configs)
    assert configs["footnotes"]["USE_DEFINITION_ORDER"] is True  # an explicit choice stays
    assert layer.footnotes_marker == "@@here@@"


def test_references_heading_without_the_footnotes_extension(tmp_path: Path) -> None:
    (tmp_path / "bibliography.bib").write_text(BIB, encoding="utf-8")
    layer = CitationLayer()
    layer.load(tmp_path / "bibliography.bib", tmp_path)
    layer.configure_markdown(["toc"], {})
    out = layer.process_markdown("Claim [@mccarty2014fixture].", "docs/p.md")
    assert out == "Claim[@mccarty2014fixture].\n\n## References\n"


def test_line_offset_counts_front_matter() -> None:
    source = "---\ntitle: T\n---\n\nBody\n"
    assert line_offset(source, "Body\n") == 4
    assert line_offset("Body\n", "Body\n") == 0


def test_render_block_glues_plain_citations_only() -> None:
    plain = scan("x [@a]").blocks[0]
    prefixed = scan("x [see @a]").blocks[0]
    assert render_block(plain) == ("[@a]", True)
    assert render_block(prefixed) == ("(see [@a])", False)


def test_pages_are_checked_before_the_build_and_scanned_once(
    layer: CitationLayer, tmp_path: Path
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    good = "---\ntitle: T\n---\n\nClaim [@mccarty2014fixture].\n"
    (tmp_path / "docs" / "good.md").write_text(good, encoding="utf-8")
    (tmp_path / "docs" / "bad.md").write_text(good.replace("mccarty2014fixture", "nope"))
    problems = layer.check_pages(project.load_config(tmp_path))
    assert [(p.file, p.line, p.column, p.rule) for p in problems] == [
        ("docs/bad.md", 5, 8, "citation-unknown-key")
    ]
    assert layer.problems == []  # handed over, not reported twice
    # The build then asks for the same pages: the kept results are used, problems not repeated.
    out = layer.process_markdown("Claim [@mccarty2014fixture].\n", "docs/good.md", 4)
    assert out == "Claim[@mccarty2014fixture].\n\n## References\n\n///Footnotes Go Here///\n"
    assert layer.process_markdown("Claim [@nope].\n", "docs/bad.md", 4) == "Claim [\ue040nope].\n"
    assert layer.problems == []
    # A page changed by another hook in between is scanned again.
    assert layer.process_markdown("Other [@nope].", "docs/bad.md") == "Other [\ue040nope]."
    assert [p.rule for p in layer.problems] == ["citation-unknown-key"]


def test_sources_list_in_the_language_being_built(tmp_path: Path) -> None:
    """The i18n plugin builds English, then Spanish, with the same layer: each build's Sources
    list has its own words, and switching back gives the English list again."""
    (tmp_path / "bibliography.bib").write_text(
        "@misc{web2026fixture, author = {{Fixture Agency}}, title = {A Page},"
        " howpublished = {Web page}, year = {2026}}\n",
        encoding="utf-8",
    )
    layer = CitationLayer()
    assert layer.load(tmp_path / "bibliography.bib", tmp_path) == []
    languages = load_languages(ROOT)
    english = "- Fixture Agency. A Page. Web page. 2026.\n{: #ref-web2026fixture }\n\n"
    spanish = "- Fixture Agency. A Page. Página web. 2026.\n{: #ref-web2026fixture }\n\n"
    for code, expected in (("en", english), ("es", spanish), ("en", english)):
        layer.use_language(languages[code].reference_words)
        assert layer.process_markdown("\\full_bibliography\n", "docs/sources.md") == expected


def test_a_rendered_title_gets_its_at_sign_back(layer: CitationLayer, tmp_path: Path) -> None:
    """The page title MkDocs takes from the first heading, and the table of contents, show
    "@" as written, not the placeholder that hid it from mkdocs-bibtex."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    docs = tmp_path / "docs"
    docs.mkdir()
    source = "# Write to help@example.org\n\n## Or to team@example.org\n"
    (docs / "page.md").write_text(source, encoding="utf-8")
    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": str(docs)})
    assert config.validate() == ([], [])
    file = File("page.md", str(docs), str(tmp_path / "site"), use_directory_urls=True)
    page = Page(None, file, config)
    page.read_source(config)
    page.markdown = layer.process_markdown(page.markdown, "docs/page.md")
    assert "help@example.org" not in page.markdown  # protected from the plugin
    page.render(config, Files([file]))
    assert "@" not in (page.title or "")
    layer.restore_page(page)
    assert page.title == "Write to help@example.org"
    assert [c.title for c in next(iter(page.toc)).children] == ["Or to team@example.org"]


def test_an_unchanged_bibliography_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The i18n plugin configures each language's build, loading the layer again: pybtex parsed
    bibliography.bib twice per `make check` on main; now again only when it or the lock changed."""
    parses: list[str] = []
    parse = bib.parse_bibliography
    monkeypatch.setattr(
        bib, "parse_bibliography", lambda text, name: parses.append(name) or parse(text, name)
    )
    path = tmp_path / "bibliography.bib"
    path.write_text(BIB.replace("journal = {J}, ", "", 1), encoding="utf-8")  # a problem kept
    layer = CitationLayer()
    first = layer.load(path, tmp_path)
    read = layer.bib
    assert [p.rule for p in first] == ["bib-policy-missing-field"]
    assert layer.load(path, tmp_path) == first and layer.bib is read and len(parses) == 1
    path.write_text(BIB, encoding="utf-8")
    assert layer.load(path, tmp_path) == [] and len(parses) == 2
    (tmp_path / "dois.lock.json").write_text("{", encoding="utf-8")
    assert [p.rule for p in layer.load(path, tmp_path)] == ["doi-lock-invalid"]
    assert len(parses) == 3 and layer.lock is None


def test_the_heading_looked_for_is_the_language_being_built(tmp_path: Path) -> None:
    """A Spanish page that has its own "## Fuentes" gets no second list heading; one without it
    gets the Spanish heading (each set once per language's build, in on_pre_build)."""
    shutil.copy2(ROOT / "languages.yml", tmp_path / "languages.yml")
    (tmp_path / "bibliography.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: T\ntheme:\n  name: material\n  language: es\n"
        "plugins:\n  - bibtex:\n      bib_file: bibliography.bib\n",
        encoding="utf-8",
    )
    config, layer = project.load_config(tmp_path), CitationLayer()
    config.plugins["bibtex"].on_config(layer.on_config(config))
    layer.on_pre_build(config)
    heading = load_languages(ROOT)["es"].references
    claim = "Claim [@mccarty2014fixture]."
    own = layer.process_markdown(f"{claim}\n\n## {heading}\n", "docs/a.es.md")
    assert own == f"Claim[@mccarty2014fixture].\n\n## {heading}\n"
    added = layer.process_markdown(claim, "docs/b.es.md")
    assert added == f"Claim[@mccarty2014fixture].\n\n## {heading} {{#references}}\n"
