"""Citations: bibliography.bib read with pybtex, [@key] in pages, references in AMA style."""

from pathlib import Path

from iopguide.report import Messages

MESSAGES = Messages(Path(__file__).with_name("messages.yml"))
#: The bibliography where mkdocs.yml names none (no bibtex plugin, or none MkDocs validated).
BIB = "bibliography.bib"


def words(key: str, /, **values: object) -> str:
    """A piece of a message (``words/<key>`` in messages.yml), filled in."""
    return MESSAGES.text(f"words/{key}", **values)
