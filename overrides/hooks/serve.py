"""Preview hooks: make `make serve` rebuild and show a saved page sooner.

Thin on purpose: the logic lives in ``iopguide.cache`` (reuse of compiled templates, keyed by
their source, so an edited template is compiled again) and ``iopguide.preview`` (how often the
watched files are polled). See decisions/0007-performance.md.
"""

from pathlib import Path

from mkdocs.plugins import event_priority

from iopguide.cache import share_compiled_templates
from iopguide.preview import poll_sooner


@event_priority(100)
def on_env(env, config, files):  # type: ignore[no-untyped-def]
    # MkDocs makes a new Jinja environment for every build; reuse compiled templates, also
    # those of the last `make build` (kept in .cache/, which `make clean` removes).
    folder = Path(config.config_file_path).parent / ".cache" / "jinja"
    return share_compiled_templates(env, folder)


def on_serve(server, config, builder):  # type: ignore[no-untyped-def]
    return poll_sooner(server)
