"""`make serve`: a save shown sooner, and a preview that never stops for a mistake: problems are
collected (:func:`iopguide.report.collecting`); with errors, or a crash, the LAST GOOD pages
(hard links; a page with the banner is a new file) are served again, else the newest pages.
"""

from __future__ import annotations

import argparse
import atexit
import html
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.utils import clean_directory

from iopguide import project, report
from iopguide.buildlog import Project, Warnings, translate
from iopguide.cache import SharedTemplates, Templates
from iopguide.check import failure
from iopguide.report import MESSAGES, Problem, collecting, format_problem

#: Seconds between two looks at the watched files. MkDocs polls every 0.5 s (a save waits
#: 0.25 s on average); polling our folders costs about 0.15 ms of CPU (decisions/0007).
POLL_INTERVAL = 0.2
BANNER_CLASS = "iop-preview-problems"
#: A page with only the banner: before any page was built, or while mkdocs.yml cannot be read.
PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">{head}<title>{title}</title>'
    "</head><body>{banner}</body></html>"
)


def poll_sooner(server: Any, interval: float = POLL_INTERVAL) -> Any:
    """MkDocs' live-reload server, remade before it starts to poll every ``interval`` seconds."""
    if type(server) is not LiveReloadServer or server.observer.is_alive():
        return server
    host, port = server.server_address[:2]
    kept = {k: getattr(server, k) for k in ("builder", "root", "mount_path", "shutdown_delay")}
    faster = LiveReloadServer(host=str(host), port=int(port), polling_interval=interval, **kept)
    faster.error_handler = server.error_handler
    for emitter in sorted(server.observer.emitters, key=lambda e: e.watch.path):
        faster.watch(emitter.watch.path, recursive=emitter.watch.is_recursive)
    server.server_close()  # its socket was made, never bound
    return faster


class PreviewHooks:
    """The preview events of one MkDocs process, and what one rebuild keeps for the next."""

    def __init__(self) -> None:
        self.serving = self.dirty = False
        self.templates: Templates = {}
        self.last_good: Path | None = None
        self.last_good_at = ""
        #: Builds running: the i18n plugin runs each other language's build inside the first.
        self.depth = 0
        self.collecting: ExitStack | None = None
        self.found: list[Problem] = []
        self.log = Warnings()
        #: Where MkDocs' own warnings point (buildlog.translate reads the pages).
        self.sources = Project(Path(), Path())
        #: The error MkDocs handed on_build_error; it then raises only "Aborted with a BuildError!".
        self.cause: BaseException | None = None

    def on_startup(self, command: str, dirty: bool = False) -> None:
        self.serving, self.dirty = command == "serve", dirty

    @event_priority(1000)  # first of all: from here on problems are collected, not raised
    def on_config(self, config: Any) -> None:
        if self.serving and not self.depth:  # not another language's build inside this one
            if self.last_good is not None and not self.dirty:
                clean_directory(config.site_dir)  # no served file may stay a link to a kept one
            self.collecting = ExitStack()
            self.found = self.collecting.enter_context(collecting())
            self.log = self.collecting.enter_context(Warnings())
            self.sources = Project.of(config, Path(config.site_dir))
        self.depth += 1 if self.serving else 0

    @event_priority(100)
    def on_env(self, env: Any, config: Any, files: Any) -> Any:  # reuse compiled templates
        env.bytecode_cache = env.bytecode_cache or SharedTemplates(env, self.templates)
        return env

    # After the security check and every other language's build (both -100), so the banner
    # lists their problems too.
    @event_priority(-900)
    def on_post_build(self, config: Any) -> None:
        if self.collecting is None:
            return
        self.depth -= 1
        if not self.depth:
            self.show(Path(config.site_dir), self._stop())

    def on_build_error(self, error: BaseException) -> None:
        self.cause = error  # build_failed, called next, shows it

    def _stop(self) -> list[Problem]:
        """The problems of the build that ended (none if none was collecting); collecting ends."""
        if self.collecting is None:
            return []
        found = self.found + [p for m in self.log.records for p in translate(m, self.sources)]
        self.collecting.close()
        self.collecting, self.depth = None, 0
        return found

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        """A rebuild that raises shows the last good pages and a banner, not a stuck server."""
        server = poll_sooner(server)
        build, site_dir = server.builder, Path(config.site_dir)

        def guarded(*args: Any, **kwargs: Any) -> None:
            try:
                build(*args, **kwargs)
            except Exception as error:
                self.build_failed(error, site_dir, project.root(config))

        server.builder = guarded
        return server

    def build_failed(self, error: BaseException, site_dir: Path, root: Path) -> None:
        """Show the problems the error names (or the build's) on the last good pages."""
        cause = self.cause if isinstance(error, Abort) and self.cause is not None else error
        collected, self.cause = self._stop(), None
        problems = project.config_problems(root) or failure("build-failed/preview", cause)
        self.show(site_dir, collected + problems)

    def show(self, site_dir: Path, problems: list[Problem]) -> None:
        """Serve the new pages or the last good ones, with the banner."""
        items = report.sorted_problems(problems)
        note = ""
        if not report.print_report(items):  # no error
            if self.last_good is None:
                self.last_good = Path(tempfile.mkdtemp(prefix="iopguide-last-good-"))
                atexit.register(shutil.rmtree, self.last_good, True)
            clean_directory(str(self.last_good))  # hard links: both are in the temporary folder
            shutil.copytree(site_dir, self.last_good, copy_function=os.link, dirs_exist_ok=True)
            self.last_good_at = time.strftime("%H:%M:%S")
        elif self.last_good is not None:
            clean_directory(str(site_dir))
            shutil.copytree(self.last_good, site_dir, copy_function=os.link, dirs_exist_ok=True)
            note = MESSAGES.text("text/kept", time=self.last_good_at)
        else:
            note = MESSAGES.text("text/none-good")
            if not any(site_dir.rglob("*.html")):
                site_dir.mkdir(parents=True, exist_ok=True)
                page = PAGE.format(head="", title=MESSAGES.text("text/empty-title"), banner="")
                (site_dir / "index.html").write_text(page, encoding="utf-8")
        add_banner(site_dir, items, note)


def banner_html(problems: list[Problem], note: str = "") -> str:
    """The banner of every problem (styled in docs/assets/iop-guide.css: the CSP blocks style=)."""
    if not problems:
        return ""
    rows = "".join(f"<li><code>{html.escape(format_problem(p))}</code></li>" for p in problems)
    head = MESSAGES.text("text/banner", count=report.plural(len(problems), "problem"))
    rest = MESSAGES.text("text/banner-rest")
    extra = f"<p>{html.escape(note)}</p>" if note else ""
    return (
        f'<div class="{BANNER_CLASS}" role="alert"><p><strong>{head}</strong> {rest}</p>'
        f"{extra}<ul>{rows}</ul></div>"
    )


def add_banner(site_dir: Path, problems: list[Problem], note: str = "") -> None:
    """The banner in every built page, each a new file (never over a kept one)."""
    banner = banner_html(problems, note)
    for page in site_dir.rglob("*.html") if banner else ():
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"(<body\b[^>]*>)", lambda m: m[1] + banner, text, count=1)
        fresh = page.with_name(page.name + ".banner")
        fresh.write_text(text, encoding="utf-8")
        os.replace(fresh, page)


def wait_for_config(root: Path, address: tuple[str, int]) -> None:
    """Serve the banner page until ``mkdocs.yml`` can be read (else MkDocs exits before hooks)."""
    if not (problems := project.config_problems(root)):
        return
    css = root / "docs" / "assets" / "iop-guide.css"
    style = css.read_text(encoding="utf-8").replace("</", "<\\/") if css.is_file() else ""
    head = f'<meta http-equiv="refresh" content="2"><style>{style}</style>'

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            banner = banner_html(problems, MESSAGES.text("text/waiting"))
            title = MESSAGES.text("text/waiting-title")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()  # HTTP/1.0: the body ends where the connection closes
            self.wfile.write(PAGE.format(head=head, title=title, banner=banner).encode())

        def log_message(self, *args: Any) -> None:
            pass

    config = root / "mkdocs.yml"
    seen = config.stat().st_mtime_ns if config.is_file() else 0
    with ThreadingHTTPServer(address, Handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        report.print_report(problems)
        url = f"http://{address[0]}:{address[1]}/"
        print(MESSAGES.text("text/waits-at", url=url), file=sys.stderr)
        try:
            while problems:
                time.sleep(0.5)
                if seen != (seen := config.stat().st_mtime_ns if config.is_file() else 0):
                    problems[:] = project.config_problems(root)
                    report.print_report(problems)
        finally:
            server.shutdown()


def main(argv: list[str]) -> int:
    """``python -m iopguide serve [mkdocs serve options]`` (``make serve``)."""
    options = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    options.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    host, _, port = options.parse_known_args(argv)[0].dev_addr.rpartition(":")
    root = project.root_of(None)
    try:
        wait_for_config(root, (host or "127.0.0.1", int(port)))
    except KeyboardInterrupt:
        return 0
    os.chdir(root)
    os.execv(sys.executable, [sys.executable, "-m", "mkdocs", "serve", *argv])
