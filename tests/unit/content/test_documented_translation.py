"""The front matter CONTRIBUTING.md shows in "Translate a page into Spanish" is valid.

Its commands are run, with every other documented command, by
tests/site/test_documented_commands.py."""

from __future__ import annotations

import re

from iopguide import ROOT

SECTION = "## Translate a page into Spanish"


def _section() -> str:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    return text[start : text.index("\n## ", start + len(SECTION))]


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
