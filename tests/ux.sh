#!/usr/bin/env bash
# Issue 13 items 17-21 and 23, end to end: what a new user trips on. The table fitted to a
# terminal (a real pseudo-terminal, script(1), 80 columns) and whole in a pipe; diagnostics after
# the table on a terminal, before it in a pipe; -o that cannot be used is one usage error, dry
# runs too; '-' as standard input; the -o directory and earlier outputs never read back; headers
# in messages as read, cut with "…", invisible characters and bad bytes escaped, JSON path_hex;
# --help width, ambiguous options, OMP_NUM_THREADS, the CSV summary's column order.
#
#   bash tests/ux.sh          (CSVBATCH=path picks another binary)
#
# Prints "PASS name" or "FAIL name: why" per test and ends with "N passed, M failed"; exits 1 if
# any failed, 2 if it cannot run. A few seconds; every call runs under `timeout 60` in a mktemp -d
# directory removed on exit.
set -u
export LC_ALL=C TZ=UTC

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${CSVBATCH:-$ROOT/build/release/csvbatch}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
[ -x "$BIN" ] || { echo "ux.sh: csvbatch binary not found: $BIN" >&2; exit 2; }
for tool in python3 timeout script stty gzip; do
    command -v "$tool" >/dev/null || { echo "ux.sh: $tool is required" >&2; exit 2; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/csvb-ux.XXXXXX")
trap 'chmod -R u+w "$W" 2>/dev/null; rm -rf "$W"' EXIT
export BIN

passed=0 failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
cb() { env -u NO_COLOR -u CLICOLOR_FORCE -u GITHUB_ACTIONS -u OMP_NUM_THREADS -u COLUMNS \
    timeout 60 "$BIN" --timestamp 2026-01-01T00:00:00Z "$@"; }
good() { printf 'Name,ID,Status\nA,1,Active\n' >"$1"; }
# expect NAME RC STDERR: the last call's exit status and exact standard error ($t/err).
expect() {
    local got; got=$(cat "$t/err")
    if [ "$rc" -ne "$2" ]; then fail "$1" "exit $rc, expected $2: $got"; return 1; fi
    if [ "$got" != "$3" ]; then fail "$1" "stderr '$got', expected '$3'"; return 1; fi
    return 0
}
fresh() { t=$W/$1; mkdir -p "$t"; cd "$t" || exit 2; }
# pty OUT COLS SHELL-COMMAND: the command with stdout and stderr on one pseudo-terminal COLS
# wide (CRs dropped).
pty() {
    script -qec "stty cols $2 rows 50; $3" /dev/null </dev/null | tr -d '\r' >"$1"
}
# The widest line of a file in terminal columns (escape sequences dropped, wide characters 2).
widest() {
    python3 - "$1" <<'EOF'
import re, sys, unicodedata
w = 0
for line in open(sys.argv[1], encoding="utf-8", errors="replace").read().split("\n"):
    line = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", line)
    cols = sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
    w = max(w, cols)
print(w)
EOF
}

# ---- item 17: the table fits the terminal; whole in a pipe ----
fresh fit
long=data/$(printf 'd%.0s' $(seq 40))/$(printf 'e%.0s' $(seq 34))   # 80 bytes with the '/'s
mkdir -p "$long"
for i in 1 2; do good "$long/report_for_the_quarter_number_$i.csv"; done
printf 'Name,ID,Status\nA,1,Active\nB,2\n' >"$long/report_for_the_quarter_number_3.csv"
pty "$t/tty" 80 'env -u NO_COLOR "$BIN" --timestamp 2026-01-01T00:00:00Z --no-progress -r data'
# The summary's lines (the diagnostics after it are whole messages: the terminal wraps them).
grep -v 'csvbatch:' "$t/tty" >"$t/summary"
w=$(widest "$t/summary")
if [ "$w" -gt 80 ]; then fail tty-table-fits-80 "a line is $w columns wide: $(cat "$t/tty")"
elif ! grep -q "csvbatch:.* $long/report_for_the_quarter_number_3.csv:3: expected 3 fields, found 2 (--on-bad-row pad fills short records with empty fields)$" "$t/tty"; then
    fail tty-table-fits-80 "no full diagnostic: $(cat "$t/tty")"
elif ! grep -q '^File  *Status .* Error$' "$t/tty"; then fail tty-table-fits-80 "no Error column: $(cat "$t/tty")"
elif ! grep -q "^Files and outputs in data/ddd.*eee/$" "$t/tty"; then fail tty-table-fits-80 "no prefix line: $(cat "$t/tty")"
elif ! grep -q '^rep.*_3\.csv .*Failed.* line 3: ' "$t/tty"; then fail tty-table-fits-80 "failed row without its error: $(cat "$t/tty")"
elif ! grep -q '…' "$t/tty"; then fail tty-table-fits-80 "nothing elided: $(cat "$t/tty")"
else pass tty-table-fits-80; fi

cb --no-progress -r data >"$t/pipe" 2>"$t/err"; rc=$?
if [ "$rc" -ne 1 ]; then fail pipe-table-whole "exit $rc"
elif ! grep -q "^$long/report_for_the_quarter_number_3.csv Failed .* line 3: expected 3 fields, found 2 (--on-bad-row pad fills short records with empty fields)$" "$t/pipe"; then
    fail pipe-table-whole "rows not whole: $(cat "$t/pipe")"
elif grep -q '…' "$t/pipe"; then fail pipe-table-whole "elided in a pipe"
else pass pipe-table-whole; fi

# A wide terminal gets the whole table, as a pipe does.
pty "$t/wide" 400 'env -u NO_COLOR "$BIN" --timestamp 2026-01-01T00:00:00Z --no-progress --color never -r data 2>/dev/null'
if grep -q '…' "$t/wide" || ! grep -q "^$long/report_for_the_quarter_number_1.csv Success" "$t/wide"; then
    fail tty-wide-whole "$(cat "$t/wide")"
else pass tty-wide-whole; fi

# ---- item 18: diagnostics after the table on a terminal, before it in a pipe ----
fresh diag-order
mkdir data; good data/a.csv; printf 'Name,ID,Status\nA,1,Active\nB,2\n' >data/b.csv
pty "$t/tty" 120 'env -u NO_COLOR "$BIN" --timestamp 2026-01-01T00:00:00Z --no-progress --color never data'
d=$(grep -n '^csvbatch: data/b.csv:3: expected 3 fields, found 2 (--on-bad-row pad fills short records with empty fields)$' "$t/tty" | cut -d: -f1)
s=$(grep -n '^2 files: ' "$t/tty" | cut -d: -f1)
if [ -z "$d" ] || [ -z "$s" ] || [ "$d" -le "$s" ]; then
    fail tty-diagnostics-after-table "diagnostic line ${d:-none}, totals line ${s:-none}: $(cat "$t/tty")"
else pass tty-diagnostics-after-table; fi
cb --no-progress data >"$t/both" 2>&1; rc=$?
if [ "$rc" -ne 1 ] || [ "$(head -1 "$t/both")" != "csvbatch: data/b.csv:3: expected 3 fields, found 2 (--on-bad-row pad fills short records with empty fields)" ]; then
    fail pipe-diagnostics-first "$(cat "$t/both")"
else pass pipe-diagnostics-first; fi

# -o that cannot be used: one usage error before any work, in a dry run too.
fresh outdir-is-file
mkdir data; for i in 1 2 3; do good data/f$i.csv; done; printf 'x\n' >out
for dry in "" -n; do
    cb $dry -o out data >"$t/out" 2>"$t/err"; rc=$?
    expect "outdir-is-file${dry}" 2 "csvbatch: -o: 'out' is not a directory" &&
        { [ ! -s "$t/out" ] && pass "outdir-is-file${dry}" || fail "outdir-is-file${dry}" "stdout: $(cat "$t/out")"; }
done
cb -o out/sub data >"$t/out" 2>"$t/err"; rc=$?
expect outdir-under-file 2 "csvbatch: -o: cannot access 'out/sub': Not a directory" && pass outdir-under-file
cb -n -o new/deeper data >"$t/out" 2>"$t/err"; rc=$?
expect outdir-missing-is-fine 0 "" && { [ ! -e new ] && pass outdir-missing-is-fine || fail outdir-missing-is-fine "dry run created it"; }

fresh outdir-readonly
mkdir data ro; good data/a.csv; good data/b.csv; chmod 555 ro
chmod -R a+rX "$W"; chmod a+rwx "$t"
if [ "$(id -u)" = 0 ]; then
    if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
        run_ro() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"; }
    else run_ro() { return 77; }; fi
else run_ro() { "$@"; }; fi
for dry in "" -n; do
    run_ro env -u OMP_NUM_THREADS timeout 60 "$BIN" $dry -o ro/sub data >"$t/out" 2>"$t/err"; rc=$?
    if [ "$rc" -eq 77 ]; then echo "SKIP outdir-readonly: no user without root's rights"; break; fi
    expect "outdir-readonly${dry}" 2 "csvbatch: -o: cannot create 'ro/sub': cannot write in 'ro': Permission denied" &&
        pass "outdir-readonly${dry}"
done

# ---- item 19: '-' is standard input ----
fresh stdin
printf 'Name,ID,Status\nA,1,Active\nB,2,Inactive\nC,3,active\n' >in.csv
want=$'Name,ID,ProcessedDate\nA,1,2026-01-01T00:00:00Z\nC,3,2026-01-01T00:00:00Z'
cb - <in.csv >"$t/out" 2>"$t/err"; rc=$?
expect stdin-to-stdout 0 "" && { [ "$(cat "$t/out")" = "$want" ] && pass stdin-to-stdout ||
    fail stdin-to-stdout "stdout: $(cat "$t/out")"; }
cat in.csv | cb --chunk-size 4K -j 2 - >"$t/out" 2>"$t/err"; rc=$?
expect stdin-pipe 0 "" && { [ "$(cat "$t/out")" = "$want" ] && pass stdin-pipe || fail stdin-pipe "$(cat "$t/out")"; }
gzip -c in.csv | cb - >"$t/out" 2>"$t/err"; rc=$?
expect stdin-gzip 0 "" && { [ "$(cat "$t/out")" = "$want" ] && pass stdin-gzip || fail stdin-gzip "$(cat "$t/out")"; }
printf 'Name,ID,Status\nA,1,Active\nB,2\n' | cb - >"$t/out" 2>"$t/err"; rc=$?
expect stdin-error-line 1 "csvbatch: -:3: expected 3 fields, found 2 (--on-bad-row pad fills short records with empty fields)" &&
    { [ ! -s "$t/out" ] && pass stdin-error-line || fail stdin-error-line "stdout: $(cat "$t/out")"; }
cb -o outdir - in.csv <in.csv >"$t/out" 2>"$t/err"; rc=$?
expect stdin-to-outdir 0 "" && { [ "$(cat outdir/stdin_processed.csv)" = "$want" ] &&
    [ "$(cat outdir/in_processed.csv)" = "$want" ] && grep -q '^-  *Success .* outdir/stdin_processed.csv ' "$t/out" &&
    pass stdin-to-outdir || fail stdin-to-outdir "$(cat "$t/out"; ls outdir)"; }
cb -n - <in.csv >"$t/out" 2>"$t/err"; rc=$?
expect stdin-dry-run 0 "" && { grep -q '^-  *Success  *3  *2 -  ' "$t/out" && pass stdin-dry-run ||
    fail stdin-dry-run "$(cat "$t/out")"; }
cb - - <in.csv >"$t/out" 2>"$t/err"; rc=$?
expect stdin-twice 2 "csvbatch: '-' (standard input) is named more than once" && pass stdin-twice
cb --incremental - <in.csv >"$t/out" 2>"$t/err"; rc=$?
expect stdin-incremental 2 "csvbatch: --incremental cannot tell whether standard input ('-') changed; save it to a file first" &&
    pass stdin-incremental
cb --on-bad-row skip --rejects - <in.csv >"$t/out" 2>"$t/err"; rc=$?
expect stdin-rejects 2 "csvbatch: --rejects: '-' writes its output to standard output; name a directory for both files with -o DIR" &&
    pass stdin-rejects

# ---- item 20: earlier outputs never come back as inputs ----
fresh outdir-in-tree
mkdir -p data/sub; good data/a.csv; good data/sub/b.csv
cb -q -r -o data/out data 2>"$t/err"; rc=$?
expect outdir-in-tree-first 0 "" && pass outdir-in-tree-first
cb -r -o data/out --suffix _v2 data >"$t/out" 2>"$t/err"; rc=$?
expect outdir-in-tree-second 0 "csvbatch: notice: data/out: not descending: it is the output directory (-o)" &&
    { [ "$(find data/out -name '*.csv' | sort | tr '\n' ' ')" = "data/out/a_processed.csv data/out/a_v2.csv data/out/sub/b_processed.csv data/out/sub/b_v2.csv " ] &&
        pass outdir-in-tree-second || fail outdir-in-tree-second "$(find data/out | sort)"; }

fresh suffix-changed
mkdir data; good data/a.csv
cb -q data 2>"$t/err"; rc=$?
cb -q --suffix _clean data 2>"$t/err"; rc=$?
expect suffix-changed 0 "csvbatch: notice: data: 1 file named like outputs of the default suffix (*_processed.csv) was left out; name it as an argument to read it" &&
    { [ ! -e data/a_processed_clean.csv ] && [ -e data/a_clean.csv ] && pass suffix-changed ||
        fail suffix-changed "$(ls data)"; }

fresh only-outputs
mkdir data; for n in a b c; do good data/${n}_processed.csv; done
cb data >"$t/out" 2>"$t/err"; rc=$?
expect only-outputs 0 "csvbatch: notice: data: no CSV files found: 3 files named like outputs (*_processed.csv, *_rejects.csv) were left out; name them as arguments to read them" &&
    pass only-outputs

# ---- item 21: headers and names in messages ----
fresh headers
good a.csv
cb -q -d a a.csv 2>"$t/err"; rc=$?
expect header-delimiter 1 "csvbatch: a.csv:1: expected a column named 'Status' (filter), found header: Name,ID,Status" &&
    pass header-delimiter
printf 'Nam;\xef\xbb\xbfID;"x;y"\n1;2;3\n' >semi.csv
cb -q -d ';' semi.csv 2>"$t/err"; rc=$?
expect header-invisible-escaped 1 'csvbatch: semi.csv:1: expected a column named '"'Status'"' (filter), found header: Nam;\ufeffID;"x;y"' &&
    pass header-invisible-escaped
python3 -c "print(','.join('Column%03d' % i for i in range(100)))" >wide.csv
cb -q wide.csv 2>"$t/err"; rc=$?
hdr=$(sed -n 's/.*found header: //p' "$t/err")
if [ "$rc" -ne 1 ] || [ "$(printf %s "$hdr" | wc -c)" -ne 403 ] || [ "${hdr: -3}" != "…" ] ||
    [ "${hdr:0:20}" != "Column000,Column001," ]; then
    fail header-cut-400 "exit $rc, $(printf %s "$hdr" | wc -c) bytes: $hdr"
else pass header-cut-400; fi

fresh bad-names
printf 'Name,ID,Status\nA,1,Active,x\n' >"caf$(printf '\351').csv"
cb --format json . >"$t/out" 2>"$t/err"; rc=$?
expect name-bad-byte-escaped 1 'csvbatch: ./caf\xE9.csv:2: expected 3 fields, found 4' && pass name-bad-byte-escaped
if python3 -c '
import json, sys
f = json.load(open(sys.argv[1]))["files"][0]
sys.exit(0 if bytes.fromhex(f["path_hex"]) == b"./caf\xe9.csv" and f["path"] == "./caf\ufffd.csv" else 1)' "$t/out"; then
    pass json-path-hex
else fail json-path-hex "$(cat "$t/out")"; fi

# ---- item 23: small ones ----
fresh small
good a.csv
w=$("$BIN" --help | awk '{ if (length($0) > m) m = length($0) } END { print m }')
[ "$w" -le 80 ] && pass help-80-columns || fail help-80-columns "widest line $w"
cb --no-f a.csv >"$t/out" 2>"$t/err"; rc=$?
expect option-ambiguous 2 "csvbatch: option '--no-f' is ambiguous; it could be --no-fsync, --no-fast-path
Try 'csvbatch --help' for more information." && pass option-ambiguous
env OMP_NUM_THREADS=abc timeout 60 "$BIN" -q --report r.json a.csv 2>"$t/err"; rc=$?
threads=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["options"]["jobs"])' r.json 2>/dev/null)
expect omp-invalid 0 "csvbatch: warning: ignoring OMP_NUM_THREADS='abc' (not a thread count from 1 to 1024); using $threads threads" &&
    pass omp-invalid
env OMP_NUM_THREADS=2000 timeout 60 "$BIN" -q --report r.json a.csv 2>"$t/err"; rc=$?
threads=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["options"]["jobs"])' r.json 2>/dev/null)
expect omp-above-cap 0 "csvbatch: warning: ignoring OMP_NUM_THREADS='2000' (not a thread count from 1 to 1024); using $threads threads" &&
    { [ "$threads" -le 1024 ] && pass omp-above-cap || fail omp-above-cap "threads $threads"; }
env OMP_NUM_THREADS=3 timeout 60 "$BIN" -q --report r.json a.csv 2>"$t/err"; rc=$?
threads=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["options"]["jobs"])' r.json 2>/dev/null)
expect omp-valid 0 "" && { [ "$threads" = 3 ] && pass omp-valid || fail omp-valid "threads $threads"; }
cb --on-bad-row skip --format csv a.csv >"$t/out" 2>"$t/err"; rc=$?
expect csv-rejected-last 0 "" && { [ "$(head -1 "$t/out")" = "File,Status,RowsRead,RowsWritten,Output,Error,Seconds,RowsRejected" ] &&
    pass csv-rejected-last || fail csv-rejected-last "$(head -1 "$t/out")"; }

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
