#!/usr/bin/env bash
# Loupe as the ML backend of a real Label Studio, both on loopback: installs Label Studio and
# label-studio-converter from PyPI into .build/label-studio-venv (SQLite, no other service),
# starts it and `loupe run` on a small synthetic lab, then tests/label-studio/integration.py
# drives both and prints the timeline. Usage: scripts/label-studio-check.sh
# (LOUPE_BIN overrides .build/debug/loupe; LS_PORT picks Label Studio's port, default a free one.)
set -euo pipefail
cd "$(dirname "$0")/.."
loupe="${LOUPE_BIN:-.build/debug/loupe}"
[ -x "$loupe" ] || swift build
venv=.build/label-studio-venv
scripts/python-venv.sh "$venv" tests/label-studio/requirements.txt
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ls_port="${LS_PORT:-$(free_port)}"
token="$(python3 -c 'import secrets; print(secrets.token_hex(20))')"

SENTRY_DSN= FRONTEND_SENTRY_DSN= COLLECT_ANALYTICS=false LABEL_STUDIO_BASE_DATA_DIR="$work/label-studio" "$venv/bin/label-studio" start --no-browser --host 127.0.0.1 \
    --internal-host 127.0.0.1 --port "$ls_port" --username loupe@example.com --password "loupe-$token" \
    --user-token "$token" --enable-legacy-api-token > "$work/label-studio.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$ls_port/health" >/dev/null && break
    sleep 0.5
done
curl -sf "http://127.0.0.1:$ls_port/health" >/dev/null || { echo "label-studio-check: Label Studio did not start:" >&2; tail -40 "$work/label-studio.log" >&2; exit 1; }

# Loupe fetches task images with a personal access token (a JWT it refreshes), the kind Label
# Studio 1.21 issues by default; the legacy token serves this script's own API calls.
pat="$(curl -sf -X POST -H "Authorization: Token $token" "http://127.0.0.1:$ls_port/api/token/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
[ -n "$pat" ] || { echo "label-studio-check: Label Studio issued no personal access token" >&2; exit 1; }

source scripts/synthetic-lab.sh
LABEL_STUDIO_URL="http://127.0.0.1:$ls_port" LABEL_STUDIO_API_KEY="$pat" start_synthetic_lab 12
echo "label-studio-check: Label Studio $("$venv/bin/pip" show label-studio | sed -n "s/^Version: //p"), label-studio-converter $("$venv/bin/pip" show label-studio-converter | sed -n 's/^Version: //p'); Loupe at $url"
if ! "$venv/bin/python" tests/label-studio/integration.py "http://127.0.0.1:$ls_port" "$token" "$url" "$work" "$loupe" "$lab"; then
    echo "--- loupe log" >&2; "$loupe" log --lab "$lab" >&2 || true
    echo "--- daemon log (last 40 lines)" >&2; tail -40 "$work/daemon.log" >&2
    echo "--- Label Studio log (last 40 lines)" >&2; tail -40 "$work/label-studio.log" >&2
    exit 1
fi
"$loupe" log --lab "$lab"
