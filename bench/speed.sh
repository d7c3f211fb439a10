#!/usr/bin/env bash
# Side-by-side speed check (issues 3 and 11): the same UNet in Loupe and in PyTorch
# (bench/torch_unet.py), 2 threads each, one after the other in one run: training crops/s
# (batch 8 of 128x128, forward + backward + Adam) and milliseconds for one 700x605 image. Loupe
# runs twice where the CPU has AVX2: on its direct convolution kernels (the default) and on the
# im2col + OpenBLAS path it falls back to elsewhere. Then GFLOP/s per layer (`loupe bench layers`)
# and, over the rounds, the median of each side and of the per-round ratios: on this shared
# machine the training ratio ranged from 1.36x to 1.90x over the 8 rounds of one run.
#
#   bench/speed.sh          env: THREADS (2), ROUNDS (1), BATCHES (15), RUNS (5), OPENBLAS_CORETYPE
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-1}
BATCHES=${BATCHES:-15}
RUNS=${RUNS:-5}
# loupe picks its OpenBLAS core from the CPU's flags unless OPENBLAS_CORETYPE names one; PyTorch
# runs its convolutions in oneDNN, which detects the CPU itself.
swift build -c release --product loupe >/dev/null
echo "OpenBLAS core $(.build/release/loupe blas | sed -n 's/^kernel *//p') threads=$THREADS $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
rounds=$(mktemp)
trap 'rm -f "$rounds"' EXIT
for round in $(seq "$ROUNDS"); do
    echo "-- round $round"
    {
        .build/release/loupe bench train --threads "$THREADS" --batches "$BATCHES"
        OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_unet.py train --threads "$THREADS" --batches "$BATCHES"
        .build/release/loupe bench train --threads "$THREADS" --batches "$BATCHES" --convolution im2col
        .build/release/loupe bench infer --threads "$THREADS" --runs "$RUNS"
        OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_unet.py infer --threads "$THREADS" --runs "$RUNS"
        .build/release/loupe bench infer --threads "$THREADS" --runs "$RUNS" --convolution im2col
    } | tee -a "$rounds"
done
.build/release/loupe bench layers --threads "$THREADS"
python3 bench/speed-summary.py "$rounds"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
