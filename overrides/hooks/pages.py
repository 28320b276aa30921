"""Page hooks: trust block data, JSON-LD, HTML fixes after rendering, and the icon file.

Thin on purpose: the logic, and what the builds read, live on one
``iopguide.pages.hooks.PageHooks``.
"""

from iopguide.pages.hooks import PageHooks

hooks = PageHooks()
on_config = hooks.on_config
on_pre_build = hooks.on_pre_build
on_files = hooks.on_files
on_page_content = hooks.on_page_content
on_page_context = hooks.on_page_context
on_post_page = hooks.on_post_page
on_post_template = hooks.on_post_template
on_post_build = hooks.on_post_build
