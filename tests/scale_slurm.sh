#!/usr/bin/env bash
# A real Slurm job array: the suite starts a one-node cluster (scripts/slurm-cluster.sh: munged,
# slurmctld, slurmd, all under a temp dir), submits `sbatch --wait --array=...` of a job script
# that runs `csvbatch --shard auto --report r-$SLURM_ARRAY_TASK_ID.json`, merges the reports with
# `csvbatch merge-reports`, and requires what one machine produces: the outputs byte for byte,
# the merged summary (times aside) and the exit code. Twice: IDs 0-3, and 3-9:2 (not from 0, step
# 2). Stops the cluster on every exit; every wait is bounded. CSVBATCH: the binary.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${CSVBATCH:-$root/build/release/csvbatch}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
for c in sbatch slurmctld slurmd munged; do
    command -v "$c" >/dev/null || { echo "scale_slurm: $c not found (slurm-client slurmctld slurmd munge)"; exit 1; }
done
export LC_ALL=C
W=$(mktemp -d /tmp/csvb-scale-slurm.XXXXXX)
chmod 0755 "$W" # munged runs as the munge user: it must reach its files under $W/cluster
cluster=$W/cluster
cleanup() {
    bash "$root/scripts/slurm-cluster.sh" stop "$cluster" >/dev/null 2>&1
    rm -rf "$W"
}
trap cleanup EXIT
passed=0 failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
began=$(date +%s.%N)
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# 24 files, 30 bytes to ~600 KB, three that fail, in two directories.
python3 - "$W/in" <<'PY'
import os, random, sys
random.seed(5)
root = sys.argv[1]
os.makedirs(os.path.join(root, "sub"))
for i in range(24):
    n = [2, 30, 300, 3000, 12000][i % 5]
    rows = ["ID,Name,Status"] + [f"{r},N{r},{random.choice(['Active', 'Inactive'])}" for r in range(n)]
    if i == 4:
        rows.insert(n - 3, "bad,row")
    if i == 9:
        rows[0] = "ID,Name,State"
    if i == 15:
        rows.append('x,"open')
    d = os.path.join(root, "sub") if i % 2 else root
    with open(os.path.join(d, f"s{i:02d}.csv"), "w", newline="") as f:
        f.write("\n".join(rows) + "\n")
PY
opts=(-r --no-fsync --timestamp 2026-01-01T00:00:00Z -o out --format csv "$W/in")
mkdir -p "$W/one"
(cd "$W/one" && "$bin" "${opts[@]}" >stdout 2>stderr; echo $? >rc)

# The Seconds column (the last) aside.
times_out() { sed -E 's/,[0-9.]+$/,/' "$1"; }

start=$(date +%s.%N)
if ! bash "$root/scripts/slurm-cluster.sh" start "$cluster" >"$W/cluster.out" 2>&1; then
    echo "FAIL cluster: $(cat "$W/cluster.out")"
    exit 1
fi
export SLURM_CONF=$cluster/slurm.conf
echo "cluster up in $(elapsed "$start") s"

# One array: $1 = name, $2 = --array spec; the job script and the reports in $W/$1.
array_case() {
    local name=$1 spec=$2 t=$W/$1
    mkdir -p "$t"
    {
        echo '#!/bin/sh'
        printf 'cd %q && exec %q --shard auto -q --report "r-$SLURM_ARRAY_TASK_ID.json"' "$t" "$bin"
        printf ' %q' "${opts[@]}"
        echo
    } >"$t/job.sh"
    local t0
    t0=$(date +%s.%N)
    # Shards with a failed file exit 1, so the array's state (sbatch's code) is not checked here:
    # merge-reports says whether every share is there.
    timeout 180 sbatch --wait --array="$spec" -o "$t/slurm-%a.out" -e "$t/slurm-%a.err" \
        "$t/job.sh" >"$t/sbatch.out" 2>&1
    local sbatch_rc=$?
    echo "$name: sbatch --wait --array=$spec took $(elapsed "$t0") s (exit $sbatch_rc)"
    if [ "$sbatch_rc" = 124 ]; then
        fail "$name" "sbatch --wait still waiting after 180 s: $(squeue 2>&1 | tail -5)"
        return
    fi
    (cd "$t" && "$bin" merge-reports --format csv r-*.json >merged 2>merged.err; echo $? >rc)
    local why=
    if [ "$(ls "$t"/r-*.json 2>/dev/null | wc -l)" != 4 ]; then
        why="$(ls "$t"/r-*.json 2>/dev/null | wc -l) reports, expected 4: $(cat "$t"/slurm-*.err 2>/dev/null | head -5)"
    elif [ "$(cat "$t/rc")" != "$(cat "$W/one/rc")" ]; then
        why="merge-reports exit $(cat "$t/rc"), one machine $(cat "$W/one/rc"): $(head -3 "$t/merged.err")"
    elif ! diff -r "$W/one/out" "$t/out" >"$t/diff" 2>&1; then
        why="outputs differ: $(head -c 400 "$t/diff")"
    elif ! diff <(times_out "$W/one/stdout") <(times_out "$t/merged") >"$t/diff"; then
        why="merged summary differs: $(head -c 600 "$t/diff")"
    elif [ "$(wc -l <"$t/merged")" != 25 ]; then
        why="merged summary has $(wc -l <"$t/merged") lines, expected 25"
    fi
    for k in $(seq 0 9); do # each task took its own share
        [ -f "$t/r-$k.json" ] || continue
        python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))["shard"]; sys.exit(0 if s["count"] == 4 else 1)' "$t/r-$k.json" 2>/dev/null ||
            why="$why r-$k.json: no share of 4"
    done
    if [ -n "$why" ]; then fail "$name" "$why"; else pass "$name"; fi
}
array_case array-0-3 0-3
array_case array-3-9-step-2 3-9:2

bash "$root/scripts/slurm-cluster.sh" stop "$cluster"
if pgrep -f "$cluster" >/dev/null; then fail cluster-stop "processes under $cluster still run"; else pass cluster-stop; fi
echo "scale_slurm: $(elapsed "$began") s in all"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
