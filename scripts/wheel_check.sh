#!/usr/bin/env bash
# Build the wheel, install it into a fresh virtual environment and run it from outside the
# repo: catches package data that did not make it into the wheel.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/python -m build --wheel --outdir "$work/dist" . > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet -c requirements/constraints.txt "$work"/dist/placemap-*.whl
cd "$work"
PLACEMAP_GAZETTEER="$work/gazetteer.sqlite" "$work/venv/bin/placemap" gazetteer build > /dev/null
PLACEMAP_GAZETTEER="$work/gazetteer.sqlite" "$work/venv/bin/placemap" geocode "Brest, Belarus" | tee "$work/out.txt"
grep -q "629634" "$work/out.txt"
# The web app's pages and files are package data too (placemap serve needs the serve extra to run).
"$work/venv/bin/python" -c "from importlib.resources import files; p = files('placemap'); \
assert all(p.joinpath(f).is_file() for f in ('templates/form.html', 'templates/result.html', 'static/serve.js'))"
# Without the serve extra, placemap serve says what to install, in one line.
if "$work/venv/bin/placemap" serve 2> "$work/serve.err"; then exit 1; fi
grep -q "placemap\[serve\]" "$work/serve.err"
echo "wheel check: ok"
