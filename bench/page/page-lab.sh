#!/usr/bin/env bash
# Runs one of the page's measurements against the page of commit REV, in a fresh open lab
# (`loupe run` on a free loopback port, no training) with REV's Static/ served in front of it by
# serve-static.py. SCRIPT (in bench/page) is called as SCRIPT PAGE_URL OUT_DIR ARGS...
#   bench/page/page-lab.sh main actions.py before     # actions per fix, main's page and tools
#   bench/page/page-lab.sh HEAD actions.py after
#   bench/page/page-lab.sh main save-latency.py before
# OUT_DIR is .build/page-actions, which also holds start-mask.py's output.
# Needs STARE in STARE_DIR (default ../shared/datasets/stare), chromium, chromedriver, and a
# Python with selenium and numpy (PYTHON, default .build/browser-venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/../.."
rev="$1"; script="$2"; shift 2
loupe="${LOUPE_BIN:-.build/debug/loupe}"
python="$(realpath -s "${PYTHON:-.build/browser-venv/bin/python}")"
stare="$(realpath "${STARE_DIR:-../shared/datasets/stare}")"
out="$(realpath -m .build/page-actions)"
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$out"
[ -f "$out/fixes.json" ] || python3 bench/page/start-mask.py "$stare" "$out"
git archive "$rev" Static | tar -x -C "$work"
static="$work/Static"
# main's page took a corrected image's detail (a list of corrections) for a count and opened it
# without its correction; the measurements need it to open the starting mask.
old='const corrected = (summary.corrections || 0) > 0;'
if grep -qF "$old" "$static/app.js"; then
    sed -i "s/$old/const corrected = [].concat(summary.corrections || []).length > 0;/" "$static/app.js"
fi
"$loupe" init --lab "$work/lab" >/dev/null
echo '{"retrain": {"minNewCorrections": 100000}}' > "$work/lab/loupe.json"
"$loupe" run --lab "$work/lab" --listen 127.0.0.1:0 2> "$work/daemon.log" &
pids+=($!)
for _ in $(seq 1 100); do [ -f "$work/lab/daemon.json" ] && break; sleep 0.1; done
daemon="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"].rstrip("/"))' "$work/lab/daemon.json")"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 bench/page/serve-static.py "$static" "$daemon" "$port" &
pids+=($!)
sleep 0.5
(cd bench/page && STARE_DIR="$stare" "$python" "$script" "http://127.0.0.1:$port" "$out" "$@")
