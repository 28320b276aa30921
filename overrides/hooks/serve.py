"""Preview hooks: `make serve` rebuilds and shows a saved page sooner, and never stops for a
content mistake.

Thin on purpose: the logic lives in ``iopguide.cache`` (reuse of compiled templates, keyed by
their source, so an edited template is compiled again) and ``iopguide.preview`` (how often the
watched files are polled; the last good pages and the banner of problems on every preview page). See
decisions/0007-performance.md.
"""

from pathlib import Path

from mkdocs.plugins import event_priority

from iopguide.cache import share_compiled_templates
from iopguide.preview import guard_builder, poll_sooner, preview_problems


def on_startup(command, dirty=False):  # type: ignore[no-untyped-def]
    preview_problems.startup(command, dirty)


# First of all hooks: from here on, in `mkdocs serve`, problems are collected, not raised.
@event_priority(1000)
def on_config(config):  # type: ignore[no-untyped-def]
    preview_problems.start(config.site_dir)
    return config


@event_priority(100)
def on_env(env, config, files):  # type: ignore[no-untyped-def]
    # MkDocs makes a new Jinja environment for every build; reuse compiled templates, also
    # those of the last `make build` (kept in .cache/, which `make clean` removes).
    folder = Path(config.config_file_path).parent / ".cache" / "jinja"
    return share_compiled_templates(env, folder)


# After the security check (-100) and every other language's build (the i18n plugin, -100):
# the banner lists their problems too. (The publish hook's -1000 does nothing in `serve`.)
@event_priority(-900)
def on_post_build(config):  # type: ignore[no-untyped-def]
    preview_problems.finish(config)


def on_build_error(error):  # type: ignore[no-untyped-def]
    preview_problems.build_error()


def on_serve(server, config, builder):  # type: ignore[no-untyped-def]
    # A rebuild that fails shows the last good pages with the banner, never a stuck server.
    return guard_builder(poll_sooner(server), config)
