"""Security of the built site: every published page judged as a browser reads it
(``published``, ``parse``, ``misleading``), a strict CSP from the theme's own inline code
(``theme``, ``csp``), lighter assets (``trim``), and what ``docs/`` may publish (``files``,
``limits``). Run by ``overrides/hooks/security.py`` and ``python -m iopguide headers``."""
