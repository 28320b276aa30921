"""Preview hooks: `make serve` rebuilds and shows a saved page sooner, and never stops for a
content mistake.

Thin on purpose: the logic lives in ``iopguide.cache`` (reuse of compiled templates, keyed by
their source, so an edited template is compiled again) and ``iopguide.preview`` (how often the
watched files are polled; the banner of problems on every preview page), the events on one
``iopguide.preview.PreviewHooks``. See decisions/0007-performance.md.
"""

from iopguide.preview import PreviewHooks

hooks = PreviewHooks()
on_startup = hooks.on_startup
on_config = hooks.on_config
on_env = hooks.on_env
on_post_build = hooks.on_post_build
on_build_error = hooks.on_build_error
on_serve = hooks.on_serve
