#!/usr/bin/env bash
# Installs the Debian packages Loupe builds against, and Slurm and munge for the one-node
# cluster scripts/slurm-check.sh runs on, only those missing.
set -euo pipefail
packages=(libuv1-dev libsqlite3-dev libopenblas-dev libpng-dev zlib1g-dev libturbojpeg0-dev libtiff-dev pkg-config curl slurm-wlm munge)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
