#!/usr/bin/env bash
# Debian's packages the tests use: chromium (Playwright cannot download browsers here) and
# redis-server (the many-machines tests start a real one on a free port).
# As root (CI, fresh machines) it installs what is missing; otherwise it says how, and the tests
# that need them skip themselves -- except under CI=true, where they fail instead of skipping.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v redis-server >/dev/null || missing+=(redis-server)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  echo "Installing Debian's ${missing[*]} for the tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "${missing[*]} not installed: the tests that need them will be skipped (sudo apt-get install ${missing[*]})."
fi
