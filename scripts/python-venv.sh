#!/usr/bin/env bash
# Makes (once) a Python virtual environment at $1 with the packages of requirements file $2,
# installing Debian's python3-venv first when python3 lacks it. Reinstalls when $2 changes.
# Usage: scripts/python-venv.sh VENV REQUIREMENTS
set -euo pipefail
venv="$1"
requirements="$2"
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ]; then
    mkdir -p "$(dirname "$venv")"
    if ! python3 -m venv "$venv"; then
        # Debian's own python3 keeps venv (ensurepip) in a separate package.
        rm -rf "$venv"
        if [ "$(id -u)" -eq 0 ]; then
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
            python3 -m venv "$venv"
        else
            echo "python-venv: python3 -m venv failed (apt-get install python3-venv)" >&2
            exit 2
        fi
    fi
fi
if ! cmp -s "$requirements" "$stamp"; then
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$stamp"
fi
