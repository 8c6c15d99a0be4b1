"""Debian's Chromium as the browser tests and the apps benchmark drive it through Playwright.

Playwright cannot download its own browsers here, so `executable_path` points at the system
one (installed by scripts/install-browser.sh). The flags keep it from reaching for services the
machine's closed network refuses, which otherwise stalls start-up.
"""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING = f"no {CHROMIUM}: run scripts/install-browser.sh (make test does)"
