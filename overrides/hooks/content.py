"""Content hooks: front matter, language, readability and HTML rules for every page.

Thin on purpose: the logic lives in ``iopguide.content``.
"""

from mkdocs.plugins import event_priority

from iopguide.content import hooks

on_startup = hooks.on_startup
#: Other hooks (citations) leave their problems in iopguide.report.pending for this one to report.
REPORTS_PENDING = True
# Lowest priority: runs after the citation hook's check, and reports both hooks' problems at once.
on_pre_build = event_priority(-100)(hooks.on_pre_build)
