#!/usr/bin/env bash
# Fault-injection and hostile-input tests for csvbatch.
#
#   bash tests/faults/run.sh [TEST...]     (default: all tests; CSVBATCH=path overrides the binary)
#
# Prints "PASS name" / "FAIL name: reason" / "SKIP name: reason" per test and a final
# "N passed, M failed[, K skipped]" line; exits 1 if any test failed.
# Everything happens under one mktemp -d directory that is removed (mounts first) on exit.
# Environment: CSVB_FAULT_SEED seeds the random signal delays (printed in failure reasons).
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BIN=${CSVBATCH:-$ROOT/build/release/csvbatch}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
GEN="python3 $HERE/gen.py"
SEED=${CSVB_FAULT_SEED:-$(( $(date +%s) % 100000 ))}
RANDOM=$SEED

[ -x "$BIN" ] || { echo "csvbatch binary not found: $BIN (run make, or set CSVBATCH)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 2; }
command -v jq >/dev/null || { echo "jq is required (apt-get install jq)" >&2; exit 2; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/csvb-faults.XXXXXX")
MOUNTS=$TMP/.mounts # mount points to undo on exit, one per line
cleanup() {
    if [ -s "$MOUNTS" ]; then
        tac "$MOUNTS" | while IFS= read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
    fi
    chmod -R u+rwX "$TMP" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

IS_ROOT=0; [ "$(id -u)" = 0 ] && IS_ROOT=1
SHIM=$TMP/inject.so
cc -shared -fPIC -O1 -o "$SHIM" "$HERE/inject.c" -ldl || { echo "cannot build $HERE/inject.c" >&2; exit 2; }

# ---------------------------------------------------------------- helpers (used inside tests)
# Each test runs in a subshell with its own directory $T; fail/skip end that subshell.
fail() { printf '%s' "$*" | tr '\n' '|' >"$TMP/.reason"; exit 1; }
skip() { printf '%s' "$*" >"$TMP/.reason"; exit 77; }
note() { printf '%s' "$*" >"$TMP/.note"; }
errtail() { head -c 400 "$T/stderr" | tr '\n' '|'; }

# cb ARGS...: run csvbatch (timeout 20 s, fixed stamp); stdout/stderr in $T/stdout, $T/stderr; rc in RC.
cb() {
    timeout -k 5 "${CB_TIMEOUT:-20}" "$BIN" --timestamp T "$@" >"$T/stdout" 2>"$T/stderr"
    RC=$?
    [ "$RC" = 124 ] || [ "$RC" = 137 ] && fail "csvbatch $* hung (killed after ${CB_TIMEOUT:-20}s)"
    return 0
}
# cbf OP MATCH [ERRNO [SKIP]] -- ARGS...: cb under the fault shim.
cbf() {
    local op=$1 match=$2 err=${3:-EIO} skipn=${4:-0}
    shift 4
    [ "${1:-}" = -- ] && shift
    CSVB_FAULT_OP=$op CSVB_FAULT_MATCH=$match CSVB_FAULT_ERRNO=$err CSVB_FAULT_SKIP=$skipn \
        CSVB_FAULT_LOG=$T/fault.log LD_PRELOAD=$SHIM cb "$@"
}
expect_rc() { [ "$RC" = "$1" ] || fail "exit $RC, want $1; stderr: $(errtail)"; }
# snap DIR: sha256 of every regular input file (outputs and temp files excluded), relative names.
snap() { (cd "$1" && find . -type f ! -name '*_processed.csv' ! -name '.*.tmp-*' -print0 | sort -z | xargs -0 -r sha256sum); }
inputs_intact() { snap "$1" | cmp -s - "$2" || fail "input tree $1 modified"; }
no_temps() {
    local t
    t=$(find "$@" -name '.*.tmp-*' 2>/dev/null | head -3 | tr '\n' ' ')
    [ -z "$t" ] || fail "temp file(s) left: $t"
}
# out_ok FILE REF: FILE is a regular file byte-equal to REF.
out_ok() {
    [ -f "$1" ] && [ ! -L "$1" ] || fail "missing output ${1#"$T"/}"
    cmp -s "$1" "$2" || fail "output ${1#"$T"/} differs from a clean run's"
}
absent() { [ ! -e "$1" ] && [ ! -L "$1" ] || fail "output ${1#"$T"/} exists but should not"; }
# err_names RE [TEXT]: some stderr line matches RE (and contains TEXT, e.g. strerror text).
err_names() {
    grep -F -- "${2:-}" "$T/stderr" | grep -Eq -- "$1" || fail "stderr lacks /$1/${2:+ with '$2'}: $(errtail)"
}
# fre STEM: regex for a path naming STEM's input, its output or the output's temp file.
fre() { printf '(^|/)\\.?%s(_processed)?\\.csv' "$1"; }
fault_fired() { [ -s "$T/fault.log" ] || fail "fault never injected (${1:-shim}): csvbatch did not call it through libc"; }
json_status() { jq -r --arg p "$1" '.files[] | select(.path | endswith($p)) | .status' "$T/stdout" 2>/dev/null | head -1; }
small() { cp "$REF/small.csv" "$1"; }
mount_rec() { mount "$@" && echo "${@: -1}" >>"$MOUNTS"; }

# ---------------------------------------------------------------- shared fixtures
REF=$TMP/ref
mkdir -p "$REF/in" "$REF/out"
$GEN small "$REF/small.csv" 1
$GEN big "$REF/big.csv" 1500000 2
$GEN big "$REF/huge.csv" 8000000 3
cp "$REF/small.csv" "$REF/big.csv" "$REF/huge.csv" "$REF/in/"
# Reference outputs from one clean run; every fault test compares against these.
timeout 60 "$BIN" --timestamp T -q -o "$REF/out" "$REF/in" >/dev/null 2>"$REF/stderr"
REF_RC=$?
REF_SMALL=$REF/out/small_processed.csv REF_BIG=$REF/out/big_processed.csv REF_HUGE=$REF/out/huge_processed.csv

# ---------------------------------------------------------------- tests
t_baseline() {
    [ "$REF_RC" = 0 ] || fail "clean reference run exited $REF_RC: $(head -c 300 "$REF/stderr")"
    local f r
    for f in small big huge; do
        r=$($GEN check "$REF/out/${f}_processed.csv" "$REF/$f.csv" T 2>&1) || fail "$f: $r"
    done
}

# Three small files and one big one in $T/in, output dir $T/out; snapshot in $T/before.
std_tree() {
    mkdir -p "$T/in" "$T/out"
    small "$T/in/a.csv"; small "$T/in/b.csv"; small "$T/in/c.csv"
    cp "$REF/big.csv" "$T/in/big.csv"
    snap "$T/in" >"$T/before"
}
# The common invariant when file $1 (stem) failed and the rest of std_tree must be fine.
std_after() {
    local bad=$1
    inputs_intact "$T/in" "$T/before"
    no_temps "$T/in" "$T/out"
    absent "$T/out/${bad}_processed.csv"
    local s
    for s in a b c big; do
        [ "$s" = "$bad" ] && continue
        case $s in big) out_ok "$T/out/big_processed.csv" "$REF_BIG" ;; *) out_ok "$T/out/${s}_processed.csv" "$REF_SMALL" ;; esac
    done
}

t_enospc() {
    [ "$IS_ROOT" = 1 ] || skip "needs root to mount a tmpfs"
    std_tree
    mount_rec -t tmpfs -o size=256k csvb-enospc "$T/out" 2>/dev/null || skip "cannot mount tmpfs"
    trap 'umount "$T/out" 2>/dev/null' EXIT
    cb -j 1 -o "$T/out" "$T/in" # -j 1: the big file's temp cannot starve a concurrent small one
    expect_rc 1
    err_names "$(fre big)" 'No space left on device'
    std_after big
}

t_efbig() {
    std_tree
    (ulimit -f 256; trap '' XFSZ; cb -j 2 -o "$T/out" "$T/in"; echo "$RC" >"$T/rc")
    [ -s "$T/rc" ] || exit 1
    RC=$(cat "$T/rc")
    expect_rc 1
    err_names "$(fre big)" 'File too large'
    std_after big
}

# eio_case OP [SKIP]: fault OP on b's output with EIO; b fails, the rest completes.
eio_case() {
    std_tree
    cbf "$1" b_processed EIO "${2:-0}" -- -j 2 -o "$T/out" "$T/in"
    fault_fired "$1"
    expect_rc 1
    err_names "$(fre b)" 'Input/output error'
    std_after b
}
t_eio_fsync() { eio_case fsync; }
t_eio_rename() { eio_case rename; }
t_eio_write() { eio_case write; }
t_eio_close() { eio_case close; }
# A write that fails after the first one succeeded: a partial temp file existed and must go.
t_eio_write_midfile() {
    std_tree
    cp "$REF/huge.csv" "$T/in/huge.csv"
    snap "$T/in" >"$T/before"
    cbf write huge_processed EIO 1 -- -j 2 -o "$T/out" "$T/in"
    fault_fired "write after one successful write (output fits in one write?)"
    expect_rc 1
    err_names "$(fre huge)" 'Input/output error'
    std_after huge
}
# Benign perturbations: short writes and EINTR must be retried, giving the exact clean output.
perturb_case() {
    std_tree
    cbf "$1" big_processed EIO 0 -- -j 2 -o "$T/out" "$T/in"
    fault_fired "$1"
    expect_rc 0
    std_after none
}
t_short_writes() { perturb_case shortwrite; }
t_eintr_writes() { perturb_case eintr; }

# Signal fixture: 40 files of ~3 MB, reference outputs from a clean -j 2 run.
sig_fixture() {
    SIG=$TMP/sig
    [ -f "$SIG/ok" ] && return 0
    mkdir -p "$SIG/in" "$SIG/ref"
    $GEN big "$SIG/seed.csv" 3000000 5
    local i
    for i in $(seq -w 1 40); do cp "$SIG/seed.csv" "$SIG/in/f$i.csv"; done
    rm "$SIG/seed.csv"
    snap "$SIG/in" >"$SIG/before"
    local t0 t1
    t0=$(date +%s%N)
    timeout 120 "$BIN" --timestamp T -q -j 2 -o "$SIG/ref" "$SIG/in" >/dev/null 2>&1 || fail "clean run of the signal fixture failed"
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 )) >"$SIG/ms"
    touch "$SIG/ok"
}
# sig_run SIGNAL DELAY [SECOND_DELAY]: one interrupted run; sets RC.
sig_run() {
    local sig=$1 delay=$2 again=${3:-} pid w=0
    rm -rf "$T/out"; mkdir -p "$T/out"
    env --default-signal=INT,TERM "$BIN" --timestamp T -j 2 -o "$T/out" "$SIG/in" >"$T/stdout" 2>"$T/stderr" &
    pid=$!
    sleep "$delay"
    kill -s "$sig" "$pid" 2>/dev/null
    if [ -n "$again" ]; then sleep "$again"; kill -s "$sig" "$pid" 2>/dev/null; fi
    while kill -0 "$pid" 2>/dev/null && [ $w -lt 200 ]; do sleep 0.1; w=$((w + 1)); done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid"; wait "$pid" 2>/dev/null
        fail "still running 20s after SIG$sig (delay ${delay}s, seed $SEED)"
    fi
    wait "$pid"; RC=$?
}
# sig_check SIGNAL WANT_RC DELAY: invariants after an interrupted run.
sig_check() {
    local n f
    [ "$RC" = "$2" ] || [ "$RC" = 0 ] || fail "SIG$1 after ${3}s: exit $RC, want $2 (seed $SEED); stderr: $(errtail)"
    inputs_intact "$SIG/in" "$SIG/before"
    no_temps "$T/out" "$SIG/in"
    n=0
    for f in "$T/out"/*; do
        [ -e "$f" ] || continue
        cmp -s "$f" "$SIG/ref/${f##*/}" || fail "SIG$1 after ${3}s: ${f##*/} is incomplete or wrong (seed $SEED)"
        n=$((n + 1))
    done
    [ "$RC" != 0 ] || [ "$n" = 40 ] || fail "SIG$1 after ${3}s: exit 0 but only $n of 40 outputs"
    [ "$RC" = 0 ] && DONE=$((DONE + 1))
    SUMMARY="$SUMMARY ${3}s:$n"
}
# rand_delay: 0.05 .. 1.0 s, capped below the clean run's duration so the signal lands mid-run.
rand_delay() {
    local max ms
    max=$(( $(cat "$SIG/ms") * 9 / 10 )); [ "$max" -gt 1000 ] && max=1000; [ "$max" -lt 60 ] && max=60
    ms=$(( 50 + RANDOM % (max - 49) ))
    printf '%d.%03d' $((ms / 1000)) $((ms % 1000))
}
sig_case() {
    local sig=$1 want=$2 i d
    sig_fixture
    DONE=0 SUMMARY=
    for i in 1 2 3 4; do
        d=$(rand_delay)
        sig_run "$sig" "$d"
        sig_check "$sig" "$want" "$d"
    done
    note "clean run $(cat "$SIG/ms") ms; delay:outputs$SUMMARY"
    [ "$DONE" -lt 4 ] || fail "every run finished before the signal (clean run $(cat "$SIG/ms") ms): nothing tested"
}
t_sigint() { sig_case INT 130; }
t_sigterm() { sig_case TERM 143; }
t_double_sigint() {
    local i d
    sig_fixture
    DONE=0 SUMMARY=
    for i in 1 2 3; do
        d=$(rand_delay)
        sig_run INT "$d" 0.01
        sig_check INT 130 "$d"
    done
    note "delay:outputs$SUMMARY"
}

# Two workers blocked opening explicitly named FIFOs that nobody writes: SIGINT must still end
# the run (a signal interrupts only the thread it is delivered to).
t_sigint_blocked_fifo() {
    mkdir -p "$T/out"
    mkfifo "$T/p.csv" "$T/q.csv"
    local pid w=0
    env --default-signal=INT,TERM "$BIN" --timestamp T -j 2 -o "$T/out" "$T/p.csv" "$T/q.csv" >"$T/stdout" 2>"$T/stderr" &
    pid=$!
    sleep 0.5
    kill -INT "$pid" 2>/dev/null
    while kill -0 "$pid" 2>/dev/null && [ $w -lt 50 ]; do sleep 0.1; w=$((w + 1)); done
    if kill -0 "$pid" 2>/dev/null; then
        kill -INT "$pid" 2>/dev/null; sleep 1 # a second SIGINT does not help either?
        kill -0 "$pid" 2>/dev/null && { kill -KILL "$pid"; wait "$pid" 2>/dev/null; fail "still running 5s after SIGINT (and 1s after a second one) with -j 2 blocked on two FIFOs; needed SIGKILL"; }
    fi
    wait "$pid"; RC=$?
    expect_rc 130
    no_temps "$T/out"
}

# Concurrent runs over the same tree into the same output directory: both complete cleanly.
t_concurrent_runs() {
    std_tree
    local base=$T
    (T=$base/r1; mkdir "$T"; cb -j 2 -o "$base/out" "$base/in"; echo "$RC" >"$T/rc") &
    (T=$base/r2; mkdir "$T"; cb -j 2 -o "$base/out" "$base/in"; echo "$RC" >"$T/rc") &
    wait
    [ "$(cat "$T/r1/rc" "$T/r2/rc" 2>/dev/null | tr '\n' ' ')" = "0 0 " ] ||
        fail "exits: $(cat "$T/r1/rc" "$T/r2/rc" 2>/dev/null | tr '\n' ' '); stderr: $(cat "$T"/r?/stderr | head -c 300)"
    std_after none
}

# stdout and stderr closed: descriptors 1 and 2 get reused for files; nothing may leak into them.
t_closed_std_fds() {
    std_tree
    printf 'Name,ID,Status\n"bad"x,1,Active\n' >"$T/in/bad.csv"
    snap "$T/in" >"$T/before"
    timeout -k 5 20 "$BIN" --timestamp T -j 2 -o "$T/out" "$T/in" >&- 2>&-
    RC=$?
    expect_rc 1
    absent "$T/out/bad_processed.csv"
    std_after none
}

t_fd_limit() {
    mkdir -p "$T/in" "$T/out"
    local i
    for i in $(seq -w 1 400); do small "$T/in/f$i.csv"; done
    snap "$T/in" >"$T/before"
    (ulimit -n 64; cb -j 2 -o "$T/out" "$T/in"; echo "$RC" >"$T/rc")
    [ -s "$T/rc" ] || exit 1
    RC=$(cat "$T/rc")
    expect_rc 0
    inputs_intact "$T/in" "$T/before"
    no_temps "$T/out"
    [ "$(find "$T/out" -type f | wc -l)" = 400 ] || fail "$(find "$T/out" -type f | wc -l) outputs, want 400"
    [ "$(cat "$T/out"/* | sha256sum)" = "$(for i in $(seq 400); do cat "$REF_SMALL"; done | sha256sum)" ] ||
        fail "some outputs differ from a clean run's"
}

t_mem_big_field() {
    mkdir -p "$T/in" "$T/out"
    $GEN field "$T/in/wide.csv" 4194304
    CB_TIMEOUT=60 cb_time -o "$T/out" "$T/in/wide.csv"
    expect_rc 0
    local r
    r=$($GEN check "$T/out/wide_processed.csv" "$T/in/wide.csv" T 2>&1) || fail "4 MiB field: $r"
    note "4 MiB field: peak RSS $(rss) KiB"
}
# cb_time ARGS...: cb under /usr/bin/time; peak RSS (KiB) and elapsed seconds in $T/time.
cb_time() {
    timeout -k 5 "${CB_TIMEOUT:-20}" /usr/bin/time -f '%M %e' -o "$T/time" "$BIN" --timestamp T "$@" >"$T/stdout" 2>"$T/stderr"
    RC=$?
    [ "$RC" = 124 ] || [ "$RC" = 137 ] && fail "csvbatch $* hung (killed after ${CB_TIMEOUT:-20}s)"
    return 0
}
rss() { tail -1 "$T/time" | cut -d' ' -f1; }
t_mem_runaway_quote() {
    [ -x /usr/bin/time ] || skip "/usr/bin/time not installed"
    mkdir -p "$T/in" "$T/out"
    { printf 'Name,ID,Status\nok,1,Active\n"never closed,2,Active\n'; yes 'filler, more filler, Active' | head -c 200000000; } >"$T/in/runaway.csv"
    cb_time --max-field-size 1048576 -o "$T/out" "$T/in/runaway.csv"
    local m s
    m=$(rss) s=$(tail -1 "$T/time" | cut -d' ' -f2)
    expect_rc 1
    err_names 'runaway\.csv'
    grep -Eiq 'field.*(size|large|long|exceed|limit|max)|1048576|1 ?MiB' "$T/stderr" || fail "error does not mention the field size: $(errtail)"
    absent "$T/out/runaway_processed.csv"
    no_temps "$T/out"
    [ "$m" -lt 65536 ] || fail "peak RSS $m KiB >= 64 MiB"
    awk -v s="$s" 'BEGIN { exit !(s < 5) }' || fail "took ${s}s to reject the field"
    note "peak RSS $m KiB, ${s}s"
}

# Hostile trees: outputs beside the inputs in $T/in.
t_hostile_symlink_out() {
    mkdir -p "$T/in"
    small "$T/in/a.csv"; small "$T/in/b.csv"; small "$T/in/c.csv"
    echo "precious" >"$T/victim.txt"
    ln -s a.csv "$T/in/a_processed.csv"
    ln -s ../victim.txt "$T/in/c_processed.csv"
    snap "$T/in" >"$T/before"
    sha256sum "$T/victim.txt" >"$T/victim.sum"
    cb -j 2 "$T/in"
    inputs_intact "$T/in" "$T/before"
    sha256sum -c --quiet "$T/victim.sum" >/dev/null 2>&1 || fail "wrote through the symlink into a file outside the tree"
    no_temps "$T/in"
    out_ok "$T/in/b_processed.csv" "$REF_SMALL"
    local s
    for s in a c; do
        if [ -L "$T/in/${s}_processed.csv" ]; then # kept the link: the file must have failed
            [ "$RC" = 1 ] || fail "${s}_processed.csv is still a symlink but exit was $RC"
            err_names "$(fre "$s")"
        else
            out_ok "$T/in/${s}_processed.csv" "$REF_SMALL"
        fi
    done
}

t_hostile_hardlink_out() {
    mkdir -p "$T/in"
    small "$T/in/a.csv"; small "$T/in/b.csv"
    ln "$T/in/a.csv" "$T/in/a_processed.csv"
    snap "$T/in" >"$T/before"
    cb -j 2 "$T/in"
    inputs_intact "$T/in" "$T/before"
    no_temps "$T/in"
    out_ok "$T/in/b_processed.csv" "$REF_SMALL"
    if [ "$RC" = 0 ]; then
        out_ok "$T/in/a_processed.csv" "$REF_SMALL"
    else
        expect_rc 1
        err_names "$(fre a)"
    fi
}

t_hostile_dir_out() {
    std_tree
    mkdir "$T/out/b_processed.csv"; echo keep >"$T/out/b_processed.csv/keep"
    cb -j 2 -o "$T/out" "$T/in"
    expect_rc 1
    err_names "$(fre b)"
    [ -f "$T/out/b_processed.csv/keep" ] || fail "the directory in the output's place was damaged"
    inputs_intact "$T/in" "$T/before"
    no_temps "$T/in" "$T/out"
    out_ok "$T/out/a_processed.csv" "$REF_SMALL"
    out_ok "$T/out/c_processed.csv" "$REF_SMALL"
    out_ok "$T/out/big_processed.csv" "$REF_BIG"
}

# Special files named *.csv are skipped with a notice, shown as skipped, never hang the run.
t_hostile_special() {
    mkdir -p "$T/in" "$T/out"
    small "$T/in/a.csv"; small "$T/in/z.csv"
    mkfifo "$T/in/fifo.csv"
    python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/in/sock.csv"
    mkdir "$T/in/dir.csv"
    snap "$T/in" >"$T/before"
    cb -j 2 --format json -o "$T/out" "$T/in"
    expect_rc 0
    jq -e . "$T/stdout" >/dev/null 2>&1 || fail "--format json output is not valid JSON"
    local s
    for s in fifo sock dir; do
        [ "$(json_status "/$s.csv")" = skipped ] || fail "$s.csv not reported as skipped (status '$(json_status "/$s.csv")')"
        err_names "$s\.csv"
    done
    out_ok "$T/out/a_processed.csv" "$REF_SMALL"
    out_ok "$T/out/z_processed.csv" "$REF_SMALL"
    absent "$T/out/fifo_processed.csv"
    inputs_intact "$T/in" "$T/before"
    no_temps "$T/in" "$T/out"
}

t_hostile_bad_links() {
    mkdir -p "$T/in" "$T/out"
    small "$T/in/a.csv"
    ln -s does-not-exist.csv "$T/in/dangling.csv"
    ln -s self.csv "$T/in/self.csv"
    ln -s loop2.csv "$T/in/loop1.csv"; ln -s loop1.csv "$T/in/loop2.csv"
    cb -j 2 --format json -o "$T/out" "$T/in"
    expect_rc 0
    local s
    for s in dangling self loop1 loop2; do
        [ "$(json_status "/$s.csv")" = skipped ] || fail "$s.csv not reported as skipped (status '$(json_status "/$s.csv")')"
        err_names "$s\.csv"
    done
    out_ok "$T/out/a_processed.csv" "$REF_SMALL"
    no_temps "$T/in" "$T/out"
}

t_hostile_recursive_loop() {
    mkdir -p "$T/in/sub/deeper"
    small "$T/in/a.csv"; small "$T/in/sub/b.csv"; small "$T/in/sub/deeper/c.csv"
    ln -s .. "$T/in/sub/up.csv"       # a link to the parent, named like a CSV for good measure
    ln -s ../.. "$T/in/sub/deeper/top"
    ln -s . "$T/in/self"
    snap "$T/in" >"$T/before"
    cb -r -j 2 --format json "$T/in"
    expect_rc 0
    inputs_intact "$T/in" "$T/before"
    no_temps "$T/in"
    out_ok "$T/in/a_processed.csv" "$REF_SMALL"
    out_ok "$T/in/sub/b_processed.csv" "$REF_SMALL"
    out_ok "$T/in/sub/deeper/c_processed.csv" "$REF_SMALL"
    local dup
    dup=$(jq -r '.files[] | select(.status == "success") | .path' "$T/stdout" | while IFS= read -r p; do
        realpath -e -- "$p"; done | sort | uniq -d)
    [ -z "$dup" ] || fail "file(s) processed more than once through the loop: $dup"
}

t_hostile_names() {
    mkdir -p "$T/in" "$T/out2"
    local names=("with space.csv" $'new\nline.csv' "quo\"te's.csv" "-x.csv" "ünï 日本語.csv" "UPPER.CSV"
        "a,b.csv" 'back\slash.csv' $'tab\there.csv' "--help.csv")
    local n stem
    for n in "${names[@]}"; do small "$T/in/$n"; done
    snap "$T/in" >"$T/before"
    cb -j 2 --format json "$T/in"
    expect_rc 0
    jq -e . "$T/stdout" >/dev/null 2>&1 || fail "--format json output is not valid JSON with hostile names"
    for n in "${names[@]}"; do
        stem=${n%.*}
        out_ok "$T/in/${stem}_processed.csv" "$REF_SMALL"
    done
    [ "$(jq '.files | length' "$T/stdout")" = "${#names[@]}" ] || fail "json lists $(jq '.files | length' "$T/stdout") files, want ${#names[@]}"
    inputs_intact "$T/in" "$T/before"
    no_temps "$T/in"
    # Named explicitly after --, relative, with a leading dash.
    (cd "$T/in" && cb -o ../out2 -- -x.csv --help.csv; echo "$RC" >"$T/rc")
    RC=$(cat "$T/rc")
    expect_rc 0
    out_ok "$T/out2/-x_processed.csv" "$REF_SMALL"
    out_ok "$T/out2/--help_processed.csv" "$REF_SMALL"
}

t_hostile_unreadable() {
    std_tree
    if [ "$IS_ROOT" = 1 ]; then
        cbf open b.csv EACCES 0 -- -j 2 -o "$T/out" "$T/in"
        [ -s "$T/fault.log" ] || skip "running as root and csvbatch opens inputs without a hookable libc call"
    else
        chmod 000 "$T/in/b.csv"
        cb -j 2 -o "$T/out" "$T/in"
        chmod 644 "$T/in/b.csv"
    fi
    expect_rc 1
    err_names '/b\.csv' 'Permission denied'
    std_after b
}

t_hostile_unwritable_dir() {
    mkdir -p "$T/in/ok" "$T/in/ro"
    small "$T/in/ok/a.csv"; small "$T/in/ro/b.csv"
    snap "$T/in" >"$T/before"
    if [ "$IS_ROOT" = 1 ]; then # root ignores modes: make the directory a read-only bind mount
        mount_rec --bind "$T/in/ro" "$T/in/ro" 2>/dev/null || skip "cannot bind-mount"
        trap 'umount "$T/in/ro" 2>/dev/null' EXIT
        mount -o remount,bind,ro "$T/in/ro" 2>/dev/null || skip "cannot remount read-only"
    else
        chmod 555 "$T/in/ro"
    fi
    cb -r -j 2 "$T/in"
    [ "$IS_ROOT" = 1 ] || chmod 755 "$T/in/ro"
    expect_rc 1
    err_names "$(fre b)"
    grep -Eq 'Read-only file system|Permission denied' "$T/stderr" || fail "no strerror text: $(errtail)"
    out_ok "$T/in/ok/a_processed.csv" "$REF_SMALL"
    absent "$T/in/ro/b_processed.csv"
    inputs_intact "$T/in" "$T/before"
    no_temps "$T/in"
}

# summary_nosec: the --format csv summary on stdout without its Seconds column.
summary_nosec() {
    python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
if not rows: sys.exit("empty summary")
drop = [i for i, h in enumerate(rows[0]) if h.strip().lower().startswith("seconds")]
if not drop: sys.exit("no Seconds column in header %r" % rows[0])
for r in rows:
    print(repr([v for i, v in enumerate(r) if i not in drop]))' "$T/stdout"
}
t_determinism() {
    mkdir -p "$T/c"
    $GEN corpus "$T/c" 240 7
    snap "$T/c" >"$T/before"
    local j rc1 out
    for j in 1 8; do
        find "$T/c" -name '*_processed.csv' -delete
        CB_TIMEOUT=60 cb -r -j "$j" --format csv "$T/c"
        [ "$RC" = 0 ] || [ "$RC" = 1 ] || fail "-j $j: exit $RC; stderr: $(errtail)"
        out=$(summary_nosec 2>&1) || fail "-j $j: bad csv summary: $out"
        printf '%s\n' "$out" >"$T/summary.$j"
        echo "$RC" >"$T/rc.$j"
        (cd "$T/c" && find . -name '*_processed.csv' -type f -print0 | sort -z | xargs -0 -r sha256sum) >"$T/tree.$j"
        sort "$T/stderr" >"$T/stderr.$j"
        no_temps "$T/c"
    done
    inputs_intact "$T/c" "$T/before"
    [ "$(wc -l <"$T/tree.1")" -ge 200 ] || fail "only $(wc -l <"$T/tree.1") outputs from the 240-file corpus"
    cmp -s "$T/rc.1" "$T/rc.8" || fail "exit codes differ: $(cat "$T/rc.1") vs $(cat "$T/rc.8")"
    cmp -s "$T/tree.1" "$T/tree.8" || fail "output trees differ: $(diff "$T/tree.1" "$T/tree.8" | head -4 | tr '\n' '|')"
    cmp -s "$T/summary.1" "$T/summary.8" || fail "summaries differ: $(diff "$T/summary.1" "$T/summary.8" | head -4 | tr '\n' '|')"
    cmp -s "$T/stderr.1" "$T/stderr.8" || fail "error messages differ: $(diff "$T/stderr.1" "$T/stderr.8" | head -4 | tr '\n' '|')"
    note "$(wc -l <"$T/tree.1") outputs, exit $(cat "$T/rc.1"), $(grep -c . "$T/stderr.1") stderr lines"
}

# An input truncated while it is read: that file fails with a clear message, no output for it.
t_input_truncated() {
    mkdir -p "$T/in" "$T/out"
    local k
    for k in 1 2 3 4 5 6 7 8 9 10 11 12; do cat "$REF/huge.csv"; done >"$T/in/h.csv"
    small "$T/in/a.csv"
    env --default-signal=INT "$BIN" --timestamp T --no-fast-path -j 1 -q -o "$T/out" "$T/in" >"$T/stdout" 2>"$T/stderr" &
    local pid=$!
    sleep 0.3
    truncate -s 1000 "$T/in/h.csv"
    wait "$pid"; RC=$?
    if [ "$RC" = 0 ]; then
        skip "the run finished before the truncation (machine too fast for this file size)"
    fi
    expect_rc 1
    grep -q "h.csv: the file changed while it was being read" "$T/stderr" || fail "no 'changed' error: $(errtail)"
    absent "$T/out/h_processed.csv"
    out_ok "$T/out/a_processed.csv" "$REF_SMALL"
    no_temps "$T/in" "$T/out"
}

# Inputs written just before the run: the fstat after the read confirms them against the listing
# (input.h), whatever the clock says of their mtime; outputs as a clean run's.
t_input_fresh() {
    mkdir -p "$T/in" "$T/out"
    local i
    for i in 1 2 3 4 5 6; do small "$T/in/f$i.csv"; done
    cb -j 2 -o "$T/out" "$T/in"
    expect_rc 0
    for i in 1 2 3 4 5 6; do out_ok "$T/out/f${i}_processed.csv" "$REF_SMALL"; done
    no_temps "$T/out"
}

# An input deleted while it is read: the open descriptor still reads all of it: complete output.
t_input_deleted() {
    mkdir -p "$T/in" "$T/out"
    cp "$REF/huge.csv" "$T/in/huge.csv"
    env --default-signal=INT "$BIN" --timestamp T --no-fast-path -j 1 -q -o "$T/out" "$T/in" >"$T/stdout" 2>"$T/stderr" &
    local pid=$!
    sleep 0.2
    rm -f "$T/in/huge.csv"
    wait "$pid"; RC=$?
    expect_rc 0
    out_ok "$T/out/huge_processed.csv" "$REF_HUGE"
    no_temps "$T/in" "$T/out"
}

# SIGHUP (a closed terminal) is an interruption like SIGTERM: exit 129, no temp files.
t_sighup() {
    mkdir -p "$T/in" "$T/out"
    local i
    for i in $(seq 16); do cp "$REF/huge.csv" "$T/in/f$i.csv"; done
    env --default-signal=HUP "$BIN" --timestamp T --no-fast-path -j 2 -q -o "$T/out" "$T/in" >"$T/stdout" 2>"$T/stderr" &
    local pid=$!
    sleep 0.2
    kill -HUP "$pid" 2>/dev/null || skip "the run finished before SIGHUP"
    wait "$pid"; RC=$?
    expect_rc 129
    no_temps "$T/in" "$T/out"
    local f
    for f in "$T"/out/*_processed.csv; do [ -e "$f" ] && out_ok "$f" "$REF_HUGE"; done
    true
}

# Temp names carry their owner (tempname.h): "HHHHHHHHNNNNNNNN" is the host name's FNV-1a hash
# (low 32 bits) and the PID namespace's inode, as csvbatch makes them.
host_tag() {
    python3 -c '
import os, socket
h = 0xcbf29ce484222325
for b in socket.gethostname().encode():
    h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
ns = int(os.readlink("/proc/self/ns/pid").split("[")[1].rstrip("]"))
print("%08x%08x" % (h & 0xffffffff, ns & 0xffffffff))'
}
start_of() { sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f20; }

# kill -9 while many small outputs are queued for the group commit (commit.h): every output
# present is complete (fsynced before its rename), and the next run removes the dead run's temp
# files with one notice and completes the rest.
t_sigkill_group_commit() {
    mkdir -p "$T/in" "$T/out"
    local i d pid n temps interrupted=0 SUMMARY=
    for i in $(seq -w 1 800); do small "$T/in/f$i.csv"; done
    snap "$T/in" >"$T/before"
    local t0 t1 ms
    # Timed warm (the first run pays for the cold cache): the kills land inside a run's span.
    cb -j 2 -o "$T/clean" "$T/in"; expect_rc 0
    t0=$(date +%s%N); cb -j 2 -o "$T/clean" "$T/in"; t1=$(date +%s%N)
    expect_rc 0
    ms=$(( (t1 - t0) / 1000000 )); [ "$ms" -gt 40 ] || ms=40
    # Up to 10 runs, until 3 were interrupted: a run that finished first tests nothing.
    for i in $(seq 1 10); do
        [ "$interrupted" -ge 3 ] && break
        rm -rf "$T/out"; mkdir -p "$T/out"
        d=$(( 10 + RANDOM % (ms * 7 / 10) ))
        "$BIN" --timestamp T -q -j 2 -o "$T/out" "$T/in" >/dev/null 2>&1 &
        pid=$!
        sleep "$(printf '%d.%03d' $((d / 1000)) $((d % 1000)))"
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        n=0
        for f in "$T"/out/*_processed.csv; do
            [ -e "$f" ] || continue
            out_ok "$f" "$REF_SMALL"
            n=$((n + 1))
        done
        temps=$(find "$T/out" -name '.*.tmp-*' | wc -l)
        [ "$n" -lt 800 ] || [ "$temps" -gt 0 ] && interrupted=$((interrupted + 1))
        SUMMARY="$SUMMARY ${d}ms:$n+${temps}tmp"
        inputs_intact "$T/in" "$T/before"
        cb -j 2 -o "$T/out" "$T/in"
        expect_rc 0
        if [ "$temps" -gt 0 ]; then
            grep -qxF "csvbatch: notice: removed $temps stale temporary file$([ "$temps" = 1 ] || echo s) of earlier interrupted runs in $T/out" "$T/stderr" ||
                fail "no notice of the $temps stale temp files removed: $(errtail)"
        else
            grep -q 'stale temporary' "$T/stderr" && fail "a notice without stale temp files: $(errtail)"
        fi
        no_temps "$T/out"
        for f in "$T"/clean/*_processed.csv; do out_ok "$T/out/${f##*/}" "$REF_SMALL"; done
    done
    note "clean run ${ms} ms; delay:outputs+temps$SUMMARY"
    [ "$interrupted" -gt 0 ] || fail "every run finished before SIGKILL (clean run ${ms} ms): nothing tested"
}

# A dead owner's temp file is removed with a notice; a live owner's, another host's and an old
# name without owner are left alone.
t_stale_temps() {
    mkdir -p "$T/in" "$T/out"
    small "$T/in/a.csv"
    local tag dead live
    tag=$(host_tag)
    sh -c 'exit 0' & dead=$!; wait "$dead"
    sleep 30 & live=$!
    echo partial >"$T/out/.a_processed.csv.tmp-$tag-$dead-4242-AbC123"
    echo partial >"$T/out/.b_processed.csv.tmp-$tag-$live-$(( $(start_of "$live") + 1 ))-AbC123"
    echo live >"$T/out/.c_processed.csv.tmp-$tag-$live-$(start_of "$live")-AbC123"
    echo other >"$T/out/.d_processed.csv.tmp-0123456789abcdef-$dead-4242-AbC123"
    echo old >"$T/out/.e_processed.csv.tmp-AbC123"
    cb -o "$T/out" "$T/in"
    kill "$live"; wait "$live" 2>/dev/null
    expect_rc 0
    grep -qxF "csvbatch: notice: removed 2 stale temporary files of earlier interrupted runs in $T/out" "$T/stderr" ||
        fail "no notice of 2 removed files: $(errtail)"
    local left
    left=$(cd "$T/out" && find . -name '.*.tmp-*' | sed 's/\.tmp-.*//' | sort | tr '\n' ' ')
    [ "$left" = "./.c_processed.csv ./.d_processed.csv ./.e_processed.csv " ] ||
        fail "temp files left: '$left', want the live one's, the other host's and the old one"
    out_ok "$T/out/a_processed.csv" "$REF_SMALL"
    cb -o "$T/out" "$T/in" # the live owner has ended since: its file goes too
    grep -qxF "csvbatch: notice: removed 1 stale temporary file of earlier interrupted runs in $T/out" "$T/stderr" ||
        fail "the ended owner's file was not removed with a notice: $(errtail)"
    left=$(cd "$T/out" && find . -name '.*.tmp-*' | sed 's/\.tmp-.*//' | sort | tr '\n' ' ')
    [ "$left" = "./.d_processed.csv ./.e_processed.csv " ] || fail "temp files left: '$left'"
}

# An output name of 255 bytes (NAME_MAX) is written: its temp name is shortened to fit.
t_name_max_output() {
    mkdir -p "$T/in" "$T/out"
    local stem
    stem=$(printf 'n%.0s' $(seq 241)) # + "_processed.csv" = 255 bytes
    small "$T/in/$stem.csv"
    cb -j 2 -o "$T/out" "$T/in"
    expect_rc 0
    out_ok "$T/out/${stem}_processed.csv" "$REF_SMALL"
    no_temps "$T/out"
    stem=é$(printf 'n%.0s' $(seq 239)) # 2 + 239 bytes: UTF-8
    small "$T/in/$stem.csv"
    cb -j 2 -o "$T/out" "$T/in"
    expect_rc 0
    out_ok "$T/out/${stem}_processed.csv" "$REF_SMALL"
    no_temps "$T/out"
}

# ---------------------------------------------------------------- driver
ALL="baseline enospc efbig eio_fsync eio_rename eio_write eio_close eio_write_midfile short_writes
eintr_writes sigint sigterm double_sigint sigint_blocked_fifo concurrent_runs closed_std_fds fd_limit mem_big_field mem_runaway_quote
hostile_symlink_out hostile_hardlink_out hostile_dir_out hostile_special hostile_bad_links
hostile_recursive_loop hostile_names hostile_unreadable hostile_unwritable_dir determinism
input_truncated input_fresh input_deleted sighup sigkill_group_commit stale_temps name_max_output"
[ $# -gt 0 ] && ALL="$*"

pass=0 failed=0 skipped=0
for name in $ALL; do
    declare -F "t_$name" >/dev/null || { echo "FAIL $name: no such test"; failed=$((failed + 1)); continue; }
    rm -f "$TMP/.reason" "$TMP/.note"
    (
        T=$(mktemp -d "$TMP/$name.XXXX")
        cd "$T" || exit 1
        "t_$name"
    ) </dev/null
    rc=$?
    extra=; [ -s "$TMP/.note" ] && extra=" ($(cat "$TMP/.note"))"
    case $rc in
        0) echo "PASS $name$extra"; pass=$((pass + 1)) ;;
        77) echo "SKIP $name: $(cat "$TMP/.reason" 2>/dev/null)"; skipped=$((skipped + 1)) ;;
        *) echo "FAIL $name: $(cat "$TMP/.reason" 2>/dev/null || echo "exit $rc")"; failed=$((failed + 1)) ;;
    esac
    chmod -R u+rwX "$TMP/$name".* 2>/dev/null; rm -rf "$TMP/$name".*
done
echo "$pass passed, $failed failed$([ "$skipped" -gt 0 ] && echo ", $skipped skipped")"
[ "$failed" = 0 ]
