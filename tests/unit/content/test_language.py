"""Person-first language: whole words, any case, outside code, addresses and citations."""

from __future__ import annotations

from pathlib import Path

from tests.unit.content.helpers import FRONT, check_text, rules_and_lines

# The front matter takes lines 1-8, so the heading is on line 9 and the text starts on 11.
H1 = "# Words\n\n"


def test_whole_word_in_any_case(tmp_path: Path) -> None:
    problems = check_text(tmp_path, H1 + "An ADDICT is a person.\n\nAddiction is a word we use.\n")
    assert rules_and_lines(problems) == [("language", 11)]
    assert problems[0].message.startswith('"ADDICT" can label or shame people')


def test_a_phrase_split_over_two_lines_is_found_on_its_first_line(tmp_path: Path) -> None:
    problems = check_text(tmp_path, H1 + "Programs for substance\nabuse were common.\n")
    assert rules_and_lines(problems) == [("language", 11)]
    assert '"substance abuse"' in problems[0].message
    assert 'write "substance use; substance use disorder' in problems[0].fix


def test_the_longest_phrase_is_reported_once(tmp_path: Path) -> None:
    problems = check_text(tmp_path, H1 + "He is a former addict.\n")
    assert [p.message.split('"')[1] for p in problems] == ["former addict"]
    assert 'write "person in recovery' in problems[0].fix


def test_official_names_keep_their_wording(tmp_path: Path) -> None:
    body = H1 + "Call the Substance Abuse and Mental Health Services Administration.\n"
    assert check_text(tmp_path, body) == []


def test_not_checked_in_code_addresses_citations_and_comments(tmp_path: Path) -> None:
    body = H1 + (
        "Inline `addict` code.\n\n"
        "```\nsubstance abuse\n```\n\n"
        "A [helpful page](https://example.org/addict-help) and a citation [@abuser2020].\n\n"
        "<!-- an addict comment -->\n"
    )
    assert check_text(tmp_path, body) == []


def test_link_text_is_checked(tmp_path: Path) -> None:
    problems = check_text(tmp_path, H1 + "Read [about alcoholics](faq.md).\n")
    assert rules_and_lines(problems) == [("language", 11)]


def test_allow_comment_on_the_same_line_or_the_line_before(tmp_path: Path) -> None:
    body = H1 + (
        '"Substance abuse in the 1990s" <!-- allow-term: substance abuse -->\n\n'
        "<!-- allow-term: drug abuse, addict -->\n"
        '"Drug abuse today"\n'
    )
    assert check_text(tmp_path, body) == []


def test_allow_comment_two_lines_before_does_not_count(tmp_path: Path) -> None:
    body = H1 + "<!-- allow-term: addict -->\n\nAn addict.\n"
    assert rules_and_lines(check_text(tmp_path, body)) == [("language", 13)]


def test_allow_comment_only_allows_the_named_term(tmp_path: Path) -> None:
    body = H1 + "<!-- allow-term: addict -->\nA drunk person.\n"
    assert rules_and_lines(check_text(tmp_path, body)) == [("language", 12)]


def test_title_and_description_are_checked_on_their_lines(tmp_path: Path) -> None:
    front = FRONT.replace('"A test page"', '"Help for an alcoholic"')
    problems = check_text(tmp_path, "# Help\n\nText.\n", front=front)
    assert rules_and_lines(problems) == [("language", 2)]


def test_every_line_of_a_folded_description_is_read_on_its_own_line(tmp_path: Path) -> None:
    """Language and spelling read the same title and description text (Page.reader_text)."""
    front = FRONT.replace(
        "description: A throwaway page",
        "description: >-\n  A throwaway page about an alcoholic who will recieve help,\n ",
    )
    problems = check_text(tmp_path, "# Help\n\nText.\n", front=front, spell=True)
    assert rules_and_lines(problems) == [("language", 4), ("spelling", 4)]
