#!/usr/bin/env bash
# Make sure Debian's Chromium and a CJK font are there for the browser tests
# (tests/browser/), installing whichever is missing from Debian packages. Playwright
# drives this Chromium and never downloads a browser of its own; without the CJK font,
# Chinese renders as empty boxes. A browser named by CHROMIUM_PATH is used as it is.
# Usage: scripts/ensure-chromium.sh
set -euo pipefail

missing=()
[ -n "${CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ] || missing+=(chromium)
[ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing+=(fonts-wqy-zenhei)

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} from Debian packages for the browser tests..." >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
