#!/usr/bin/env bash
# The cost of sharding: CPU seconds (user + system, from each --report's getrusage figures)
# summed over N shards of W1-like data against one run of the same data, each at -j 1, shares
# run one after the other. A measurement, not a test (DESIGN §7): run it on an idle machine.
#
#   bash scripts/shard-overhead.sh [SCALE [SHARDS [REPS]]]    (defaults 0.05 4 3)
#
# SCALE scales W1 (32 files x 32 MiB at 1; 0.05: 32 x 1.6 MiB), generated once by
# scripts/gen-bench-data.py under build/shard-bench. Prints each repetition, the medians and the
# ratio; checks that the shards' outputs equal the one run's byte for byte.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${CSVBATCH:-$ROOT/build/release/csvbatch}
SCALE=${1:-0.05} SHARDS=${2:-4} REPS=${3:-3}
for tool in python3 jq; do command -v $tool >/dev/null || { echo "needs $tool" >&2; exit 2; }; done
DATA=$(python3 "$ROOT/scripts/gen-bench-data.py" --workload W1 --scale "$SCALE" \
    --root "$ROOT/build/shard-bench" -j 2)
W=$(mktemp -d "${TMPDIR:-/tmp}/csvb-overhead.XXXXXX")
trap 'rm -rf "$W"' EXIT
cpu() { jq '.totals.cpu_user_seconds + .totals.cpu_system_seconds' "$1"; }
common=(-j 1 --no-fsync --no-progress -q --timestamp 2026-01-01T00:00:00Z)
ones=() sums=()
for rep in $(seq 1 "$REPS"); do
    rm -rf "$W/one" "$W/sh"
    "$BIN" "${common[@]}" -o "$W/one" --report "$W/one.json" "$DATA"
    one=$(cpu "$W/one.json")
    sum=0
    for k in $(seq 1 "$SHARDS"); do
        "$BIN" "${common[@]}" -o "$W/sh" --shard "$k/$SHARDS" --report "$W/s$k.json" "$DATA"
        sum=$(awk -v a="$sum" -v b="$(cpu "$W/s$k.json")" 'BEGIN {print a + b}')
    done
    diff -r "$W/one" "$W/sh" >/dev/null || { echo "outputs differ" >&2; exit 1; }
    printf 'rep %d: one run %.3f s CPU, %d shards %.3f s CPU\n' "$rep" "$one" "$SHARDS" "$sum"
    ones+=("$one") sums+=("$sum")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
m1=$(median "${ones[@]}") ms=$(median "${sums[@]}")
printf 'W1 x %s (%s), median of %d: one run %.3f s CPU; %d shards %.3f s CPU; ratio %.3f\n' \
    "$SCALE" "$(du -sh "$DATA" | cut -f1)" "$REPS" "$m1" "$SHARDS" "$ms" "$(awk -v a="$ms" -v b="$m1" 'BEGIN {print a / b}')"
