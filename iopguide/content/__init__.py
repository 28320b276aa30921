"""Content rules for editors: front matter, review dates, language, readability, raw HTML,
Markdown hygiene and spelling.

The rules live in commented data files at the project root (content-rules.yml, terms.yml,
reviewers.yml, .codespell-words.txt); this package only applies them. Every check reports
:class:`iopguide.report.Problem` records. Entry points:

- :func:`check_pages`: every problem of a set of pages (used by the MkDocs hook and the CLI);
- ``python -m iopguide content [paths]``: the same without building the site;
- ``python -m iopguide readability``: a table of the reading grade of every page.
"""

from iopguide.content.checker import check_pages
from iopguide.content.rules import Rules, load_rules

__all__ = ["Rules", "check_pages", "load_rules"]
