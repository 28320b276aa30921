"""Unit tests of the CSP written for the built pages (iopguide.security.csp)."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

from iopguide.report import ProblemsFound
from iopguide.security.csp import (
    apply_security,
    build_policy,
    render_headers_file,
    source_hash,
)
from iopguide.security.published import CrisisLines, SiteRules, judge_page
from iopguide.security.site import allowlist_from_html
from tests.helpers import headers_for, parse_headers_file

PAGE = """<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<link rel="stylesheet" href="assets/main.css">
<script>__md_scope=new URL(".",location)</script>
<script type="application/ld+json">{"@type": "MedicalWebPage"}</script>
<script id="__config" type="application/json">{"base": "."}</script>
<style>.x{color:red}</style>
</head><body><h1>Title</h1>
<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></pre>
<script src="assets/bundle.js"></script>
</body></html>
"""


def _openssl_style_hash(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_source_hash_is_the_browser_format() -> None:
    code = '__md_scope=new URL(".",location)'
    assert source_hash(code) == f"'sha256-{_openssl_style_hash(code)}'"


DEEPER = PAGE.replace('new URL(".",location)', 'new URL("..",location)')


def rules(**extra: object) -> SiteRules:
    """Rules whose theme allowlist is PAGE and DEEPER (as if the theme wrote them empty)."""
    theme = allowlist_from_html([("index.html", PAGE), ("faq/index.html", DEEPER)])
    return SiteRules(theme, CrisisLines({}, {}), **extra)  # type: ignore[arg-type]


def test_the_allowlist_holds_only_code_the_browser_runs() -> None:
    allowlist = allowlist_from_html([("index.html", PAGE)])
    # JSON and JSON-LD blocks are data, external scripts need no hash, escaped text is text.
    assert allowlist.scripts == {source_hash('__md_scope=new URL(".",location)')}
    assert allowlist.styles == {source_hash(".x{color:red}")}
    assert allowlist.data_ids == {"__config"}
    assert allowlist.script_files == {"assets/bundle.js"}


def test_a_theme_page_passes_and_uses_its_hashes() -> None:
    verdict = judge_page(PAGE, "index.html", rules())
    assert verdict.findings == []
    assert verdict.scripts == {source_hash('__md_scope=new URL(".",location)')}


def test_a_script_of_the_page_is_an_error_never_a_new_hash() -> None:
    page = PAGE.replace("<h1>Title</h1>", "<h1>Title</h1><script>alert(1)</script>")
    verdict = judge_page(page, "index.html", rules())
    assert [f.rule for f in verdict.findings] == ["csp-inline-script"]
    assert source_hash("alert(1)") not in verdict.scripts


def test_style_attributes_and_handlers_are_found_quoted_or_not() -> None:
    page = PAGE.replace("<h1>Title</h1>", "<P STYLE=color:red>a</P><a href=#\nonclick=go()>b</a>")
    found = [f.rule for f in judge_page(page, "index.html", rules()).findings]
    assert found == ["csp-style-attribute", "csp-inline-handler"]


def test_policy_is_strict() -> None:
    policy = build_policy(["'sha256-abc'"], [])
    assert policy.startswith("default-src 'self'; script-src 'self' 'sha256-abc';")
    for directive in (
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'none'",
        "style-src 'self';",
    ):
        assert directive in policy
    assert "unsafe" not in policy


def test_meta_policy_leaves_out_what_meta_cannot_carry() -> None:
    meta = build_policy(["'sha256-abc'"], [], meta=True)
    assert "frame-ancestors" not in meta
    assert "script-src 'self' 'sha256-abc'" in meta


def test_meta_goes_right_after_charset_and_only_once(tmp_path: Path) -> None:
    site = _site(tmp_path, {"index.html": PAGE})
    apply_security(site, rules())
    apply_security(site, rules())
    twice = (site / "index.html").read_text(encoding="utf-8")
    head = twice.split("<head>", 1)[1]
    own = [source_hash('__md_scope=new URL(".",location)')], [source_hash(".x{color:red}")]
    meta = build_policy(*own, meta=True)
    assert head.lstrip().startswith(
        '<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" '
        f'content="{meta}"><meta name="referrer" content="no-referrer">'
    )
    assert twice.count("Content-Security-Policy") == 1
    assert twice.count('name="referrer"') == 1
    # The meta precedes the first stylesheet and script, so it covers them.
    assert twice.index("Content-Security-Policy") < twice.index("<link")


def test_headers_file_round_trips() -> None:
    text = render_headers_file("default-src 'self'", ["assets/bundle.a5f9d56c.min.js"])
    rules = parse_headers_file(text)
    page = headers_for(rules, "/faq/")
    assert page["Content-Security-Policy"] == "default-src 'self'"
    assert page["Referrer-Policy"] == "no-referrer"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in page["Permissions-Policy"]
    assert "Cache-Control" not in page
    asset = headers_for(rules, "/assets/bundle.a5f9d56c.min.js?v=1")
    assert asset["Cache-Control"].endswith("immutable")
    assert asset["Content-Security-Policy"] == "default-src 'self'"


def test_headers_file_without_a_path_is_rejected() -> None:
    with pytest.raises(ValueError, match="line 1"):
        parse_headers_file("  Referrer-Policy: no-referrer\n")


def _site(tmp_path: Path, pages: dict[str, str]) -> Path:
    for rel, html in pages.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(html, encoding="utf-8")
    return tmp_path


def test_apply_security_hashes_every_variant_of_every_page(tmp_path: Path) -> None:
    site = _site(tmp_path, {"index.html": PAGE, "faq/index.html": DEEPER})
    result = apply_security(site, rules())
    assert result.pages == 2
    assert result.script_hashes == {
        source_hash('__md_scope=new URL(".",location)'),
        source_hash('__md_scope=new URL("..",location)'),
    }
    assert result.style_hashes == {source_hash(".x{color:red}")}
    headers = (site / "_headers").read_text(encoding="utf-8")
    for digest in result.script_hashes | result.style_hashes:
        assert digest in headers
    faq = (site / "faq" / "index.html").read_text(encoding="utf-8")
    assert "frame-ancestors" not in faq
    # Each page's meta allows its own inline scripts only; the header allows every page's.
    own, other = (source_hash(f'__md_scope=new URL("{b}",location)') for b in ("..", "."))
    assert own in faq and other not in faq and other in headers
    assert other in (site / "index.html").read_text(encoding="utf-8")
    # A second run (our own meta in the pages) passes and gives the same hashes.
    assert apply_security(site, rules()).script_hashes == result.script_hashes
    assert (site / "faq" / "index.html").read_text(encoding="utf-8") == faq


def test_only_hashes_the_pages_use_go_in_the_policy(tmp_path: Path) -> None:
    site = _site(tmp_path, {"index.html": PAGE})
    result = apply_security(site, rules())
    assert result.script_hashes == {source_hash('__md_scope=new URL(".",location)')}


def test_a_style_attribute_fails_naming_the_source_and_changes_nothing(tmp_path: Path) -> None:
    bad = DEEPER.replace("<h1>", '<h1 style="color:red">')
    site = _site(tmp_path, {"index.html": PAGE, "faq/index.html": bad})
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "faq.md").write_text('# Title\n\nWords.\n\n<h1 style="color:red">x</h1>\n')
    with pytest.raises(ProblemsFound) as error:
        apply_security(site, rules(), sources={"faq/index.html": "docs/faq.md"}, root=tmp_path)
    text = str(error.value)
    assert "docs/faq.md:5: [csp-style-attribute]" in text
    assert "iop-guide.css" in text
    # The values the message was filled with travel with the problem (never parse the words).
    assert [p.values for p in error.value.problems] == [{"value": "color:red"}]
    assert not (site / "_headers").exists()
    assert (site / "faq" / "index.html").read_text(encoding="utf-8") == bad


def test_comments_are_removed_from_the_published_page(tmp_path: Path) -> None:
    page = PAGE.replace("<h1>Title</h1>", "<h1>Title</h1><!-- draft: https://x.example -->")
    site = _site(tmp_path, {"index.html": page})
    apply_security(site, rules())
    published = (site / "index.html").read_text(encoding="utf-8")
    assert "<!--" not in published and "x.example" not in published
    assert "<h1>Title</h1>" in published


def test_redirect_pages_share_one_script_and_add_no_hash(tmp_path: Path) -> None:
    import mkdocs_redirects.plugin as redirects

    site = _site(tmp_path, {"index.html": PAGE})
    for old, new in [("old-a/index.html", "../a/"), ("deep/old-b/index.html", "../../b/")]:
        (site / old).parent.mkdir(parents=True, exist_ok=True)
        (site / old).write_text(redirects.HTML_TEMPLATE.format(url=new), encoding="utf-8")
    stubs = {"old-a/index.html", "deep/old-b/index.html"}
    result = apply_security(site, rules(redirects=stubs))
    assert result.script_hashes == {source_hash('__md_scope=new URL(".",location)')}
    deep = (site / "deep/old-b/index.html").read_text(encoding="utf-8")
    assert '<script src="../../assets/javascripts/redirect.js"></script>' in deep
    assert 'http-equiv="refresh" content="0; url=../../b/"' in deep
    assert "location.replace" in (site / "assets/javascripts/redirect.js").read_text()


def test_a_meta_refresh_outside_redirect_pages_is_refused(tmp_path: Path) -> None:
    import mkdocs_redirects.plugin as redirects

    site = _site(tmp_path, {"old/index.html": redirects.HTML_TEMPLATE.format(url="../a/")})
    with pytest.raises(ProblemsFound, match=r"site/old/index.html: \[unsafe-html\]"):
        apply_security(site, rules())
    away = redirects.HTML_TEMPLATE.format(url="https://elsewhere.example/")
    site = _site(tmp_path / "two", {"old/index.html": away})
    with pytest.raises(ProblemsFound, match="unsafe-html"):
        apply_security(site, rules(redirects={"old/index.html"}))


def test_a_finding_from_the_bibliography_names_its_line(tmp_path: Path) -> None:
    link = '<a href="http://old.example/table.htm">http://old.example/table.htm</a>'
    page = PAGE.replace("<h1>Title</h1>", "<h1>Title</h1>" + link)
    site = _site(tmp_path / "site", {"index.html": page})
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Title\n\nA fact [@old2011table].\n")
    (tmp_path / "refs.bib").write_text(
        "@misc{old2011table,\n  title = {Table},\n  url = {http://old.example/table.htm}\n}\n"
    )
    sources = {"index.html": "docs/index.md"}
    with pytest.raises(ProblemsFound, match=r"refs.bib:3: \[http-link\]"):
        apply_security(site, rules(), sources=sources, root=tmp_path, also=["refs.bib"])


def test_a_www_site_url_is_this_site() -> None:
    # site_url's host is read as the host of every address is (without "www."): an image or an
    # http:// link on the site's own www host is this site, not another one.
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation

    from iopguide import ROOT
    from iopguide.security.site import site_rules

    config = load_config(str(ROOT / "mkdocs.yml"), site_url="https://www.iop.example/guide/")
    files = get_files(config)
    own = site_rules(config, get_navigation(files, config), files).own_hosts
    body = (
        '<img src="https://www.iop.example/guide/a.png" alt=""><a href="http://www.iop.example/">'
    )
    page = PAGE.replace("<h1>Title</h1>", body + "Home</a>")
    assert judge_page(page, "index.html", rules(own_hosts=own)).findings == []
