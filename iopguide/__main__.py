"""``python -m iopguide <command> [options]``: each command is a module with
``main(argv) -> int``, imported only when used (one command's slow imports never slow another)."""

from __future__ import annotations

import importlib
import sys

from iopguide.report import MESSAGES

#: command name -> module; its line in the list is ``command/<name>`` of messages.yml.
COMMANDS: dict[str, str] = {
    "check": "iopguide.check",
    "content": "iopguide.content.checker",
    "fix": "iopguide.fix",
    "serve": "iopguide.preview",
    "pr-preview": "iopguide.pullpreview",
    "reviews": "iopguide.content.reviews",
    "readability": "iopguide.content.readability",
    "citations": "iopguide.citations.layer",
    "dois": "iopguide.dois.cli",
    "links": "iopguide.links.cli",
    "headers": "iopguide.security.site",
    "urls": "iopguide.urls",
}


def usage() -> str:
    """The command list, each command's line ``command/<name>`` of messages.yml."""
    width, said = max(map(len, COMMANDS)), {c: MESSAGES.text(f"command/{c}") for c in COMMANDS}
    lines = "".join(f"  {name:<{width}}  {text}\n" for name, text in said.items())
    return MESSAGES.text("text/usage", commands=lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0 if args else 2
    if args[0] not in COMMANDS:
        print(MESSAGES.text("text/unknown-command", name=args[0], usage=usage()), file=sys.stderr)
        return 2
    return int(importlib.import_module(COMMANDS[args[0]]).main(args[1:]))


if __name__ == "__main__":
    sys.exit(main())
