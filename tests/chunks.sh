#!/usr/bin/env bash
# Chunk repair is linear (issue 14, issue 13 item 8): files whose chunk boundaries mostly land
# inside quoted fields give the -j 1 output byte for byte, with the same summary and errors, and
# the bytes the chunked run parses (CSVBATCH_DEBUG_CHUNKS=1 prints them) stay within a constant
# factor of the file size whatever its size. Work is counted, not timed: time belongs in
# `make bench`.
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
runs_ok() { # NAME CHUNK_BYTES: at most one run per chunk
    local runs size
    runs=$(sed -n 's/.*: \([0-9]*\) chunk runs.*/\1/p' <<<"$DBG")
    size=$(stat -c %s "$W/$1.csv")
    if [ -n "$runs" ] && [ "$runs" -le $((size / $2)) ]; then
        pass "$1_starts_outside_quotes" "$runs runs for $((size / $2)) chunks"
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
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
