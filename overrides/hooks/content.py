"""Content hooks: front matter, language, readability and HTML rules for every page.

Thin on purpose: the logic lives in ``iopguide.content``.
"""
