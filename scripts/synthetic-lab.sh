# Sourced by the checks that drive a real `loupe run` (browser-lab.sh, label-studio-check.sh).
# start_synthetic_lab EPOCHS: makes $work/lab with a tiny guided model (it takes hints) trained EPOCHS epochs a run,
# writes the synthetic images into $work (tests/browser/make_images.py), starts `$loupe run` on
# a free loopback port (its environment passes through) and waits for it. Sets `lab` and `url`
# (without the final slash) and adds the daemon to `pids`, which the caller's cleanup stops.
start_synthetic_lab() {
    lab="$work/lab"
    "$loupe" init --lab "$lab" >/dev/null
    cat > "$lab/loupe.json" <<JSON
{"model": {"channels": [4, 8], "bottleneck": 8, "guidance": true},
 "training": {"epochs": $1, "batchSize": 4, "augment": [{"type": "crop", "size": 32, "count": 8}]},
 "retrain": {"quietSeconds": 0, "minNewCorrections": 2, "minValidationDice": 0},
 "watch": {"rescanSeconds": 0.5, "settleMilliseconds": 100}}
JSON
    python3 tests/browser/make_images.py "$work"
    "$loupe" run --lab "$lab" --listen 127.0.0.1:0 2> "$work/daemon.log" &
    pids+=($!)
    url=""
    for _ in $(seq 1 300); do
        url="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("url") or "")' "$lab/daemon.json" 2>/dev/null || true)"
        [ -n "$url" ] && break
        sleep 0.1
    done
    [ -n "$url" ] || { echo "$(basename "$0"): the daemon did not start:" >&2; cat "$work/daemon.log" >&2; exit 1; }
    url="${url%/}"
}
