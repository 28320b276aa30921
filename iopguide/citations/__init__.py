"""Citations: bibliography checks, citation scanning and protection, AMA reference formatting.

- :mod:`.bib`: read bibliography.bib with line numbers and check every entry.
- :mod:`.scan`: find citations in Markdown outside code, links, URLs and e-mail addresses.
- :mod:`.style`: AMA references, formatted once per build.
- :mod:`.sources`: the Sources page list.
- :mod:`.layer`: the MkDocs events (called by overrides/hooks/citations.py).
- :mod:`.cli`: ``python -m iopguide citations``.
"""
