"""Cache hooks: let `mkdocs serve` rebuilds reuse work that did not change.

Thin on purpose: the logic lives in ``iopguide.cache`` (keyed by content, so an edited template
is compiled again; see decisions/0007-performance.md).
"""

from mkdocs.plugins import event_priority

from iopguide.cache import share_compiled_templates


@event_priority(100)
def on_env(env, config, files):  # type: ignore[no-untyped-def]
    # MkDocs makes a new Jinja environment for every build; reuse compiled templates.
    return share_compiled_templates(env)
