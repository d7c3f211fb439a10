#!/usr/bin/env bash
# STARE protocol (issue 3): sorted ids, train on the first six (im0001..im0005, im0044) with
# labels-ah, evaluate on the other 14 inside masks-fov; the second expert (labels-vk) scored
# against labels-ah on the same 14 is the human reference.
#
# One training run of MINUTES (default 20) also writes the models a 5- and a 10-minute run would
# have produced (--snapshot-minutes: the trainer only starts an epoch that fits in the budget and
# uses no budget-dependent schedule, so the snapshot is the model the shorter run ends with).
#
#   bench/stare.sh [OUT_DIR]        env: STARE (dataset), MINUTES, SEED, THREADS, OPENBLAS_CORETYPE
set -euo pipefail
cd "$(dirname "$0")/.."
STARE=${STARE:-../shared/datasets/stare}
OUT=${1:-.build/stare}
MINUTES=${MINUTES:-20}
SEED=${SEED:-1}
THREADS=${THREADS:-2}
. bench/stare-split.sh
echo "train: $TRAIN"
echo "test:  $TEST"
# loupe picks its OpenBLAS core from the CPU's flags unless OPENBLAS_CORETYPE names one.
echo "OpenBLAS core $("$LOUPE" blas | sed -n 's/^kernel *//p') threads=$THREADS seed=$SEED minutes=$MINUTES"

/usr/bin/time -v "$LOUPE" train --images "$STARE/images" --labels "$STARE/labels-ah" --fov "$STARE/masks-fov" \
    --ids "$TRAIN" --minutes "$MINUTES" --snapshot-minutes 5,10 --seed "$SEED" --threads "$THREADS" \
    --out "$OUT/model.bin" 2> >(tee "$OUT/train.log" >&2)

for model in "$OUT"/model.bin.5min.bin "$OUT"/model.bin.10min.bin "$OUT"/model.bin; do
    [ -f "$model" ] || continue
    echo "== $model"
    "$LOUPE" eval --model "$model" --images "$STARE/images" --labels "$STARE/labels-ah" \
        --fov "$STARE/masks-fov" --ids "$TEST" --threads "$THREADS" | tee "$model.eval.txt"
done
echo "== second expert (labels-vk against labels-ah)"
"$LOUPE" eval --masks "$STARE/labels-vk" --images "$STARE/images" --labels "$STARE/labels-ah" \
    --fov "$STARE/masks-fov" --ids "$TEST" | tee "$OUT/second-expert.eval.txt"
