"""Our own #anchor check (check_fragments) on small hand-written sites: no build, no server."""

from __future__ import annotations

from pathlib import Path

from iopguide.links.fragments import check_fragments, fragment_found

BASE = "http://127.0.0.1:8000/"


def write(site: Path, name: str, body: str) -> None:
    path = site / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html>\n<html><body>\n{body}\n</body></html>\n", encoding="utf-8")


def missing(site: Path) -> dict[str, str]:
    """Broken targets (site-relative) and the fragment reported for each."""
    result = check_fragments(site, BASE)
    return {
        c.absolute.removeprefix(BASE): c.anchor_missing
        for c in result.checked
        if c.anchor_missing is not None
    }


def test_fragments_match_ids_and_a_names_as_written_or_decoded() -> None:
    anchors = {"fn:key", "what-to-ask", "old-name"}
    assert fragment_found("fn:key", anchors)
    assert fragment_found("fn%3Akey", anchors)  # a browser percent-decodes the fragment
    assert fragment_found("old-name", anchors)
    assert not fragment_found("fn%3Anokey", anchors)
    assert not fragment_found("What-To-Ask", anchors)  # ids are case-sensitive
    # The HTML standard's "top of the document": no id needed.
    for top in ("", "top", "TOP"):
        assert fragment_found(top, set())


def test_same_page_relative_and_root_relative_links(tmp_path: Path) -> None:
    write(
        tmp_path,
        "index.html",
        '<h2 id="intro">Intro</h2><a name="legacy"></a>\n'
        '<a href="#intro">ok</a> <a href="#legacy">ok</a>\n'
        '<a href="#top">ok</a> <a href="#">ok</a>\n'
        '<a href="#outro">same page, missing</a>\n'
        '<a href="faq/#cost">ok</a> <a href="/faq/#cost">ok</a> <a href="faq#cost">ok</a>\n'
        '<a href="faq/index.html#cost">ok</a> <a href="/faq/#price">root-relative, missing</a>',
    )
    write(tmp_path, "faq/index.html", '<h2 id="cost">Cost</h2>\n<a href="../#nope">missing</a>')
    assert missing(tmp_path) == {"#outro": "outro", "faq/#price": "price", "#nope": "nope"}


def test_where_each_link_is_and_every_page_linking_to_a_target(tmp_path: Path) -> None:
    write(tmp_path, "index.html", '<p>\n<a href="faq/#gone">one</a></p>')
    write(tmp_path, "other/index.html", '<a href="../faq/#gone">two</a>')
    write(tmp_path, "faq/index.html", "<h1>FAQ</h1>")
    result = check_fragments(tmp_path, BASE)
    target = BASE + "faq/#gone"
    assert result.index[target] == [("", 4, "faq/#gone"), ("other/", 3, "../faq/#gone")]
    (item,) = result.checked
    assert (item.parent, item.line, item.url) == (BASE, 4, "faq/#gone")
    assert item.missing_anchor() == "gone"
    assert len(result.scans) == 3


def test_missing_pages_and_files_that_are_not_html_are_left_to_linkchecker(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        "index.html",
        '<a href="nowhere/#x">missing page</a> <a href="guide.pdf#page=2">pdf</a>\n'
        '<img src="icons.svg#heart"> <a href="https://example.test/page#part">external</a>',
    )
    (tmp_path / "guide.pdf").write_bytes(b"%PDF-1.4")
    result = check_fragments(tmp_path, BASE)
    assert result.checked == []
    assert [e.absolute for e in result.external] == ["https://example.test/page#part"]
    assert result.external[0].extern


def test_encoded_fragments_and_entities(tmp_path: Path) -> None:
    write(
        tmp_path,
        "index.html",
        '<li id="fn:key">source</li>\n'
        '<a href="#fn%3Akey">ok</a> <a href="#fn%3Anokey">missing</a>\n'
        '<h2 id="q&amp;a">Q&amp;A</h2><a href="#q&amp;a">ok (an entity in the attribute)</a>',
    )
    assert missing(tmp_path) == {"#fn%3Anokey": "fn:nokey"}
