"""Security of the built site: pages judged as browsers read them, a strict CSP from the
theme's own inline code, lighter assets, and what ``docs/`` may publish."""
