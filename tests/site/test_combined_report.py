"""A build with mistakes of several kinds reports all of them in one run, and builds nothing."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import build, copy_project


def test_citation_and_front_matter_mistakes_are_reported_together(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    evidence = project / "docs" / "does-iop-work.md"
    evidence.write_text(
        evidence.read_text(encoding="utf-8").replace(
            "[@gottheil1998randomized]", "[@gotheil1998randomized]", 1
        ),
        encoding="utf-8",
    )
    faq = project / "docs" / "faq.md"
    faq.write_text(
        faq.read_text(encoding="utf-8").replace("reviewed_by:", "reviewd_by:", 1),
        encoding="utf-8",
    )

    result = build(project, tmp_path / "site")

    assert result.returncode == 1
    lines = result.output.splitlines()
    assert any(
        line.startswith("docs/does-iop-work.md:")
        and "[citation-unknown-key] unknown citation key 'gotheil1998randomized'" in line
        and "did you mean 'gottheil1998randomized'?" in line
        for line in lines
    ), result.output
    assert any(line.startswith("docs/faq.md:6: [front-matter-unknown-key]") for line in lines), (
        result.output
    )
    # Both English pages changed, so their Spanish translations are stale: warnings, not errors.
    for translation in ("docs/does-iop-work.es.md:", "docs/faq.es.md:"):
        assert any(
            line.startswith(translation) and "warning: [translation-stale]" in line
            for line in lines
        ), result.output
    assert "Found 2 errors, 2 warnings." in lines
    assert "Traceback" not in result.output
    assert not (tmp_path / "site" / "faq" / "index.html").exists()
