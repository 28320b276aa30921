"""IOP Guide's checks and MkDocs hook logic; the hooks in ``overrides/hooks/`` only call it."""

from pathlib import Path

#: The project root (the folder that holds mkdocs.yml).
ROOT = Path(__file__).resolve().parent.parent
