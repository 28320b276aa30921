"""DOI checks: every DOI in bibliography.bib is well-formed, unique and verified, offline against
``dois.lock.json`` (:mod:`.lock`) or online against doi.org and Crossref (:mod:`.online`)."""
