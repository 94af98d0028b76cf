#!/usr/bin/env bash
# Times the whole `callqueue build --excluded` on data from the synth
# generator, at 100k accounts / 1M calls and 1M / 10M, in both output modes
# (one file per rep with --out-dir, and one queue file with -o): the wall
# time and peak memory of each of RUNS runs, then the median.
#
#   scripts/bench.sh              # both sizes, both modes, 5 runs each
#   RUNS=3 SIZES="100000:1000000" MODES=file scripts/bench.sh
#   BASELINE=/path/to/older/callqueue scripts/bench.sh
#
# With BASELINE, that binary is timed too, alternating run by run with this
# build: on a machine whose speed drifts, only runs taken together compare.
#
# Needs GNU time (/usr/bin/time). Generated data is kept in target/synth.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
SIZES=${SIZES:-"100000:1000000 1000000:10000000"}
MODES=${MODES:-"out-dir file"}
BASELINE=${BASELINE:-}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench.sh: needs GNU time at $TIME (apt-get install time)" >&2; exit 1; }
[ -z "$BASELINE" ] || [ -x "$BASELINE" ] || { echo "bench.sh: BASELINE $BASELINE is not an executable" >&2; exit 1; }

cargo build --release --locked --quiet --bin callqueue --example synth

# One timed run of binary $1 in output mode $mode: "wall-seconds peak-kB".
run() {
    local out=(--out-dir "$dir/queues")
    [ "$mode" = out-dir ] || out=(-o "$dir/queue.csv")
    "$TIME" -f "%e %M" "$1" build --config "$dir/callqueue.toml" --date 2026-11-24 \
        "${out[@]}" --excluded "$dir/excluded.csv" --quiet 2>&1 >/dev/null | tail -n 1
}

# "median wall, peak MB" of lines "wall peak-kB".
summary() {
    sort -n | awk '{w[NR]=$1; if ($2 > p) p = $2} END {printf "%s s, %d MB", w[int((NR+1)/2)], p / 1024}'
}

printf '%-9s %-10s %8s  %-8s %-8s %-28s %s\n' accounts calls "CSV MB" mode build "wall s (runs)" "median wall, peak MB"
for size in $SIZES; do
    accounts=${size%%:*}
    calls=${size##*:}
    dir=target/synth/$accounts-$calls
    if [ ! -f "$dir/history.csv" ]; then
        ./target/release/examples/synth --accounts "$accounts" --history "$calls" --out "$dir"
    fi
    mb=$(( ( $(stat -c %s "$dir/territory.csv") + $(stat -c %s "$dir/history.csv") ) / 1000000 ))
    for mode in $MODES; do
        this=()
        base=()
        for _ in $(seq "$RUNS"); do
            [ -z "$BASELINE" ] || base+=("$(run "$BASELINE")")
            this+=("$(run ./target/release/callqueue)")
        done
        walls=$(printf '%s\n' "${this[@]}" | cut -d' ' -f1 | tr '\n' ' ')
        printf '%-9s %-10s %8s  %-8s %-8s %-28s %s\n' "$accounts" "$calls" "$mb" "$mode" this "$walls" \
            "$(printf '%s\n' "${this[@]}" | summary)"
        if [ -n "$BASELINE" ]; then
            walls=$(printf '%s\n' "${base[@]}" | cut -d' ' -f1 | tr '\n' ' ')
            printf '%-9s %-10s %8s  %-8s %-8s %-28s %s\n' "" "" "" "" baseline "$walls" \
                "$(printf '%s\n' "${base[@]}" | summary)"
        fi
    done
done
