"""Publish only what was checked: bounded input, allowed files, atomic builds, deploy address.

Thin on purpose: the logic, and the build it guards, live on one
``iopguide.publish.PublishHooks`` (its module says what each event does and why it runs first or
last; decisions/0010-atomic-builds.md).
"""

from iopguide.publish import PublishHooks

hooks = PublishHooks()
on_startup = hooks.on_startup
on_config = hooks.on_config
on_pre_build = hooks.on_pre_build
on_files = hooks.on_files
on_pre_page = hooks.on_pre_page
on_page_context = hooks.on_page_context
on_post_build = hooks.on_post_build
on_build_error = hooks.on_build_error
on_shutdown = hooks.on_shutdown
