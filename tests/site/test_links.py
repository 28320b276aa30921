"""``python -m iopguide links``: real LinkChecker over real built sites, served on 127.0.0.1.

The fixture project (tests/fixtures/links/project) is a small Material site with footnotes,
headerlinks, raw HTML and a template override. Each test copies it, breaks one thing in the
source (Markdown, raw HTML, template) or in the built HTML, builds it and checks the report.
"""

from __future__ import annotations

import contextlib
import http.server
import io
import shutil
import stat
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from iopguide.links.cli import main
from iopguide.links.fragments import check_fragments
from iopguide.links.linkchecker import MESSAGES, run_linkchecker, serve
from iopguide.report import MessagesBroken
from tests.helpers import build

FIXTURE = Path(__file__).parents[1] / "fixtures" / "links" / "project"
RC = Path(__file__).parents[2] / "linkcheckerrc"


def make_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    return project


def build_site(project: Path, *, strict: bool = True) -> Path:
    site = project / "site"
    result = build(project, site, strict=strict)
    assert result.returncode == 0, result.output
    return site


def check(
    site: Path, project: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str, str]:
    code = main([str(site), "--project-dir", str(project), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    project = make_project(tmp_path_factory.mktemp("links-clean"))
    return project, build_site(project)


def test_clean_site_passes(clean: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    project, site = clean
    code, out, err = check(site, project, capsys)
    assert code == 0, err
    assert err == ""
    assert "on 3 pages" in out and "0 problem(s)" in out


def test_anchors_of_material_pages_are_checked(clean: tuple[Path, Path]) -> None:
    """Footnote (#fn:, #fnref:), headerlink and template anchors are checked and found.

    LinkChecker checks the pages; our own check (check_fragments) checks the #anchors.
    """
    _, site = clean
    with serve(site) as base:
        items = run_linkchecker([base], RC, rate=1000) + check_fragments(site, base).checked
    # LinkChecker checks each target once; key by the absolute URL it checked.
    checked = {item.absolute.removeprefix(base): item for item in items if not item.extern}
    for anchor in (
        "guide/#fn:schedule",  # footnote reference -> footnote
        "guide/#fnref:length",  # footnote back-link
        "#about-this-site",  # headerlink (the ¶ sign)
        "guide/#what-to-ask",  # link from Markdown and from the template
    ):
        assert anchor in checked, f"{anchor} was not checked; checked: {sorted(checked)}"
        assert checked[anchor].valid and checked[anchor].warnings == []


@dataclass
class Report:
    code: int
    out: str
    err: str
    project: Path

    def line(self, relative: str, needle: str) -> int:
        return line_of(self.project / relative, needle)


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """One site broken four ways in its sources, built, then checked once."""
    project = make_project(tmp_path_factory.mktemp("links-broken"))
    page = project / "docs" / "guide.md"
    append(page, "\nAlso read the [missing page](missing.md).\n")
    append(page, "\nSee [a missing section](index.md#no-such-section).\n")
    append(page, '\n<p><a href="#fn:nokey">a footnote that is not there</a></p>\n')
    template = project / "overrides" / "main.html"
    text = template.read_text(encoding="utf-8").replace(
        "</p>", "  <a href=\"{{ 'help/' | url }}\">Help</a>\n  </p>"
    )
    template.write_text(text, encoding="utf-8")
    # A strict MkDocs build stops at the first two; this check must catch them all the same.
    site = build_site(project, strict=False)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(site), "--project-dir", str(project)])
    return Report(code, out.getvalue(), err.getvalue(), project)


def test_broken_sources_fail_the_check(broken: Report) -> None:
    assert broken.code == 1
    assert "Found 4 errors." in broken.err
    assert "4 problem(s)" in broken.out


def test_broken_markdown_link_is_reported_at_its_source_line(broken: Report) -> None:
    line = broken.line("docs/guide.md", "missing.md")
    assert f"docs/guide.md:{line}: [broken-link] On guide/" in broken.err
    assert "the link 'missing.md' is broken (404" in broken.err


def test_missing_anchor_is_reported(broken: Report) -> None:
    line = broken.line("docs/guide.md", "no-such-section")
    assert f"docs/guide.md:{line}: [broken-anchor]" in broken.err
    assert "'#no-such-section', which does not exist on the home page" in broken.err


def test_broken_footnote_anchor_in_raw_html(broken: Report) -> None:
    """MkDocs does not look inside raw HTML; a strict build would pass this one."""
    line = broken.line("docs/guide.md", "#fn:nokey")
    assert f"docs/guide.md:{line}: [broken-anchor]" in broken.err
    assert "'#fn:nokey', which does not exist on guide/" in broken.err
    assert "'nokey' has no footnote" in broken.err


def test_broken_link_in_a_template_is_reported_once_at_the_template(broken: Report) -> None:
    """A strict build does not see template links. It is on both pages, reported once."""
    line = broken.line("overrides/main.html", "'help/'")
    assert f"overrides/main.html:{line}: [broken-link]" in broken.err
    assert "On guide/, the home page" in broken.err or "On the home page, guide/" in broken.err
    assert "it is on every page using it" in broken.err
    assert broken.err.count("'help/'") + broken.err.count("'../help/'") == 1


def test_a_relative_template_link_broken_on_every_page_is_reported_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Written without the url filter, the link leads somewhere else from each page (nowhere/,
    guide/nowhere/): still one line in the template, so one problem, naming every page."""
    project = make_project(tmp_path)
    template = project / "overrides" / "main.html"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("</p>", '<a href="nowhere/">x</a></p>'), encoding="utf-8")
    code, _, err = check(build_site(project), project, capsys)
    assert code == 1
    assert err.count("[broken-link]") == 1, err
    assert f"overrides/main.html:{line_of(template, 'nowhere/')}: [broken-link]" in err
    assert "On guide/, the home page" in err or "On the home page, guide/" in err


@pytest.fixture(scope="module")
def anchors(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """One site with #anchor mistakes that only our own anchor check sees, checked once."""
    project = make_project(tmp_path_factory.mktemp("links-anchors"))
    template = project / "overrides" / "main.html"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("#what-to-ask", "#what-to-ask-now"), encoding="utf-8")
    guide = project / "docs" / "guide.md"
    append(
        guide,
        '\n<p><a href="#fn%3Aschedule">encoded, exists</a> '
        '<a href="#fn%3Amissingkey">encoded, missing</a></p>\n'
        "\nSee [the extra page](extra.md#outside-the-nav) and "
        "[its missing part](extra.md#not-on-extra).\n"
        '\n<p><a href="/#not-on-home">root-relative, missing</a></p>\n',
    )
    # A page outside the navigation, with a broken link to another page's anchor.
    (project / "docs" / "extra.md").write_text(
        "# Extra\n\n## Outside the nav\n\nBack to [what to ask](guide.md#what-to-ask-later).\n",
        encoding="utf-8",
    )
    site = build_site(project, strict=False)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(site), "--project-dir", str(project)])
    return Report(code, out.getvalue(), err.getvalue(), project)


def test_anchor_mistakes_fail_the_check_each_once(anchors: Report) -> None:
    assert anchors.code == 1
    assert "on 4 pages" in anchors.out  # extra/ is checked although it is not in the nav
    assert anchors.err.count("[broken-anchor]") == 5, anchors.err
    assert "Found 5 errors." in anchors.err
    assert "#fn:schedule'" not in anchors.err  # #fn%3Aschedule is id="fn:schedule": fine
    assert "#outside-the-nav" not in anchors.err


def test_missing_anchor_in_a_template_link(anchors: Report) -> None:
    line = anchors.line("overrides/main.html", "#what-to-ask-now")
    assert f"overrides/main.html:{line}: [broken-anchor]" in anchors.err
    assert "'#what-to-ask-now', which does not exist on guide/" in anchors.err
    assert "it is on every page using it" in anchors.err


def test_encoded_fragment_is_decoded_like_a_browser_does(anchors: Report) -> None:
    line = anchors.line("docs/guide.md", "#fn%3Amissingkey")
    assert f"docs/guide.md:{line}: [broken-anchor] On guide/" in anchors.err
    assert "'#fn:missingkey', which does not exist on guide/" in anchors.err
    assert "the citation 'missingkey' has no footnote" in anchors.err


def test_missing_anchor_on_another_page_and_root_relative(anchors: Report) -> None:
    line = anchors.line("docs/guide.md", "#not-on-extra")
    assert f"docs/guide.md:{line}: [broken-anchor]" in anchors.err
    assert "'#not-on-extra', which does not exist on extra/" in anchors.err
    line = anchors.line("docs/guide.md", "/#not-on-home")
    assert f"docs/guide.md:{line}: [broken-anchor]" in anchors.err
    assert "'#not-on-home', which does not exist on the home page" in anchors.err


def test_missing_anchor_on_a_page_outside_the_nav(anchors: Report) -> None:
    line = anchors.line("docs/extra.md", "#what-to-ask-later")
    assert f"docs/extra.md:{line}: [broken-anchor] On extra/" in anchors.err
    assert "'#what-to-ask-later', which does not exist on guide/" in anchors.err


def test_link_only_in_built_html_names_the_built_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    site = build_site(project)
    index = site / "index.html"
    html = index.read_text(encoding="utf-8")
    # As a plugin or theme could: a link in the header, to a folder that has no index.html.
    html = html.replace("<header", '<a href="assets/">Assets</a><header', 1)
    index.write_text(html, encoding="utf-8")
    # And a file that other users cannot read (LinkChecker as root runs as 'nobody').
    css = next(site.rglob("*.css"))
    css.chmod(stat.S_IRUSR | stat.S_IWUSR)
    code, _, err = check(site, project, capsys)
    assert code == 1
    line = line_of(index, 'href="assets/"')
    assert f"site/index.html:{line}: [broken-link] On the home page" in err
    assert "comes from the theme or a plugin" in err
    assert "warning: [site-not-readable] 1 built file(s) cannot be read by other users" in err
    assert "chmod -R a+rX" in err
    assert "Found 1 error, 1 warning." in err


def test_missing_site_explains_how_to_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = check(tmp_path / "site", tmp_path, capsys)
    assert code == 2
    assert "build the site first ('make build')" in err


# ------------------------------------------------------------------------------ external
class _External(http.server.BaseHTTPRequestHandler):
    """Plays other websites: /ok, /gone (404), /blocked (403), /flaky (500 once, then 200),
    /slow-once and /slow (200, but the page's content comes after ``stall`` seconds: the first
    time only, or every time), as a busy server or a loaded machine can."""

    flaky_seen = 0
    slow_seen = 0
    stall = 0.0
    lock = threading.Lock()

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        status = {"/ok": 200, "/gone": 404, "/blocked": 403}.get(path, 404)
        if path == "/flaky":
            with self.lock:
                type(self).flaky_seen += 1
                status = 500 if type(self).flaky_seen == 1 else 200
        stall = 0.0
        if path in ("/slow", "/slow-once"):
            status = 200
            with self.lock:
                type(self).slow_seen += path == "/slow-once"
                stall = self.stall if path == "/slow" or type(self).slow_seen == 1 else 0.0
        body = b"<html><body>page</body></html>"
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        time.sleep(stall)
        with contextlib.suppress(OSError):  # the checker may have given up waiting
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def external_site() -> Iterator[str]:
    _External.flaky_seen = _External.slow_seen = 0
    _External.stall = 0.0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _External)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        # "localhost": another host name than the 127.0.0.1 our own site is served on.
        yield f"http://localhost:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_external_links_broken_unverified_and_retried(
    tmp_path: Path, external_site: str, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    page = project / "docs" / "guide.md"
    append(
        page,
        f"\nSee [ok]({external_site}/ok), [gone]({external_site}/gone), "
        f"[blocked]({external_site}/blocked), [flaky]({external_site}/flaky) and "
        f"[a section]({external_site}/ok#no-such-part).\n",
    )
    (project / "checks.yml").write_text(
        "links:\n  unverified_hosts: [localhost]\n  unverified_statuses: [403, 429, 503]\n"
        "  retries: 1\n  retry_wait_seconds: 0\n",
        encoding="utf-8",
    )
    # The shipped linkcheckerrc allows 2 requests per second per host; fine online, slow here.
    rc = tmp_path / "linkcheckerrc"
    rc.write_text(
        RC.read_text(encoding="utf-8").replace("maxrequestspersecond=2", "maxrequestspersecond=50"),
        encoding="utf-8",
    )
    site = build_site(project)

    code, out, err = check(site, project, capsys)
    assert code == 0, err  # offline: external links are not checked at all
    assert _External.flaky_seen == 0

    code, out, err = check(site, project, capsys, "--external", "--config", str(rc))
    assert code == 1
    line = line_of(page, "/gone")
    assert f"docs/guide.md:{line}: [external-link-broken]" in err
    assert f"'{external_site}/gone' is broken (404" in err
    assert (
        f"warning: [link-unverified] On guide/: could not verify '{external_site}/blocked'" in err
    )
    assert "/flaky" not in err  # failed once with 500, passed on the retry
    assert _External.flaky_seen == 2
    assert "links.example.test" not in err  # our own published address is not checked online
    anchor = f"warning: [external-anchor-unverified] On guide/: '{external_site}/ok#no-such-part'"
    assert anchor in err
    assert "Checked 5 external links" in out
    assert "2 OK, 2 unverified (to look at by hand), 1 broken" in out
    assert "Found 1 error, 2 warnings." in err


def test_an_anchor_on_a_page_that_could_not_be_read_is_retried_never_passed(
    tmp_path: Path, external_site: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """LinkChecker says nothing about an #anchor it could not look for (the page's content
    came too late): such a link is checked again, and reported if it still cannot be read.
    This is how the anchor warning above once went missing on a loaded machine."""
    project = make_project(tmp_path)
    page = project / "docs" / "guide.md"
    append(
        page,
        f"\nSee [once]({external_site}/slow-once#no-such-part) and "
        f"[always]({external_site}/slow#other-part).\n",
    )
    (project / "checks.yml").write_text(
        "links:\n  retries: 1\n  retry_wait_seconds: 0\n", encoding="utf-8"
    )
    rc = tmp_path / "linkcheckerrc"
    text = RC.read_text(encoding="utf-8").replace(
        "maxrequestspersecond=2", "maxrequestspersecond=50"
    )
    assert "timeout=20" in text
    rc.write_text(text.replace("timeout=20", "timeout=1"), encoding="utf-8")
    _External.stall = 3.0
    site = build_site(project)
    code, out, err = check(site, project, capsys, "--external", "--config", str(rc))
    assert code == 0, err
    assert "(2 retried)" in out
    once = f"[external-anchor-unverified] On guide/: '{external_site}/slow-once#no-such-part'"
    assert f"{once}: the page works, but its anchor '#no-such-part' was not found" in err
    assert f"'{external_site}/slow#other-part': the page works, but its anchor could not be " in err
    assert "could not get content" in err
    assert "2 OK" not in out and "0 OK, 2 unverified (to look at by hand), 0 broken" in out


def test_real_site_has_no_broken_internal_links(
    real_site: object, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real site, built strictly, passes the link check (as `make check` runs it)."""
    from iopguide import ROOT

    site = real_site.site_dir  # type: ignore[attr-defined]
    code = main([str(site), "--project-dir", str(ROOT)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "0 problem(s)" in out


def test_offline_computer_gets_one_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """When no external site answers at all, say so once instead of calling every link broken."""
    project = make_project(tmp_path)
    page = project / "docs" / "guide.md"
    # Port 9 (discard) on this machine: nothing listens there, the connection is refused.
    append(page, "\nSee [one](http://localhost:9/one) and [two](http://localhost:9/two).\n")
    (project / "checks.yml").write_text("links:\n  retries: 0\n", encoding="utf-8")
    site = build_site(project)
    code, out, err = check(site, project, capsys, "--external")
    assert code == 1
    assert "Checked 2 external links" in out
    assert "[no-internet] None of the 2 external links could be reached" in err
    assert "[external-link-broken]" not in err
    assert "Found 1 error." in err


def test_a_link_on_the_404_page_from_the_theme_names_its_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On main: named at site/404.html, a built file (a temporary one in make check)."""
    project = make_project(tmp_path)
    template = project / "overrides" / "404.html"
    template.write_text("{% extends 'main.html' %}\n", encoding="utf-8")
    site = build_site(project)
    page = site / "404.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("<header", '<a href="/assets/">A</a><header', 1), "utf-8")
    code, _, err = check(site, project, capsys)
    assert code == 1
    line = line_of(page, 'href="/assets/"')
    assert f"overrides/404.html: [broken-link] On 404.html (site/404.html:{line})" in err, err
    assert "on the page-not-found page, which overrides/404.html makes" in err
    assert "Found 1 error." in err


def test_a_located_note_written_without_message_is_named_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On main: AttributeError ('str' object has no attribute 'get')."""
    project = make_project(tmp_path)
    site = build_site(project)
    index = site / "index.html"
    html = index.read_text(encoding="utf-8")
    index.write_text(html.replace("<header", '<a href="assets/">A</a><header', 1), "utf-8")
    monkeypatch.setitem(MESSAGES, "located/built", "it comes from the theme")  # no 'message:'
    with pytest.raises(MessagesBroken) as caught:
        check(site, project, capsys)
    [problem] = caught.value.problems
    assert (problem.file, problem.rule) == ("iopguide/links/messages.yml", "messages-file")
    assert "'located/built'" in problem.message
