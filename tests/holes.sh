#!/usr/bin/env bash
# Issue 13's holes, end to end: nothing the run writes replaces an input or another written file
# (--report, --junit, rejects files; by name and through links), files left out by --deadline or
# --max-failures fail the exit code while a FIFO notice does not, a closed stdout pipe, the
# README's first set-up command, and the walk: links to directories (-L), entries it cannot
# examine, hard links.
#
#   bash tests/holes.sh          (CSVBATCH=path picks another binary)
#
# Prints "PASS name" or "FAIL name: why" per test and ends with "N passed, M failed"; exits 1 if
# any failed, 2 if it cannot run. A few seconds; every call runs under `timeout 60` in a mktemp -d
# directory removed on exit.
set -u
export LC_ALL=C TZ=UTC

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${CSVBATCH:-$ROOT/build/release/csvbatch}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
[ -x "$BIN" ] || { echo "holes.sh: csvbatch binary not found: $BIN" >&2; exit 2; }
for tool in python3 timeout mkfifo head; do
    command -v "$tool" >/dev/null || { echo "holes.sh: $tool is required" >&2; exit 2; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/csvb-holes.XXXXXX")
trap 'rm -rf "$W"' EXIT

passed=0 failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
cb() { timeout 60 "$BIN" --timestamp 2026-01-01T00:00:00Z "$@"; }
good() { printf 'Name,ID,Status\nA,1,Active\n' >"$1"; }
# expect NAME RC STDERR: the last call's exit status and exact standard error ($t/err).
expect() {
    local got; got=$(cat "$t/err")
    if [ "$rc" -ne "$2" ]; then fail "$1" "exit $rc, expected $2: $got"; return 1; fi
    if [ "$got" != "$3" ]; then fail "$1" "stderr '$got', expected '$3'"; return 1; fi
    return 0
}
fresh() { t=$W/$1; mkdir -p "$t"; cd "$t" || exit 2; }

# ---- item 1: --report / --junit never overwrite an input or a written file (usage error, 2) ----
fresh report-is-input
good in.csv; cp in.csv want
cb --report in.csv in.csv >out 2>err; rc=$?
expect report-is-input 2 "csvbatch: --report: 'in.csv' is an input file (a link to one?); refusing to overwrite it" &&
    { cmp -s in.csv want && [ ! -e in_processed.csv ] && pass report-is-input ||
        fail report-is-input "in.csv changed or an output was written"; }

fresh report-hard-link-to-input
good in.csv; ln in.csv link.json; cp in.csv want
cb --report link.json in.csv >out 2>err; rc=$?
expect report-hard-link-to-input 2 "csvbatch: --report: 'link.json' is an input file (a link to one?); refusing to overwrite it" &&
    { cmp -s in.csv want && [ ! -e in_processed.csv ] && pass report-hard-link-to-input ||
        fail report-hard-link-to-input "in.csv changed or an output was written"; }

fresh report-symlink-in-dir
mkdir data; good data/in.csv; ln -s data/in.csv r.json; cp data/in.csv want
cb --report r.json data >out 2>err; rc=$?
expect report-symlink-in-dir 2 "csvbatch: --report: 'r.json' is an input file (a link to one?); refusing to overwrite it" &&
    { cmp -s data/in.csv want && pass report-symlink-in-dir || fail report-symlink-in-dir "input changed"; }

fresh report-is-output
good in.csv
cb --report ./in_processed.csv in.csv >out 2>err; rc=$?
expect report-is-output 2 "csvbatch: --report: './in_processed.csv' is also the output of in.csv" &&
    { [ ! -e in_processed.csv ] && pass report-is-output || fail report-is-output "file written"; }

fresh report-is-rejects
good in.csv
cb --on-bad-row skip --rejects --report in_rejects.csv in.csv >out 2>err; rc=$?
expect report-is-rejects 2 "csvbatch: --report: 'in_rejects.csv' is also the rejects file of in.csv" &&
    { [ ! -e in_processed.csv ] && [ ! -e in_rejects.csv ] && pass report-is-rejects ||
        fail report-is-rejects "file written"; }

fresh junit-is-input
good in.csv; cp in.csv want
cb --junit in.csv in.csv >out 2>err; rc=$?
expect junit-is-input 2 "csvbatch: --junit: 'in.csv' is an input file (a link to one?); refusing to overwrite it" &&
    { cmp -s in.csv want && pass junit-is-input || fail junit-is-input "in.csv changed"; }

fresh report-and-junit-same
good in.csv; mkdir sub
cb --report sub/r.xml --junit ./sub/../sub/r.xml in.csv >out 2>err; rc=$?
expect report-and-junit-same 2 "csvbatch: --report and --junit name the same file 'sub/r.xml'" &&
    { [ ! -e sub/r.xml ] && [ ! -e in_processed.csv ] && pass report-and-junit-same ||
        fail report-and-junit-same "file written"; }

fresh report-fine
good in.csv
cb -q --report r.json in.csv >out 2>err; rc=$?
expect report-fine 0 "" && { [ -s r.json ] && [ -s in_processed.csv ] && pass report-fine ||
    fail report-fine "report or output missing"; }

# ---- item 2: rejects files are checked like outputs ----
fresh rejects-is-input
printf 'Name,ID,Status\nA,1,Active\nB,2\n' >x.csv; cp x.csv x_rejects.csv; cp x.csv want
cb --on-bad-row skip --rejects x.csv x_rejects.csv >out 2>err; rc=$?
expect rejects-is-input 1 "csvbatch: x.csv: rejects file x_rejects.csv is an input file (a link to one?); refusing to overwrite it" &&
    { cmp -s x_rejects.csv want && [ ! -e x_processed.csv ] && [ -s x_rejects_processed.csv ] &&
        grep -Eq '^x\.csv +Failed ' out && pass rejects-is-input ||
        fail rejects-is-input "x_rejects.csv replaced, or wrong outputs: $(ls) $(cat out)"; }

fresh rejects-is-own-output
printf 'Name,ID,Status\nA,1,Active\nB,2\n' >x.csv
cb --suffix _rejects --on-bad-row skip --rejects x.csv >out 2>err; rc=$?
expect rejects-is-own-output 1 "csvbatch: x.csv: output x_rejects.csv would also be written from x.csv (as its rejects file)" &&
    { [ ! -e x_rejects.csv ] && grep -Eq '^x\.csv +Failed ' out && pass rejects-is-own-output ||
        fail rejects-is-own-output "x_rejects.csv written or x.csv not failed: $(cat out)"; }

fresh rejects-hard-link-to-output
printf 'Name,ID,Status\nA,1,Active\nB,2\n' >x.csv; good y.csv; good y_processed.csv
ln y_processed.csv x_rejects.csv
cb --on-bad-row skip --rejects x.csv y.csv >out 2>err; rc=$?
if [ "$rc" -eq 1 ] && grep -Eq '^x\.csv +Failed ' out && grep -Eq '^y\.csv +Failed ' out &&
    [ "$(cat err)" = "csvbatch: x.csv: rejects file x_rejects.csv would also be written from y.csv
csvbatch: y.csv: output y_processed.csv would also be written from x.csv (as its rejects file)" ]; then
    pass rejects-hard-link-to-output
else
    fail rejects-hard-link-to-output "exit $rc: $(cat out err)"
fi

# ---- item 7: files left out fail the exit code; a FIFO notice does not ----
fresh deadline-exit
good a.csv; good b.csv
cb --deadline 0.000001 a.csv b.csv >out 2>err; rc=$?
expect deadline-exit 1 "csvbatch: notice: a.csv: not started: --deadline passed
csvbatch: notice: b.csv: not started: --deadline passed" &&
    { [ ! -e a_processed.csv ] && grep -q '2 files: 0 succeeded, 0 failed, 2 skipped\.' out &&
        pass deadline-exit || fail deadline-exit "$(cat out)"; }

fresh max-failures-exit
# a.csv is the larger, so it runs first (largest first) and fails; b.csv is then not started.
printf 'Name,ID,Status\nA,1,Active\nB,2,Active\nC,3\n' >a.csv; good b.csv
cb -j 1 --max-failures 1 a.csv b.csv >out 2>err; rc=$?
[ "$rc" -eq 1 ] && grep -Eq '^b\.csv +Skipped .*not started: --max-failures reached$' out &&
    pass max-failures-exit || fail max-failures-exit "exit $rc: $(cat out err)"

fresh report-exit-code-deadline
good a.csv
cb -q --deadline 0.000001 --report r.json a.csv >out 2>err; rc=$?
code=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["exit_code"])' r.json 2>&1)
[ "$rc" -eq 1 ] && [ "$code" = 1 ] && pass report-exit-code-deadline ||
    fail report-exit-code-deadline "exit $rc, report exit_code $code"

fresh fifo-notice-exit-0
mkdir d; good d/a.csv; mkfifo d/p.csv
cb d >out 2>err; rc=$?
expect fifo-notice-exit-0 0 "csvbatch: notice: d/p.csv: skipped: not a regular file (named pipe)" &&
    { [ -s d/a_processed.csv ] && pass fifo-notice-exit-0 || fail fifo-notice-exit-0 "no output"; }

# ---- item 13: a closed stdout pipe ----
fresh closed-pipe-head
mkdir d; for i in $(seq 1000 2499); do good "d/f$i.csv"; done
( cb --report r.json d 2>err; echo $? >rc ) | head -1 >first
rc=$(cat rc)
code=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["exit_code"])' r.json 2>&1)
expect closed-pipe-head 1 "csvbatch: standard output is closed (broken pipe): the summary was not written" &&
    { [ "$code" = 1 ] && grep -q '^File ' first && [ -s d/f2499_processed.csv ] &&
        pass closed-pipe-head || fail closed-pipe-head "report exit_code $code, first '$(cat first)'"; }

fresh closed-pipe-before-start
good a.csv
( sleep 0.3; cb --report r.json a.csv 2>err; echo $? >rc ) | true
rc=$(cat rc)
expect closed-pipe-before-start 1 "csvbatch: standard output is closed (broken pipe): the summary was not written" &&
    { [ -s r.json ] && [ -s a_processed.csv ] && pass closed-pipe-before-start ||
        fail closed-pipe-before-start "report or output missing"; }

# ---- item 3: -r does not follow a link to a directory unless -L; never writes outside the trees ----
fresh no-follow-default
mkdir data outside; good outside/secret.csv; good data/in.csv; ln -s ../outside data/link
cb -r data >out 2>err; rc=$?
expect no-follow-default 0 "csvbatch: notice: data/link: skipped: symbolic link to a directory (-L follows it)" &&
    { [ ! -e outside/secret_processed.csv ] && [ -s data/in_processed.csv ] &&
        grep -q '^data/link *Skipped ' out && pass no-follow-default || fail no-follow-default "$(cat out)"; }

fresh follow-outside-fails
mkdir data outside; good outside/secret.csv; good data/in.csv; ln -s ../outside data/link
mkdir data/real; good data/real/r.csv; ln -s real data/inlink
cb -r -L data >out 2>err; rc=$?
expect follow-outside-fails 1 "csvbatch: notice: data/real/r.csv: same file as data/inlink/r.csv; processed once
csvbatch: data/link/secret.csv: its output would be written outside the directories named (through a symbolic link); use -o DIR" &&
    { [ ! -e outside/secret_processed.csv ] && [ -s data/inlink/r_processed.csv ] &&
        grep -q '^data/link/secret.csv *Failed ' out && pass follow-outside-fails ||
        fail follow-outside-fails "$(cat out)"; }

fresh follow-outside-two-trees
mkdir data outside; good outside/secret.csv; ln -s ../outside data/link
cb -r --follow data outside >out 2>err; rc=$?
expect follow-outside-two-trees 0 "csvbatch: notice: outside/secret.csv: same file as data/link/secret.csv; processed once" &&
    { [ -s outside/secret_processed.csv ] && pass follow-outside-two-trees ||
        fail follow-outside-two-trees "$(cat out)"; }

fresh follow-with-o
mkdir data outside; good outside/secret.csv; ln -s ../outside data/link
cb -r -L -o out data >out.txt 2>err; rc=$?
expect follow-with-o 0 "" &&
    { [ -s out/link/secret_processed.csv ] && [ ! -e outside/secret_processed.csv ] &&
        pass follow-with-o || fail follow-with-o "$(cat out.txt)"; }

# ---- item 5: an entry the walk cannot examine or enter is a Failed row (exit 1) ----
fresh unsearchable-dir
if command -v runuser >/dev/null && [ "$(id -u)" = 0 ] && runuser -u nobody -- true 2>/dev/null; then
    chmod 755 "$W" "$t"; mkdir -p d/sub; good d/a.csv; good d/sub/b.csv
    chmod 744 d # read, no search, for nobody
    runuser -u nobody -- timeout 60 "$BIN" --timestamp 2026-01-01T00:00:00Z -r d >out 2>err; rc=$?
    chmod 755 d
    expect unsearchable-dir 1 "csvbatch: d/a.csv: cannot examine: Permission denied
csvbatch: d/sub: cannot examine: Permission denied" &&
        { grep -q '^d/a.csv *Failed ' out && grep -q '^d/sub *Failed ' out &&
            grep -q ' 2 failed, 0 skipped\.' out && pass unsearchable-dir ||
            fail unsearchable-dir "$(cat out)"; }
    fresh unreadable-subdir
    chmod 755 "$t"; mkdir -p d/sub; good d/a.csv; good d/sub/b.csv; chmod 700 d/sub
    runuser -u nobody -- timeout 60 "$BIN" --timestamp 2026-01-01T00:00:00Z -r --dry-run d >out 2>err; rc=$?
    expect unreadable-subdir 1 "csvbatch: d/sub: cannot read directory: Permission denied" &&
        { grep -q '^d/sub *Failed ' out && pass unreadable-subdir || fail unreadable-subdir "$(cat out)"; }
else
    echo "SKIP unsearchable-dir: needs root and runuser -u nobody to make permissions bite"
fi

# ---- item 6: hard links at two paths are two files; the same path twice is one, with a notice ----
fresh hard-link-snapshots
mkdir snap1; good snap1/a.csv; cp -al snap1 snap2
cb snap1 snap2 >out 2>err; rc=$?
expect hard-link-snapshots 0 "" &&
    { [ -s snap1/a_processed.csv ] && cmp -s snap1/a_processed.csv snap2/a_processed.csv &&
        grep -q '^2 files: 2 succeeded' out && pass hard-link-snapshots ||
        fail hard-link-snapshots "$(cat out)"; }

fresh hard-link-same-dir
good a.csv; ln a.csv b.csv
cb a.csv b.csv >out 2>err; rc=$?
expect hard-link-same-dir 0 "" &&
    { [ -s a_processed.csv ] && [ -s b_processed.csv ] && pass hard-link-same-dir ||
        fail hard-link-same-dir "$(cat out)"; }

fresh same-path-twice
mkdir d; good d/a.csv; ln -s d/a.csv l.csv
cb d/a.csv ./d/a.csv d l.csv >out 2>err; rc=$?
expect same-path-twice 0 "csvbatch: notice: ./d/a.csv: same file as d/a.csv; processed once
csvbatch: notice: d/a.csv: same file as d/a.csv; processed once
csvbatch: notice: l.csv: same file as d/a.csv; processed once" &&
    { grep -q '^1 file: 1 succeeded' out && [ ! -e l_processed.csv ] && pass same-path-twice ||
        fail same-path-twice "$(cat out)"; }

# ---- item 22: the README's first set-up command succeeds ----
fresh readme-first-command
line=$(grep -m1 '^bash scripts/install-deps.sh && make && ' "$ROOT/README.md")
run=${line#bash scripts/install-deps.sh && make && }
run=${run//build\/release\/csvbatch/\"\$BIN\"}
if [ -z "$line" ] || [ "$run" = "$line" ]; then
    fail readme-first-command "README has no 'install-deps && make && csvbatch' line"
else
    (cd "$ROOT" && TMPDIR=$t BIN=$BIN timeout 60 bash -c "$run" >"$t/out" 2>"$t/err"); rc=$?
    expect readme-first-command 0 "" &&
        { grep -q '^4 files: 4 succeeded, 0 failed, 0 skipped\.' out && pass readme-first-command ||
            fail readme-first-command "$(cat out)"; }
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
