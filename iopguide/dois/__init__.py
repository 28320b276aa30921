"""DOI checks: every DOI in bibliography.bib is well-formed, unique and verified, offline against
``dois.lock.json`` (:mod:`.lock`) or online against doi.org and Crossref (:mod:`.online`)."""

from pathlib import Path

from iopguide.report import Messages

MESSAGES = Messages(Path(__file__).with_name("messages.yml"))
words = MESSAGES.text  # the words of an entry that is not a problem of its own
