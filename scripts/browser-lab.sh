#!/usr/bin/env bash
# The browser tests against a real `loupe run`: a small synthetic lab with a trained model,
# annotators tester and bob, reviewer rev and operator lead, served on a free loopback port;
# then scripts/browser-check.sh drives Chromium through it. Usage: scripts/browser-lab.sh   (LOUPE_BIN overrides .build/debug/loupe)
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
export LOUPE_SYNTHETIC_IMAGES=6
source scripts/synthetic-lab.sh
start_synthetic_lab 3
for n in 1 2 3 4 5 6; do
    curl -sf -X POST -H 'Content-Type: image/png' --data-binary "@$work/im$n.png" "$url/api/v1/images?name=im$n.png" >/dev/null
done
for n in 1 2; do
    curl -sf -X POST -H 'Content-Type: image/png' --data-binary "@$work/im$n.mask.png" "$url/api/v1/images/im$n/corrections" >/dev/null
    # Saving claims the image for the open lab's local user, who is gone once annotators exist.
    curl -sf -X DELETE "$url/api/v1/images/im$n/claim" >/dev/null
done
for _ in $(seq 1 600); do
    curl -sf "$url/api/v1/images/im3" | grep -q '"predictionModel":"' && break
    sleep 0.2
done
curl -sf "$url/api/v1/images/im3" | grep -q '"predictionModel":"' || { echo "browser-lab: no prediction after 120 s" >&2; cat "$work/daemon.log" >&2; exit 1; }
token="$("$loupe" user add tester --lab "$lab" 2>/dev/null)"
# Review and roles: a second annotator, a reviewer (who also signs in with a login code) and an
# operator; tester and bob both correct im2, so the page can show two annotators side by side.
bob="$("$loupe" user add bob --lab "$lab" 2>/dev/null)"
reviewer="$("$loupe" user add rev --role reviewer --lab "$lab" 2>/dev/null)"
reviewer_code="$("$loupe" user code rev --lab "$lab" 2>/dev/null)"
operator="$("$loupe" user add lead --role operator --lab "$lab" 2>/dev/null)"
for who in "$token:im2.mask.png" "$bob:im1.mask.png"; do
    curl -sf -X POST -H "Authorization: Bearer ${who%%:*}" -H 'Content-Type: image/png' --data-binary "@$work/${who#*:}" \
        "$url/api/v1/images/im2/corrections" >/dev/null
    curl -sf -X DELETE -H "Authorization: Bearer ${who%%:*}" "$url/api/v1/images/im2/claim" >/dev/null
done
LOUPE_URL="$url" LOUPE_TOKEN="$token" LOUPE_ANNOTATOR=tester LOUPE_LAB="$lab" \
    LOUPE_BOB_TOKEN="$bob" LOUPE_REVIEWER_TOKEN="$reviewer" LOUPE_REVIEWER_CODE="$reviewer_code" LOUPE_OPERATOR_TOKEN="$operator" \
    scripts/browser-check.sh "$@"
