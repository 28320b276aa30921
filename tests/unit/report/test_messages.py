"""Every ``messages.yml`` in the package (iopguide/report.py ``Messages``): each entry has a
message, names a style guide section that exists, and is used by the code beside it (a message
the code asks for but the file lacks fails the tests that produce it)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iopguide import ROOT
from iopguide.report import Messages, MessagesBroken, Severity
from tests.helpers import copy_project

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


def test_a_yaml_mistake_in_a_messages_file_is_a_problem_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "messages.yml"
    path.write_text("x-rule:\n  message: [it is long\n  fix: cut it\n", encoding="utf-8")
    with pytest.raises(MessagesBroken) as caught:
        Messages(path)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.column) == (str(path), 2, 12)
    assert problem.rule == "messages-file"
    assert problem.message.startswith(f"{path} cannot be read at this line (YAML says: ")
    assert problem.fix.startswith("compare this line with the entries around it")
    assert caught.value.code == str(caught.value)  # what Python prints if nothing catches it


def test_a_message_the_code_asks_for_and_the_file_lacks_is_named(tmp_path: Path) -> None:
    path = tmp_path / "messages.yml"
    path.write_text("x-rule:\n  message: '{n} is long'\n", encoding="utf-8")
    with pytest.raises(MessagesBroken) as caught:
        Messages(path).say("docs/a.md", 3, "x-rule/gone", n=1)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.rule) == (str(path), None, "messages-file")
    assert problem.message == f"{path} has no message 'x-rule/gone', which a check needs"


@pytest.mark.parametrize(
    "text",
    [
        "x-rule:\nmessage: '{n} is long'\n",
        "x-rule:\n  fix: cut it\n",
        "x-rule: '{n} is long'\n",
        "x-rule:\n  message: '{n} is long'\n  severity: warn\n",
    ],
    ids=["indented wrongly", "no message", "words without message:", "unknown severity"],
)
def test_an_entry_without_its_message_is_named(tmp_path: Path, text: str) -> None:
    path = tmp_path / "messages.yml"
    path.write_text(f"# words\n{text}", encoding="utf-8")
    for ask in (lambda m: m.say("docs/a.md", 3, "x-rule", n=1), lambda m: m.text("x-rule", n=1)):
        with pytest.raises(MessagesBroken) as caught:
            ask(Messages(path))
        assert [(p.rule, p.line) for p in caught.value.problems] == [("messages-file", 2)]
        assert "has no message 'x-rule'" in str(caught.value)


@pytest.mark.parametrize(
    "words", ["'{m} is long'", "'{n} is {long'", "'{n[0]} is long'", "'{n.x} is long'"]
)
def test_a_name_in_braces_the_check_does_not_fill_in_is_named(tmp_path: Path, words: str) -> None:
    path = tmp_path / "messages.yml"
    path.write_text(f"# words\nx-rule:\n  message: {words}\n", encoding="utf-8")
    with pytest.raises(MessagesBroken) as caught:
        Messages(path).say("docs/a.md", 3, "x-rule", n=1)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.rule) == (str(path), 2, "messages-file")
    assert problem.message.startswith(f"The message 'x-rule' in {path} has a name in braces")
    assert problem.fix.endswith("write a brace that is not a name twice, like {{")


def _package_with(tmp_path: Path, broken: str, line: int) -> Path:
    """A copy of the project and its package whose ``broken`` messages.yml has an unclosed '['
    on ``line``."""
    root = copy_project(tmp_path / "project")
    shutil.copytree(ROOT / "iopguide", root / "iopguide", ignore=shutil.ignore_patterns("*.pyc"))
    path = root / "iopguide" / broken
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[line - 1].startswith("  message: ")
    lines[line - 1] = lines[line - 1].replace("message: ", "message: [", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "command",
    [
        ["iopguide", "check"],
        ["mkdocs", "build", "--strict"],
        ["iopguide", "serve", "--dev-addr", "127.0.0.1:0"],  # a free port, if it ever waits
    ],
    ids=["make check", "make build", "make serve"],
)
@pytest.mark.parametrize(
    ("broken", "line", "column"),
    [("content/messages.yml", 9, 12), ("pages/messages.yml", 8, 19)],  # on import; by a hook
    ids=["content", "pages"],
)
def test_every_command_says_a_broken_messages_file_in_one_line(
    tmp_path: Path, command: list[str], broken: str, line: int, column: int
) -> None:
    root = _package_with(tmp_path, broken, line)
    env = {**os.environ, "PYTHONPATH": str(root), "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "Traceback" not in out
    [said] = [text for text in out.splitlines() if "[messages-file]" in text]
    assert said.startswith(f"iopguide/{broken}:{line}:{column}: [messages-file] iopguide/{broken} ")
    assert " Fix: compare this line with the entries around it" in said


def test_an_optional_entry_is_empty_when_left_out_and_named_when_written_wrongly(
    tmp_path: Path,
) -> None:
    path = tmp_path / "messages.yml"
    path.write_text("# words\nhint/a: change it\nhint/b:\n  message: '{n} is long'\n", "utf-8")
    messages = Messages(path)
    assert messages.text_if("hint/c", n=1) == ""
    assert messages.text_if("hint/b", n=1) == "1 is long"
    with pytest.raises(MessagesBroken) as caught:
        messages.text_if("hint/a")
    assert [(p.rule, p.line) for p in caught.value.problems] == [("messages-file", 2)]


def test_a_yaml_error_with_an_entry_of_words_only_names_the_entry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On main: AttributeError ('str' object has no attribute 'get') instead of the line."""
    import yaml

    from iopguide.report import MESSAGES, yaml_problem

    monkeypatch.setitem(MESSAGES, "yaml-syntax/tab", "a tab")  # 'message:' left out
    with pytest.raises(yaml.YAMLError) as error:
        yaml.safe_load("{a")
    with pytest.raises(MessagesBroken) as caught:
        yaml_problem("x.yml", error.value)
    [problem] = caught.value.problems
    assert (problem.file, problem.rule) == ("iopguide/messages.yml", "messages-file")
    assert "'yaml-syntax/tab'" in problem.message
