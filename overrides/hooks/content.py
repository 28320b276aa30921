"""Content hooks: front matter, language, readability and HTML rules for every page.

Thin on purpose: the logic lives in ``iopguide.content``; the citation hook hands this one its
problems (``hooks.report_with_mine``), so an editor sees both in one report.
"""

from iopguide.content.hooks import ContentHooks

hooks = ContentHooks()
on_startup = hooks.on_startup
on_pre_build = hooks.on_pre_build
