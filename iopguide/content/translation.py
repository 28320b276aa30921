"""Translations: a page in another language names the English page it translates, and says
when the English page changed after it was translated (decisions/0014-spanish-edition.md).

Front matter of ``docs/<name>.<code>.md`` (the keys are described in content-rules.yml):

    translation_of: get-help-now.md      # the English page, relative to docs/
    translated_from: 2026-11-28          # that page's last_reviewed when it was translated
    source_checksum: ed3cced4460b        # that page's fingerprint when it was translated

A missing key or a missing English page is an error; a changed English page is a warning (the
build passes; ``make check`` and the scheduled workflow list it) until the translation is
brought up to date and the new fingerprint written.
"""

from __future__ import annotations

from pathlib import Path

from iopguide.content.page import Page
from iopguide.i18n import checksum, original_of
from iopguide.report import Problem, Severity

GUIDE = "translations"
KEYS = ("translation_of", "translated_from", "source_checksum")


def check(page: Page, docs: Path, language: str | None) -> list[Problem]:
    """Problems of the translation fields of ``page`` (a page in ``language``; None: original)."""
    data = page.front_matter.data or {}
    lines = page.front_matter.key_lines
    if language is None:
        return [
            Problem(
                page.rel,
                lines.get(key, 1),
                None,
                "translation-key",
                f"'{key}' belongs on a translated page (a file named like <name>.es.md) only",
                f"remove the '{key}' line",
                guide=GUIDE,
            )
            for key in KEYS
            if key in data
        ]
    missing = [key for key in KEYS if key not in data]
    if missing:
        expected = Path(original_of(page.rel)).name
        english = docs / expected
        fingerprint = checksum(english) if english.is_file() else "<the English page's fingerprint>"
        return [
            Problem(
                page.rel,
                1,
                None,
                "translation-source",
                f"this translation does not say which English page and version it translates "
                f"(missing: {', '.join(missing)})",
                f"add 'translation_of: {expected}', 'translated_from: <the last_reviewed date of "
                f"{docs.name}/{expected} you translated>' and 'source_checksum: \"{fingerprint}\"' "
                "to the front matter",
                guide=GUIDE,
            )
        ]
    source = docs / str(data["translation_of"])
    line = lines.get("translation_of", 1)
    if not source.is_file():
        return [
            Problem(
                page.rel,
                line,
                None,
                "translation-source",
                f"the English page '{data['translation_of']}' does not exist in docs/",
                "write the file name of the English page this page translates, e.g. "
                "'get-help-now.md'",
                guide=GUIDE,
            )
        ]
    current = checksum(source)
    if str(data["source_checksum"]) == current:
        return []
    rel = f"{docs.name}/{data['translation_of']}"
    return [
        Problem(
            page.rel,
            lines.get("source_checksum", line),
            None,
            "translation-stale",
            f"{rel} changed after this page was translated from it",
            f"see what changed with 'git log -p -- {rel}', update this translation, then set "
            f"'source_checksum: \"{current}\"' and 'translated_from' to the English page's "
            "last_reviewed date",
            Severity.WARNING,
            guide=GUIDE,
        )
    ]
