"""A small MkDocs site that uses only our content hook, to build in the content tests.

It has the real rules files and hook but none of the other pages or plugins, so a content
mistake is the only thing that can fail its build.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from iopguide import ROOT

RULES_FILES = [
    "content-rules.yml",
    "terms.yml",
    "terms-es.yml",
    "languages.yml",
    "reviewers.yml",
    ".codespell-words.txt",
    "spelling-es.txt",
]

GOOD_PAGE = """---
title: "Content fixture home"
description: The only page of a small site that the content tests build with the content hook.
last_reviewed: 2026-06-01
next_review: 2028-05-01
reviewed_by: editorial-team
---

# Content fixture home

An intensive outpatient program meets a few days each week. You live at home.

See [the second page](second.md).
"""

SECOND_PAGE = """---
title: "Second page"
description: A second page of the small content test site, linked from its home page.
last_reviewed: 2026-06-01
next_review: 2028-05-01
reviewed_by: editorial-team
---

# Second page

Groups meet in the morning or in the evening.
"""

TEMPLATE = """---
title: "TITLE"
description: TODO
last_reviewed: YYYY-MM-DD
next_review: YYYY-MM-DD
reviewed_by: editorial-team
---

TODO
"""


def make_site(dest: Path) -> Path:
    """Write the site into ``dest`` and return it."""
    (dest / "docs" / "_templates").mkdir(parents=True)
    for name in RULES_FILES:
        shutil.copy2(ROOT / name, dest / name)
    hook = (ROOT / "overrides" / "hooks" / "content.py").as_posix()
    (dest / "mkdocs.yml").write_text(
        "site_name: Content fixture\n"
        "strict: true\n"
        "theme:\n  name: mkdocs\n"
        "exclude_docs: |\n  _templates/\n"
        f"hooks:\n  - {hook}\n",
        encoding="utf-8",
    )
    (dest / "docs" / "index.md").write_text(GOOD_PAGE, encoding="utf-8")
    (dest / "docs" / "second.md").write_text(SECOND_PAGE, encoding="utf-8")
    (dest / "docs" / "_templates" / "page.md").write_text(TEMPLATE, encoding="utf-8")
    return dest
