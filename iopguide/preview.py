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
    from mkdocs.config.defaults import MkDocsConfig

    from iopguide.buildlog import WarningCollector
    from iopguide.report import Collector, Problem, collecting

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
# `make serve` never stops for a content mistake: during a preview build our hooks record their
# problems (iopguide.report.collecting) instead of stopping the build, MkDocs' own warnings are
# kept too (iopguide.buildlog), and after the build every page gets a banner listing them all,
# so the browser never waits on a stuck server. A mistake present at start does not stop it.

BANNER_CLASS = "iop-preview-problems"


class PreviewProblems:
    """The problems of the current preview build, shown on every page (``make serve`` only)."""

    def __init__(self) -> None:
        self.serving = False
        self._collecting: collecting | None = None
        self._found: Collector | None = None
        self._log: WarningCollector | None = None

    def startup(self, command: str) -> None:
        self.serving = command == "serve"

    def start(self) -> None:
        """Beginning of a build (``on_config``): collect instead of stopping."""
        if not self.serving:
            return
        import logging

        from iopguide.buildlog import WarningCollector
        from iopguide.report import collecting

        self.finish_quietly()
        self._collecting = collecting()
        self._found = self._collecting.__enter__()
        self._log = WarningCollector()
        logging.getLogger("mkdocs").addHandler(self._log)

    def finish_quietly(self) -> tuple[list[Problem], list[str]]:
        """End collecting (also after a failed build); returns what was collected."""
        import logging

        problems = list(self._found.problems) if self._found is not None else []
        messages = list(self._log.messages) if self._log is not None else []
        if self._collecting is not None:
            self._collecting.__exit__(None, None, None)
        if self._log is not None:
            logging.getLogger("mkdocs").removeHandler(self._log)
        self._collecting = self._found = self._log = None
        return problems, messages

    def finish(self, config: MkDocsConfig) -> None:
        """End of a build (``on_post_build``): print the report and add the banner to pages."""
        if not self.serving or self._collecting is None:
            return

        from iopguide.buildlog import Project, translate
        from iopguide.report import format_report, sorted_problems

        problems, messages = self.finish_quietly()
        project = Project.of(config)
        for message in messages:
            problems += translate(message, project)
        items = sorted_problems(problems)
        if items:
            import sys

            print(format_report(items), file=sys.stderr)
        add_banner(Path(config.site_dir), items)


def banner_html(problems: list[Problem]) -> str:
    """The banner: every problem as file:line, what is wrong and how to fix it."""
    import html

    from iopguide.report import format_problem

    if not problems:
        return ""
    rows = "".join(f"<li><code>{html.escape(format_problem(p))}</code></li>" for p in problems)
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    # Styled by docs/assets/iop-guide.css (the security policy blocks style attributes).
    return (
        f'<div class="{BANNER_CLASS}" role="alert">'
        f"<p><strong>Preview only: {count} to fix.</strong> Readers never see this box. It "
        "updates each time you save a file.</p>"
        f"<ul>{rows}</ul></div>"
    )


def add_banner(site_dir: Path, problems: list[Problem]) -> int:
    """Insert the banner right after ``<body>`` in every built page; returns the pages changed."""
    import re

    banner = banner_html(problems)
    if not banner:
        return 0
    changed = 0
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new, n = re.subn(r"(<body\b[^>]*>)", lambda m: m[1] + banner, text, count=1)
        if n:
            page.write_text(new, encoding="utf-8")
            changed += 1
    return changed


class PreviewHooks:
    """The preview events of one MkDocs process (overrides/hooks/serve.py hands MkDocs these
    methods): templates compiled once, saves noticed sooner, problems in a banner."""

    def __init__(self) -> None:
        self.problems = PreviewProblems()

    def on_startup(self, command: str, dirty: bool = False) -> None:
        self.problems.startup(command)

    # First of all hooks: from here on, in `mkdocs serve`, problems are collected, not raised.
    @event_priority(1000)
    def on_config(self, config: Any) -> Any:
        self.problems.start()
        return config

    @event_priority(100)
    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        # MkDocs makes a new Jinja environment for every build; reuse compiled templates, also
        # those of the last `make build` (kept in .cache/, which `make clean` removes).
        folder = Path(config.config_file_path).parent / ".cache" / "jinja"
        return share_compiled_templates(env, folder)

    # Before the security hook (-100), after the pages and redirects are written.
    @event_priority(-50)
    def on_post_build(self, config: Any) -> None:
        self.problems.finish(config)

    def on_build_error(self, error: BaseException) -> None:
        self.problems.finish_quietly()

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        return poll_sooner(server)
