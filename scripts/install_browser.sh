#!/usr/bin/env bash
# Installs Debian's Chromium for the report's browser test (no browser download by a test tool).
# Skips quietly when Chromium is already there; never fails the build (the browser test then skips).
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: could not install chromium; browser tests will skip" >&2
fi
exit 0
