"""Citations: bibliography checks, citation scanning and protection, AMA reference formatting.

- :mod:`.bib`: read bibliography.bib with pybtex (every error, with its line) and check it.
- :mod:`.latex`: the one way field text (LaTeX) becomes readable text and links.
- :mod:`.scan`: find citations in Markdown outside code, links, URLs and e-mail addresses.
- :mod:`.style`: AMA references, formatted once per build.
- :mod:`.sources`: the Sources page list.
- :mod:`.layer`: the MkDocs events (called by overrides/hooks/citations.py).
- :mod:`.cli`: ``python -m iopguide citations``.
"""
