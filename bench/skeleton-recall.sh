#!/usr/bin/env bash
# The loss's skeleton recall term (training.skeletonRecall) against each STARE expert: one
# training per expert and weight on the first six images (sorted ids) with that expert's labels,
# scored against the same expert on the other 14 (F1, centerline effort split into missed and
# false length, strokes). An epoch budget, so load changes only the time.
#
#   bench/skeleton-recall.sh [OUT_DIR]     env: STARE, EXPERTS (ah vk), WEIGHTS (0 1), EPOCHS (30), SEED (1)
set -euo pipefail
cd "$(dirname "$0")/.."
STARE=${STARE:-../shared/datasets/stare}
OUT=${1:-.build/skeleton-recall}
EXPERTS=${EXPERTS:-ah vk}
WEIGHTS=${WEIGHTS:-0 1}
EPOCHS=${EPOCHS:-30}
SEED=${SEED:-1}
. bench/stare-split.sh
for expert in $EXPERTS; do
    for weight in $WEIGHTS; do
        "$LOUPE" train --images "$STARE/images" --labels "$STARE/labels-$expert" --fov "$STARE/masks-fov" --ids "$TRAIN" \
            --epochs "$EPOCHS" --seed "$SEED" --skeleton-recall "$weight" --out "$OUT/$expert-$weight.bin" > "$OUT/$expert-$weight.train.log" 2>&1
        "$LOUPE" eval --model "$OUT/$expert-$weight.bin" --images "$STARE/images" --labels "$STARE/labels-$expert" \
            --fov "$STARE/masks-fov" --ids "$TEST" --json > "$OUT/$expert-$weight.json"
    done
done
python3 - "$OUT" $EXPERTS -- $WEIGHTS <<'PY'
import json, sys
out, rest = sys.argv[1], sys.argv[2:]
experts, weights = rest[:rest.index("--")], rest[rest.index("--") + 1:]
print("| expert | skeletonRecall | F1 | centerline effort | missed | false | strokes |")
print("|---|---|---|---|---|---|---|")
for e in experts:
    for w in weights:
        r = next(x for x in json.load(open(f"{out}/{e}-{w}.json")) if x["id"] == "pooled")
        c = r["centerline"]; d = c["drawingLength"]
        print(f"| {e} | {w} | {r['f1']:.4f} | {100 * r['centerlineEffort']:.1f}% | {100 * c['missedLength'] / d:.1f}% "
              f"| {100 * c['falseLength'] / d:.1f}% | {r['strokes']} |")
PY
