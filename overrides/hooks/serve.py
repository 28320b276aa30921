"""Preview hooks: `make serve` rebuilds and shows a saved page sooner, and never stops for a
content mistake.

Thin on purpose: the logic lives in ``iopguide.cache`` (reuse of compiled templates, keyed by
their source, so an edited template is compiled again) and ``iopguide.preview`` (how often the
watched files are polled; the banner of problems on every preview page). See
decisions/0007-performance.md.
"""

from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from iopguide.cache import share_compiled_templates
from iopguide.preview import poll_sooner, preview_problems


def on_startup(command: str, dirty: bool = False) -> None:
    preview_problems.startup(command)


# First of all hooks: from here on, in `mkdocs serve`, problems are collected, not raised.
@event_priority(1000)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    preview_problems.start()
    return config


@event_priority(100)
def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    # MkDocs makes a new Jinja environment for every build; reuse compiled templates, also
    # those of the last `make build` (kept in .cache/, which `make clean` removes).
    folder = Path(config.config_file_path).parent / ".cache" / "jinja"
    return share_compiled_templates(env, folder)


# Before the security hook (-100), after the pages and redirects are written.
@event_priority(-50)
def on_post_build(config: MkDocsConfig) -> None:
    preview_problems.finish(config)


def on_build_error(error: Exception) -> None:
    preview_problems.finish_quietly()


def on_serve(
    server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., object]
) -> LiveReloadServer:
    return poll_sooner(server)
