#!/usr/bin/env bash
# The browser test against a real `loupe run`: a small synthetic lab with a trained model and
# an annotator, served on a free loopback port; then scripts/browser-check.sh drives Chromium
# through it. Usage: scripts/browser-lab.sh   (LOUPE_BIN overrides .build/debug/loupe)
set -euo pipefail
cd "$(dirname "$0")/.."
loupe="${LOUPE_BIN:-.build/debug/loupe}"
[ -x "$loupe" ] || swift build
work="$(mktemp -d)"
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
lab="$work/lab"
"$loupe" init --lab "$lab" >/dev/null
cat > "$lab/loupe.json" <<'JSON'
{"model": {"channels": [4, 8], "bottleneck": 8},
 "training": {"epochs": 3, "batchSize": 4, "augment": [{"type": "crop", "size": 32, "count": 8}]},
 "retrain": {"quietSeconds": 0, "minNewCorrections": 2, "minValidationDice": 0},
 "watch": {"rescanSeconds": 0.5, "settleMilliseconds": 100}}
JSON
python3 tests/browser/make_images.py "$work"
"$loupe" run --lab "$lab" --listen 127.0.0.1:0 2> "$work/daemon.log" &
pid=$!
url=""
for _ in $(seq 1 300); do
    url="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("url") or "")' "$lab/daemon.json" 2>/dev/null || true)"
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { echo "browser-lab: the daemon did not start:" >&2; cat "$work/daemon.log" >&2; exit 1; }
url="${url%/}"
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
