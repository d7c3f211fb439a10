#!/usr/bin/env bash
# Installs what Loupe builds against, builds it (release), creates the workspace if needed
# and runs the daemon on it. Usage: scripts/run.sh [LAB]   (default: ./lab)
set -euo pipefail
cd "$(dirname "$0")/.."
lab="${1:-lab}"
scripts/install-deps.sh
swift build -c release
.build/release/loupe init --lab "$lab"
exec .build/release/loupe run --lab "$lab"
