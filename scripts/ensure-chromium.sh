#!/usr/bin/env bash
# Makes sure the browser the browser tests drive is here: Debian's chromium and its
# chromium-driver, installed from Debian's packages where missing; a clear message and a
# non-zero exit where none can be had. The suite never skips the browser tests silently.
set -euo pipefail

say() { echo "ensure-chromium: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
have() {
    command -v chromedriver >/dev/null 2>&1 \
        && { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; }
}

if have; then exit 0; fi

if command -v apt-get >/dev/null 2>&1; then
    say "chromium or chromium-driver is missing; installing them from Debian's packages"
    if as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null \
        || { as_root apt-get update -q >/dev/null \
             && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null; }; then
        have && exit 0
    fi
fi

cat >&2 <<MSG
ensure-chromium: no chromium with its chromedriver is on PATH, and they could not be installed
here (Debian's packages chromium and chromium-driver). The browser and accessibility tests
(tests/browser) drive a real browser and will not be skipped. Install them, then run
'make test' again.
MSG
exit 1
