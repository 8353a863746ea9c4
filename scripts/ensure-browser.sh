#!/usr/bin/env bash
# Debian's Chromium for the Playwright browser tests (Playwright cannot download browsers here).
# As root (CI, fresh machines) it installs the package; otherwise it says how, and the browser
# tests skip themselves -- except under CI=true, where they fail instead of skipping.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "chromium is not installed: browser tests will be skipped (sudo apt-get install chromium)."
fi
