"""``python -m iopguide`` and every command's ``--help``: each text the reader sees comes from a
messages.yml (the Spanish edition changes data, never code), and ``--help`` exits 0."""

from __future__ import annotations

import argparse
import importlib
import re
from typing import Any, NoReturn

import pytest

from iopguide import citations, dois, security
from iopguide.__main__ import COMMANDS, main
from iopguide.content import rules
from iopguide.links import linkchecker
from iopguide.report import MESSAGES, Messages

#: Every part's words (a command whose help came from anywhere else fails below).
WORDS: list[Messages] = [
    MESSAGES,
    rules.MESSAGES,
    citations.MESSAGES,
    dois.MESSAGES,
    linkchecker.MESSAGES,
    security.MESSAGES,
]
#: ``serve`` hands every option to ``mkdocs serve`` (its --help is MkDocs' own); the others parse.
PARSED = [name for name in COMMANDS if name != "serve"]
MARK = re.compile(r"^<([^<>]+)>")


class Parsed(Exception):
    """Raised instead of parsing: carries the command's parser."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self.parser = parser


def _parser(name: str, monkeypatch: pytest.MonkeyPatch) -> argparse.ArgumentParser:
    """The parser command ``name`` builds, caught when it parses its options."""

    def caught(self: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> NoReturn:
        raise Parsed(self)

    with monkeypatch.context() as patch:
        patch.setattr(argparse.ArgumentParser, "parse_args", caught)
        with pytest.raises(Parsed) as seen:
            importlib.import_module(COMMANDS[name]).main([])
    return seen.value.parser


def _mark_every_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every message starts with ``<its key>``: a text without the mark is not from messages.yml."""
    for words in WORDS:
        for key, entry in list(words.items()):
            monkeypatch.setitem(words, key, {**entry, "message": f"<{key}>{entry['message']}"})


def _helps(parser: argparse.ArgumentParser) -> list[str]:
    """The description and every option's help that ``--help`` shows (not argparse's own -h)."""
    shown = [a.help for a in parser._actions if not isinstance(a, argparse._HelpAction)]
    return [str(parser.description), *(h for h in shown if h and h != argparse.SUPPRESS)]


@pytest.mark.parametrize("name", PARSED)
def test_every_help_text_is_a_message(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _mark_every_message(monkeypatch)
    parser = _parser(name, monkeypatch)
    assert parser.prog == f"python -m iopguide {name}"
    helps = _helps(parser)
    assert len(helps) >= 2  # a description and at least one option
    for text in helps:
        assert (found := MARK.match(text)), f"{name}: {text!r} is not from a messages.yml"
        assert any(found[1] in words for words in WORDS)


@pytest.mark.parametrize("name", PARSED)
def test_help_shows_the_messages(
    name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    helps = _helps(_parser(name, monkeypatch))
    with pytest.raises(SystemExit) as done:
        main([name, "--help"])
    assert done.value.code == 0
    shown = " ".join(capsys.readouterr().out.split())  # argparse wraps the lines
    assert shown.startswith(f"usage: python -m iopguide {name} [-h]")
    for text in helps:
        assert " ".join(text.split()) in shown


def test_command_list_is_messages(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    said = {name: MESSAGES.text(f"command/{name}") for name in COMMANDS}
    _mark_every_message(monkeypatch)
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "<text/usage>usage: python -m iopguide <command> [options]\n\ncommands:\n"
    )
    listed = [line.split(None, 1) for line in out.splitlines() if line.startswith("  ")]
    assert listed == [[name, f"<command/{name}>{said[name]}"] for name in COMMANDS]


def test_command_list_and_unknown_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    listed = capsys.readouterr().out
    for name in COMMANDS:
        assert f"  {name} " in listed and MESSAGES.text(f"command/{name}") in listed
    assert main(["nope"]) == 2
    said = capsys.readouterr().err
    assert said.startswith("unknown command 'nope'\n\nusage: python -m iopguide <command>")
    assert listed.strip() in said
