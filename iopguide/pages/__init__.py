"""Reader-facing page data: the trust block, JSON-LD, Open Graph tags and HTML fixes.

The MkDocs hook ``overrides/hooks/pages.py`` calls :mod:`iopguide.pages.hooks`; the templates in
``overrides/`` render the data this package puts in the page context (``iop``).
"""
