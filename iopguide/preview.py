"""`make serve` (``mkdocs serve --livereload``): notice a saved file sooner.

MkDocs watches files by polling them every 0.5 s, so a save waits 0.25 s on average (up to
0.5 s) before the rebuild even starts. Polling our small folders costs about 0.15 ms of CPU per
round (docs/ and overrides/ on the real site), so we poll every 0.2 s instead: a save is noticed
after 0.1 s on average. Polling (not the operating system's file events) is kept on purpose, as
in MkDocs: it also works on network drives, in containers and with editors that replace a file
on save.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority

from iopguide.cache import share_compiled_templates

if TYPE_CHECKING:
    from iopguide.report import Problem

#: Seconds between two looks at the watched files (MkDocs: 0.5).
POLL_INTERVAL = 0.2


def poll_sooner(server: Any, interval: float = POLL_INTERVAL) -> Any:
    """MkDocs' live-reload server, polling the watched files every ``interval`` seconds.

    Called from the ``on_serve`` event, which may return another server: before it starts, a
    new one is made with MkDocs' own ``polling_interval`` setting, the same builder, address,
    folder and error pages, watching what the first one watched (docs/, mkdocs.yml, the
    theme); paths watched later (``watch:`` in mkdocs.yml) use it too. Anything unexpected
    (another kind of server, a server already running) leaves the server as it was.
    """
    if type(server) is not LiveReloadServer or server.observer.is_alive():
        return server
    host, port = server.server_address[:2]
    faster = LiveReloadServer(
        builder=server.builder,
        host=str(host),
        port=int(port),
        root=server.root,
        mount_path=server.mount_path,
        polling_interval=interval,
        shutdown_delay=server.shutdown_delay,
    )
    faster.error_handler = server.error_handler
    for emitter in sorted(server.observer.emitters, key=lambda e: e.watch.path):
        faster.watch(emitter.watch.path, recursive=emitter.watch.is_recursive)
    server.server_close()  # its socket was made, never bound
    return faster


# ------------------------------------------------------------------ problems banner
# `make serve` never stops for a content mistake. During a preview build our hooks record their
# problems (iopguide.report.collecting) instead of stopping it, the security check too, and
# MkDocs' own warnings are kept (iopguide.buildlog). At the end of the build:
#
# - no errors (warnings at most): the new pages are served, and kept as the "last good" pages;
# - errors: the LAST GOOD pages are served again (what `make build` would still publish), so
#   a reader of the preview never sees a page that breaks a rule (a script, a stigmatizing word,
#   a broken citation), and the banner says that the newest changes are held back and why;
#   before any good build (a mistake present at start) the new pages are served, as the best
#   there is, and the banner says so;
# - a build that crashes (a refused file, a template error, mkdocs.yml that cannot be read):
#   the same, through ``guard_builder``, so MkDocs' live-reload server never "appears stuck".
#
# Every page then gets a banner listing every current problem (file:line, what, fix). The last
# good pages are hard links (no copy of the site per rebuild): the served folder is emptied at
# the start of each build (as MkDocs does, and also after a failed build, when the i18n plugin
# may have left MkDocs' emptying switched off), and the banner is written to a new file, so a
# kept page is never written over.

BANNER_CLASS = "iop-preview-problems"


class PreviewProblems:
    """The problems of the current preview build, shown on every page (``make serve`` only)."""

    def __init__(self) -> None:
        self.serving = False
        self._collecting: Any = None
        self._found: Any = None
        self._log: Any = None
        #: Builds running: the i18n plugin runs each other language's build inside the first.
        self._depth = 0
        #: The pages of the last build without errors, and when it ended.
        self.last_good: Any = None
        self.last_good_at: str = ""
        self.dirty = False
        #: What a build that stopped had collected: [problems, MkDocs' messages].
        self._stopped: list[list[Any]] = [[], []]

    def startup(self, command: str, dirty: bool = False) -> None:
        self.serving = command == "serve"
        self.dirty = dirty

    def start(self, site_dir: Any = None) -> None:
        """Beginning of a build (``on_config``): collect instead of stopping."""
        if not self.serving:
            return
        self._depth += 1
        if self._depth > 1:  # another language's build inside this one: same report
            return
        import logging

        if site_dir is not None and self.last_good is not None and not self.dirty:
            _empty(Path(site_dir))  # no served file may stay a link to a last good page

        from iopguide.buildlog import WarningCollector
        from iopguide.report import collecting

        self._collecting = collecting()
        self._found = self._collecting.__enter__()
        self._log = WarningCollector()
        logging.getLogger("mkdocs").addHandler(self._log)

    def build_error(self) -> None:
        """A build stopped (``on_build_error``): keep what it collected for the banner."""
        problems, messages = self.finish_quietly()
        self._stopped[0] += problems
        self._stopped[1] += messages

    def finish_quietly(self) -> tuple[list[Problem], list[str]]:
        """End collecting (also after a failed build); returns problems, MkDocs' messages."""
        import logging

        problems = list(self._found.problems) if self._found is not None else []
        messages = list(self._log.messages) if self._log is not None else []
        if self._collecting is not None:
            self._collecting.__exit__(None, None, None)
        if self._log is not None:
            logging.getLogger("mkdocs").removeHandler(self._log)
        self._collecting = self._found = self._log = None
        self._depth = 0
        return problems, messages

    def finish(self, config: Any) -> None:
        """End of a build (``on_post_build``, after the security check): choose the pages to
        serve, print the report and add the banner to every page."""
        if not self.serving or self._collecting is None:
            return
        self._depth -= 1
        if self._depth > 0:  # the end of another language's build inside this one
            return
        from pathlib import Path

        problems, messages = self.finish_quietly()
        root = Path(config.config_file_path).resolve().parent
        self.show(Path(config.site_dir), problems, messages, root, Path(config.docs_dir))

    def show(
        self,
        site_dir: Any,
        problems: list[Problem],
        messages: list[str],
        root: Any,
        docs_dir: Any = None,
    ) -> list[Problem]:
        """Serve the new pages or the last good ones, with the banner; returns the problems."""
        import sys

        from iopguide.buildlog import Project, translate
        from iopguide.report import format_report, has_errors, sorted_problems

        project = Project(root, docs_dir if docs_dir is not None else root / "docs")
        for message in messages:
            problems += translate(message, project)
        items = sorted_problems(problems)
        if items:
            print(format_report(items), file=sys.stderr)
        if not has_errors(items):
            self._keep(site_dir)
            note = ""
        elif self.last_good is not None:
            _replace_with(site_dir, self.last_good)
            note = (
                f"Your newest changes are not shown: this preview shows the pages as they were "
                f"at {self.last_good_at}, the last time they had no errors. Fix the errors and "
                "save; the preview then shows your changes."
            )
        else:
            note = (
                "There is no version of the site without errors yet, so the preview shows your "
                "newest pages as they are. Readers would never see them like this."
            )
            if not any(site_dir.rglob("*.html")):
                site_dir.mkdir(parents=True, exist_ok=True)
                (site_dir / "index.html").write_text(
                    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
                    "<title>Preview: problems to fix</title></head><body></body></html>",
                    encoding="utf-8",
                )
        add_banner(site_dir, items, note)
        return items

    def _keep(self, site_dir: Any) -> None:
        import atexit
        import shutil
        import tempfile
        import time
        from pathlib import Path

        if self.last_good is None:
            self.last_good = Path(tempfile.mkdtemp(prefix="iopguide-last-good-"))
            atexit.register(shutil.rmtree, self.last_good, True)
        _replace_with(self.last_good, site_dir)
        self.last_good_at = time.strftime("%H:%M:%S")

    def build_failed(self, error: BaseException, site_dir: Any, root: Any) -> None:
        """A build that stopped (an exception out of MkDocs' build): the last good pages and a
        banner with the problems the error names, instead of a server that appears stuck."""
        from iopguide.check import _failure

        self.build_error()
        (collected, messages), self._stopped = self._stopped, [[], []]
        problems = config_problems(root) or _failure("build-failed", "The preview build", error)
        self.show(site_dir, collected + problems, messages, root)


def _empty(folder: Any) -> None:
    """Remove everything inside ``folder`` (created if missing)."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    for entry in list(folder.iterdir()):
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _replace_with(target: Any, source: Any) -> None:
    """Make ``target`` hold the files of ``source`` (hard links where the disk allows)."""
    import os
    import shutil

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    _empty(target)
    shutil.copytree(source, target, copy_function=link, dirs_exist_ok=True)


def guard_builder(server: Any, config: Any, problems: PreviewProblems) -> Any:
    """Rebuilds that raise show the last good pages and a banner, and the browser reloads.

    MkDocs' live-reload server serves no page while a rebuild that failed is not followed by a
    good one ("The server will appear stuck until build errors are resolved"). The builder is
    wrapped so that it never fails: the error becomes problems on the banner.
    """
    from pathlib import Path

    builder = getattr(server, "builder", None)
    if builder is None or getattr(builder, "_iopguide_guarded", False):
        return server
    site_dir = Path(config.site_dir)
    root = Path(config.config_file_path).resolve().parent

    def guarded(*args: Any, **kwargs: Any) -> None:
        try:
            builder(*args, **kwargs)
        except Exception as error:
            problems.build_failed(error, site_dir, root)

    guarded._iopguide_guarded = True  # type: ignore[attr-defined]
    server.builder = guarded
    return server


def banner_html(problems: list[Problem], note: str = "") -> str:
    """The banner: every problem as file:line, what is wrong and how to fix it."""
    import html

    from iopguide.report import format_problem

    if not problems:
        return ""
    rows = "".join(f"<li><code>{html.escape(format_problem(p))}</code></li>" for p in problems)
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    extra = f"<p>{html.escape(note)}</p>" if note else ""
    # Styled by docs/assets/iop-guide.css (the security policy blocks style attributes).
    return (
        f'<div class="{BANNER_CLASS}" role="alert">'
        f"<p><strong>Preview only: {count} to fix.</strong> Readers never see this box. It "
        f"updates each time you save a file.</p>{extra}"
        f"<ul>{rows}</ul></div>"
    )


def add_banner(site_dir: Any, problems: list[Problem], note: str = "") -> int:
    """Insert the banner right after ``<body>`` in every built page; returns the pages changed.

    Each page is written to a new file that replaces the old one, never over it: the last good
    pages are hard links to the served ones.
    """
    import os
    import re

    banner = banner_html(problems, note)
    if not banner:
        return 0
    changed = 0
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new, n = re.subn(r"(<body\b[^>]*>)", lambda m: m[1] + banner, text, count=1)
        if n:
            fresh = page.with_name(page.name + ".banner")
            fresh.write_text(new, encoding="utf-8")
            os.replace(fresh, page)
            changed += 1
    return changed


class PreviewHooks:
    """The preview events of one MkDocs process (overrides/hooks/serve.py hands MkDocs these
    methods): templates compiled once, saves noticed sooner, the last good pages and the
    problems in a banner. One per process: it keeps the last good pages from one rebuild to
    the next."""

    def __init__(self) -> None:
        self.problems = PreviewProblems()

    def on_startup(self, command: str, dirty: bool = False) -> None:
        self.problems.startup(command, dirty)

    # First of all hooks: from here on, in `mkdocs serve`, problems are collected, not raised.
    @event_priority(1000)
    def on_config(self, config: Any) -> Any:
        self.problems.start(config.site_dir)
        return config

    @event_priority(100)
    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        # MkDocs makes a new Jinja environment for every build; reuse compiled templates, also
        # those of the last `make build` (kept in .cache/, which `make clean` removes).
        folder = Path(config.config_file_path).parent / ".cache" / "jinja"
        return share_compiled_templates(env, folder)

    # After the security check (-100) and every other language's build (the i18n plugin,
    # -100): the banner lists their problems too. (The publish hook's -1000 does nothing in
    # `serve`.)
    @event_priority(-900)
    def on_post_build(self, config: Any) -> None:
        self.problems.finish(config)

    def on_build_error(self, error: BaseException) -> None:
        self.problems.build_error()

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        # A rebuild that fails shows the last good pages with the banner, never a stuck server.
        return guard_builder(poll_sooner(server), config, self.problems)


# ------------------------------------------------------------------ `make serve` itself
# MkDocs reads mkdocs.yml before any hook runs: if it cannot (a YAML slip, an unknown setting),
# `mkdocs serve` exits at once. `make serve` runs ``python -m iopguide serve`` instead: while
# mkdocs.yml cannot be read, it serves one page with the banner on the preview's address (it
# reloads itself every 2 s), and starts `mkdocs serve` on the same address once the file is
# fixed. Everything after that is MkDocs' own server with the hooks above.

WAIT_SECONDS = 0.5
WAITING_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    '<meta http-equiv="refresh" content="2"><title>Preview: mkdocs.yml to fix</title>'
    "<style>{css}</style></head><body>{banner}</body></html>"
)


def config_problems(root: Path) -> list[Problem]:
    """Why MkDocs cannot read ``mkdocs.yml`` (as house-format problems), or nothing."""
    from iopguide import project
    from iopguide.report import ProblemsFound

    try:
        project.load_config(root)
    except ProblemsFound as exc:
        return list(exc.problems)
    return []


def _address(argv: list[str]) -> tuple[str, int]:
    value = "127.0.0.1:8000"
    for number, arg in enumerate(argv):
        if arg in {"--dev-addr", "-a"} and number + 1 < len(argv):
            value = argv[number + 1]
        elif arg.startswith("--dev-addr="):
            value = arg.split("=", 1)[1]
    host, _, port = value.rpartition(":")
    return host or "127.0.0.1", int(port)


def wait_for_config(root: Path, address: tuple[str, int]) -> None:
    """Serve the banner page until ``mkdocs.yml`` can be read; returns when it can."""
    import sys
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from iopguide.report import format_report

    config = root / "mkdocs.yml"
    state: dict[str, Any] = {"problems": config_problems(root)}
    if not state["problems"]:
        return
    css_file = root / "docs" / "assets" / "iop-guide.css"
    css = css_file.read_text(encoding="utf-8") if css_file.is_file() else ""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            note = (
                "mkdocs.yml cannot be read, so nothing can be built yet. Fix the line named "
                "below and save: the preview starts by itself."
            )
            body = WAITING_PAGE.format(
                css=css.replace("</", "<\\/"), banner=banner_html(state["problems"], note)
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(address, Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(format_report(state["problems"]), file=sys.stderr)
    print(
        f"The preview waits at http://{address[0]}:{address[1]}/ until mkdocs.yml is fixed "
        "(Ctrl+C to stop).",
        file=sys.stderr,
    )
    seen = config.stat().st_mtime_ns if config.is_file() else 0
    try:
        while state["problems"]:
            time.sleep(WAIT_SECONDS)
            now = config.stat().st_mtime_ns if config.is_file() else 0
            if now != seen:
                seen = now
                state["problems"] = config_problems(root)
                if state["problems"]:
                    print(format_report(state["problems"]), file=sys.stderr)
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str]) -> int:
    """``python -m iopguide serve [mkdocs serve options]`` (``make serve``)."""
    import os
    import sys

    from iopguide import project

    root = project.root_of(None)
    try:
        wait_for_config(root, _address(argv))
    except KeyboardInterrupt:
        return 0
    os.chdir(root)
    os.execv(sys.executable, [sys.executable, "-m", "mkdocs", "serve", *argv])
