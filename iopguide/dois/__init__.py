"""DOI checks: every DOI in bibliography.bib is well-formed, unique and verified.

- :mod:`.bib` reads the DOIs (and the fields we compare) from a .bib file, with line numbers.
- :mod:`.lock` is the offline check against ``dois.lock.json``, the committed record of verified
  metadata, and writes that record.
- :mod:`.online` asks doi.org (does the DOI exist?) and Crossref (what paper is it?) over HTTP.
- :mod:`.cli` is ``python -m iopguide dois``.
"""
