"""Content hooks: front matter, language, readability and HTML rules for every page.

Thin on purpose: the logic lives in ``iopguide.content``.
"""

from iopguide.content.hooks import on_files, on_startup

__all__ = ["on_files", "on_startup"]
