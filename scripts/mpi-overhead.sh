#!/usr/bin/env bash
# Measures the MPI build's overhead (issue 11's goal: within 15%): wall time of
# `mpirun -n 2 --oversubscribe` with one thread per rank against one process with -j 2, on W1-like
# data (scripts/gen-bench-data.py) at a small scale; prints each run and the medians, and the
# same less mpirun's own start-up (the median of `mpirun -n 2 true`). A
# measurement, not a test: nothing is asserted. Run alone on a quiet machine.
# Usage: scripts/mpi-overhead.sh [SCALE (default 0.05)] [RUNS (default 7)]
# CSVBATCH (default build/release/csvbatch), CSVBATCH_MPI (default build/mpi/csvbatch).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scale=${1:-0.05}
runs=${2:-7}
one=${CSVBATCH:-$root/build/release/csvbatch}
mpi=${CSVBATCH_MPI:-$root/build/mpi/csvbatch}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
data=$(python3 "$root/scripts/gen-bench-data.py" --workload W1 --scale "$scale" \
    --root "${BENCH_ROOT:-$root/.bench/data}" -j 2)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
opts=(-q --no-fsync --timestamp 2026-01-01T00:00:00Z -o "$out/o")
# Wall seconds of the command given.
wall() {
    local t0
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f\n", b - a }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
: >"$out/one" && : >"$out/mpi" && : >"$out/launch"
for i in $(seq 1 "$runs"); do # alternated, so that a slow spell of the machine hits both
    a=$(wall "$one" -j 2 "${opts[@]}" "$data")
    b=$(wall timeout 300 mpirun --oversubscribe --bind-to none -n 2 "$mpi" -j 1 "${opts[@]}" "$data")
    c=$(wall timeout 60 mpirun --oversubscribe --bind-to none -n 2 true)
    echo "run $i: one process -j 2: $a s; mpirun -n 2 -j 1: $b s; mpirun -n 2 true: $c s"
    echo "$c" >>"$out/launch"
    echo "$a" >>"$out/one"
    echo "$b" >>"$out/mpi"
done
m1=$(median <"$out/one")
m2=$(median <"$out/mpi")
m3=$(median <"$out/launch")
echo "data: $data ($(du -sh "$data" | cut -f1), $(ls "$data" | wc -l) files)"
echo "median: one process -j 2 $m1 s, mpirun -n 2 -j 1 $m2 s, ratio $(awk -v a="$m1" -v b="$m2" 'BEGIN { printf "%.3f", b / a }')"
echo "mpirun's own start and end (mpirun -n 2 true): $m3 s; without it, ratio $(awk -v a="$m1" -v b="$m2" -v c="$m3" 'BEGIN { printf "%.3f", (b - c) / a }')"
