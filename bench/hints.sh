#!/usr/bin/env bash
# Hints on STARE (issue 23): bench/stare.sh's split (train on the first six ids with labels-ah,
# score the other 14 inside masks-fov), a guided and an unguided model trained EPOCHS epochs
# (a budget that does not depend on machine load), then `loupe eval --hints N` for each budget,
# and `loupe bench hint` on a STARE image.
#
#   bench/hints.sh [OUT_DIR]        env: STARE (dataset), EPOCHS (30), SEED (1), THREADS (2), BUDGETS
set -euo pipefail
cd "$(dirname "$0")/.."
STARE=${STARE:-../shared/datasets/stare}
OUT=${1:-.build/hints}
EPOCHS=${EPOCHS:-30}
SEED=${SEED:-1}
THREADS=${THREADS:-2}
BUDGETS=${BUDGETS:-0 5 10 20}
. bench/stare-split.sh
grep -m1 "model name" /proc/cpuinfo
for kind in guided plain; do
    flag=(); [ "$kind" = guided ] && flag=(--guidance)
    [ -f "$OUT/$kind.bin" ] || "$LOUPE" train --images "$STARE/images" --labels "$STARE/labels-ah" --fov "$STARE/masks-fov" \
        --ids "$TRAIN" --epochs "$EPOCHS" --seed "$SEED" --threads "$THREADS" "${flag[@]}" --out "$OUT/$kind.bin" \
        2> "$OUT/$kind.train.log"
done
"$LOUPE" eval --model "$OUT/plain.bin" --images "$STARE/images" --labels "$STARE/labels-ah" --fov "$STARE/masks-fov" \
    --ids "$TEST" --threads "$THREADS" --json > "$OUT/plain.eval.json"
for budget in $BUDGETS; do
    "$LOUPE" eval --model "$OUT/guided.bin" --images "$STARE/images" --labels "$STARE/labels-ah" --fov "$STARE/masks-fov" \
        --ids "$TEST" --threads "$THREADS" --hints "$budget" --json > "$OUT/guided.hints$budget.eval.json"
done
python3 - "$OUT" $BUDGETS <<'PY'
import json, sys
out, budgets = sys.argv[1], sys.argv[2:]
def pooled(path): return json.load(open(path))[-1]
rows = [("unguided", pooled(f"{out}/plain.eval.json"))] + [(f"guided, {b} hints", pooled(f"{out}/guided.hints{b}.eval.json")) for b in budgets]
print("| model, hint budget | F1 | centerline effort | strokes/image | clicks/image | minutes/image |")
print("|---|---|---|---|---|---|")
for name, r in rows:
    images = len(json.load(open(f"{out}/plain.eval.json"))) - 1
    print(f"| {name} | {r['f1']:.4f} | {r['centerlineEffort']*100:.1f}% | {r['strokes']/images:.0f} | {r['clicks']:.1f} | {r['minutes']:.2f} |")
PY
"$LOUPE" bench hint --model "$OUT/guided.bin" --image "$STARE/images/im0077.png" --fov "$STARE/masks-fov/im0077.fov.png" \
    --threads "$THREADS" | tee "$OUT/bench-hint.txt"
