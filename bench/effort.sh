#!/usr/bin/env bash
# Centerline effort on STARE over seeds (issue 12): `loupe simulate --seeds` per strategy, one
# after the other (they share two cores), each seed on a new lab whose loupe.json sets an epoch
# budget, then one plot and one table of all runs (median and range per round).
#
#   bench/effort.sh [OUT_DIR]     env: STARE (dataset), SETTINGS (loupe.json), STRATEGIES, SEEDS, ROUNDS
set -euo pipefail
cd "$(dirname "$0")/.."
STARE=${STARE:-../shared/datasets/stare}
OUT=${1:-.build/effort}
SETTINGS=${SETTINGS:-'{"training": {"epochs": 2}, "retrain": {"quietSeconds": 4}}'}
STRATEGIES=${STRATEGIES:-uncertainty random fifo}
SEEDS=${SEEDS:-1,2,3}
ROUNDS=${ROUNDS:-5}
swift build -c release --product loupe >/dev/null
LOUPE=.build/release/loupe

for strategy in $STRATEGIES; do
    mkdir -p "$OUT/$strategy"
    echo "$SETTINGS" > "$OUT/$strategy/loupe.json"
    "$LOUPE" simulate --dataset "$STARE" --annotator ah --fov masks-fov --initial 6 --batch 2 --rounds "$ROUNDS" \
        --strategy "$strategy" --seeds "$SEEDS" --lab "$OUT/$strategy" | tee "$OUT/$strategy.txt"
done
"$LOUPE" simulate --plot "$OUT"/*/simulate/seed-*/simulate.json --out "$OUT/effort.svg" | tee "$OUT/plot.txt"
