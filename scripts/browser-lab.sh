#!/usr/bin/env bash
# The browser test against a real `loupe run`: a small synthetic lab with a trained model and
# an annotator, served on a free loopback port; then scripts/browser-check.sh drives Chromium
# through it. Usage: scripts/browser-lab.sh   (LOUPE_BIN overrides .build/debug/loupe)
set -euo pipefail
cd "$(dirname "$0")/.."
loupe="${LOUPE_BIN:-.build/debug/loupe}"
[ -x "$loupe" ] || swift build
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
source scripts/synthetic-lab.sh
start_synthetic_lab 3
for n in 1 2 3 4; do
    curl -sf -X POST -H 'Content-Type: image/png' --data-binary "@$work/im$n.png" "$url/api/v1/images?name=im$n.png" >/dev/null
done
for n in 1 2; do
    curl -sf -X POST -H 'Content-Type: image/png' --data-binary "@$work/im$n.mask.png" "$url/api/v1/images/im$n/corrections" >/dev/null
done
for _ in $(seq 1 600); do
    curl -sf "$url/api/v1/images/im3" | grep -q '"predictionModel":"' && break
    sleep 0.2
done
curl -sf "$url/api/v1/images/im3" | grep -q '"predictionModel":"' || { echo "browser-lab: no prediction after 120 s" >&2; cat "$work/daemon.log" >&2; exit 1; }
token="$("$loupe" user add tester --lab "$lab" 2>/dev/null)"
LOUPE_URL="$url" LOUPE_TOKEN="$token" LOUPE_ANNOTATOR=tester LOUPE_LAB="$lab" scripts/browser-check.sh
