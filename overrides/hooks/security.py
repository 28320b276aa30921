"""Security hooks: every published HTML file judged, then security headers with CSP hashes.

Thin on purpose: the logic lives in ``iopguide.security``; the events, and what the builds of one
process (each language's) collect, on one ``iopguide.security.site.SecurityHooks``.
"""

from iopguide.security.site import SecurityHooks

hooks = SecurityHooks()
on_startup = hooks.on_startup
on_config = hooks.on_config
on_nav = hooks.on_nav
on_env = hooks.on_env
on_post_build = hooks.on_post_build
