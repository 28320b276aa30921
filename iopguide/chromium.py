"""How the browser tests, the Lighthouse audit and the benchmarks start headless Chromium:
Debian's (never a downloaded browser), allowed to run as root (CI), with no background traffic
to Google's services (refused by a closed network, and counted by the privacy test)."""

import os

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
