#!/usr/bin/env bash
# --incremental end to end: every skip rule of README "Incremental runs" on real files, the
# journal after SIGKILL at several moments, two runs on one root (flock(1) holds the lock), dry
# runs, -o and -r.
#
#   bash tests/incremental.sh          (CSVBATCH=path picks another binary)
#
# Prints "PASS name" or "FAIL name: why" per test and ends with "N passed, M failed"; exits 1 if
# any failed, 2 if it cannot run. About 10 s. Every csvbatch call runs under `timeout 60`, in a
# mktemp -d directory removed on exit.
set -u
export LC_ALL=C TZ=UTC

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${CSVBATCH:-$ROOT/build/release/csvbatch}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
[ -x "$BIN" ] || { echo "incremental.sh: csvbatch binary not found: $BIN" >&2; exit 2; }
for tool in python3 timeout flock; do
    command -v "$tool" >/dev/null || { echo "incremental.sh: $tool is required" >&2; exit 2; }
done

W=$(mktemp -d "${TMPDIR:-/tmp}/csvb-incr.XXXXXX")
BG=()
cleanup() {
    local p
    for p in "${BG[@]}"; do
        kill "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    rm -rf "$W"
}
trap cleanup EXIT

passed=0 failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

OLD='2020-01-01 00:00:00'
# A directory of n inputs f1..fn, all with the same old mtime (outside the racy window).
make_inputs() { # DIR N
    mkdir -p "$1"
    for i in $(seq 1 "$2"); do
        printf 'Name,ID,Status\nn%d,%d,Active\nx,0,Inactive\n' "$i" "$((i % 10))" >"$1/f$i.csv"
    done
    touch -d "$OLD" "$1"/f*.csv
}
# Runs csvbatch with a CSV summary into $W/out, stderr into $W/err; sets rc.
cb() {
    timeout 60 "$BIN" --no-progress --no-fsync --format csv "$@" >"$W/out" 2>"$W/err"
    rc=$?
}
# "name:Status" for every file of the last summary, sorted.
statuses() {
    python3 -c '
import csv, os, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(" ".join(sorted(os.path.basename(r["File"]) + ":" + r["Status"] for r in rows)))' "$W/out"
}
expect() { # NAME EXPECTED-STATUSES [EXPECTED-RC]
    local got
    got=$(statuses)
    if [ "$got" != "$2" ] || [ "$rc" != "${3:-0}" ]; then
        fail "$1" "got '$got' rc=$rc, expected '$2' rc=${3:-0}; stderr: $(head -c 300 "$W/err")"
        return 1
    fi
    pass "$1"
}
# The manifest entry field for output KEY: manifest_field DIR KEY FIELD
manifest_field() {
    python3 -c '
import json, sys
m = json.load(open(sys.argv[1] + "/.csvbatch-manifest.json"))
print([e for e in m["entries"] if e["output"] == sys.argv[2]][0][sys.argv[3]])' "$@"
}
stat_ns() { python3 -c 'import os, sys; s = os.stat(sys.argv[1]); print(s.st_mtime_ns, s.st_ino)' "$1"; }

ALL3='f1.csv:Success f2.csv:Success f3.csv:Success'
UNCH3='f1.csv:Unchanged f2.csv:Unchanged f3.csv:Unchanged'

# ---- The rules, on one directory, in sequence ----
D=$W/d
make_inputs "$D" 3
cb --incremental --timestamp T1 "$D"
expect first-run-processes-all "$ALL3"
cp "$D/f1_processed.csv" "$W/f1.first"

cb --incremental --timestamp T2 "$D"
expect unchanged-skipped "$UNCH3" &&
    { cmp -s "$D/f1_processed.csv" "$W/f1.first" && grep -q ',T1$' "$D/f1_processed.csv" &&
          pass unchanged-output-keeps-its-stamp ||
          fail unchanged-output-keeps-its-stamp "output rewritten"; }

timeout 60 "$BIN" --no-progress --format json --incremental --timestamp T2 "$D" >"$W/json" 2>&1
python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
f = j["files"][0]
assert f["status"] == "unchanged", f
assert f["written_by"]["stamp"] == "T1", f
assert f["output"].endswith("f1_processed.csv"), f
assert j["totals"]["unchanged"] == 3 and j["totals"]["succeeded"] == 0, j["totals"]' "$W/json" &&
    pass json-unchanged-written-by || fail json-unchanged-written-by "$(head -c 400 "$W/json")"

timeout 60 "$BIN" --no-progress --incremental --timestamp T2 "$D" >"$W/table" 2>&1
grep -q '^3 files: 0 succeeded, 0 failed, 0 skipped, 3 unchanged\.' "$W/table" &&
    grep -q 'f1.csv  *Unchanged' "$W/table" && pass table-totals-count-unchanged ||
    fail table-totals-count-unchanged "$(tail -2 "$W/table")"

# Same size, same mtime (touch -d), other content: ctime changed, so the hash decides.
sed -i 's/^n1,/z1,/' "$D/f1.csv"
touch -d "$OLD" "$D/f1.csv"
cb --incremental --timestamp T3 "$D"
expect content-changed-mtime-restored 'f1.csv:Success f2.csv:Unchanged f3.csv:Unchanged' &&
    { grep -q '^z1,1,T3$' "$D/f1_processed.csv" && pass content-changed-output-redone ||
          fail content-changed-output-redone "$(cat "$D/f1_processed.csv")"; }

# mtime only: not redone, the entry refreshed.
touch -d '2021-06-01 00:00:00' "$D/f2.csv"
cb --incremental --timestamp T4 "$D"
expect mtime-only-change 'f1.csv:Unchanged f2.csv:Unchanged f3.csv:Unchanged' &&
    { [ "$(manifest_field "$D" f2_processed.csv mtime_ns)" = "$(stat_ns "$D/f2.csv" | cut -d' ' -f1)" ] &&
          pass mtime-only-entry-refreshed || fail mtime-only-entry-refreshed "mtime not refreshed"; }

# inode only (a copy moved over it, mtime kept): not redone, the entry refreshed.
cp -p "$D/f3.csv" "$D/.f3.new" && mv "$D/.f3.new" "$D/f3.csv"
cb --incremental --timestamp T5 "$D"
expect inode-change 'f1.csv:Unchanged f2.csv:Unchanged f3.csv:Unchanged' &&
    { [ "$(manifest_field "$D" f3_processed.csv ino)" = "$(stat_ns "$D/f3.csv" | cut -d' ' -f2)" ] &&
          pass inode-entry-refreshed || fail inode-entry-refreshed "inode not refreshed"; }

# An option that changes output bytes: everything redone, then skipped again.
cb --incremental --select Name --timestamp T6 "$D"
expect option-change-redoes-all "$ALL3"
cb --incremental --select Name --timestamp T7 "$D"
expect same-options-skip-again "$UNCH3"
cb --incremental --select Name --timestamp T8 -j 1 --chunk-size 0 "$D"
expect options-not-changing-bytes-skip "$UNCH3"

# An output deleted: redone.
rm "$D/f1_processed.csv"
cb --incremental --select Name --timestamp T9 "$D"
expect output-deleted 'f1.csv:Success f2.csv:Unchanged f3.csv:Unchanged'

# An output edited to the same size: seen only with --verify (README, Limits).
sed -i 's/^n2,/q2,/' "$D/f2_processed.csv"
cb --incremental --select Name --timestamp T10 "$D"
expect output-edited-unseen-without-verify "$UNCH3"
cb --verify --select Name --timestamp T10 "$D"
expect output-edited-caught-by-verify 'f1.csv:Unchanged f2.csv:Success f3.csv:Unchanged' &&
    { grep -q '^n2,T10$' "$D/f2_processed.csv" && pass verify-output-restored ||
          fail verify-output-restored "$(cat "$D/f2_processed.csv")"; }

# --force: everything redone.
cb --force --select Name --timestamp T11 "$D"
expect force-redoes-all "$ALL3"

# An input deleted: a stale notice naming its output; --prune removes only what we wrote.
printf 'mine\n' >"$D/notes_processed.csv"
rm "$D/f3.csv"
cb --incremental --select Name --timestamp T12 "$D"
if [ "$(statuses)" = 'f1.csv:Unchanged f2.csv:Unchanged' ] &&
    grep -q "notice: .*stale: its input f3.csv is gone; its output .*/f3_processed.csv (--prune removes them)" "$W/err" &&
    [ -f "$D/f3_processed.csv" ]; then
    pass input-deleted-stale-notice
else
    fail input-deleted-stale-notice "$(statuses); $(cat "$W/err")"
fi
cb --prune --select Name --timestamp T12 "$D"
if [ ! -e "$D/f3_processed.csv" ] && [ -f "$D/notes_processed.csv" ] && [ -f "$D/f1_processed.csv" ] &&
    grep -q 'removed (--prune)' "$W/err"; then
    pass prune-removes-only-our-output
else
    fail prune-removes-only-our-output "$(ls "$D"); $(cat "$W/err")"
fi
cb --incremental --select Name --timestamp T12 "$D"
! grep -q stale "$W/err" && pass pruned-entry-forgotten || fail pruned-entry-forgotten "$(cat "$W/err")"

# A stale output edited by the user is not removed.
P=$W/p
make_inputs "$P" 2
cb --incremental "$P"
echo 'edited' >>"$P/f2_processed.csv"
rm "$P/f2.csv"
cb --prune "$P"
[ -f "$P/f2_processed.csv" ] && grep -q 'not removed by --prune: not the file csvbatch wrote' "$W/err" &&
    pass prune-keeps-edited-output || fail prune-keeps-edited-output "$(cat "$W/err")"

# ---- Bad manifests: one warning, everything processed, a good manifest written ----
for kind in corrupt truncated foreign; do
    C=$W/c-$kind
    make_inputs "$C" 3
    cb --incremental "$C"
    case $kind in
    corrupt) printf '{"tool": "csvbatch", garbage' >"$C/.csvbatch-manifest.json" ;;
    truncated) truncate -s 300 "$C/.csvbatch-manifest.json" ;;
    foreign) mkdir "$W/moved-$kind" && cp -p "$C"/* "$C/.csvbatch-manifest.json" "$W/moved-$kind/" &&
        C=$W/moved-$kind ;;
    esac
    cb --incremental "$C"
    nwarn=$(grep -c '^csvbatch: warning: .*\.csvbatch-manifest\.json: .*; every file is processed$' "$W/err")
    if [ "$(statuses)" = "$ALL3" ] && [ "$rc" = 0 ] && [ "$nwarn" = 1 ]; then
        cb --incremental "$C"
        expect "$kind-manifest-rewritten" "$UNCH3"
        pass "$kind-manifest-one-warning"
    else
        fail "$kind-manifest-one-warning" "$(statuses) rc=$rc warnings=$nwarn: $(cat "$W/err")"
    fi
done

# ---- Dry run: shows what would be redone, writes nothing ----
N=$W/n
make_inputs "$N" 3
cb -n --incremental "$N"
[ "$(statuses)" = "$ALL3" ] && [ -z "$(ls -A "$N" | grep -v '^f[0-9]\.csv$')" ] &&
    pass dry-run-fresh-writes-nothing || fail dry-run-fresh-writes-nothing "$(ls -A "$N")"
cb --incremental "$N"
sed -i 's/^n1,/n1111,/' "$N/f1.csv"
cp -p "$N/.csvbatch-manifest.json" "$W/manifest.before"
ls -lA --time-style=full-iso "$N" >"$W/ls.before"
cb -n --incremental "$N"
ls -lA --time-style=full-iso "$N" >"$W/ls.after"
if [ "$(statuses)" = 'f1.csv:Success f2.csv:Unchanged f3.csv:Unchanged' ] &&
    cmp -s "$W/manifest.before" "$N/.csvbatch-manifest.json" && cmp -s "$W/ls.before" "$W/ls.after" &&
    [ ! -e "$N/.csvbatch-manifest.journal" ]; then
    pass dry-run-shows-redo-writes-nothing
else
    fail dry-run-shows-redo-writes-nothing "$(statuses); $(diff "$W/ls.before" "$W/ls.after")"
fi

# ---- -o and -r: one manifest in the output root ----
R=$W/r
make_inputs "$R/sub" 2
cb --incremental -r -o "$W/r-out" "$R"
[ -f "$W/r-out/.csvbatch-manifest.json" ] && [ "$(manifest_field "$W/r-out" sub/f1_processed.csv input)" = "$(cd "$R" && pwd -P)/sub/f1.csv" ] &&
    pass output-dir-manifest || fail output-dir-manifest "$(ls -A "$W/r-out")"
cb --incremental -r -o "$W/r-out" "$R"
expect output-dir-recursive-unchanged 'f1.csv:Unchanged f2.csv:Unchanged'

# ---- Outputs beside the inputs, two directory arguments and a file named alone: a root each ----
M=$W/m
make_inputs "$M/a" 1
make_inputs "$M/b" 1
make_inputs "$M/c" 2
cb --incremental "$M/b" "$M/a" "$M/c/f2.csv"
cb --incremental "$M/a" "$M/c/f2.csv" "$M/b"
if [ -f "$M/a/.csvbatch-manifest.json" ] && [ -f "$M/b/.csvbatch-manifest.json" ] &&
    [ -f "$M/c/.csvbatch-manifest.json" ] && [ "$(manifest_field "$M/c" f2_processed.csv input)" = f2.csv ]; then
    expect roots-beside-inputs 'f1.csv:Unchanged f1.csv:Unchanged f2.csv:Unchanged'
else
    fail roots-beside-inputs "$(ls -A "$M"/*)"
fi

# ---- A file split into chunks (read with pread in parallel) is hashed by one sequential read ----
S=$W/s
mkdir -p "$S"
python3 -c '
import sys
with open(sys.argv[1], "w") as f:
    f.write("Name,ID,Status\n")
    for i in range(3000):
        f.write("name%05d,%d,Active\n" % (i, i))' "$S/big.csv"
touch -d "$OLD" "$S/big.csv"
cb --incremental --chunk-size 4096 -j 2 "$S"
expect chunked-first-run 'big.csv:Success'
cb --verify --chunk-size 4096 -j 2 "$S"
expect chunked-hash-verifies 'big.csv:Unchanged'
sed -i 's/^name01000,/eman01000,/' "$S/big.csv"
touch -d "$OLD" "$S/big.csv"
cb --incremental --chunk-size 4096 -j 2 "$S"
expect chunked-content-change-redone 'big.csv:Success'

# ---- Two runs on one root: the second waits, or fails with --no-wait ----
L=$W/l
make_inputs "$L" 2
cb --incremental "$L"
flock "$L/.csvbatch-manifest.lock" sleep 2 &
BG+=($!)
sleep 0.3
start=$(date +%s.%N)
cb --no-wait "$L"
if [ "$rc" = 2 ] && grep -q "another csvbatch --incremental run is using this output directory (--no-wait)" "$W/err" &&
    [ ! -s "$W/out" ]; then
    pass concurrent-no-wait-exit-2
else
    fail concurrent-no-wait-exit-2 "rc=$rc: $(cat "$W/err")"
fi
cb --incremental "$L"
waited=$(python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]) >= 1.2)" "$start" "$(date +%s.%N)")
[ "$waited" = True ] && expect concurrent-second-waits 'f1.csv:Unchanged f2.csv:Unchanged' ||
    fail concurrent-second-waits "did not wait for the lock"

# ---- SIGKILL at several moments: finished work kept, nothing unfinished recorded ----
K=$W/k
make_inputs "$K" 400
timeout 60 "$BIN" --no-progress -q --all-rows --timestamp TK -o "$W/k-ref" "$K" || fail kill-reference "rc=$?"
for at in 1 40 200; do
    O=$W/k-out-$at
    rm -rf "$O"
    # fsync on: each output costs a few milliseconds, so the run is still going when killed.
    "$BIN" --no-progress -q --incremental --all-rows --timestamp TK -j 2 -o "$O" "$K" &
    pid=$!
    for _ in $(seq 1 600); do
        [ -f "$O/.csvbatch-manifest.journal" ] &&
            [ "$(wc -l <"$O/.csvbatch-manifest.journal")" -ge "$at" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.01
    done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if [ -f "$O/.csvbatch-manifest.json" ]; then
        echo "SKIP sigkill-at-$at: the run finished before the kill"
        continue
    fi
    # Every journalled output exists whole, as the reference run wrote it.
    lines=$(python3 -c '
import json, os, sys
n = 0
for line in open(sys.argv[1] + "/.csvbatch-manifest.journal"):
    if not line.endswith("\n"):
        break
    e = json.loads(line)
    out = os.path.join(sys.argv[1], e["output"])
    if open(out, "rb").read() != open(os.path.join(sys.argv[2], e["output"]), "rb").read():
        sys.exit("journalled output differs: " + out)
    if os.path.getsize(out) != e["files"][0]["size"]:
        sys.exit("size differs: " + out)
    n += 1
print(n)' "$O" "$W/k-ref") || { fail "sigkill-at-$at" "$lines"; continue; }
    printf '{"output": "f999_proc' >>"$O/.csvbatch-manifest.journal" # a torn last line
    cb --verify --all-rows --timestamp TK2 -o "$O" "$K"
    unchanged=$(grep -c ',Unchanged,' "$W/out")
    if [ "$rc" = 0 ] && [ "$unchanged" = "$lines" ] && [ "$lines" -ge 1 ] &&
        # (temp files a SIGKILL left behind are hidden and never taken: not compared)
        diff <(cd "$O" && find . -type f ! -name '.csvbatch-*' ! -name '.*.tmp-*' | sort) \
            <(cd "$W/k-ref" && find . -type f | sort) >/dev/null &&
        [ ! -e "$O/.csvbatch-manifest.journal" ]; then
        pass "sigkill-at-$at-keeps-$lines-journalled"
    else
        fail "sigkill-at-$at" "rc=$rc unchanged=$unchanged journalled=$lines: $(head -c 300 "$W/err")"
    fi
    cb --incremental --all-rows --timestamp TK3 -o "$O" "$K"
    [ "$(grep -c ',Unchanged,' "$W/out")" = 400 ] && pass "sigkill-at-$at-then-all-unchanged" ||
        fail "sigkill-at-$at-then-all-unchanged" "$(grep -c ',Success,' "$W/out") redone"
done

# Compressed inputs and outputs: skipped when unchanged; a changed compressed input is redone;
# a changed compression level redoes the compressed output.
Z=$W/z
make_inputs "$Z" 2
gzip -n "$Z/f1.csv" && touch -d "$OLD" "$Z/f1.csv.gz"
cb --incremental --timestamp TZ "$Z"
expect compressed-first "f1.csv.gz:Success f2.csv:Success"
cb --incremental --timestamp TZ2 "$Z"
expect compressed-unchanged "f1.csv.gz:Unchanged f2.csv:Unchanged"
printf 'Name,ID,Status\nz,9,Active\n' | gzip -n >"$Z/f1.csv.gz" && touch -d "$OLD" "$Z/f1.csv.gz"
cb --incremental --timestamp TZ3 "$Z"
expect compressed-changed "f1.csv.gz:Success f2.csv:Unchanged" &&
    { [ "$(gzip -dc "$Z/f1_processed.csv.gz")" = "$(printf 'Name,ID,ProcessedDate\nz,9,TZ3')" ] ||
        fail compressed-changed-output "$(gzip -dc "$Z/f1_processed.csv.gz" | head -c 200)"; }

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
