#!/usr/bin/env bash
# A lab of many small pending images (issue 11): `loupe bench scale` against a real `loupe run`
# from the release build: the ingest rate of the burst, the daemon's peak RSS, status and queue
# latency, and the re-prediction sweep after a promotion.
#
#   bench/scale.sh [--images N] [--size S]     (defaults 10000 images of 256x256)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product loupe >/dev/null
echo "commit $(git rev-parse --short HEAD), $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
.build/release/loupe bench scale "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
