"""The pieces of the link check that need no site: reading LinkChecker's XML, naming failures."""

from __future__ import annotations

from pathlib import Path

from iopguide import ROOT
from iopguide.links.cli import (
    MESSAGES,
    Project,
    Source,
    _host_matches,
    _needles,
    _status,
    locate,
    network_failure,
)
from iopguide.links.linkchecker import Checked, parse_xml

XML = """<?xml version="1.0" encoding="utf-8"?>
<linkchecker created="2026-11-28 00:00:00+000">
<urldata>
  <url>../faq/#missing</url>
  <parent line="79" column="9">http://127.0.0.1:8000/guide/</parent>
  <realurl>http://127.0.0.1:8000/faq/#missing</realurl>
  <extern>0</extern>
  <warnings>
    <warning>Anchor `missing' (decoded: `missing') not found. Available anchors: `top'.</warning>
  </warnings>
  <valid result="200 OK">1</valid>
</urldata>
<urldata>
  <url>nowhere/</url>
  <parent line="12" column="3">http://127.0.0.1:8000/</parent>
  <realurl>http://127.0.0.1:8000/nowhere/</realurl>
  <extern>0</extern>
  <valid result="error: 404 File not found">0</valid>
</urldata>
</linkchecker>
"""


def test_parse_xml_reads_location_result_and_anchor_warning() -> None:
    anchor, broken = parse_xml("log lines before the report\n" + XML)
    assert anchor.parent == "http://127.0.0.1:8000/guide/"
    assert anchor.line == 79
    assert anchor.valid and anchor.missing_anchor() == "missing"
    assert anchor.absolute == "http://127.0.0.1:8000/faq/#missing"
    assert not broken.valid and broken.result == "error: 404 File not found"
    assert broken.missing_anchor() is None
    assert _status(broken.result) == 404


def _failed(result: str) -> Checked:
    return Checked("https://x.test/", None, None, "https://x.test/", True, False, result)


def test_network_failures_are_named_in_words() -> None:
    dns = "ConnectionError: ... (Caused by NameResolutionError(\"Failed to resolve 'x.test'\"))"
    assert network_failure(_failed(dns)) == "the host name could not be found"
    assert network_failure(_failed("ReadTimeout: read timed out")) == "no answer in time"
    assert network_failure(_failed("error: 503 Service Unavailable")) is None
    assert _status("503 Service Unavailable") == 503


def test_hosts_match_with_subdomains_only() -> None:
    hosts = ["doi.org", "ncbi.nlm.nih.gov"]
    assert _host_matches("https://doi.org/10.1/x", hosts)
    assert _host_matches("https://pubmed.ncbi.nlm.nih.gov/123/", hosts)
    assert not _host_matches("https://notdoi.org/", hosts)
    assert not _host_matches("https://doi.org.evil.test/", hosts)


def test_needles_find_markdown_forms_of_a_built_link() -> None:
    assert _needles("../faq/")[:3] == ["../faq/", "faq/", "faq.md"]
    # A link with a #part is found by that part, never by its page alone.
    assert _needles("../faq/#what-to-ask") == ["../faq/#what-to-ask", "#what-to-ask"]
    assert "@mccarty2014substance" in _needles("#fn:mccarty2014substance")


def test_a_translated_page_is_traced_to_its_own_markdown_file(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("index.md", "index.es.md", "faq.md", "faq.es.md"):
        (docs / name).write_text("# x\n", encoding="utf-8")
    (tmp_path / "languages.yml").write_text(
        (ROOT / "languages.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    project = Project(tmp_path, tmp_path / "site")
    found = {page: project.sources.get(page) for page in ("", "faq/", "es/", "es/faq/")}
    assert found == {
        "": docs / "index.md",
        "faq/": docs / "faq.md",
        "es/": docs / "index.es.md",
        "es/faq/": docs / "faq.es.md",
    }


def test_a_link_the_404_page_gets_from_the_theme_is_named_at_its_template(tmp_path: Path) -> None:
    """On main: the built 404.html (a temporary folder in make check), which no editor changes."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# x\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    project = Project(tmp_path, tmp_path.parent / "elsewhere" / "site")
    found = locate(project, {}, "404.html", 163, "/faq/")
    assert found == Source(
        str(project.site_dir / "404.html"), 163, "built"
    )  # no overrides/404.html
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "404.html").write_text("{% extends 'main.html' %}\n", "utf-8")
    for page in ("404.html", "es/404.html"):
        found = locate(project, {}, page, 163, "/faq/")
        assert found == Source("overrides/404.html", None, "not-found")
    assert MESSAGES.text("located/not-found", file="overrides/404.html").startswith(
        "; it is on the page-not-found page, which overrides/404.html makes"
    )
