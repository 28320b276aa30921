"""The tokenizer reads pages as a browser does where Python 3.11's html.parser does not."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from iopguide.security.parse import Tokenizer, scan_html, strip_comments


def names(html: str) -> list[str]:
    return [tag.name for tag in scan_html(html).tags]


@pytest.mark.parametrize(
    ("html", "odd"),
    [
        ("<!--> <script>a()</script> -->", "<!-->"),
        ("<!---> <script>a()</script> -->", "<!--->"),
        ("<!-- x --!> <script>a()</script> -->", "--!>"),
        ("<![CDATA[><script>a()</script>]]>", "<!["),
        ("<!x><script>a()</script>", "<!x"),
    ],
)
def test_a_script_after_a_comment_trick_is_seen(html: str, odd: str) -> None:
    scan = scan_html(html)
    assert "script" in [tag.name for tag in scan.tags]
    assert [c.odd for c in scan.comments] == [odd]


def test_a_normal_comment_hides_what_it_holds_and_is_not_odd() -> None:
    scan = scan_html("<p>a<!-- <script>x</script> --></p>")
    assert [t.name for t in scan.tags] == ["p"]
    assert [c.odd for c in scan.comments] == [""]


def test_an_unclosed_comment_is_reported_once() -> None:
    scan = scan_html("<p>a</p><!-- never closed <p>b</p>")
    assert [c.odd for c in scan.comments] == ["unclosed"]


def test_raw_text_elements_hold_no_tags_or_comments() -> None:
    # A browser ends the textarea at </textarea>: the script after it runs.
    assert "script" in names("<textarea><!--</textarea><script>a()</script>-->")
    assert names("<title><img src=x onerror=a()></title>") == ["title"]


def test_an_end_tag_python_misses_is_ambiguous() -> None:
    scan = scan_html("<title>x</title foo><script>a()</script></title>")
    assert scan.ambiguous and "</title " in scan.ambiguous[0]
    scan = scan_html("<script>a()</script x>b()</script>")
    assert scan.ambiguous


def test_svg_has_no_raw_text_elements() -> None:
    assert names("<svg><style><img src=x onerror=a()></style></svg>") == ["svg", "style", "img"]


def test_attributes_as_browsers_read_them() -> None:
    scan = scan_html('<IMG SRC=x\n  ONERROR=a()><a href="jav&#x09;ascript:x">t</a>')
    img, link = scan.tags
    assert img.get("onerror") == "a()" and img.source.startswith("<IMG")
    assert link.get("href") == "jav\tascript:x"
    assert scan.anchors[0].text == "t"


def test_body_text_and_head_are_told_apart() -> None:
    scan = scan_html("<head><title>T</title></head><body><p>Hi</p></body>")
    assert scan.tags[0].in_head and not scan.tags[-1].in_head
    assert scan.texts == ["Hi"]


def test_strip_comments_keeps_everything_else() -> None:
    html = "<p>a<!-- x -->b</p><!--y-->"
    scan = scan_html(html)
    assert strip_comments(html, scan.comments) == "<p>ab</p>"


@pytest.mark.parametrize(
    ("html", "rules"),
    [
        ('<a href="http://[oops/">samhsa.gov</a>', {"http-link", "link-host-mismatch"}),
        ('<script src="http://[x"></script>', {"csp-script-src", "http-link"}),
        ("<!--", {"html-comment"}),
        ("<![CDATA[", {"html-comment"}),
        ("<?", {"html-comment"}),
        ("<title>", {"unsafe-html"}),
        ("<svg><title><!--</title></svg>", {"unsafe-html", "html-comment"}),
        ("<a href=tel:>call</a>", {"tel-unknown"}),
        ("\x00<\x00script>", set()),
        # A refused element is one problem, whatever it would load (not third-party-request too).
        ('<iframe src="https://elsewhere.example/"></iframe>', {"unsafe-html"}),
        ('<object data="https://elsewhere.example/a.swf"></object>', {"unsafe-html"}),
        ('<embed src="http://elsewhere.example/a.swf">', {"unsafe-html"}),
    ],
)
def test_malformed_pages_give_findings_not_tracebacks(html: str, rules: set[str]) -> None:
    from iopguide.security.published import CrisisLines, SiteRules, ThemeAllowlist, judge_page

    site = SiteRules(ThemeAllowlist(), CrisisLines({}, {}), {"iop.example"})
    found = {f.rule for f in judge_page("<body>" + html, "index.html", site).findings}
    assert found == rules


def test_raw_text_mode_takes_the_keyword_newer_pythons_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Python 3.11.13+ calls set_cdata_mode(tag, escapable=True) for <title> and <textarea>
    # (found by mypy: our override took no keyword). Here the 3.11.13 base method is stood in.
    seen: list[tuple[str, bool]] = []

    def newer(self: HTMLParser, elem: str, *, escapable: bool = False) -> None:
        seen.append((elem, escapable))

    monkeypatch.setattr(HTMLParser, "set_cdata_mode", newer)
    tokenizer = Tokenizer("")
    tokenizer.set_cdata_mode("textarea", escapable=True)
    tokenizer.set_cdata_mode("script")
    assert seen == [("textarea", True), ("script", False)]
