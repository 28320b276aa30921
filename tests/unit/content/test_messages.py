"""iopguide/content/messages.yml: every message is used by the content checks and names a style
guide section that exists (a message the code asks for but the file lacks fails the fixture
and unit tests that produce it)."""

from __future__ import annotations

import re

from iopguide import ROOT
from iopguide.content.rules import MESSAGES


def test_every_message_has_its_parts_and_an_existing_style_guide_section() -> None:
    guide = (ROOT / "docs" / "style-guide.md").read_text(encoding="utf-8")
    anchors = set(re.findall(r"^## .*\{#([a-z0-9-]+)\}\s*$", guide, re.MULTILINE))
    for key, entry in MESSAGES.items():
        assert set(entry) == {"message", "fix", "guide"}, key
        assert entry["guide"] in anchors, f"{key}: no section #{entry['guide']}"


def test_every_message_in_the_file_is_used_by_the_code() -> None:
    code = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "iopguide/content").glob("*.py"))
    asked = set(re.findall(r"""["']((?:[a-z0-9]+-)*[a-z0-9]+(?:/[a-z-]+)?)["']""", code))
    used = {key for key in MESSAGES if key in asked or key.startswith("rules-file/")}
    assert used == set(MESSAGES), f"never used: {sorted(set(MESSAGES) - used)}"
    for what in re.findall(r'_fail\([^,]+, "([a-z-]+)"', code):
        assert f"rules-file/{what}" in MESSAGES
