#!/usr/bin/env bash
# Times the whole `callqueue build` (with --out-dir and --excluded) on data
# from the synth generator, at 100k accounts / 1M calls and 1M / 10M: the
# wall time and peak memory of each of RUNS runs, then the median.
#
#   scripts/bench.sh              # both sizes, 5 runs each
#   RUNS=3 SIZES="100000:1000000" scripts/bench.sh
#
# Needs GNU time (/usr/bin/time). Generated data is kept in target/synth.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
SIZES=${SIZES:-"100000:1000000 1000000:10000000"}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench.sh: needs GNU time at $TIME (apt-get install time)" >&2; exit 1; }

cargo build --release --locked --quiet --bin callqueue --example synth

printf '%-9s %-10s %8s  %-28s %s\n' accounts calls "CSV MB" "wall s (runs)" "median wall, peak MB"
for size in $SIZES; do
    accounts=${size%%:*}
    calls=${size##*:}
    dir=target/synth/$accounts-$calls
    if [ ! -f "$dir/history.csv" ]; then
        ./target/release/examples/synth --accounts "$accounts" --history "$calls" --out "$dir"
    fi
    mb=$(( ( $(stat -c %s "$dir/territory.csv") + $(stat -c %s "$dir/history.csv") ) / 1000000 ))
    walls=()
    peak=0
    for _ in $(seq "$RUNS"); do
        out=$("$TIME" -f "%e %M" ./target/release/callqueue build --config "$dir/callqueue.toml" \
            --date 2026-11-24 --out-dir "$dir/queues" --excluded "$dir/excluded.csv" --quiet 2>&1 >/dev/null | tail -n 1)
        walls+=("${out% *}")
        kb=${out#* }
        (( kb > peak )) && peak=$kb
    done
    median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    printf '%-9s %-10s %8s  %-28s %s s, %s MB\n' "$accounts" "$calls" "$mb" "${walls[*]}" "$median" $(( peak / 1024 ))
done
