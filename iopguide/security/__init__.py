"""Security of the built site: pages judged as browsers read them, a strict CSP from the
theme's own inline code, lighter assets, and what ``docs/`` may publish."""

from pathlib import Path

from iopguide.report import Messages

#: What the security checks tell editors (messages.yml beside this file).
MESSAGES = Messages(Path(__file__).with_name("messages.yml"))
