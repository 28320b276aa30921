"""DOI checks: every DOI in bibliography.bib is well-formed, unique and verified, offline against
``dois.lock.json`` (:mod:`.lock`) or online against doi.org and Crossref (:mod:`.online`)."""

from pathlib import Path
from typing import Any

from iopguide.report import Messages

MESSAGES = Messages(Path(__file__).with_name("messages.yml"))


def words(name: str, /, **values: Any) -> str:
    """The words of a ``messages.yml`` entry that is not a problem of its own."""
    return str(MESSAGES[name]["message"]).format(**values)
