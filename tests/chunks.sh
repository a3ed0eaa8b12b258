#!/usr/bin/env bash
# Chunk repair is linear (issue 14, issue 13 item 8): files whose chunk boundaries mostly land
# inside quoted fields give the -j 1 output byte for byte, with the same summary and errors, and
# the bytes the chunked run parses (CSVBATCH_DEBUG_CHUNKS=1 prints them) stay within a constant
# factor of the file size whatever its size. Work is counted, not timed: time belongs in
# `make bench`.
#
# Issue 13 items 9 and 10: chunking is bounded whatever --chunk-size is (at most 4 chunks per
# thread, so temp files and memory do not grow with size / chunk size: a 30 MiB file at
# --chunk-size 4K, peak RSS by GNU time, temp files watched in the directory and counted by the
# debug line); a first field starting with U+FEFF at a chunk start is not quoted as if it began
# the output; a failed file's bytes_read is the serial one; a file truncated while its chunks are
# read fails with "changed while it was being read" (an LD_PRELOAD shim truncates it between two
# preads). tests/chunks_corpus.sh compares the whole e2e corpus.
#
#   bash tests/chunks.sh            (CSVBATCH=path picks another binary)
set -u
export LC_ALL=C TZ=UTC
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${CSVBATCH:-$ROOT/build/release/csvbatch}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
[ -x "$BIN" ] || { echo "chunks.sh: csvbatch binary not found: $BIN" >&2; exit 2; }
W=$(mktemp -d "${TMPDIR:-/tmp}/csvb-chunks.XXXXXX")
trap 'rm -rf "$W"' EXIT
passed=0 failed=0
pass() { echo "PASS $1${2:+ ($2)}"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

# gen KIND MEGABYTES FILE
gen() {
    python3 - "$@" <<'PY'
import random, sys
kind, mb, path = sys.argv[1], float(sys.argv[2]), sys.argv[3]
random.seed(7)
size = int(mb * 1024 * 1024)
out = ["ID,Name,Status,Notes"]
n, total = 0, 0
while total < size:
    n += 1
    if kind == "exportcsv":     # Export-Csv: every field quoted, CRLF, quoted CRLFs too
        if n == 1:
            out = ['"ID","Name","Status","Notes"']
        q = lambda s: '"' + s.replace('"', '""') + '"'
        note = q('two\r\nlines "x"') if n % 3 == 0 else q(f"note, {n}")
        line = ",".join([q(str(n)), q(f"N {n}"), q(random.choice(["Active", "Inactive"])), note])
        out.append(line)
        total += len(line) + 2
        continue
    if kind == "newlines":      # every record holds a quoted newline
        note = '"line one\nline ""two"", more\nthree"'
    elif kind == "field":       # one huge quoted field full of line feeds, then plain rows
        note = '"' + "x\n" * (size // 2) + '"' if n == 2 else "plain"
    else:                       # runaway: an unterminated quote on line 2
        note = '"runaway' if n == 2 else "plain"
    name = f"N {n}" if kind == "runaway" else f'"N {n}"'  # runaway: no quote after line 2
    line = f'{n},{name},{random.choice(["Active", "Inactive"])},{note}'
    out.append(line)
    total += len(line) + 1
open(path, "w", newline="").write(("\r\n" if kind == "exportcsv" else "\n").join(out) + ("\r\n" if kind == "exportcsv" else "\n"))
PY
}

# run NAME FILE CHUNK: -j 1 against -j 2 chunked; prints parsed bytes ratio
compare() {
    local name=$1 file=$2 chunk=$3 size
    size=$(stat -c %s "$file")
    mkdir -p "$W/$name.j1" "$W/$name.j2"
    timeout 120 "$BIN" -j 1 --no-fsync --timestamp T --format csv -o "$W/$name.j1" "$file" \
        >"$W/$name.j1.out" 2>"$W/$name.j1.err"
    echo $? >"$W/$name.j1.rc"
    CSVBATCH_DEBUG_CHUNKS=1 timeout 120 "$BIN" -j 2 --chunk-size "$chunk" --no-fsync \
        --timestamp T --format csv -o "$W/$name.j2" "$file" >"$W/$name.j2.out" 2>"$W/$name.j2.all"
    echo $? >"$W/$name.j2.rc"
    grep -v '^csvbatch: debug: ' "$W/$name.j2.all" >"$W/$name.j2.err"
    local dbg
    dbg=$(grep '^csvbatch: debug: ' "$W/$name.j2.all")
    [ -n "$dbg" ] || { fail "$name" "the file was not split (no debug line)"; return 1; }
    diff -r "$W/$name.j1" "$W/$name.j2" >/dev/null || { fail "$name" "outputs differ"; return 1; }
    cmp -s "$W/$name.j1.rc" "$W/$name.j2.rc" || { fail "$name" "exit codes differ"; return 1; }
    cmp -s "$W/$name.j1.err" "$W/$name.j2.err" || { fail "$name" "stderr differs: $(diff "$W/$name.j1.err" "$W/$name.j2.err" | head -3)"; return 1; }
    sed -e 's/,[0-9.]*$//' -e "s|$W/$name.j1/||" "$W/$name.j1.out" >"$W/$name.j1.cut"
    sed -e 's/,[0-9.]*$//' -e "s|$W/$name.j2/||" "$W/$name.j2.out" >"$W/$name.j2.cut"
    cmp -s "$W/$name.j1.cut" "$W/$name.j2.cut" || { fail "$name" "summaries differ"; return 1; }
    local parsed
    parsed=$(sed -n 's/.*bytes parsed \([0-9]*\).*/\1/p' <<<"$dbg")
    RATIO=$(python3 -c "print(f'{$parsed / $size:.2f}')")
    DBG=$dbg
    return 0
}

gen newlines 1 "$W/nl1.csv"
gen newlines 4 "$W/nl4.csv"
if compare nl1 "$W/nl1.csv" 64K; then r1=$RATIO
    if compare nl4 "$W/nl4.csv" 64K; then r4=$RATIO
        # Linear: the work per byte does not grow with the file (quadratic repair made it grow
        # with the number of chunks), and it is bounded by the protocol's 3 parses per byte.
        if python3 -c "import sys; sys.exit(0 if $r4 <= 3 and $r4 <= $r1 * 1.25 + 0.1 else 1)"; then
            pass quoted_newlines_linear "parsed/size: 1 MiB ${r1}, 4 MiB ${r4}"
        else
            fail quoted_newlines_linear "parsed/size grows: 1 MiB ${r1}, 4 MiB ${r4}"
        fi
    fi
fi
# Chunks start outside quotes (the quotes after a nominal start tell where records begin):
# files full of quoted line feeds split without any chunk parsed twice.
runs_ok() { # NAME CHUNK_BYTES: at most one run per chunk (chunks are capped: the debug line's)
    local runs chunks
    runs=$(sed -n 's/.* \([0-9]*\) chunk runs.*/\1/p' <<<"$DBG")
    chunks=$(sed -n 's/.*: \([0-9]*\) chunks, .*/\1/p' <<<"$DBG")
    if [ -n "$runs" ] && [ -n "$chunks" ] && [ "$chunks" -ge 2 ] && [ "$runs" -le "$chunks" ]; then
        pass "$1_starts_outside_quotes" "$runs runs for $chunks chunks"
    else
        fail "$1_starts_outside_quotes" "chunks parsed again: $DBG"
    fi
}
[ -n "${r4:-}" ] && runs_ok nl4 65536
gen exportcsv 4 "$W/export.csv"
compare export "$W/export.csv" 64K && runs_ok export 65536
gen field 4 "$W/field.csv"
compare field "$W/field.csv" 4K && {
    python3 -c "import sys; sys.exit(0 if $RATIO <= 3 else 1)" &&
        pass huge_quoted_field "parsed/size ${RATIO} at --chunk-size 4K" ||
        fail huge_quoted_field "parsed/size ${RATIO}: $DBG"
}
gen runaway 4 "$W/runaway.csv"
compare runaway "$W/runaway.csv" 4K && {
    grep -q "unterminated quoted field" "$W/runaway.j1.err" || fail runaway_quote "no unterminated-quote error"
    python3 -c "import sys; sys.exit(0 if $RATIO <= 3 else 1)" &&
        pass runaway_quote "parsed/size ${RATIO} at --chunk-size 4K" ||
        fail runaway_quote "parsed/size ${RATIO}: $DBG"
}

# A first field starting with U+FEFF on every 7th line: chunk starts land on some of them.
python3 - "$W/bom.csv" <<'PY'
import sys
out = ["Name,ID,Status"]
for i in range(20000):
    out.append(("\ufeff" if i % 7 == 0 else "") + f"N{i},{i},Active")
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
compare bom "$W/bom.csv" 4K && pass bom_at_chunk_start "U+FEFF first fields quoted as serially"

# A bad row near the end of a 4 MiB file: the failure's bytes_read (JSON) is the serial one.
python3 - "$W/late.csv" <<'PY'
import sys
out = ["Name,ID,Status"] + [f"N{i},{i},Active" for i in range(200000)]
out[190000] = 'bad"row,1,Active'
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
for side in 1 2; do
    timeout 60 "$BIN" -j $side --chunk-size 4K --no-fsync --format json -n "$W/late.csv" \
        >"$W/late.$side.json" 2>/dev/null
done
b1=$(python3 -c "import json,sys; f=json.load(open(sys.argv[1]))['files'][0]; print(f['status'], f['bytes_read'], f['rows_read'], f['line'])" "$W/late.1.json")
b2=$(python3 -c "import json,sys; f=json.load(open(sys.argv[1]))['files'][0]; print(f['status'], f['bytes_read'], f['rows_read'], f['line'])" "$W/late.2.json")
[ "$b1" = "$b2" ] && pass failed_bytes_read "status, bytes_read, rows, line: $b1" ||
    fail failed_bytes_read "serial '$b1', chunked '$b2'"

# Truncated between two preads of the chunked read (the 12th: after the chunks were planned).
cat >"$W/trunc.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>
static atomic_long calls;
static ssize_t cut(int fd, void *buf, size_t n, off_t off, const char *sym)
{
    ssize_t (*real)(int, void *, size_t, off_t) = dlsym(RTLD_NEXT, sym);
    const char *path = getenv("TRUNC_PATH");
    if (path != NULL && atomic_fetch_add(&calls, 1) + 1 == atol(getenv("TRUNC_AFTER")))
        truncate(path, atol(getenv("TRUNC_TO")));
    return real(fd, buf, n, off);
}
ssize_t pread(int fd, void *buf, size_t n, off_t off) { return cut(fd, buf, n, off, "pread"); }
ssize_t pread64(int fd, void *buf, size_t n, off_t off) { return cut(fd, buf, n, off, "pread64"); }
C
if cc -shared -fPIC -O1 -o "$W/trunc.so" "$W/trunc.c" -ldl 2>"$W/trunc.cc"; then
    python3 - "$W/cut.csv" <<'PY'
import sys
out = ["Name,ID,Status"] + [f"N{i},{i},Active" for i in range(100000)]
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
    size=$(stat -c %s "$W/cut.csv")
    # Under ASan the shim is preloaded before its runtime: allowed, it intercepts nothing ASan does.
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
        LD_PRELOAD=$W/trunc.so TRUNC_PATH=$W/cut.csv TRUNC_AFTER=12 TRUNC_TO=$((size / 2 + 3)) \
        CSVBATCH_DEBUG_CHUNKS=1 timeout 60 "$BIN" -j 2 --chunk-size 4K --no-fsync -q \
        "$W/cut.csv" 2>"$W/cut.err"
    rc=$?
    want="the file changed while it was being read (size $size, then $((size / 2 + 3)) bytes)"
    if [ $rc -eq 1 ] && grep -qF "$want" "$W/cut.err" && grep -q '^csvbatch: debug: ' "$W/cut.err" &&
        [ ! -e "$W/cut_processed.csv" ]; then
        pass truncated_while_chunked "exit 1, $want"
    else
        fail truncated_while_chunked "exit $rc: $(grep -v debug "$W/cut.err" | head -2)"
    fi
else
    fail truncated_while_chunked "cannot build the shim: $(head -2 "$W/trunc.cc")"
fi

# Bounded: 30 MiB at --chunk-size 4K (7,680 chunks unbounded; 8 now at -j 2). Peak RSS at most
# 24 MiB over the serial run's (a sanitizer build's overhead is in both). The chunks run in file
# order and each is appended to the output as soon as it and those before it have run, so the
# temp files kept at once are the output's and the finished ones waiting for one before them:
# fewer than one per chunk (8, when the assembly waited for the last chunk). How many wait
# depends on timing: the chunks halve in batches, so a thread slowed down in the first, big
# chunk (a sanitizer build, a busy host) can see the other finish several small ones meanwhile
# (5 seen under ASan); at most 7 in the debug line's count, 9 seen in the directory (the
# running ones too).
python3 - "$W/big/big.csv" <<'PY'
import os, sys
os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)
with open(sys.argv[1], "w") as f:
    f.write("Name,ID,Status,Notes\n")
    row = 0
    while f.tell() < 30 * 1024 * 1024:
        f.write("".join(f'N{row + i},{row + i},{"Active" if (row + i) % 3 else "Inactive"},"a, b"\n'
                        for i in range(10000)))
        row += 10000
PY
timeout 120 /usr/bin/time -f '%M' -o "$W/big.rss1" "$BIN" -j 1 --no-fsync -q --timestamp T \
    --select '*' --all-rows --suffix _serial "$W/big/big.csv"
( max=0; while [ ! -e "$W/big.done" ]; do
    n=$(find "$W/big" -name '.*.tmp-*' 2>/dev/null | wc -l)
    [ "$n" -gt "$max" ] && max=$n && echo "$max" >"$W/big.watch"
    sleep 0.01
  done ) &
watcher=$!
CSVBATCH_DEBUG_CHUNKS=1 timeout 120 /usr/bin/time -f '%M' -o "$W/big.rss" "$BIN" -j 2 \
    --chunk-size 4K --no-fsync -q --timestamp T --select '*' --all-rows "$W/big/big.csv" 2>"$W/big.err"
rc=$?
touch "$W/big.done"
wait "$watcher"
rss_kb=$(tail -1 "$W/big.rss") rss1_kb=$(tail -1 "$W/big.rss1")
seen=$(cat "$W/big.watch" 2>/dev/null || echo 0)
temps=$(sed -n 's/.*temp files at most \([0-9]*\).*/\1/p' "$W/big.err")
chunks=$(sed -n 's/.*: \([0-9]*\) chunks,.*/\1/p' "$W/big.err")
what="exit $rc, $chunks chunks, peak RSS $((rss_kb / 1024)) MiB (serial $((rss1_kb / 1024)) MiB), temp files at most ${temps:-?} (debug), $seen seen"
if [ $rc -eq 0 ] && cmp -s "$W/big/big_serial.csv" "$W/big/big_processed.csv" &&
    [ "${chunks:-999}" -eq 8 ] && [ "${temps:-999}" -le 7 ] && [ "$seen" -le 9 ] &&
    [ "$rss_kb" -le $((rss1_kb + 24 * 1024)) ]; then
    pass bounded_chunks "$what"
else
    fail bounded_chunks "$what; outputs $(cmp -s "$W/big/big_serial.csv" "$W/big/big_processed.csv" && echo same || echo differ)"
fi
# Each chunk reads, checks and scans up to its nominal end, then only what finishes the record
# straddling it: the chunks together parse the file's bytes exactly once (they read up to a
# block past their end, the next chunk's bytes, 7 MiB more here, before).
parsed=$(sed -n 's/.*bytes parsed \([0-9]*\) of \([0-9]*\).*/\1 \2/p' "$W/big.err")
if [ -n "$parsed" ] && [ "${parsed% *}" = "${parsed#* }" ]; then
    pass chunks_parse_once "bytes parsed ${parsed% *} of ${parsed#* }"
else
    fail chunks_parse_once "bytes parsed (of the file's): ${parsed:-none}"
fi
rm -rf "$W/big"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
