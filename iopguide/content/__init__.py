"""Content rules for editors (front matter, review dates, language, readability, raw HTML,
Markdown hygiene, spelling), read from the data files at the project root (content-rules.yml,
terms.yml, reviewers.yml, word lists): :func:`check_pages`, ``python -m iopguide content``."""

from iopguide.content.checker import check_pages
from iopguide.content.rules import Rules, load_rules

__all__ = ["Rules", "check_pages", "load_rules"]
