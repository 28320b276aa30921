"""DOI checks: every DOI in bibliography.bib is well-formed, unique and verified, offline against
``dois.lock.json`` (:mod:`.lock`) or online against doi.org and Crossref (:mod:`.cli`)."""

from pathlib import Path
from typing import Any

import yaml

from iopguide.report import Messages

MESSAGES = Messages(Path(__file__).with_name("messages.yml"))
words = MESSAGES.text  # the words of an entry that is not a problem of its own
#: The JSON Schemas of dois.lock.json ("lock") and of a Crossref record ("crossref").
SCHEMAS: dict[str, Any] = yaml.safe_load(Path(__file__).with_name("schemas.yml").read_bytes())
