#!/usr/bin/env bash
# Loupe's Slurm executor on the one-node cluster of scripts/slurm-local.sh, against the local
# executor on the same cores:
#   1. a training's overhead on Slurm: from the decision to train to the job's start, and in all;
#   2. a sweep of IMAGES small synthetic images (64x48) after a promotion, as a job array
#      against the daemon's own sweep;
#   3. the shard plan of a 100,000-image sweep and its time on N nodes (`loupe job plan`, from
#      the per-image time and the task start measured in 2).
# Prints the CPU model and the tables, and saves them in bench/results/slurm.txt. Runs as root.
# Usage: bench/slurm.sh [IMAGES]   (default 5000; LOUPE_BIN overrides .build/debug/loupe)
set -euo pipefail
cd "$(dirname "$0")/.."
loupe="$(realpath "${LOUPE_BIN:-.build/debug/loupe}")"
images="${1:-5000}"
out=bench/results/slurm.txt
started_cluster=0
scripts/slurm-local.sh status >/dev/null 2>&1 || started_cluster=1
scripts/slurm-local.sh start >/dev/null
work="$(mktemp -d /var/tmp/loupe-slurm-bench.XXXXXX)"
daemon=""
cleanup() {
    [ -n "$daemon" ] && kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null || true
    rm -rf "$work"
    [ "$started_cluster" -eq 1 ] && scripts/slurm-local.sh stop >/dev/null || true
}
trap cleanup EXIT

count() { "$loupe" log --lab "$1" --type "$2" --json | wc -l; }
wait_count() { # LAB TYPE N SECONDS
    for _ in $(seq 1 $(($4 * 5))); do
        [ "$(count "$1" "$2")" -ge "$3" ] && return 0
        sleep 0.2
    done
    echo "bench/slurm.sh: no $3 $2 in $1 after $4 s" >&2
    tail -n 20 "$1/../daemon.log" >&2
    exit 1
}
settings() { # LAB KIND TRAINING RETRAIN
    local executor='{"kind": "local"}'
    [ "$2" = slurm ] && executor="{\"kind\": \"slurm\", \"partition\": \"loupe\", \"cpusPerTask\": 1, \"binary\": \"$loupe\", \"jobDirectory\": \"$work/jobs\", \"pollSeconds\": 1}"
    cat > "$1/loupe.json" <<JSON
{"model": {"channels": [4, 8], "bottleneck": 8},
 "training": $3,
 "retrain": $4,
 "watch": {"rescanSeconds": 0.5, "settleMilliseconds": 100},
 "executor": $executor}
JSON
}
run_daemon() { "$loupe" run --lab "$1" --no-http 2> "$1/../daemon.log" & daemon=$!; }
stop_daemon() { kill "$daemon"; wait "$daemon" || true; daemon=""; }
mkdir -p "$work/jobs"

# 1. A training of 6 corrected 96x80 images, 20 epochs, decided 1 s after the last correction.
python3 tests/slurm/make_tour.py "$work/tour" 14 6
for kind in local slurm; do
    lab="$work/train-$kind/lab"
    "$loupe" init --lab "$lab" >/dev/null
    settings "$lab" "$kind" '{"epochs": 20, "batchSize": 4, "augment": [{"type": "crop", "size": 32, "count": 8}]}' \
        '{"quietSeconds": 1, "minNewCorrections": 6, "minValidationDice": 0}'
    run_daemon "$lab"
    cp "$work"/tour/images/*.png "$lab/inbox/"
    wait_count "$lab" ImageIngested 14 60
    cp "$work"/tour/labels-ah/*.png "$lab/corrections/"
    wait_count "$lab" ModelTrained 1 300
    stop_daemon
done

# 2. A sweep: the same IMAGES images in two copies of one lab, 2 of them corrected.
python3 tests/slurm/make_tour.py "$work/sweep" "$images" 2 64 48
base="$work/sweep-base/lab"
"$loupe" init --lab "$base" >/dev/null
find "$work/sweep/images" -name '*.png' -print0 | xargs -0 -n 500 "$loupe" ingest --lab "$base" >/dev/null
for kind in local slurm; do
    lab="$work/sweep-$kind/lab"
    mkdir -p "$(dirname "$lab")"
    cp -a "$base" "$lab"
    settings "$lab" "$kind" '{"epochs": 2, "batchSize": 4, "augment": [{"type": "crop", "size": 32, "count": 4}]}' \
        '{"quietSeconds": 0, "minNewCorrections": 2, "minValidationDice": 0}'
    run_daemon "$lab"
    cp "$work"/sweep/labels-ah/*.png "$lab/corrections/"
    wait_count "$lab" PredictionMade $((images - 2)) 3600
    stop_daemon
done

python3 - "$work" "$images" "$loupe" <<'PY' | tee "$out"
import glob, json, os, subprocess, sys
from datetime import datetime
work, images, loupe = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def events(lab, kind):
    lines = subprocess.run([loupe, "log", "--lab", lab, "--type", kind, "--json"], capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in lines.splitlines()]

def at(event):
    return datetime.fromisoformat(event["at"].replace("Z", "+00:00")).timestamp()

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
print(f"CPU: {cpu}, {os.cpu_count()} cores; one-node Slurm cluster (scripts/slurm-local.sh) on the same machine")
print(f"loupe: {loupe} (debug build: both executors run the same binary)\n")

print("1. A training (6 corrected 96x80 images, 20 epochs, [4, 8] UNet), from the decision to train (1 s after the last correction)")
print(f"{'executor':<9} {'decision->recorded':>19} {'recorded->job start':>20} {'training':>9} {'decision->model':>16}")
for kind in ["local", "slurm"]:
    lab = f"{work}/train-{kind}/lab"
    decided = at(events(lab, "CorrectionAccepted")[-1]) + 1
    started, trained = events(lab, "TrainingStarted")[0], events(lab, "ModelTrained")[0]
    job_start = "-"
    if kind == "slurm":
        result = glob.glob(f"{started['payload']['jobDirectory']}/result.json")[0]
        begun = os.stat(result).st_mtime - json.load(open(result))["totalMilliseconds"] / 1000
        job_start = f"{begun - at(started):.2f} s"
    print(f"{kind:<9} {at(started) - decided:>17.2f} s {job_start:>20} {trained['payload']['ms'] / 1000:>7.2f} s {at(trained) - decided:>14.2f} s")

print(f"\n2. A sweep of {images - 2} 64x48 images after a promotion (the first 20 predicted by the daemon either way)")
print(f"{'executor':<9} {'promotion->last prediction':>27} {'images/s':>9} {'on Slurm':>9}")
rates = {}
for kind in ["local", "slurm"]:
    lab = f"{work}/sweep-{kind}/lab"
    promoted = at(events(lab, "ModelPromoted")[0])
    made = events(lab, "PredictionMade")
    seconds = at(made[-1]) - promoted
    on_slurm = sum(1 for e in made if e["payload"].get("slurmJob"))
    rates[kind] = len(made) / seconds
    print(f"{kind:<9} {seconds:>25.1f} s {rates[kind]:>9.1f} {on_slurm:>9}")
shards = sorted(glob.glob(f"{work}/jobs/loupe-*/sweep-*/shard-*.json"))
reports = [json.load(open(s)) for s in shards]
per_image = sum(p["ms"] for r in reports for p in r["predictions"]) / max(1, sum(len(r["predictions"]) for r in reports)) / 1000
start = sum(r["totalMilliseconds"] - sum(p["ms"] for p in r["predictions"]) for r in reports) / max(1, len(reports)) / 1000
print(f"array: {len(reports)} tasks; per image {per_image * 1000:.1f} ms on a task, {start:.2f} s a task outside its images (start, checks, model, report)")
print(f"slurm/local throughput: {rates['slurm'] / rates['local']:.2f}")

print("\n3. The shard plan of a 100,000-image sweep, and its time on N nodes of 2 tasks at once, at the rates above")
sys.stdout.flush()
subprocess.run([loupe, "job", "plan", "100000", "--seconds-per-image", f"{per_image:.4f}", "--task-start", f"{start:.2f}",
                "--tasks-per-node", "2", "--nodes", "1", "4", "16", "64", "256"], check=True)
PY
