"""MkDocs' and plugins' warnings in editors' words (iopguide.buildlog).

The messages are MkDocs 1.6.1's own wording (mkdocs/structure/nav.py and pages.py) and the
plugins'; tests/site/test_check.py produces them from real builds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iopguide import ROOT
from iopguide.buildlog import Project, translate
from iopguide.project import load_config
from iopguide.report import MESSAGES, MessagesBroken


def project(tmp_path: Path) -> Project:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "faq.md").write_text(
        "---\ntitle: Questions\n---\n\n# Questions\n\nSee [a](levels.md)\n"
    )
    (docs / "levels-of-care.md").write_text("# Levels\n")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nnav:\n  - Home: index.md\n  - Levels: levels-of-kare.md\n"
        "plugins:\n  - redirects:\n      redirect_maps:\n        old.md: gone.md\n"
    )
    return Project.of(load_config(tmp_path))


def test_a_reference_in_the_menu_to_no_page(tmp_path: Path) -> None:
    message = (
        "A reference to 'levels-of-kare.md' is included in the 'nav' configuration, which is not "
        "found in the documentation files."
    )
    [problem] = translate(message, project(tmp_path))
    assert (problem.file, problem.line, problem.rule) == ("mkdocs.yml", 4, "nav-not-found")
    assert problem.fix.startswith("change it to 'levels-of-care.md' (the closest page)")


def test_the_closest_page_is_never_a_translation(tmp_path: Path) -> None:
    # A redirect or link names the original page; its translations follow it. The closest name
    # to a mistyped redirect used to be a Spanish file ('paying-and-rights.es.md').
    built = {f"paying-and-rights{s}.md": f"{d}paying-and-rights/index.html" for s, d in
             (("", ""), (".es", "es/"))}  # fmt: skip
    shutil.copy2(ROOT / "languages.yml", tmp_path / "languages.yml")  # Spanish: .es.md
    project = Project(tmp_path, tmp_path / "docs", None, built)
    assert project.closest("paying-and-right.es.md") == "paying-and-rights.md"
    assert project.closest("notes.es.md", ["notes.es.md"]) == "notes.es.md"  # chosen by the caller


def test_a_link_or_menu_entry_is_never_pointed_to_an_orphan_translation(tmp_path: Path) -> None:
    # faq.md was renamed to questions.md, faq.es.md was left behind: main counted it as an
    # original, and told an English link or menu entry to 'faq.md' to name it.
    shutil.copy2(ROOT / "languages.yml", tmp_path / "languages.yml")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n[FAQ](faq.md)\n")
    built = {"index.md": "index.html", "faq.es.md": "es/faq/index.html"}
    project = Project(tmp_path, tmp_path / "docs", None, built)
    menu = "A reference to 'faq.md' is included in the 'nav' configuration, which is not found in "
    [problem] = translate(menu + "the documentation files.", project)
    assert problem.rule == "nav-not-found" and "faq.es.md" not in problem.fix
    link = "Doc file 'index.md' contains a link 'faq.md', but the target is not found among "
    [problem] = translate(link + "documentation files.", project)
    assert problem.rule == "link-missing-page" and "faq.es.md" not in problem.fix
    built["fax.md"] = "fax/index.html"  # an original of a close name is still offered
    assert (
        "'fax.md' (the closest page)"
        in translate(menu + "the documentation files.", project)[0].fix
    )


def test_a_link_to_no_page_is_found_on_its_line(tmp_path: Path) -> None:
    message = (
        "Doc file 'faq.md' contains a link 'levels.md', but the target is not found among "
        "documentation files."
    )
    [problem] = translate(message, project(tmp_path))
    assert (problem.file, problem.line, problem.column) == ("docs/faq.md", 7, 9)
    assert problem.rule == "link-missing-page"


def test_a_redirect_to_no_page(tmp_path: Path) -> None:
    [problem] = translate("Redirect target 'gone.md' does not exist!", project(tmp_path))
    assert (problem.file, problem.line, problem.rule) == ("mkdocs.yml", 8, "redirect-target")


def test_a_hooks_report_keeps_its_lines(tmp_path: Path) -> None:
    message = (
        "The built pages break the site's security policy:\n"
        "docs/faq.md: [csp-style-attribute] The page has 1 inline style attribute(s). "
        "Fix: Remove the style attribute. (See docs/style-guide.md#html)\nFound 1 error."
    )
    [problem] = translate(message, project(tmp_path))
    assert (problem.file, problem.line, problem.rule) == (
        "docs/faq.md",
        None,
        "csp-style-attribute",
    )
    assert problem.fix == "Remove the style attribute" and problem.guide == "html"


def test_anything_else_is_passed_on_in_mkdocs_words(tmp_path: Path) -> None:
    [problem] = translate("Template skipped: 'x.html' not found.", project(tmp_path))
    assert problem.rule == "build-warning"
    assert problem.message == "MkDocs warned: Template skipped: 'x.html' not found."


def test_a_translation_missing_from_the_menu_goes_in_its_own_language_menu(
    tmp_path: Path,
) -> None:
    from iopguide import ROOT

    proj = project(tmp_path)
    (tmp_path / "languages.yml").write_text((ROOT / "languages.yml").read_text(encoding="utf-8"))
    (proj.docs_dir / "faq.es.md").write_text("---\ntitle: Preguntas\n---\n\n# Preguntas\n")
    message = (
        'The following pages exist in the docs directory, but are not included in the "nav" '
        "configuration:\n  - faq.es.md"
    )
    [problem] = translate(message, proj)
    assert (problem.file, problem.rule) == ("docs/faq.es.md", "nav-missing")
    assert problem.fix.startswith(
        "add \"- Preguntas: faq.md\" under nav: of 'locale: es' (plugins: i18n: languages:) in "
        "mkdocs.yml"
    )


def test_an_unknown_key_from_the_plugin_in_the_citation_checks_words(tmp_path: Path) -> None:
    """One definition of citation-unknown-key (iopguide/citations/messages.yml)."""
    (problem,) = translate("Citing unknown reference key mcarty2014", project(tmp_path))
    assert (problem.file, problem.rule) == ("bibliography.bib", "citation-unknown-key")
    assert problem.message == "unknown citation key 'mcarty2014'"
    assert problem.fix.startswith("copy the key exactly from bibliography.bib")


def test_a_missing_anchor_in_a_translation_is_matched_against_its_built_page(
    tmp_path: Path,
) -> None:
    """The translation's page is read where the site has it (es/faq/), not at faq.es/."""
    from iopguide import ROOT

    (tmp_path / "languages.yml").write_text((ROOT / "languages.yml").read_text(encoding="utf-8"))
    project(tmp_path)
    (tmp_path / "docs" / "faq.es.md").write_text("# Preguntas\n\nVea [aquí](#que-hace).\n")
    built = tmp_path / "site" / "es" / "faq" / "index.html"
    built.parent.mkdir(parents=True)
    built.write_text('<h2 id="que-hacer">Qué hacer</h2>\n', encoding="utf-8")
    proj = Project.of(load_config(tmp_path), tmp_path / "site")
    message = "Doc file 'faq.es.md' contains a link '#que-hace', but there is no such anchor"
    [problem] = translate(message + " on this page.", proj)
    assert (problem.file, problem.line, problem.rule) == (
        "docs/faq.es.md",
        3,
        "link-missing-anchor",
    )
    assert problem.fix.startswith("write '#que-hacer' instead;"), problem.fix


def test_an_unknown_key_from_the_plugin_names_the_bibliography_mkdocs_yml_names(
    tmp_path: Path,
) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - bibtex:\n      bib_file: refs/sources.bib\n"
    )
    (tmp_path / "docs").mkdir()
    (problem,) = translate(
        "Citing unknown reference key mcarty2014", Project.of(load_config(tmp_path))
    )
    assert (problem.file, problem.rule) == ("refs/sources.bib", "citation-unknown-key")


def test_a_hint_written_without_message_is_named_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On main: AttributeError ('str' object has no attribute 'get')."""
    monkeypatch.setitem(MESSAGES, "hint/nav-not-found", "change it")  # 'message:' left out
    message = (
        "A reference to 'levels-of-kare.md' is included in the 'nav' configuration, which is not "
        "found in the documentation files."
    )
    with pytest.raises(MessagesBroken) as caught:
        translate(message, project(tmp_path))
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.rule) == (
        "iopguide/messages.yml",
        MESSAGES.lines["hint/nav-not-found"],
        "messages-file",
    )
