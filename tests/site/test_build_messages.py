"""`make build` prints MkDocs' warnings in the house format, in the same words as `make check`
(both through iopguide.buildlog.translate)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.site.test_check import edit, run, runnable_copy

pytestmark = pytest.mark.slow


def test_make_build_prints_mkdocs_warnings_as_make_check_does(tmp_path: Path) -> None:
    project = runnable_copy(tmp_path / "project")
    faq = project / "docs" / "faq.md"
    edit(faq, "(questions-to-ask.md)", "(questions-to-aks.md)")
    edit(faq, "(signs-you-need-more-support.md)", "(signs-you-need-more-support.md#nowhere)")
    new = project / "docs" / "new-page.md"
    new.write_text(
        faq.read_text()
        .replace('title: "Frequently asked questions about IOPs"', "title: A new page")
        .replace("Short answers to common", "A new page with answers to common", 1)
        .replace("# Frequently asked questions about IOPs", "# A new page", 1)
        .replace("(questions-to-aks.md)", "(questions-to-ask.md)")
        .replace("#nowhere)", ")")
    )

    built = run(["make", "build"], project)

    assert built.returncode != 0
    out = built.stdout + built.stderr
    # MkDocs' own words are gone ...
    assert "Doc file 'faq.md' contains a link" not in out
    assert "The following pages exist in the docs directory" not in out
    # ... and each warning is a house-format line, the one `make check` prints.
    lines = [x.removeprefix("WARNING -  ") for x in out.splitlines() if x.startswith("WARNING")]
    assert len(lines) == 3, out
    assert lines[0].startswith("docs/new-page.md:1: [nav-missing] This page is not in the site")
    assert 'Fix: add "- A new page: new-page.md" under nav: in mkdocs.yml' in lines[0]
    assert lines[1].startswith(
        "docs/faq.md:13:30: [link-missing-page] The link 'questions-to-aks.md' points to a page "
        "that does not exist. Fix: the closest page is 'questions-to-ask.md'"
    )
    assert "[link-missing-anchor] The link 'signs-you-need-more-support.md#nowhere'" in lines[2]
    checked = run(["make", "check"], project).stdout.splitlines()
    for line in lines[:2]:
        assert line in checked, (line, checked)
    # The anchor line of `make check` also suggests an id (it has the built site).
    assert lines[2].split(" Fix: ")[0] in "\n".join(checked)
