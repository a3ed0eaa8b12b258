#!/usr/bin/env bash
# Operator features that depend on time or on a terminal, checked with grep/python rather than
# goldens (tests/e2e covers the deterministic ones):
#   progress line on a pseudo-terminal (redraws, erase before the summary; none without a terminal,
#   with -q or --no-progress; forced into a pipe by --progress), --timeout on a stalled stream and on
#   a big file (whole and chunked), --deadline, --report after a failure and after SIGINT (sent
#   once, and relayed twice by a plain `timeout` wrapper).
#
#   bash tests/operators.sh            (CSVBATCH=path picks another binary)
#
# Prints "PASS name" or "FAIL name: why" per test and ends with "N passed, M failed"; exits 1 if any
# test failed, 2 if it cannot run. It takes about 10 s. Every csvbatch call runs under `timeout 30`
# (`timeout --foreground 30` where a signal must reach csvbatch only once), in a mktemp -d
# directory removed on exit; background FIFO writers are single processes killed by PID.
set -u
export LC_ALL=C TZ=UTC

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${CSVBATCH:-$ROOT/build/release/csvbatch}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
[ -x "$BIN" ] || { echo "operators.sh: csvbatch binary not found: $BIN (run make, or set CSVBATCH)" >&2; exit 2; }
for tool in python3 timeout mkfifo find; do
    command -v "$tool" >/dev/null || { echo "operators.sh: $tool is required" >&2; exit 2; }
done

W=$(mktemp -d "${TMPDIR:-/tmp}/csvb-ops.XXXXXX")
WRITERS=()
cleanup() {
    local p
    for p in "${WRITERS[@]}"; do
        kill "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

passed=0
failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

cb() { timeout 30 "$BIN" "$@"; }

# now: seconds since the epoch, with fractions.
now() { date +%s.%N; }
# elapsed START: seconds since START, 3 decimals.
elapsed() { python3 -c 'import sys, time; print("%.3f" % (time.time() - float(sys.argv[1])))' "$1"; }
# between X LO HI: LO <= X <= HI (decimals).
between() { python3 -c 'import sys; x, lo, hi = map(float, sys.argv[1:]); sys.exit(0 if lo <= x <= hi else 1)' "$@"; }

# writer FIFO TEXT [DELAY TEXT]...: one background process that opens FIFO for writing, writes
# TEXT, then for each DELAY TEXT pair sleeps DELAY seconds and writes TEXT (printf escapes such as
# \n are honoured). It stops quietly when the reader goes away. Its PID is killed on exit.
writer() {
    local fifo=$1
    shift
    python3 -c '
import sys, time, signal
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
args = [a.encode().decode("unicode_escape") for a in sys.argv[1:]]
out = sys.stdout
out.write(args[0]); out.flush()
for delay, text in zip(args[1::2], args[2::2]):
    time.sleep(float(delay)); out.write(text); out.flush()
' "$@" >"$fifo" 2>/dev/null &
    WRITERS+=($!)
}

# on_pty OUT CMD...: runs CMD with stdin, stdout and stderr on a new pseudo-terminal (80 columns)
# and writes everything it printed there to OUT (the terminal turns \n into \r\n). Returns CMD's
# exit status.
on_pty() {
    local out=$1
    shift
    python3 - "$out" "$@" <<'EOF'
import fcntl, os, struct, subprocess, sys, termios
out, cmd = sys.argv[1], sys.argv[2:]
master, slave = os.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
p = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, close_fds=True)
os.close(slave)
data = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: every process holding the terminal has gone
        break
    if not chunk:
        break
    data += chunk
rc = p.wait()
open(out, "wb").write(data)
sys.exit(rc)
EOF
}

# small FILE...: a small valid input in each FILE (3 rows, 2 active).
small() {
    local f
    for f in "$@"; do
        printf 'Name,ID,Status\n%s one,1,Active\n%s two,2,Inactive\n%s three,3,active\n' "${f##*/}" "${f##*/}" "${f##*/}" >"$f"
    done
}

# big FILE MB: a valid input of about MB megabytes (every row active).
big() {
    python3 - "$1" "$2" <<'EOF'
import sys
path, mb = sys.argv[1], float(sys.argv[2])
row = "".join("Person %d,%d,Active,%s\n" % (i, i, "x" * 40) for i in range(2000)).encode()
with open(path, "wb") as f:
    f.write(b"Name,ID,Status,Pad\n")
    n = 0
    while n < mb * 1e6:
        f.write(row)
        n += len(row)
EOF
}

# temps DIR: the temp files (.NAME.tmp-*) under DIR, one per line.
temps() { find "$1" -name '.*.tmp-*' 2>/dev/null; }

# ---------------------------------------------------------------------------------------------
# Progress on a terminal: a slow FIFO (a row every 0.25 s for 1.5 s) keeps the run going, so the
# line is redrawn several times; it shows "N/M files", the bytes, "MB/s" and the current file, and
# is erased with \r\033[K right before the summary ("File" header) on the same terminal.
t=$W/progress-tty
mkdir -p "$t"
small "$t/a.csv"
mkfifo "$t/slow.csv"
writer "$t/slow.csv" 'Name,ID,Status\n' 0.25 'r1,1,Active\n' 0.25 'r2,2,Active\n' 0.25 'r3,3,Active\n' \
    0.25 'r4,4,Active\n' 0.25 'r5,5,Active\n' 0.25 'r6,6,Active\n'
(cd "$t" && on_pty "$t/pty.out" timeout 30 "$BIN" -j 1 --timestamp 2026-01-01T00:00:00Z a.csv slow.csv)
rc=$?
if ! why=$(python3 - "$t/pty.out" 2>&1 <<'EOF'
import re, sys
data = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
ERASE = "\r\x1b[K"
head, sep, _ = data.partition("File ")
if not sep:
    sys.exit("no summary header 'File' on the terminal")
if ERASE not in head:
    sys.exit("no progress line was drawn on the terminal before the summary")
if not head.endswith(ERASE):
    sys.exit("the progress line is not erased (\\r\\033[K) right before the summary: ends with %r" % head[-40:])
draws = [d for d in head.split(ERASE) if d]
if len(draws) < 3:
    sys.exit("expected several redraws over ~1.5 s, got %d: %r" % (len(draws), draws))
line = re.compile(r"^\d+/2 files, [0-9.]+ [KMG]?B(/[0-9.]+ [KMG]?B)?, [0-9.]+ MB/s(, ETA \d+:\d\d)?( \| .+)?$")
bad = [d for d in draws if not line.match(d)]
if bad:
    sys.exit("redraw not of the form 'N/M files, X[/Y], R MB/s[, ETA m:ss][ | file]': %r" % bad[0])
if not any("slow.csv" in d and "files" in d and "MB/s" in d for d in draws):
    sys.exit("no redraw names the current file slow.csv: %r" % draws)
if any("\n" in d for d in draws):
    sys.exit("a redraw contains a newline")
EOF
); then
    fail progress-tty "$why"
elif [ $rc -ne 0 ]; then
    fail progress-tty "exit $rc, expected 0"
else
    pass progress-tty
fi

# The same run with stdout in a file: the terminal (stderr) ends with the erase, nothing after it.
t=$W/progress-tty-stderr-only
mkdir -p "$t"
small "$t/a.csv"
mkfifo "$t/slow.csv"
writer "$t/slow.csv" 'Name,ID,Status\n' 0.3 'r1,1,Active\n' 0.3 'r2,2,Active\n'
# shellcheck disable=SC2016 # $0 expands in the inner shell
(cd "$t" && on_pty "$t/pty.out" bash -c 'timeout 30 "$0" -j 1 --timestamp 2026-01-01T00:00:00Z a.csv slow.csv >stdout.txt' "$BIN")
rc=$?
if [ $rc -ne 0 ]; then
    fail progress-erased-last "exit $rc, expected 0"
elif ! python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); sys.exit(0 if d.endswith(b"\r\x1b[K") and d.count(b"\r\x1b[K") >= 3 else 1)' "$t/pty.out"; then
    fail progress-erased-last "stderr on the terminal does not end with the erase after several redraws: $(od -c "$t/pty.out" | tail -n 3 | head -n 2 | tr -s ' ')"
elif ! grep -q '^File ' "$t/stdout.txt" || grep -q $'\033' "$t/stdout.txt"; then
    fail progress-erased-last "stdout (a file) should hold the plain summary, no escape sequence"
else
    pass progress-erased-last
fi

# No progress when stderr is not a terminal, nor on a terminal with -q or --no-progress.
t=$W/progress-off
mkdir -p "$t"
small "$t/a.csv" "$t/b.csv"
cb -j 1 --timestamp 2026-01-01T00:00:00Z "$t" >"$t/out" 2>"$t/err"
rc=$?
if [ $rc -ne 0 ] || grep -q $'\033' "$t/err" "$t/out" || grep -q $'\r' "$t/err"; then
    fail progress-not-a-tty "exit $rc; stderr in a file must hold no escape sequence or \\r: $(od -c "$t/err" | head -n 3 | tr -s ' ')"
else
    pass progress-not-a-tty
fi
for opt in -q --no-progress; do
    rm -f "$t"/*_processed.csv
    (cd "$t" && on_pty "$t/pty$opt" timeout 30 "$BIN" "$opt" -j 1 --timestamp 2026-01-01T00:00:00Z a.csv b.csv)
    rc=$?
    # The Status cells are coloured on a terminal (--color auto): SGR sequences (ESC [ ... m) are
    # no progress, any other escape sequence (the progress line's ESC [ K) is.
    if [ $rc -ne 0 ] || sed -E 's/\x1b\[[0-9;]*m//g' "$t/pty$opt" | grep -q $'\033'; then
        fail "progress-tty$opt" "exit $rc; the terminal got an escape sequence: $(od -c "$t/pty$opt" | head -n 2 | tr -s ' ')"
    elif [ "$opt" = --no-progress ] && ! grep -q '^File ' "$t/pty$opt"; then
        fail "progress-tty$opt" "no summary on the terminal"
    else
        pass "progress-tty$opt"
    fi
done

# --progress forces the line into a pipe; -q still wins over it.
t=$W/progress-forced
mkdir -p "$t"
small "$t/a.csv"
cb --progress -j 1 --timestamp 2026-01-01T00:00:00Z "$t/a.csv" 2>&1 >/dev/null | cat >"$t/err"
if ! grep -q $'\r\033\\[K[0-9]*/1 files' "$t/err" || ! python3 -c 'import sys; sys.exit(0 if open(sys.argv[1], "rb").read().endswith(b"\r\x1b[K") else 1)' "$t/err"; then
    fail progress-forced-into-pipe "stderr through a pipe has no drawn-then-erased progress line: $(od -c "$t/err" | head -n 3 | tr -s ' ')"
else
    pass progress-forced-into-pipe
fi
rm -f "$t"/*_processed.csv
cb -q --progress -j 1 --timestamp 2026-01-01T00:00:00Z "$t/a.csv" >"$t/out" 2>"$t/err2"
rc=$?
if [ $rc -ne 0 ] || [ -s "$t/err2" ] || [ -s "$t/out" ]; then
    fail progress-quiet-wins "exit $rc; -q --progress must print nothing: stderr $(od -c "$t/err2" | head -n 2 | tr -s ' ')"
else
    pass progress-quiet-wins
fi

# ---------------------------------------------------------------------------------------------
# --timeout 1 on a FIFO whose writer stalls (header, then 3 s of nothing): the file fails after
# ~1 s with "timed out after 1 s", leaves no output and no temp file; a regular file and a later
# FIFO still succeed; exit 1.
t=$W/timeout-stream
mkdir -p "$t"
small "$t/a.csv"
mkfifo "$t/stalled.csv" "$t/later.csv"
writer "$t/stalled.csv" 'Name,ID,Status\n' 3 'late,1,Active\n'
writer "$t/later.csv" 'Name,ID,Status\nlater,9,Active\n'
start=$(now)
(cd "$t" && cb --timeout 1 -j 1 --timestamp 2026-01-01T00:00:00Z a.csv stalled.csv later.csv >out 2>err)
rc=$?
took=$(elapsed "$start")
if [ $rc -ne 1 ]; then
    fail timeout-stream "exit $rc, expected 1; stdout: $(cat "$t/out")"
elif ! between "$took" 0.9 2.5; then
    fail timeout-stream "took ${took}s, expected about 1 s (the writer stalls for 3 s)"
elif ! grep -Eq '^stalled\.csv +Failed .*timed out after 1 s$' "$t/out" || ! grep -q '^csvbatch: stalled.csv: timed out after 1 s$' "$t/err"; then
    fail timeout-stream "no 'timed out after 1 s' for stalled.csv: $(cat "$t/out" "$t/err")"
elif [ -e "$t/stalled_processed.csv" ] || [ -n "$(temps "$t")" ]; then
    fail timeout-stream "output or temp file left for the timed-out stream: $(find "$t" -mindepth 1 -printf '%P ')"
elif ! grep -Eq '^a\.csv +Success ' "$t/out" || ! grep -Eq '^later\.csv +Success ' "$t/out" ||
    ! grep -q '^later,9,' "$t/later_processed.csv" 2>/dev/null || [ ! -s "$t/a_processed.csv" ]; then
    fail timeout-stream "the other files did not all succeed: $(cat "$t/out")"
else
    pass timeout-stream
fi

# --timeout 1 on a FIFO that no writer ever opens: also caught, not a hang.
t=$W/timeout-no-writer
mkdir -p "$t"
mkfifo "$t/never.csv"
start=$(now)
(cd "$t" && cb --timeout 1 --timestamp 2026-01-01T00:00:00Z never.csv >out 2>err)
rc=$?
took=$(elapsed "$start")
if [ $rc -ne 1 ] || ! between "$took" 0.9 2.5 || ! grep -q 'never.csv: timed out after 1 s' "$t/err"; then
    fail timeout-no-writer "exit $rc after ${took}s, expected 1 after ~1 s with 'timed out after 1 s': $(cat "$t/err")"
elif [ -n "$(temps "$t")" ] || [ -e "$t/never_processed.csv" ]; then
    fail timeout-no-writer "output or temp file left behind"
else
    pass timeout-no-writer
fi

# --timeout 0.1 on a ~50 MB file read through libcsv alone (~0.4 s of work; whole-file, then split
# into chunk tasks): it fails the same way, its partial output and temp files are removed, the
# small file (a millisecond of work even under sanitizers) succeeds; exit 1.
t=$W/timeout-big
mkdir -p "$t"
big "$t/big.csv" 50
small "$t/a.csv"
for mode in whole chunked; do
    rm -f "$t"/*_processed.csv
    if [ $mode = whole ]; then extra=(-j 1); else extra=(-j 4 --chunk-size 4M); fi
    (cd "$t" && cb --timeout 0.1 --no-fast-path "${extra[@]}" --timestamp 2026-01-01T00:00:00Z big.csv a.csv >out 2>err)
    rc=$?
    if [ $rc -ne 1 ]; then
        fail "timeout-big-$mode" "exit $rc, expected 1: $(cat "$t/out")"
    elif ! grep -Eq '^big\.csv +Failed .*timed out after 0\.1 s$' "$t/out" || ! grep -q '^csvbatch: big.csv: timed out after 0.1 s$' "$t/err"; then
        fail "timeout-big-$mode" "no 'timed out after 0.1 s' for big.csv: $(cat "$t/out" "$t/err")"
    elif [ -e "$t/big_processed.csv" ] || [ -n "$(temps "$t")" ]; then
        fail "timeout-big-$mode" "output or temp file left: $(find "$t" -mindepth 1 -printf '%P ')"
    elif ! grep -Eq '^a\.csv +Success ' "$t/out" || [ ! -s "$t/a_processed.csv" ]; then
        fail "timeout-big-$mode" "a.csv did not succeed: $(cat "$t/out")"
    else
        pass "timeout-big-$mode"
    fi
done

# ---------------------------------------------------------------------------------------------
# --deadline 0.5 with -j 1: regular files run first (largest first), then streams in input order.
# first.csv is a FIFO that takes ~1 s; it starts before the deadline and completes. second.csv and
# third.csv (FIFOs too, ready at once) are not started: Skipped "not started: --deadline passed",
# with a notice each; files the deadline left out make the exit code 1 (issue 13 item 7).
t=$W/deadline
mkdir -p "$t"
small "$t/a.csv"
mkfifo "$t/first.csv" "$t/second.csv" "$t/third.csv"
writer "$t/first.csv" 'Name,ID,Status\n' 1 'slow,1,Active\n'
writer "$t/second.csv" 'Name,ID,Status\nsecond,2,Active\n'
writer "$t/third.csv" 'Name,ID,Status\nthird,3,Active\n'
(cd "$t" && cb --deadline 0.5 -j 1 --timestamp 2026-01-01T00:00:00Z first.csv second.csv a.csv third.csv >out 2>err)
rc=$?
if [ $rc -ne 1 ]; then
    fail deadline "exit $rc, expected 1: $(cat "$t/out" "$t/err")"
elif ! grep -Eq '^a\.csv +Success ' "$t/out" || ! grep -Eq '^first\.csv +Success ' "$t/out"; then
    fail deadline "a.csv and first.csv (started before the deadline) should succeed: $(cat "$t/out")"
elif [ "$(grep -Ec '^(second|third)\.csv +Skipped .*not started: --deadline passed$' "$t/out")" != 2 ] ||
    [ "$(grep -c 'notice: .*not started: --deadline passed' "$t/err")" != 2 ]; then
    fail deadline "second.csv and third.csv should be Skipped 'not started: --deadline passed': $(cat "$t/out" "$t/err")"
elif [ -e "$t/second_processed.csv" ] || [ -e "$t/third_processed.csv" ] || [ -n "$(temps "$t")" ]; then
    fail deadline "outputs or temp files for skipped files"
elif ! grep -q ' 2 skipped\.' "$t/out"; then
    fail deadline "totals should count 2 skipped: $(tail -n 1 "$t/out")"
else
    pass deadline
fi

# ---------------------------------------------------------------------------------------------
# --report after a failure: exit 1 and a valid report saying so (exit_code 1, the failed file
# with its error and line), even with -q.
t=$W/report-failure
mkdir -p "$t/data"
small "$t/data/good.csv"
printf 'Name,ID,Status\nbad,1,Active,extra\n' >"$t/data/bad.csv"
(cd "$t" && cb -q --report r.json --timestamp 2026-01-01T00:00:00Z data >out 2>err)
rc=$?
if ! why=$(python3 - "$t/r.json" 2>&1 <<'EOF'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    sys.exit("report missing or not JSON: %s" % e)
need = ["tool", "version", "started_at", "finished_at", "stamp", "exit_code", "interrupted_by", "options", "dry_run", "files", "totals"]
missing = [k for k in need if k not in d]
if missing:
    sys.exit("report lacks %s" % missing)
if d["exit_code"] != 1 or d["interrupted_by"] is not None:
    sys.exit("exit_code %r interrupted_by %r, expected 1 and null" % (d["exit_code"], d["interrupted_by"]))
f = {x["path"]: x for x in d["files"]}
if f.get("data/bad.csv", {}).get("status") != "failed" or f["data/bad.csv"].get("line") != 2 or "expected 3 fields, found 4" not in (f["data/bad.csv"].get("error") or ""):
    sys.exit("bad.csv not reported failed at line 2: %r" % f.get("data/bad.csv"))
if f.get("data/good.csv", {}).get("status") != "success":
    sys.exit("good.csv not reported success: %r" % f.get("data/good.csv"))
t = d["totals"]
if (t["files"], t["succeeded"], t["failed"], t["skipped"]) != (2, 1, 1, 0):
    sys.exit("totals wrong: %r" % t)
EOF
); then
    fail report-failure "$why"
elif [ $rc -ne 1 ]; then
    fail report-failure "exit $rc, expected 1"
elif [ -s "$t/out" ] || [ -n "$(temps "$t")" ]; then
    fail report-failure "-q printed a summary, or a temp file was left"
else
    pass report-failure
fi

# --report on SIGINT: 30 inputs of 4 MB each (-j 1, libcsv path) and a slow FIFO at the end that
# keeps the run going; SIGINT after 0.3 s -> exit 130, the report is valid JSON with
# interrupted_by "SIGINT", exit_code 130, the running file failed "interrupted", the rest skipped
# "not started: interrupted"; finished outputs stay, no temp file anywhere.
# `timeout --foreground` so that csvbatch gets the signal once (plain timeout relays it twice, to
# the child and to its process group: see report-sigint-via-timeout).
t=$W/report-sigint
mkdir -p "$t/data"
big "$t/data/f00.csv" 4
for i in $(seq -w 1 29); do cp "$t/data/f00.csv" "$t/data/f$i.csv"; done
mkfifo "$t/slow.csv"
writer "$t/slow.csv" 'Name,ID,Status\n' 20 'never,1,Active\n'
(cd "$t" && exec timeout --foreground 30 "$BIN" -q --report r.json -j 1 --no-fast-path --timestamp 2026-01-01T00:00:00Z data slow.csv >out 2>err) &
run=$!
sleep 0.3
kill -INT "$run"
wait "$run"
rc=$?
if ! why=$(python3 - "$t" 2>&1 <<'EOF'
import json, os, sys
t = sys.argv[1]
try:
    d = json.load(open(os.path.join(t, "r.json")))
except Exception as e:
    sys.exit("report missing or not JSON: %s" % e)
if d.get("interrupted_by") != "SIGINT" or d.get("exit_code") != 130:
    sys.exit("interrupted_by %r exit_code %r, expected 'SIGINT' and 130" % (d.get("interrupted_by"), d.get("exit_code")))
files = d["files"]
if len(files) != 31:
    sys.exit("%d files in the report, expected 31" % len(files))
cut = [f for f in files if f["status"] != "success"]
if not cut:
    sys.exit("every file succeeded: the signal came too late to test anything")
for f in files:
    out = f["path"][:-4] + "_processed.csv"
    if f["status"] == "success":
        if not os.path.exists(os.path.join(t, out)):
            sys.exit("%s reported success but %s is missing" % (f["path"], out))
    elif f["status"] == "failed":
        if f["error"] != "interrupted":
            sys.exit("%s failed with %r, expected 'interrupted'" % (f["path"], f["error"]))
    elif f["status"] == "skipped":
        if f["error"] != "not started: interrupted":
            sys.exit("%s skipped with %r, expected 'not started: interrupted'" % (f["path"], f["error"]))
    else:
        sys.exit("%s has status %r" % (f["path"], f["status"]))
    if f["status"] != "success" and os.path.exists(os.path.join(t, out)):
        sys.exit("%s was not finished but %s exists" % (f["path"], out))
tot = d["totals"]
counts = {s: sum(1 for f in files if f["status"] == s) for s in ("success", "failed", "skipped")}
if (tot["files"], tot["succeeded"], tot["failed"], tot["skipped"]) != (31, counts["success"], counts["failed"], counts["skipped"]):
    sys.exit("totals %r do not match the files %r" % (tot, counts))
if counts["failed"] > 1:
    sys.exit("with -j 1 at most one file can be cut short, got %d" % counts["failed"])
EOF
); then
    fail report-sigint "$why"
elif [ $rc -ne 130 ]; then
    fail report-sigint "exit $rc, expected 130"
elif [ -n "$(temps "$t")" ]; then
    fail report-sigint "temp files left: $(temps "$t" | tr '\n' ' ')"
else
    pass report-sigint
fi

# --report when the run is cancelled through `timeout` (as a CI job or a script would): plain
# `timeout 30 csvbatch ...` relays one SIGINT to csvbatch twice in a row (directly, then to the
# process group). That is one cancellation, not a user insisting with a second Ctrl-C, so the
# report must still be written (exit 130, interrupted_by "SIGINT"). The outcome depends on how the
# two deliveries fall, so the run is repeated 5 times; each must leave the report.
t=$W/report-sigint-via-timeout
mkdir -p "$t"
small "$t/a.csv"
mkfifo "$t/stalled.csv"
missing=0
codes=""
for i in 1 2 3 4 5; do
    rm -f "$t/r.json" "$t"/*_processed.csv
    writer "$t/stalled.csv" 'Name,ID,Status\n' 20 'never,1,Active\n'
    (cd "$t" && exec timeout 30 "$BIN" -q --report r.json -j 1 --timestamp 2026-01-01T00:00:00Z a.csv stalled.csv >out 2>err) &
    run=$!
    sleep 0.3
    kill -INT "$run"
    wait "$run"
    codes+=" $?"
    kill "${WRITERS[-1]}" 2>/dev/null
    wait "${WRITERS[-1]}" 2>/dev/null
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if d["interrupted_by"] == "SIGINT" and d["exit_code"] == 130 else 1)' "$t/r.json" 2>/dev/null || missing=$((missing + 1))
done
if [ "$codes" != " 130 130 130 130 130" ]; then
    fail report-sigint-via-timeout "exit statuses$codes, expected 130 each time"
elif [ $missing -gt 0 ]; then
    fail report-sigint-via-timeout "$missing of 5 runs cancelled through timeout left no (valid) report"
elif [ -n "$(temps "$t")" ]; then
    fail report-sigint-via-timeout "temp files left: $(temps "$t" | tr '\n' ' ')"
else
    pass report-sigint-via-timeout
fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
