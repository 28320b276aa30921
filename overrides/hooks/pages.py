"""Page hooks: trust block data, JSON-LD, HTML fixes after rendering, and the icon file.

Thin on purpose: the logic lives in ``iopguide.pages``.
"""

from iopguide.pages.hooks import (
    on_config,
    on_files,
    on_page_content,
    on_page_context,
    on_post_build,
    on_post_page,
    on_post_template,
    on_pre_build,
)

__all__ = [
    "on_config",
    "on_files",
    "on_page_content",
    "on_page_context",
    "on_post_build",
    "on_post_page",
    "on_post_template",
    "on_pre_build",
]
