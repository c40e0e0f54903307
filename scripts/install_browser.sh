#!/usr/bin/env bash
# Installs Debian's Chromium for the report's browser test (no browser download by a test tool),
# and the Noto CJK fonts so that Chinese text in report screenshots renders as glyphs, not boxes.
# Skips quietly what is already there; never fails the build (the browser test then skips).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if ! command -v fc-list >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  missing+=(fonts-noto-cjk)
fi
if [ "${#missing[@]}" -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null) \
    || echo "warning: could not install ${missing[*]}; browser tests will skip" >&2
else
  echo "warning: ${missing[*]} missing and not root with apt-get; browser tests may skip" >&2
fi
exit 0
