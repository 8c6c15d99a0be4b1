#!/usr/bin/env bash
# Debian's Chromium for the browser tests and bench/apps_render.py, which drive it through
# Playwright's Python package. Playwright's own `playwright install` downloads its browsers from a
# CDN the build machines cannot reach; Debian's package comes from the mirror they can.
# Idempotent: does nothing when both binaries are already there.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver

if [ -x "$CHROMIUM" ] && [ -x "$CHROMEDRIVER" ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
else
    SUDO=(sudo)
fi

"${SUDO[@]}" apt-get update
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y chromium chromium-driver
"$CHROMIUM" --version
