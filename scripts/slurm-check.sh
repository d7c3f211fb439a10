#!/usr/bin/env bash
# The STARE tour on the one-node Slurm cluster (scripts/slurm-local.sh), with executor.kind
# slurm, on 60 synthetic STARE-like images (tests/slurm/make_tour.py): 6 corrections, a
# training on Slurm, kill -9 of the daemon while the job runs and a restart (one
# TrainingStarted, the result recorded once), promotion and the re-prediction of the 54
# pending images (the first 20 by the daemon, the rest by a job array); then a job killed by
# scancel (recorded as failed with Slurm's state, retried by the policy); then `loupe verify`
# and `loupe replay --check`. Runs as root (the cluster's daemons do).
# Usage: scripts/slurm-check.sh   (LOUPE_BIN overrides .build/debug/loupe)
set -euo pipefail
cd "$(dirname "$0")/.."
name="$(basename "$0")"
loupe="$(realpath "${LOUPE_BIN:-.build/debug/loupe}")"
[ -x "$loupe" ] || { swift build; loupe="$(realpath .build/debug/loupe)"; }
started_cluster=0
scripts/slurm-local.sh status >/dev/null 2>&1 || started_cluster=1
scripts/slurm-local.sh start
work="$(mktemp -d /var/tmp/loupe-slurm-check.XXXXXX)"
lab="$work/lab"
daemon=""
cleanup() {
    [ -n "$daemon" ] && kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null || true
    # This lab's jobs are named loupe-KEY-run-N, KEY from the SHA-256 of the lab's path.
    local key
    key="$(printf %s "$lab" | sha256sum | cut -c1-12)"
    squeue --noheader --format='%i %j' 2>/dev/null | awk -v p="loupe-$key-" 'index($2, p) == 1 {print $1}' | xargs -r scancel || true
    rm -rf "$work"
    [ "$started_cluster" -eq 1 ] && scripts/slurm-local.sh stop >/dev/null || true
}
trap cleanup EXIT
fail() {
    echo "$name: $*" >&2
    echo "--- daemon log (last 40 lines)" >&2
    tail -n 40 "$work"/daemon-*.log >&2 || true
    exit 1
}

# The payloads of one event type, one JSON object a line.
payloads() { # TYPE
    "$loupe" log --lab "$lab" --type "$1" --json | python3 -c 'import json,sys
for line in sys.stdin: print(json.dumps(json.loads(line)["payload"], sort_keys=True))'
}
count() { payloads "$1" | wc -l; }
field() { # TYPE INDEX KEY: one field of the INDEXth (from 1) event of TYPE
    payloads "$1" | sed -n "${2}p" | python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1], ""))' "$3"
}
wait_for() { # SECONDS WHAT COMMAND...
    local seconds="$1" what="$2"
    shift 2
    for _ in $(seq 1 $((seconds * 5))); do
        "$@" && return 0
        sleep 0.2
    done
    fail "no $what after $seconds s"
}
at_least() { [ "$(count "$1")" -ge "$2" ]; }
job_state() { squeue --noheader --jobs="$1" --states=all --format=%T 2>/dev/null | head -n 1; }
job_is() { [ "$(job_state "$1")" = "$2" ]; }
runs=0
start_daemon() {
    runs=$((runs + 1))
    "$loupe" run --lab "$lab" --no-http 2> "$work/daemon-$runs.log" &
    daemon=$!
    wait_for 30 "DaemonStarted $runs" at_least DaemonStarted "$runs"
}
clock() { date +%s.%N; }
elapsed() { python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.1f}")' "$1" "$2"; }

began="$(clock)"
"$loupe" init --lab "$lab" >/dev/null
mkdir -p "$work/jobs"
cat > "$lab/loupe.json" <<JSON
{"model": {"channels": [4, 8], "bottleneck": 8},
 "training": {"minutes": 0.2, "batchSize": 4, "augment": [{"type": "crop", "size": 32, "count": 8}, {"type": "flip", "horizontal": 0.5, "vertical": 0.5}]},
 "retrain": {"quietSeconds": 3, "minNewCorrections": 2, "minValidationDice": 0, "retryFailedSeconds": 1},
 "watch": {"rescanSeconds": 0.5, "settleMilliseconds": 100},
 "executor": {"kind": "slurm", "partition": "loupe", "cpusPerTask": 1, "timeLimit": "10", "binary": "$loupe",
              "jobDirectory": "$work/jobs", "pollSeconds": 1}}
JSON
python3 tests/slurm/make_tour.py "$work/stare" 60 8
start_daemon
"$loupe" status --lab "$lab" | grep '^executor   slurm: the cluster takes jobs' >/dev/null || fail "status does not show the Slurm executor"

# The tour: 60 images, 6 of them corrected.
cp "$work"/stare/images/*.png "$lab/inbox/"
wait_for 60 "60 images ingested" at_least ImageIngested 60
cp "$work"/stare/labels-ah/im000{1,2,3,4,5,6}.ah.png "$lab/corrections/"
wait_for 60 "the first training on Slurm" at_least TrainingStarted 1
job1="$(field TrainingStarted 1 slurmJob)"
[ -n "$job1" ] || fail "TrainingStarted has no slurmJob"
[ "$(field TrainingStarted 1 executor)" = slurm ] || fail "TrainingStarted's executor is not slurm"
wait_for 60 "job $job1 running" job_is "$job1" RUNNING

# kill -9 while the job runs, then a restart: the job is adopted, not submitted again.
kill -9 "$daemon"
wait "$daemon" 2>/dev/null || true
start_daemon
grep -q "adopting Slurm job $job1 of training run 1" "$work/daemon-$runs.log" || fail "the restarted daemon did not adopt job $job1"
wait_for 120 "the model of job $job1" at_least ModelTrained 1
wait_for 30 "the promotion" at_least ModelPromoted 1
[ "$(count TrainingStarted)" -eq 1 ] || fail "$(count TrainingStarted) TrainingStarted for one training"
[ "$(ls "$work"/jobs/loupe-*/run-1/slurm-*.out | wc -l)" -eq 1 ] || fail "run 1 was submitted more than once"
trained="$(clock)"
wait_for 120 "the prediction of the 54 pending images" at_least PredictionMade 54
swept="$(payloads PredictionMade | grep -c '"slurmJob": "[0-9]*_[0-9]*"' || true)"
[ "$swept" -eq 34 ] || fail "$swept predictions came from a job array, not the 34 past the queue's first page"
[ "$(payloads PredictionMade | python3 -c 'import json,sys; print(len({json.loads(l)["image"] for l in sys.stdin}))')" -eq 54 ] \
    || fail "an image was predicted twice"

# A job killed by scancel: recorded as failed with its state, and retried.
cp "$work"/stare/labels-ah/im000{7,8}.ah.png "$lab/corrections/"
wait_for 60 "the second training on Slurm" at_least TrainingStarted 2
job2="$(field TrainingStarted 2 slurmJob)"
wait_for 60 "job $job2 running" job_is "$job2" RUNNING
scancel "$job2"
wait_for 60 "the failure of job $job2" at_least TrainingFailed 1
reason="$(field TrainingFailed 1 reason)"
[[ "$reason" == "Slurm job $job2 ended CANCELLED"* ]] || fail "TrainingFailed does not say job $job2 was cancelled: $reason"
wait_for 60 "the retry" at_least TrainingStarted 3
job3="$(field TrainingStarted 3 slurmJob)"
[ "$job3" != "$job2" ] || fail "the retry did not submit a new job"
wait_for 120 "the retry's model" at_least ModelTrained 2

kill -TERM "$daemon"
wait "$daemon" || fail "the daemon did not stop cleanly"
daemon=""
"$loupe" history --lab "$lab" im0001 | grep -q "on Slurm job $job1" || fail "history does not show job $job1"
"$loupe" verify --lab "$lab"
"$loupe" replay --check --lab "$lab"
echo "$name: ok: jobs $job1 (adopted after kill -9), $swept predictions by a job array, $job2 (scancel: $(echo "$reason" | head -n 1 | cut -c1-50)...)," \
    "$job3 (retry); first model after $(elapsed "$began" "$trained") s, all in $(elapsed "$began" "$(clock)") s"
