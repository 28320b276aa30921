"""The strict Content-Security-Policy holds in a real browser and breaks nothing.

The built site is served on 127.0.0.1 with the headers of its own ``_headers`` file, as a
Netlify-style host would send them, and every page is loaded in headless Chromium. Violations are
caught twice: ``securitypolicyviolation`` events (an init script, which CSP does not govern) and
console messages. Then the interactive features are used: search (a web worker and a fetch),
the palette toggle and its memory (inline scripts allowed by hash), navigation between pages,
and footnote tooltips.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from iopguide import ROOT
from iopguide.security.csp import HEADERS_FILE, source_hash
from iopguide.security.published import ThemeAllowlist
from tests.helpers import BuildResult, headers_for, parse_headers_file, serve_directory

pytestmark = pytest.mark.browser

WATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}: ${e.sample}`);
}, true);
"""


#: Everything inline in the page as served, read by Chromium's own HTML parser (DOMParser, so
#: before any script runs: Material's scripts set styles through the CSSOM, which CSP allows):
#: scripts (with the text the browser hashes), style elements, style and event attributes.
INLINE = """async () => {
  const served = await (await fetch(location.href)).text();
  const document = new DOMParser().parseFromString(served, "text/html");
  const data = (s) => s.type && !["text/javascript", "application/javascript", "module",
    "text/ecmascript"].includes(s.type.toLowerCase());
  const scripts = [...document.scripts].filter((s) => !s.src && !data(s)).map((s) => s.text);
  const styles = [...document.querySelectorAll("style")].map((s) => s.textContent);
  const attrs = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      if (a.name === "style" || a.name.startsWith("on")) attrs.push(`${el.localName} ${a.name}`);
    }
  }
  return {scripts, styles, attrs};
}"""


@pytest.fixture(scope="module")
def allowlist(real_site: BuildResult) -> ThemeAllowlist:
    """The theme's allowlist for the real project, computed as the build does: with probes at
    the depth of every page the build published (the Spanish pages under es/ included)."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation

    from iopguide.security.site import site_rules

    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(real_site.site_dir))
    files = get_files(config)
    return site_rules(config, get_navigation(files, config), files).allowlist


def inline_outside(page, allowlist: ThemeAllowlist) -> list[str]:  # type: ignore[no-untyped-def]
    """Inline code of the loaded page that the theme's allowlist does not hold."""
    found = page.evaluate(INLINE)
    problems = [
        f"script {s[:60]!r}" for s in found["scripts"] if source_hash(s) not in allowlist.scripts
    ]
    problems += [
        f"style {s[:60]!r}" for s in found["styles"] if source_hash(s) not in allowlist.styles
    ]
    return problems + [f"attribute {a}" for a in found["attrs"]]


@dataclass
class Watch:
    """Everything the browser complained about while a test ran."""

    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def problems(self, page) -> list[str]:  # type: ignore[no-untyped-def]
        events = page.evaluate("window.__csp || []")
        return [*events, *self.console, *self.errors]


@pytest.fixture(scope="module")
def csp_url(real_site: BuildResult) -> Iterator[str]:
    rules = parse_headers_file((real_site.site_dir / HEADERS_FILE).read_text(encoding="utf-8"))
    with serve_directory(real_site.site_dir, headers=lambda path: headers_for(rules, path)) as url:
        yield url


@pytest.fixture
def tab(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    watch = Watch()
    page.on(
        "console",
        lambda m: (
            watch.console.append(f"console {m.type}: {m.text}")
            if m.type in {"error", "warning"}
            else None
        ),
    )
    page.on("pageerror", lambda e: watch.errors.append(f"page error: {e}"))
    yield page, watch
    context.close()


def _pages(site_dir: Path) -> list[str]:
    """URL paths of every built page, redirect stubs excluded (tests/site/test_redirects.py)."""
    paths = []
    for html in sorted(site_dir.rglob("*.html")):
        if 'http-equiv="refresh"' in html.read_text(encoding="utf-8"):
            continue
        rel = html.relative_to(site_dir).as_posix()
        if rel.endswith("404.html"):
            continue
        paths.append(rel.removesuffix("index.html"))
    return paths


def test_the_policy_is_sent_and_strict(real_site: BuildResult, csp_url: str) -> None:
    import httpx

    response = httpx.get(csp_url)
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert 'http-equiv="Content-Security-Policy"' in response.text


def test_the_policy_allows_only_the_theme_allowlist(
    real_site: BuildResult, allowlist: ThemeAllowlist
) -> None:
    rules = parse_headers_file((real_site.site_dir / HEADERS_FILE).read_text(encoding="utf-8"))
    policy = headers_for(rules, "/")["Content-Security-Policy"]
    sources = {d.split()[0]: set(d.split()[1:]) for d in policy.split("; ")}
    hashes = sources["script-src"] | sources["style-src"]
    assert {h for h in hashes if h.startswith("'sha256-")}
    assert hashes - {"'self'"} <= allowlist.scripts | allowlist.styles


def test_every_page_loads_without_a_violation(  # type: ignore[no-untyped-def]
    real_site: BuildResult, csp_url: str, tab, allowlist: ThemeAllowlist
) -> None:
    page, watch = tab
    paths = [*_pages(real_site.site_dir), "404.html", "es/404.html"]
    assert len(paths) >= 15, paths
    found: dict[str, list[str]] = {}
    for path in paths:
        watch.console.clear()
        watch.errors.clear()
        # "load": every script has run by then, and nothing loads later until a reader acts
        # (search waits to be opened); networkidle would add 0.5 s of waiting per page.
        page.goto(csp_url + path, wait_until="load")
        # Material's inline bootstrap script ran: it is allowed by its hash, not merely unreported.
        assert page.evaluate("typeof __md_get") == "function", f"inline scripts blocked on /{path}"
        problems = watch.problems(page) + inline_outside(page, allowlist)
        if problems:
            found[path] = problems
    assert not found, found


def test_search_works(csp_url: str, tab) -> None:  # type: ignore[no-untyped-def]
    page, watch = tab
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(csp_url, wait_until="networkidle")
    # The index and the worker load when a reader opens search, not with every page
    # (decisions/0007-performance.md).
    assert not [u for u in requested if "search_index.json" in u], requested
    assert not [u for u in requested if "/workers/search." in u], requested
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("outpatient")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible")
    assert results.count() >= 1
    assert [u for u in requested if "search_index.json" in u]
    assert [u for u in requested if "/workers/search." in u]
    assert watch.problems(page) == []
    # Enter opens the best result: a real navigation, which form-action 'none' must not block.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    assert page.url != csp_url
    assert watch.problems(page) == []


def test_palette_toggle_works_and_is_remembered(csp_url: str, tab) -> None:  # type: ignore[no-untyped-def]
    page, watch = tab
    # "load": Material's bundle (a blocking script) has run by then.
    page.goto(csp_url, wait_until="load")
    before = page.get_attribute("body", "data-md-color-scheme")
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.wait_for_function(
        f"document.body.getAttribute('data-md-color-scheme') !== {before!r}", timeout=5000
    )
    after = page.get_attribute("body", "data-md-color-scheme")
    assert {before, after} == {"default", "slate"}
    # The inline palette script restores the choice on the next page load.
    page.reload(wait_until="load")
    assert page.get_attribute("body", "data-md-color-scheme") == after
    assert watch.problems(page) == []


def test_navigation_between_pages_works(csp_url: str, tab) -> None:  # type: ignore[no-untyped-def]
    page, watch = tab
    page.goto(csp_url, wait_until="load")
    link = page.locator("nav.md-nav--primary a.md-nav__link[href$='faq/']").first
    link.click()
    page.wait_for_url("**/faq/", wait_until="load")
    assert page.locator("h1").first.inner_text().strip()
    assert page.evaluate("typeof __md_get") == "function"
    assert watch.problems(page) == []


def test_footnote_tooltips_work(real_site: BuildResult, csp_url: str, tab) -> None:  # type: ignore[no-untyped-def]
    page, watch = tab
    with_notes = [p for p in _pages(real_site.site_dir) if "footnote-ref" in real_site.page(p)]
    assert with_notes, "no page has a footnote to test tooltips on"
    page.goto(csp_url + with_notes[0], wait_until="load")
    ref = page.locator("a.footnote-ref").first
    ref.scroll_into_view_if_needed()
    ref.hover()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=5000)
    assert tooltip.inner_text().strip()
    assert watch.problems(page) == []


def test_a_policy_without_the_hashes_is_caught(real_site: BuildResult, browser) -> None:  # type: ignore[no-untyped-def]
    """The watch is real: the same page under a policy without hashes reports violations."""
    rules = parse_headers_file((real_site.site_dir / HEADERS_FILE).read_text(encoding="utf-8"))
    bare = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"

    def headers(path: str) -> dict[str, str]:
        return {**headers_for(rules, path), "Content-Security-Policy": bare}

    context = browser.new_context()
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    try:
        with serve_directory(real_site.site_dir, headers=headers) as url:
            # Inline scripts are blocked while the page is parsed: all reported by "load".
            page.goto(url, wait_until="load")
            events = page.evaluate("window.__csp")
    finally:
        context.close()
    assert any(e.startswith("script-src") for e in events), events


def test_inline_code_outside_the_allowlist_is_caught(  # type: ignore[no-untyped-def]
    real_site: BuildResult, browser, allowlist: ThemeAllowlist, tmp_path: Path
) -> None:
    """The DOM inspection is real: a page with an added script, style and handler fails it."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(real_site.site_dir, site)
    page_file = site / "faq" / "index.html"
    extra = '<script>window.x=1</script><style>p{}</style><p onclick="x()">x</p>'
    page_file.write_text(page_file.read_text().replace("</h1>", "</h1>" + extra, 1))
    context = browser.new_context()
    page = context.new_page()
    try:
        with serve_directory(site) as url:
            page.goto(url + "faq/", wait_until="load")
            problems = inline_outside(page, allowlist)
    finally:
        context.close()
    assert problems == ["script 'window.x=1'", "style 'p{}'", "attribute p onclick"]
