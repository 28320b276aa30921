"""Translations (decisions/0014-spanish-edition.md): a page ``docs/<name>.<code>.md`` names the
English page it translates (``translation_of``), that page's last_reviewed date when translated
(``translated_from``) and its fingerprint (``source_checksum``). A missing key or English page
is an error; an English page changed since is a warning until the translation catches up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from iopguide.content.page import Page
from iopguide.content.rules import say
from iopguide.i18n import checksum, original_of
from iopguide.report import Problem, Severity

GUIDE = "translations"
KEYS = ("translation_of", "translated_from", "source_checksum")


def check(page: Page, docs: Path, language: str | None) -> list[Problem]:
    """Problems of the translation fields of ``page`` (a page in ``language``; None: original)."""
    data, lines = page.front_matter.data or {}, page.front_matter.key_lines
    if language is None:
        return [say(page.rel, lines.get(k, 1), "translation-key", key=k) for k in KEYS if k in data]
    if missing := [key for key in KEYS if key not in data]:
        expected = Path(original_of(page.rel)).name
        english = docs / expected
        fingerprint = checksum(english) if english.is_file() else "<the English page's fingerprint>"
        values: dict[str, Any] = {"expected": expected, "docs": docs.name}
        return [
            say(
                page.rel,
                1,
                "translation-source",
                missing=", ".join(missing),
                fingerprint=fingerprint,
                **values,
            )
        ]
    source, line = docs / str(data["translation_of"]), lines.get("translation_of", 1)
    if not source.is_file():
        return [say(page.rel, line, "translation-source/no-page", name=data["translation_of"])]
    if str(data["source_checksum"]) == (current := checksum(source)):
        return []
    rel, warning = f"{docs.name}/{data['translation_of']}", Severity.WARNING
    line = lines.get("source_checksum", line)
    return [say(page.rel, line, "translation-stale", severity=warning, rel=rel, current=current)]
