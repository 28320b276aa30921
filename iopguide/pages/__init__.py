"""Reader-facing page data (trust block, JSON-LD, Open Graph) and HTML fixes, for the MkDocs hook
``overrides/hooks/pages.py`` (:mod:`.hooks`) and the templates in ``overrides/``."""
