"""Every ``messages.yml`` in the package (iopguide/report.py ``Messages``): each entry has a
message, names a style guide section that exists, and is used by the code beside it (a message
the code asks for but the file lacks fails the tests that produce it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from iopguide import ROOT
from iopguide.report import Messages, Severity

FILES = sorted((ROOT / "iopguide").rglob("messages.yml"))


def test_the_content_checks_have_a_messages_file() -> None:
    assert ROOT / "iopguide/content/messages.yml" in FILES


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.parent.name)
def test_every_message_has_its_parts_and_an_existing_style_guide_section(path: Path) -> None:
    guide = (ROOT / "docs" / "style-guide.md").read_text(encoding="utf-8")
    anchors = set(re.findall(r"^#{2,6} .*\{#([a-z0-9-]+)\}\s*$", guide, re.MULTILINE))
    for key, entry in Messages(path).items():
        assert "message" in entry, key
        assert set(entry) <= {"message", "fix", "guide", "severity", "yaml"}, key
        assert entry.get("guide", "") in anchors | {""}, f"{key}: no section #{entry['guide']}"
        assert Severity(entry.get("severity", "error")), key


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.parent.name)
def test_every_message_in_the_file_is_used_by_the_code(path: Path) -> None:
    code = "".join(p.read_text(encoding="utf-8") for p in path.parent.glob("*.py"))
    asked = set(re.findall(r"""["']((?:[a-z0-9]+-)*[a-z0-9]+(?:/[a-z0-9-]+)?)["']""", code))
    messages = Messages(path)
    # a key built in the code, like f"rules-file/{what}": its prefix is asked for
    built = {key for key in messages if f'"{key.split("/")[0]}/{{' in code}
    picked = {key for key, entry in messages.items() if "yaml" in entry}  # by YAML's own words
    used = {key for key in messages if key in asked} | built | picked
    assert used == set(messages), f"never used: {sorted(set(messages) - used)}"
    for what in re.findall(r'_fail\([^,]+, "([a-z-]+)"', code):
        assert f"rules-file/{what}" in messages


def test_say_fills_in_the_values_and_takes_the_rule_id_before_the_slash(tmp_path: Path) -> None:
    path = tmp_path / "messages.yml"
    path.write_text(
        "x-rule/long:\n  message: '{n} is too long'\n  fix: cut {n}\n  severity: warning\n",
        encoding="utf-8",
    )
    problem = Messages(path).say("docs/a.md", 3, "x-rule/long", n="it")
    assert (problem.rule, problem.message, problem.fix) == ("x-rule", "it is too long", "cut it")
    assert (problem.file, problem.line, problem.severity) == ("docs/a.md", 3, Severity.WARNING)


def test_say_takes_column_severity_and_rule_apart_from_the_words(tmp_path: Path) -> None:
    path = tmp_path / "messages.yml"
    path.write_text("x-rule:\n  message: '{n} is long'\n", encoding="utf-8")
    said = Messages(path).say(
        "a.md", 3, "x-rule", column=2, severity=Severity.WARNING, rule="x", n=1
    )
    assert (said.rule, said.column, said.severity, said.message) == ("x", 2, "warning", "1 is long")
    assert said.values == {"n": 1}
