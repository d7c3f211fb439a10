#!/usr/bin/env bash
# Simulated expert on STARE (issue 5): one `loupe simulate` run per strategy, one after the other
# (they share two cores), each on a new lab whose loupe.json sets the training budget, then one
# plot of all runs.
#
#   bench/simulate.sh [OUT_DIR]     env: STARE (dataset), TRAINING (loupe.json "training" value),
#                                   STRATEGIES, OPENBLAS_CORETYPE
set -euo pipefail
cd "$(dirname "$0")/.."
STARE=${STARE:-../shared/datasets/stare}
OUT=${1:-.build/simulate}
TRAINING=${TRAINING:-'{"epochs": 3}'}
STRATEGIES=${STRATEGIES:-uncertainty random}
swift build -c release --product loupe >/dev/null
LOUPE=.build/release/loupe
# loupe picks its OpenBLAS core from the CPU's flags unless OPENBLAS_CORETYPE names one.
echo "training $TRAINING, OpenBLAS core $("$LOUPE" blas | sed -n 's/^kernel *//p')"

runs=()
for strategy in $STRATEGIES; do
    lab="$OUT/lab-$strategy"
    rm -rf "$lab" && mkdir -p "$lab"
    echo "{\"training\": $TRAINING}" > "$lab/loupe.json"
    "$LOUPE" simulate --dataset "$STARE" --annotator ah --fov masks-fov --initial 6 --batch 2 \
        --strategy "$strategy" --lab "$lab" | tee "$OUT/$strategy.txt"
    "$LOUPE" verify --lab "$lab"
    "$LOUPE" replay --check --lab "$lab"
    runs+=("$lab/simulate/simulate.json")
done
"$LOUPE" simulate --plot "${runs[@]}" --out "$OUT/simulate.svg" >/dev/null
echo "plot: $OUT/simulate.svg"
