#!/usr/bin/env bash
# Centerline effort on STARE over seeds (issue 12): one `loupe simulate --seeds N` per strategy
# and seed, each on a new lab OUT/STRATEGY-N whose loupe.json sets an epoch budget, then one plot
# and one table of all runs (median and range per round).
#
# WORKERS runs go at once (default: one per core), each pinned to a core of its own. A daemon
# still trains on as many threads as the machine has cores, so its weights are those of an
# unpinned run; with an epoch budget only the time depends on the pinning and the load.
#
#   bench/effort.sh [OUT_DIR]     env: STARE (dataset), SETTINGS (loupe.json), STRATEGIES, SEEDS, ROUNDS, WORKERS
set -euo pipefail
cd "$(dirname "$0")/.."
STARE=$(realpath "${STARE:-../shared/datasets/stare}")
OUT=$(realpath -m "${1:-.build/effort}")
SETTINGS=${SETTINGS:-'{"training": {"epochs": 10}, "retrain": {"quietSeconds": 4}}'}
STRATEGIES=${STRATEGIES:-uncertainty random fifo}
SEEDS=${SEEDS:-1,2,3}
ROUNDS=${ROUNDS:-5}
WORKERS=${WORKERS:-$(nproc)}
swift build -c release --product loupe >/dev/null
mkdir -p "$OUT"
# A copy, so that a rebuild during the runs changes no run's binary.
cp .build/release/loupe "$OUT/loupe"

# Strategies interleaved seed by seed: if the runs are cut short, every strategy has as many seeds.
: > "$OUT/jobs"
for seed in ${SEEDS//,/ }; do
    for strategy in $STRATEGIES; do echo "$strategy $seed" >> "$OUT/jobs"; done
done

worker() {
    local core=$1 job strategy seed lab status
    while job=$(flock "$OUT/jobs.lock" sh -c 'head -n 1 "$1" && sed -i 1d "$1"' _ "$OUT/jobs") && [ -n "$job" ]; do
        read -r strategy seed <<< "$job"
        lab="$OUT/$strategy-$seed"
        mkdir -p "$lab"
        echo "$SETTINGS" > "$lab/loupe.json"
        echo "$(date -u +%T) core $core: $strategy seed $seed" | tee -a "$OUT/runs.log"
        status=0
        taskset -c "$core" "$OUT/loupe" simulate --dataset "$STARE" --annotator ah --fov masks-fov --initial 6 --batch 2 \
            --rounds "$ROUNDS" --strategy "$strategy" --seeds "$seed" --lab "$lab" > "$lab/run.out" 2> "$lab/run.err" || status=$?
        echo "$(date -u +%T) core $core: $strategy seed $seed ended: exit $status" | tee -a "$OUT/runs.log"
    done
}
for ((core = 0; core < WORKERS; core++)); do worker $((core % $(nproc))) & done
wait
"$OUT/loupe" simulate --plot "$OUT"/*/simulate/seed-*/simulate.json --out "$OUT/effort.svg" | tee "$OUT/plot.txt"
