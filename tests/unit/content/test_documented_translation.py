"""The commands CONTRIBUTING.md shows in "Translate a page into Spanish" work as written."""

from __future__ import annotations

import re
import subprocess
import sys

from iopguide import ROOT

SECTION = "## Translate a page into Spanish"


def _section() -> str:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    return text[start : text.index("\n## ", start + len(SECTION))]


def test_the_documented_commands_run_and_change_nothing() -> None:
    commands = re.findall(r"`(python -m iopguide [^`]+)`", _section())
    assert commands == [
        "python -m iopguide content docs/get-help-now.es.md",
        "python -m iopguide urls --update",
    ]
    listed = (ROOT / "published-urls.txt").read_bytes()
    for command in commands:
        args = [sys.executable, *command.split()[1:]]
        result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"{command}:\n{result.stdout}{result.stderr}"
    assert (ROOT / "published-urls.txt").read_bytes() == listed


def test_the_documented_front_matter_passes_the_schema() -> None:
    """The example in the guide has the shape content-rules.yml asks for."""
    import jsonschema
    import yaml

    block = re.search(r"```yaml\n(.*?)```", _section(), re.DOTALL)
    assert block
    example = yaml.load(block.group(1), Loader=yaml.BaseLoader)
    schema = yaml.safe_load((ROOT / "content-rules.yml").read_text(encoding="utf-8"))
    properties = schema["front_matter"]["properties"]
    assert set(example) == {"translation_of", "translated_from", "source_checksum"}
    for key, value in example.items():
        jsonschema.validate(
            value, properties[key], format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
    assert (ROOT / "docs" / example["translation_of"]).is_file()
