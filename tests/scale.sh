#!/usr/bin/env bash
# More than one machine, on one: --shard K/N, --shard auto (JOB_COMPLETION_INDEX set by hand),
# GNU parallel over shards (parallel -S :, no ssh), merge-reports, --plan-out/--plan.
#
#   bash tests/scale.sh          (CSVBATCH=path picks another binary)
#
# Every share's outputs together must equal a one-machine run byte for byte, and merge-reports
# must print the one-machine summary (times and resource figures aside). Prints "PASS name" or
# "FAIL name: why" per test, ends with "N passed, M failed"; exits 1 if any failed, 2 if it
# cannot run. About 10 s. Every csvbatch call runs under `timeout 60` in a mktemp -d directory.
set -u
export LC_ALL=C TZ=UTC

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${CSVBATCH:-$ROOT/build/release/csvbatch}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
[ -x "$BIN" ] || { echo "scale.sh: csvbatch binary not found: $BIN" >&2; exit 2; }
for tool in python3 timeout jq parallel; do
    command -v "$tool" >/dev/null || { echo "scale.sh: $tool is required" >&2; exit 2; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/csvb-scale.XXXXXX")
trap 'rm -rf "$W"' EXIT
passed=0 failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
cb() { timeout 60 "$BIN" --no-progress "$@"; }
mr() { timeout 60 "$BIN" merge-reports "$@"; }
export SOURCE_DATE_EPOCH=1767225600 # one stamp for every run that has no plan

# A random listing in $1: subdirectories, sizes from empty to ~200 KB, a bad file, a FIFO-free
# tree. Seeded by $2 so a failure can be replayed.
make_tree() {
    python3 - "$1" "$2" <<'EOF'
import os, random, sys
root, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
for d in ["", "a", "a/b", "c"]:
    os.makedirs(os.path.join(root, d), exist_ok=True)
for i in range(rng.randint(1, 40)):
    d = rng.choice(["", "a", "a/b", "c"])
    rows = rng.choice([0, 1, 3, 10, 100, 1000, 3000])
    with open(os.path.join(root, d, f"f{i:02d}.csv"), "w") as f:
        f.write("Name,ID,Status\n")
        for r in range(rows):
            f.write(f"n{r},{r},{rng.choice(['Active', 'Inactive', 'active'])}\n")
        if rng.random() < 0.1:
            f.write("broken,row\n")  # a Failed file in the summary
EOF
}

# The summary with its times and resource figures taken out: CSV less the Seconds column.
csv_sans_times() { sed -E 's/,[0-9]+\.[0-9]+$//' "$1"; }
# The table: each "0.004s" cell and the totals line's time and resource part.
table_sans_times() { sed -E 's/[0-9]+\.[0-9]{3}s/T/g; s/ in [0-9.]+ s .*$//' "$1"; }

# one_vs_shards NAME N ARGS...: a one-machine run into out, then N shards into out again.
one_run() { # DIR ARGS...
    local dir=$1; shift
    (cd "$dir" && rm -rf out && cb -r in -o out --format csv "$@" >one.csv 2>one.err
     echo $? >one.rc && mv out out-one)
}

random_shards_equal_one_run() {
    local round n k bad=
    for round in 1 2 3 4 5 6; do
        local d=$W/rand$round
        mkdir -p "$d"
        make_tree "$d/in" $((round * 7919))
        one_run "$d"
        n=$((RANDOM % 7 + 1))
        local worst=0
        for k in $(seq 1 $n); do
            (cd "$d" && cb -r in -o out --shard $k/$n --report r$k.json -q 2>>shards.err)
            local rc=$?
            [ $rc -gt $worst ] && worst=$rc
        done
        [ -d "$d/out-one" ] || mkdir -p "$d/out-one"
        [ -d "$d/out" ] || mkdir -p "$d/out"
        diff -r "$d/out-one" "$d/out" >/dev/null || { bad="round $round (N $n): outputs differ"; break; }
        [ "$worst" = "$(cat "$d/one.rc")" ] || { bad="round $round: shard exit $worst, one run $(cat "$d/one.rc")"; break; }
        (cd "$d" && mr --format csv r*.json >merged.csv; echo $? >merged.rc)
        [ "$(cat "$d/merged.rc")" = "$(cat "$d/one.rc")" ] || { bad="round $round: merge-reports exit $(cat "$d/merged.rc")"; break; }
        diff <(csv_sans_times "$d/one.csv") <(csv_sans_times "$d/merged.csv" | sed 's/^/&/') >/dev/null ||
            { bad="round $round (N $n): merged summary differs"; break; }
    done
    [ -z "$bad" ] && pass "random listings, random N: shards' outputs = one run, merged summary = one run's" ||
        fail "random_shards_equal_one_run" "$bad"
}

# Table and JSON summaries of the merge equal the one-machine run's, times aside; the shard's
# own table names its share.
merged_table_and_json() {
    local d=$W/tables
    mkdir -p "$d"
    make_tree "$d/in" 4242
    (cd "$d" && cb -r in -o out >one.txt 2>/dev/null; cb -r in -o out --format json >one.json 2>/dev/null
     for k in 1 2 3; do cb -r in -o out --shard $k/3 --report r$k.json >s$k.txt 2>/dev/null; done
     mr r3.json r1.json r2.json >merged.txt
     mr --format json --report all.json r1.json r2.json r3.json >merged.json)
    local strip='del(.totals.seconds, .totals.peak_rss_bytes, .totals.cpu_user_seconds, .totals.cpu_system_seconds) | .files[] |= del(.seconds)'
    if ! diff <(table_sans_times "$d/one.txt") <(table_sans_times "$d/merged.txt") >/dev/null; then
        fail "merged_table_and_json" "table differs"
    elif ! diff <(jq "$strip" "$d/one.json") <(jq "$strip" "$d/merged.json") >/dev/null; then
        fail "merged_table_and_json" "JSON summary differs"
    elif ! head -1 "$d/s2.txt" | grep -qE '^Shard 2 of 3 \(--shard\): [0-9]+ of [0-9]+ files, '; then
        fail "merged_table_and_json" "no share header: $(head -1 "$d/s2.txt")"
    elif [ "$(jq -r '.files | length' "$d/all.json")" != "$(jq -r '.files | length' "$d/one.json")" ] ||
         [ "$(jq -r 'has("shard")' "$d/all.json")" != false ]; then
        fail "merged_table_and_json" "merged --report is not the whole run's"
    elif [ "$(jq -c '.shard | [.index, .count, (.plan_digest | length)]' "$d/r2.json")" != "[2,3,32]" ]; then
        fail "merged_table_and_json" "shard member: $(jq -c .shard "$d/r2.json")"
    else
        pass "merge-reports table and JSON = one run's (any report order); shard header and member"
    fi
}

kubernetes_indexed_job() {
    local d=$W/k8s k bad=
    mkdir -p "$d"
    make_tree "$d/in" 99
    one_run "$d"
    for k in 0 1 2 3; do
        (cd "$d" && JOB_COMPLETION_INDEX=$k cb -r in -o out --shard auto --shards 4 -q --report r$k.json) 2>/dev/null
    done
    diff -r "$d/out-one" "$d/out" >/dev/null || bad="--shards 4: outputs differ"
    rm -rf "$d/out"
    for k in 0 1 2; do
        (cd "$d" && JOB_COMPLETION_INDEX=$k CSVBATCH_SHARDS=3 cb -r in -o out --shard auto >s$k.txt) 2>/dev/null
    done
    [ -z "$bad" ] && { diff -r "$d/out-one" "$d/out" >/dev/null || bad="CSVBATCH_SHARDS=3: outputs differ"; }
    [ -z "$bad" ] && { head -1 "$d/s1.txt" | grep -q '^Shard 2 of 3 (Kubernetes indexed job): ' || bad="header: $(head -1 "$d/s1.txt")"; }
    local err
    err=$(cd "$d" && JOB_COMPLETION_INDEX=0 cb -r in --shard auto -n 2>&1 >/dev/null; echo "rc=$?")
    [ -z "$bad" ] && [ "$err" != "csvbatch: --shard auto: JOB_COMPLETION_INDEX is set but not the count: give --shards N or CSVBATCH_SHARDS (the Job's completions)
rc=2" ] && bad="no count: $err"
    [ -z "$bad" ] && pass "Kubernetes path: JOB_COMPLETION_INDEX with --shards / CSVBATCH_SHARDS" ||
        fail "kubernetes_indexed_job" "$bad"
}

no_environment_is_a_usage_error() {
    local out
    out=$(env -u SLURM_ARRAY_TASK_ID -u JOB_COMPLETION_INDEX -u OMPI_COMM_WORLD_RANK -u PMI_RANK \
        timeout 60 "$BIN" --shard auto "$W" 2>&1; echo "rc=$?")
    [ "$out" = "csvbatch: --shard auto: no shard in the environment (looked for SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX with --shards or CSVBATCH_SHARDS, OMPI_COMM_WORLD_RANK, PMI_RANK): give --shard K/N
rc=2" ] && pass "--shard auto without an engine: exit 2, lists what it looked for" ||
        fail "no_environment_is_a_usage_error" "$out"
}

# GNU parallel runs the shards; -S : is the local machine, so no ssh may be started.
gnu_parallel() {
    local d=$W/par
    mkdir -p "$d"
    make_tree "$d/in" 2024
    one_run "$d"
    (cd "$d" && PARALLEL_SSH=/bin/false PARALLEL_HOME=$d/.parallel timeout 120 parallel -S : --jobs 4 \
        "$BIN" --no-progress -r in -o out --shard {}/4 --report r{}.json -q ::: 1 2 3 4 2>par.err
     echo $? >par.rc
     mr --format csv r1.json r2.json r3.json r4.json >merged.csv; echo $? >merged.rc)
    # parallel exits with the number of jobs that failed (a share with a Failed file exits 1)
    if [ "$(cat "$d/par.rc")" -gt 4 ] || { [ "$(cat "$d/one.rc")" = 0 ] && [ "$(cat "$d/par.rc")" != 0 ]; }; then
        fail "gnu_parallel" "parallel exit $(cat "$d/par.rc") ($(head -3 "$d/par.err"))"
    elif ! diff -r "$d/out-one" "$d/out" >/dev/null; then
        fail "gnu_parallel" "outputs differ"
    elif ! diff <(csv_sans_times "$d/one.csv") <(csv_sans_times "$d/merged.csv") >/dev/null; then
        fail "gnu_parallel" "merged summary differs"
    elif [ "$(cat "$d/merged.rc")" != "$(cat "$d/one.rc")" ]; then
        fail "gnu_parallel" "merge exit $(cat "$d/merged.rc")"
    elif PARALLEL_SSH=/bin/false PARALLEL_HOME=$d/.parallel timeout 60 parallel -S csvb-no-such-host \
        echo ::: 1 >/dev/null 2>&1; then # the control: a real host does go through PARALLEL_SSH
        fail "gnu_parallel" "PARALLEL_SSH=/bin/false did not stop a remote job: -S : unproven"
    else
        pass "GNU parallel -S : (no ssh) over 4 shards, then merge-reports = one run"
    fi
}

merge_refuses_wrong_sets() {
    local d=$W/merge bad= out
    mkdir -p "$d"
    make_tree "$d/in" 5
    make_tree "$d/other" 6
    (cd "$d" && for k in 1 2 3; do cb -r in -o out --shard $k/3 --report r$k.json -q -n; done
     cb -r other -o out --shard 2/3 --report x2.json -q -n; cb -r in -o out --shard 2/4 --report y2.json -q -n
     cb -r in -o out --report plain.json -q -n) 2>/dev/null
    out=$(cd "$d" && mr r1.json r3.json 2>&1 >/dev/null; echo "rc=$?")
    [ "$out" = "csvbatch: merge-reports: share 2 of 3 is missing (2 of 3 reports given)
rc=1" ] || bad="missing: $out"
    out=$(cd "$d" && mr r1.json r2.json r3.json r2.json 2>&1 >/dev/null; echo "rc=$?")
    [ -z "$bad" ] && [ "$out" != "csvbatch: merge-reports: share 2 of 3 is given twice: r2.json and r2.json
rc=1" ] && bad="duplicate: $out"
    out=$(cd "$d" && mr r1.json x2.json r3.json 2>&1 >/dev/null; echo "rc=$?")
    [ -z "$bad" ] && ! echo "$out" | grep -q '^csvbatch: merge-reports: x2.json is from another plan than r1.json (share 2 of 3, plan [0-9a-f]\{32\}; there: share 1 of 3, plan [0-9a-f]\{32\})$' && bad="foreign: $out"
    [ -z "$bad" ] && [ "${out##*rc=}" != 1 ] && bad="foreign exit: $out"
    out=$(cd "$d" && mr r1.json y2.json 2>&1 >/dev/null; echo "rc=$?")
    [ -z "$bad" ] && ! echo "$out" | grep -q 'y2.json is from another plan than r1.json (share 2 of 4' && bad="other count: $out"
    out=$(cd "$d" && mr plain.json 2>&1 >/dev/null; echo "rc=$?")
    [ -z "$bad" ] && [ "$out" != 'csvbatch: merge-reports: plain.json: not a shard'"'"'s report (no "shard" member: run with --shard and --report)
rc=1' ] && bad="not a share: $out"
    out=$(cd "$d" && mr --report r1.json r1.json r2.json r3.json 2>&1 >/dev/null; echo "rc=$?")
    [ -z "$bad" ] && [ "${out##*rc=}" != 2 ] && bad="--report over an input: $out"
    (cd "$d" && for k in 1 2 3; do cb -r in -o out --shard $k/3 --report t$k.json -q -n --timestamp T$((k % 2)); done) 2>/dev/null
    out=$(cd "$d" && mr --format csv t1.json t2.json t3.json 2>&1 >/dev/null; echo "rc=$?")
    [ -z "$bad" ] && [ "$out" != "csvbatch: merge-reports: warning: the shares wrote different stamps ('T1' in t1.json, 'T0' in t2.json): give them one with --plan, --timestamp or SOURCE_DATE_EPOCH
rc=$(cd "$d" && mr r1.json r2.json r3.json >/dev/null 2>&1; echo $?)" ] && bad="stamps: $out"
    out=$(cd "$d" && mr r1.json nope.json 2>&1 >/dev/null; echo "rc=$?")
    [ -z "$bad" ] && ! echo "$out" | grep -q '^csvbatch: merge-reports: nope.json: .*rc=1$' && [ "${out##*rc=}" != 1 ] && bad="unreadable: $out"
    [ -z "$bad" ] && pass "merge-reports: missing, duplicated, foreign and non-shard reports: exit 1, clear messages; stamps warned" ||
        fail "merge_refuses_wrong_sets" "$bad"
}

# A plan frozen before the files change: changed and gone files fail with the cause, new files
# are not taken, the others are processed, every share writes the plan's stamp.
plan_with_changes() {
    local d=$W/plan bad= out
    mkdir -p "$d/in"
    for i in 1 2 3 4 5 6; do printf 'Name,ID,Status\nn%s,%s,Active\n' $i $i >"$d/in/f$i.csv"; done
    touch -d '2020-01-01 00:00:00' "$d"/in/*.csv
    out=$(cd "$d" && env -u SOURCE_DATE_EPOCH "$BIN" -r in -o out --plan-out plan.json; echo "rc=$?")
    echo "$out" | grep -q '^Planned 6 files in plan.json (plan [0-9a-f]\{32\})\.$' || bad="plan-out: $out"
    ls -a "$d" | grep -q '\.tmp\|csvbatch-' && bad="temp file left: $(ls -a "$d")"
    [ -e "$d/out" ] && bad="--plan-out processed files"
    echo 'n9,9,Active' >>"$d/in/f2.csv"         # size changed
    touch -d '2021-01-01 00:00:00' "$d/in/f4.csv" # same size, new mtime
    rm "$d/in/f5.csv"                              # gone
    printf 'Name,ID,Status\nx,1,Active\n' >"$d/in/f7.csv" # new: not in the plan
    sleep 1 # the plan's stamp, not now
    (cd "$d" && for k in 1 2; do env -u SOURCE_DATE_EPOCH "$BIN" --no-progress --plan plan.json -o out --shard $k/2 --report r$k.json --format csv >s$k.csv 2>s$k.err; echo $? >s$k.rc; done
     mr --format csv r1.json r2.json >merged.csv; echo $? >merged.rc)
    local stamp
    stamp=$(jq -r .stamp "$d/plan.json")
    [ -z "$bad" ] && [ "$(cat "$d/merged.rc")" != 1 ] && bad="merged exit $(cat "$d/merged.rc")"
    [ -z "$bad" ] && [ "$(csv_sans_times "$d/merged.csv")" != 'File,Status,RowsRead,RowsWritten,Output,Error,Seconds
in/f1.csv,Success,1,1,out/f1_processed.csv,
in/f2.csv,Failed,0,0,,"changed since the plan was made (size 39, planned 27)"
in/f3.csv,Success,1,1,out/f3_processed.csv,
in/f4.csv,Failed,0,0,,changed since the plan was made (modification time)
in/f5.csv,Failed,0,0,,gone since the plan was made
in/f6.csv,Success,1,1,out/f6_processed.csv,' ] && bad="merged: $(cat "$d/merged.csv")"
    [ -z "$bad" ] && [ "$(ls "$d/out")" != "$(printf 'f1_processed.csv\nf3_processed.csv\nf6_processed.csv')" ] && bad="outputs: $(ls "$d/out")"
    [ -z "$bad" ] && [ "$(cat "$d"/out/*.csv | grep -v ProcessedDate | cut -d, -f3 | sort -u)" != "$stamp" ] && bad="stamps: $(cat "$d"/out/*.csv) vs $stamp"
    [ -z "$bad" ] && [ "$(jq -r .shard.plan_digest "$d/r1.json")" != "$(jq -r .plan_digest "$d/plan.json")" ] && bad="report's plan digest is not the plan's"
    [ -z "$bad" ] && pass "--plan-out then --plan: changed, touched, gone files Failed with the cause; new file not taken; one stamp" ||
        fail "plan_with_changes" "$bad"
}

plan_usage_errors() {
    local d=$W/plan2 bad= out
    mkdir -p "$d/in"
    printf 'Name,ID,Status\na,1,Active\n' >"$d/in/a.csv"
    (cd "$d" && cb in -o out --plan-out plan.json -q)
    out=$(cd "$d" && cb --plan plan.json -o out --suffix _x 2>&1; echo "rc=$?")
    [ "$out" = "csvbatch: --plan: plan.json was made with other output options (suffix differs): give the options --plan-out had
rc=2" ] || bad="digest: $out"
    out=$(cd "$d" && cb --plan plan.json in -o out 2>&1; echo "rc=$?")
    [ -z "$bad" ] && [ "$out" != "csvbatch: --plan runs the plan's own job list: give no PATH nor --files-from
rc=2" ] && bad="PATH: $out"
    out=$(cd "$d" && cb in --plan-out in/a.csv 2>&1; echo "rc=$?")
    [ -z "$bad" ] && [ "$out" != "csvbatch: --plan-out: 'in/a.csv' is an input file (a link to one?); refusing to overwrite it
rc=2" ] && bad="plan-out over an input: $out"
    [ -z "$bad" ] && [ "$(cat "$d/in/a.csv")" != "$(printf 'Name,ID,Status\na,1,Active')" ] && bad="input overwritten"
    out=$(cd "$d" && cb --plan plan.json -o out -j 3 --shard 1/1 -q 2>&1; echo "rc=$?")
    [ -z "$bad" ] && [ "$out" != "rc=0" ] && bad="-j is not an output option: $out"
    out=$(cd "$d" && cb --plan in/a.csv -o out 2>&1; echo "rc=$?")
    [ -z "$bad" ] && ! echo "$out" | grep -q "^csvbatch: --plan: in/a.csv: .*rc=2$" && [ "${out##*rc=}" != 2 ] && bad="not a plan: $out"
    out=$(cd "$d" && cb in --shard 1/2 --incremental 2>&1; echo "rc=$?")
    [ -z "$bad" ] && [ "${out##*rc=}" != 2 ] && bad="--incremental: $out"
    [ -z "$bad" ] && pass "--plan: options digest mismatch, PATH, not a plan; --plan-out over an input: exit 2" ||
        fail "plan_usage_errors" "$bad"
}

random_shards_equal_one_run
merged_table_and_json
kubernetes_indexed_job
no_environment_is_a_usage_error
gnu_parallel
merge_refuses_wrong_sets
plan_with_changes
plan_usage_errors
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
