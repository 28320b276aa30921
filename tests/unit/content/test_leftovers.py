"""Issue 13, point 8: suicide language, template leftovers, empty alt text, addresses as links."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from iopguide import ROOT
from iopguide.content.page import read_page
from iopguide.content.rules import load_rules
from tests.unit.content.helpers import FRONT, check_text, rules_and_lines

H1 = "# Page\n\n"  # line 9; the text starts on line 11


@pytest.mark.parametrize(
    ("text", "prefer"),
    [
        ("Her brother committed suicide last year.", "died by suicide"),
        ("It was a completed suicide.", "died by suicide"),
        ("After a successful attempt the family grieved.", "died by suicide"),
        ("He survived a failed suicide attempt.", "suicide attempt"),
        ("She lived after an unsuccessful attempt.", "suicide attempt"),
    ],
)
def test_suicide_language(tmp_path: Path, text: str, prefer: str) -> None:
    problems = check_text(tmp_path, H1 + text + "\n")
    assert rules_and_lines(problems) == [("language", 11)]
    assert f'write "{prefer}' in problems[0].fix
    assert "Mindframe" in problems[0].message


def test_the_words_to_use_instead_pass(tmp_path: Path) -> None:
    text = "Her brother died by suicide. He survived a suicide attempt.\n"
    assert check_text(tmp_path, H1 + text) == []


def test_text_left_from_the_template(tmp_path: Path) -> None:
    front = FRONT.replace('title: "A test page', 'title: "Write the page title here', 1)
    body = (
        "# Write the page title here\n\n"
        "Start with one or two short sentences that say what the reader will learn. More.\n\n"
        "## A question the reader has\n"
    )
    problems = check_text(tmp_path, body, front=front)
    found = [(p.rule, p.line, p.column) for p in problems if p.rule == "template-placeholder"]
    assert found[0] == ("template-placeholder", 2, 9)  # the front matter title, first
    assert [line for _, line, _ in found] == [2, 11, 13]
    assert all("docs/_templates/page.md" in p.message for p in problems if p.line == 13)


def test_every_placeholder_is_in_the_template() -> None:
    rules = load_rules(ROOT)
    template = (ROOT / rules.template_file).read_text(encoding="utf-8")
    assert rules.placeholders
    assert [p for p in rules.placeholders if p not in template] == []


def test_the_template_itself_is_reported_as_unfinished(tmp_path: Path) -> None:
    # A copy of the template, published as is, is caught (and so is each of its placeholders).
    page = tmp_path / "docs" / "new.md"
    page.parent.mkdir()
    page.write_text((ROOT / "docs" / "_templates" / "page.md").read_text(encoding="utf-8"))
    from iopguide.content import markup

    rules = load_rules(ROOT)
    problems = markup.check(read_page(page, tmp_path), rules)
    found = {p.values["phrase"] for p in problems if p.rule == "template-placeholder"}
    assert found == set(rules.placeholders)


@pytest.mark.parametrize(
    "image",
    [
        "![image](../assets/group.png)",
        "![Picture.](../assets/group.png)",
        "![group.png](../assets/group.png)",
        "![group photo](../assets/group_photo.jpg)",
        '<img src="../assets/group.png" alt="photo">',
    ],
)
def test_alt_text_that_says_nothing(tmp_path: Path, image: str) -> None:
    assert rules_and_lines(check_text(tmp_path, H1 + image + "\n")) == [("image-alt-vague", 11)]


def test_alt_text_that_describes_the_image_passes(tmp_path: Path) -> None:
    body = H1 + "![A counselor talking with a small group](../assets/group.png)\n"
    assert check_text(tmp_path, body) == []


@pytest.mark.parametrize(
    "link",
    [
        "[https://988lifeline.org/](https://988lifeline.org/)",
        "[www.samhsa.gov](https://www.samhsa.gov/)",
        '<a href="https://findtreatment.gov/">https://findtreatment.gov/</a>',
    ],
)
def test_link_text_that_is_an_address(tmp_path: Path, link: str) -> None:
    problems = check_text(tmp_path, H1 + f"See {link} for help.\n")
    assert rules_and_lines(problems) == [("link-text-address", 11)]


def test_rules_are_data() -> None:
    data = yaml.safe_load((ROOT / "content-rules.yml").read_text(encoding="utf-8"))
    assert "image" in data["images"]["vague_alt"]
    assert data["template"]["file"] == "docs/_templates/page.md"
