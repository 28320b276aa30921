"""Link check of the built site: LinkChecker (.linkchecker), our #anchors (.fragments), .cli."""

from pathlib import Path

from iopguide.report import Messages

MESSAGES = Messages(Path(__file__).with_name("messages.yml"))
