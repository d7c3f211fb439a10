#!/usr/bin/env bash
# Runs the page's browser tests (tests/browser/) against a running `loupe run`.
#   LOUPE_URL=http://127.0.0.1:18417 LOUPE_TOKEN=... LOUPE_ANNOTATOR=ana LOUPE_LAB=lab scripts/browser-check.sh
# Needs Debian's chromium and chromium-driver (installed here if missing, as root);
# the Python side lives in a venv at .build/browser-venv, made once and reused.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${LOUPE_URL:?set LOUPE_URL to the running daemon, e.g. http://127.0.0.1:18417}"

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    else
        echo "browser-check: needs chromium and chromium-driver (apt-get install chromium chromium-driver)" >&2
        exit 2
    fi
fi

venv=.build/browser-venv
scripts/python-venv.sh "$venv" tests/browser/requirements.txt

# The test bounds its own waits; the outer timeout only guards against a wedged browser.
exec timeout --kill-after=10 300 "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/browser/ "$@"
