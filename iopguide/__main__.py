"""``python -m iopguide <command> [options]``: each command is a module with
``main(argv) -> int``, imported only when used (one command's slow imports never slow another)."""

from __future__ import annotations

import importlib
import sys

#: command name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("iopguide.check", "every check, every problem in one report (what make check runs)"),
    "content": ("iopguide.content.checker", "check every page's front matter, language and HTML"),
    "fix": ("iopguide.fix", "do the mechanical fixes make check asks for (renames, URLs, DOIs)"),
    "serve": ("iopguide.preview", "the live preview (what make serve runs); never stops"),
    "pr-preview": ("iopguide.pullpreview", "screenshots and a summary of the pages a PR changes"),
    "reviews": ("iopguide.content.reviews", "list pages overdue for review or due soon"),
    "readability": ("iopguide.content.readability", "print the reading grade of every page"),
    "citations": ("iopguide.citations.layer", "check citations and bibliography.bib"),
    "dois": ("iopguide.dois.cli", "check DOIs offline, or online with --online"),
    "links": ("iopguide.links.cli", "check internal links of the built site with linkchecker"),
    "headers": ("iopguide.security.site", "write security headers for the built site"),
    "urls": ("iopguide.urls", "check that every published URL still exists or redirects"),
}

USAGE = "usage: python -m iopguide <command> [options]\n\ncommands:\n" + "".join(
    f"  {name:<{max(map(len, COMMANDS))}}  {text}\n" for name, (_, text) in COMMANDS.items()
)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0 if args else 2
    if args[0] not in COMMANDS:
        print(f"unknown command {args[0]!r}\n\n{USAGE}", file=sys.stderr)
        return 2
    return int(importlib.import_module(COMMANDS[args[0]][0]).main(args[1:]))


if __name__ == "__main__":
    sys.exit(main())
