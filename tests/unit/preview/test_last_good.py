"""`make serve` shows the last good pages while a build has errors (iopguide.preview)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from mkdocs.exceptions import Abort, PluginError

from iopguide.preview import PreviewHooks
from iopguide.report import Problem, Severity

ERROR = Problem("docs/faq.md", 12, 3, "language", "The word 'addicts' labels people", "x")
WARNING = Problem("docs/faq.md", 2, None, "review-due-soon", "Due soon", "y", Severity.WARNING)


def site(folder: Path, text: str) -> Path:
    (folder / "faq").mkdir(parents=True, exist_ok=True)
    (folder / "faq" / "index.html").write_text(f"<html><body><p>{text}</p></body></html>")
    return folder / "faq" / "index.html"


def test_errors_bring_back_the_last_good_pages_with_the_banner(tmp_path: Path) -> None:
    preview = PreviewHooks()
    served = tmp_path / "served"
    root = tmp_path / "project"
    root.mkdir()
    # A first build with a warning only: served as it is, and kept.
    faq = site(served, "old text")
    preview.show(served, [WARNING])
    assert "old text" in faq.read_text() and "review-due-soon" in faq.read_text()
    kept = preview.last_good
    assert (kept / "faq" / "index.html").read_text() == "<html><body><p>old text</p></body></html>"

    # The next build has an error: the served page is the last good one, with the banner.
    preview.on_config(SimpleNamespace(site_dir=served))  # not serving: nothing emptied
    for entry in (served / "faq").iterdir():
        entry.unlink()
    site(served, "new text Some addicts go.")
    preview.show(served, [ERROR])
    text = faq.read_text()
    assert "old text" in text and "new text" not in text
    assert "Your newest changes are not shown" in text and "[language]" in text
    # The banner went into a new file: the kept page is untouched.
    assert (kept / "faq" / "index.html").read_text() == "<html><body><p>old text</p></body></html>"

    # Fixed: the new page, no banner.
    site(served, "new text")
    preview.show(served, [])
    assert faq.read_text() == "<html><body><p>new text</p></body></html>"


def test_before_any_good_build_the_newest_pages_are_shown_and_the_banner_says_so(
    tmp_path: Path,
) -> None:
    preview = PreviewHooks()
    served = tmp_path / "served"
    faq = site(served, "first text")
    preview.show(served, [ERROR])
    assert preview.last_good is None
    text = faq.read_text()
    assert "first text" in text and "There is no version of the site without errors yet" in text


def test_a_build_that_stopped_serves_a_page_with_the_problem(tmp_path: Path) -> None:
    preview = PreviewHooks()
    served = tmp_path / "served"
    (tmp_path / "mkdocs.yml").write_text("site_name: IOP: Guide\n")
    preview.build_failed(RuntimeError("boom"), served, tmp_path)
    text = (served / "index.html").read_text()
    assert "mkdocs.yml:1:" in text and "[yaml-syntax]" in text


def test_a_plugin_error_is_shown_in_its_own_words(tmp_path: Path) -> None:
    # MkDocs hands the error to on_build_error, logs it, then raises only
    # Abort("Aborted with a BuildError!"), which is what the preview's builder catches.
    preview = PreviewHooks()
    served = tmp_path / "served"
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: IOP Guide\n")
    preview.on_build_error(PluginError("Unknown language 'xx' in mkdocs.yml"))
    preview.build_failed(Abort("Aborted with a BuildError!"), served, tmp_path)
    text = (served / "index.html").read_text()
    assert "The preview build stopped: Unknown language &#x27;xx&#x27; in mkdocs.yml" in text
    assert "Aborted with a BuildError" not in text
    assert preview.cause is None  # the next failure is not blamed on this one


def test_the_banner_gives_the_fix_make_check_gives(tmp_path: Path) -> None:
    # The preview translated MkDocs' warnings knowing no page: a menu entry with a typo got
    # "change it to a page" on the banner, where make check names the closest page.
    import logging

    from iopguide import project

    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "docs" / "costs.md").write_text("# Costs\n")
    (root / "mkdocs.yml").write_text("site_name: x\nnav:\n  - Costs: cost.md\n")
    config = project.load_config(root, site_dir=str(tmp_path / "served"))
    faq = site(tmp_path / "served", "a page")
    preview = PreviewHooks()
    preview.on_startup("serve")
    preview.on_config(config)
    logging.getLogger("mkdocs.structure.nav").warning(
        "A reference to 'cost.md' is included in the 'nav' configuration, which is not found "
        "in the documentation files."
    )
    preview.on_post_build(config)
    assert "[nav-not-found]" in faq.read_text()
    assert "Fix: change it to &#x27;costs.md&#x27; (the closest page)" in faq.read_text()
