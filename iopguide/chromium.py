"""How we start headless Chromium: the browser tests, the Lighthouse audit and the benchmarks.

Debian's Chromium (``apt-get install chromium``), never a downloaded browser. The flags keep it
headless, allow running as root (CI), and stop its background traffic to Google's services,
which this machine's closed network would refuse (and a reader's privacy test would count).
"""

from __future__ import annotations

import os

#: The browser binary; ``CHROMIUM_PATH`` overrides it.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
