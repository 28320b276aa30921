"""IOP Guide's own checks and MkDocs hook logic.

The MkDocs hooks in ``overrides/hooks/`` are thin: each one calls into this package, where the
logic lives and is tested. Every checker reports problems as :class:`iopguide.report.Problem`
records so that editors see the same words in the build, in ``make check`` and in the CLI.
"""

from pathlib import Path

#: The project root (the folder that holds mkdocs.yml).
ROOT = Path(__file__).resolve().parent.parent

__all__ = ["ROOT"]
