#!/usr/bin/env bash
# Both quote modes against Python itself: every testdata/lenient/*.csv, and generated cases, are
# read by python3's csv.reader, strict=False for --quotes lenient and strict=True for the default
# --quotes strict, and written back as csvbatch writes (LF, minimal quoting). csvbatch in
# pass-through mode must write the same bytes; fail exactly when Python's records do not all
# have the header's width; and, strict, fail with a quote error exactly where Python raises.
# Blank lines (Python yields []) are dropped, as csvbatch skips them; a leading UTF-8 BOM is
# stripped by both. Each file runs with the fast path, without it (--no-fast-path), and with
# chunking asked for (--chunk-size 4K -j 2: lenient runs are one pass, never split; strict runs
# of big files are).
# Also: the strict-mode hints name --quotes lenient exactly when the lenient read succeeds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${CSVBATCH:-$root/build/release/csvbatch}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
command -v python3 >/dev/null || { echo "lenient: python3 is required"; exit 1; }
export LC_ALL=C
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
ok() { echo "PASS $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }

# python3 reference ($3: strict or lenient): writes NAME.want (bytes csvbatch must write), or
# exits 3 when the records' widths differ from the header's (csvbatch must then fail the file),
# or 4 when strict Python raises before any record of another width (csvbatch must fail it
# with a quote error).
reference() {
    python3 - "$1" "$2" "$3" "${4:-}" <<'PY'
import csv, io, sys
data = open(sys.argv[1], 'rb').read().decode('utf-8')
if data.startswith('\ufeff'):
    data = data[1:]
rows, raised = [], False
try:
    for r in csv.reader(io.StringIO(data, newline=''), strict=sys.argv[3] == 'strict',
                        escapechar=sys.argv[4] or None):
        if r != []:
            rows.append(r)
except csv.Error:
    raised = True  # a width error in the records before it comes first, as in csvbatch
if raised and all(len(r) == len(rows[0]) for r in rows):
    sys.exit(4)
if not rows or any(len(r) != len(rows[0]) for r in rows):
    sys.exit(3)
# csvbatch's writer: RFC 4180 minimal quoting (a field with the delimiter, a quote, CR or LF is
# quoted, quotes doubled), LF line ends. Python's writer would not quote a lone CR here.
def field(f):
    if any(c in f for c in ',"\r\n'):
        return '"' + f.replace('"', '""') + '"'
    return f
text = ''.join(','.join(field(f) for f in r) + '\n' for r in rows)
open(sys.argv[2], 'wb').write(text.encode('utf-8'))
PY
}

# One file, three ways; $2 = label, $3 = strict or lenient; $4 = an escape character for
# Python's escapechar and csvbatch's --escape (none: the default, --escape auto).
compare() {
    local csv=$1 label="$3: $2" mode=$3 esc=${4:-} name; name=$(basename "$csv" .csv)
    set +e; reference "$csv" "$work/$name.want" "$mode" "$esc"; local want_rc=$?; set -e
    local escopt=(); [ -n "$esc" ] && escopt=(--escape "$esc")
    local how
    for how in "" "--no-fast-path" "--chunk-size 4K -j 2"; do
        rm -rf "$work/out"; mkdir -p "$work/out"
        set +e
        # shellcheck disable=SC2086 # $how is a list of options
        CSVBATCH_DEBUG_CHUNKS=1 "$bin" -q --quotes "$mode" --all-rows --select '*' --no-stamp \
            "${escopt[@]}" -o "$work/out" $how "$csv" 2>"$work/err"
        local rc=$?
        set -e
        local got="$work/out/${name}_processed.csv"
        if { [ "$mode" = lenient ] || [ -n "$esc" ]; } && grep -q "chunk runs" "$work/err"; then
            bad "$label [$how]: a lenient or escaped run was split into chunks"
        elif [ $want_rc -eq 4 ]; then
            if [ $rc -eq 1 ] && grep -Eq "after a closing quote, found|unterminated (quoted )?field" "$work/err" && [ ! -e "$got" ]; then
                ok "$label [$how]: fails where Python raises ($(head -c 100 "$work/err"))"
            else
                bad "$label [$how]: strict Python raises; csvbatch exit $rc $(head -c 200 "$work/err")"
            fi
        elif [ $want_rc -eq 3 ]; then
            if [ $rc -eq 1 ] && grep -q "expected [0-9]* fields, found" "$work/err" && [ ! -e "$got" ]; then
                ok "$label [$how]: fails as Python's widths say ($(head -c 100 "$work/err"))"
            else
                bad "$label [$how]: Python's records differ in width; csvbatch exit $rc"
            fi
        elif [ $rc -eq 0 ] && cmp -s "$got" "$work/$name.want"; then
            ok "$label [$how]"
        else
            bad "$label [$how]: exit $rc $(cat "$work/err")"
            [ -e "$got" ] && diff <(od -c "$work/$name.want") <(od -c "$got") | head -10
        fi
    done
}

for mode in lenient strict; do
    for csv in "$root"/testdata/lenient/*.csv; do
        compare "$csv" "lenient/$(basename "$csv")" "$mode"
    done
done

# Generated cases: a fixed header and a random body over the bytes that matter.
python3 - "$work/gen" <<'PY'
import os, random, sys
out = sys.argv[1]
os.makedirs(out)
rng = random.Random(8)
alphabet = ['a', 'b', ',', ',', '"', '"', '"', '\n', '\r', '\r\n', ' ', 'é', 'x"y']
for i in range(60):
    body = ''.join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
    open(os.path.join(out, 'gen%02d.csv' % i), 'wb').write(('h1,h2\n' + body).encode('utf-8'))
# Big enough to be split at --chunk-size 4K if lenient runs were split.
big = 'h1,h2\n' + ''.join('a"%d,"q"x%d\n' % (i, i) for i in range(2000))
open(os.path.join(out, 'gen-big.csv'), 'wb').write(big.encode('utf-8'))
# Strict and split into chunks: quotes inside unquoted fields (which a chunk's quote count takes
# for quoted fields) between quoted fields with line breaks and delimiters inside.
rows = []
for i in range(3000):
    rows.append(['5\' %d" tall' % i, '"quoted, with\nbreak"'] if i % 3 else ['x"%d' % i, '"a""b"'])
big = 'h1,h2\n' + ''.join('%s,%s\n' % (a, b) for a, b in rows)
open(os.path.join(out, 'gen-big-strict.csv'), 'wb').write(big.encode('utf-8'))
PY
for csv in "$work"/gen/*.csv; do
    for mode in lenient strict; do
        compare "$csv" "generated/$(basename "$csv")" "$mode" >"$work/log" 2>&1 || true
        if grep -q '^FAIL' "$work/log"; then cat "$work/log"; failed=$((failed + 1)); else passed=$((passed + 1)); fi
    done
done
echo "generated: 62 cases compared (2 modes, 3 ways each)"

# --escape '\\': Python's escapechar, both modes, over bodies with backslashes before every kind
# of byte (a quote, the delimiter, CR, LF, itself, text) and at the end of the file; and a big
# MySQL-style file that --escape auto (the default) must read so, whole, never split.
python3 - "$work/esc" <<'PY'
import os, random, sys
out = sys.argv[1]
os.makedirs(out)
rng = random.Random(9)
alphabet = ['a', ',', '"', '"', '\\', '\\', '\\"', '\n', '\r\n', '\r', ' ', 'é']
for i in range(80):
    body = ''.join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
    open(os.path.join(out, 'esc%02d.csv' % i), 'wb').write(('h1,h2\n' + body).encode('utf-8'))
big = 'h1,h2\n' + ''.join('"say \\"%d\\", ok",\\\\x%d\n' % (i, i) for i in range(3000))
open(os.path.join(out, 'esc-big.csv'), 'wb').write(big.encode('utf-8'))
PY
for csv in "$work"/esc/esc[0-9]*.csv; do
    for mode in lenient strict; do
        compare "$csv" "escape/$(basename "$csv")" "$mode" '\' >"$work/log" 2>&1 || true
        if grep -q '^FAIL' "$work/log"; then cat "$work/log"; failed=$((failed + 1)); else passed=$((passed + 1)); fi
    done
done
echo "escape: 80 generated cases compared (2 modes, 3 ways each)"
set +e; reference "$work/esc/esc-big.csv" "$work/esc-big.want" strict '\'; rc=$?; set -e
rm -rf "$work/out"; mkdir -p "$work/out"
if [ $rc -eq 0 ] && CSVBATCH_DEBUG_CHUNKS=1 "$bin" --format json --all-rows --select '*' \
        --no-stamp --chunk-size 4K -j 2 -o "$work/out" "$work/esc/esc-big.csv" >"$work/json" \
        2>"$work/err" && cmp -s "$work/out/esc-big_processed.csv" "$work/esc-big.want" &&
    grep -q '"escape": "\\\\"' "$work/json" && ! grep -q "chunk runs" "$work/err"; then
    ok "escape: --escape auto reads a MySQL-style file as Python's escapechar, whole"
else
    bad "escape: auto on esc-big.csv (python rc $rc): $(head -c 300 "$work/err") $(grep escape "$work/json")"
fi
# The strict big file really was split (else its chunked comparison proves nothing).
rm -rf "$work/out"; mkdir -p "$work/out"
CSVBATCH_DEBUG_CHUNKS=1 "$bin" -q --all-rows --select '*' --no-stamp -o "$work/out" \
    --chunk-size 4K -j 2 "$work/gen/gen-big-strict.csv" 2>"$work/err" || true
if grep -q "chunk runs" "$work/err"; then ok "strict: gen-big-strict.csv was split into chunks"
else bad "strict: gen-big-strict.csv was not split: $(head -c 200 "$work/err")"; fi

# Hints: strict mode names --quotes lenient exactly when the lenient read succeeds.
hint() { # $1 file, $2 expected stderr substring, $3 = 1 when the hint must be there; $4...: options
    local file=$1 want=$2 must=$3; shift 3
    set +e; "$bin" -q --all-rows --select '*' --no-stamp --dry-run "$@" "$file" 2>"$work/err"; set -e
    if grep -qF -- "$want" "$work/err" && { [ "$must" = 1 ] || ! grep -q -- "--quotes lenient" "$work/err"; }; then
        ok "hint: $(basename "$file") $*: $(cat "$work/err")"
    else
        bad "hint: $(basename "$file") $*: got $(cat "$work/err")"
    fi
}
hint "$root/testdata/lenient/text-after-quote.csv" \
    "after a closing quote, found 'x' (--quotes lenient reads text after a closing quote as part of the field)" 1
hint "$root/testdata/lenient/unterminated-at-eof.csv" \
    "found end of file (--quotes lenient reads the open quoted field to the end of the file)" 1
# Lenient reading leaves a short record: both options are named, as both read the file.
hint "$root/testdata/lenient/bad-field-count.csv" \
    "found 'x' (--quotes lenient --on-bad-row pad reads the file: text after a closing quote as part of the field, and short records filled with empty fields)" 1
# ... and with --on-bad-row pad given, --quotes lenient alone.
hint "$root/testdata/lenient/bad-field-count.csv" \
    "found 'x' (--quotes lenient reads text after a closing quote as part of the field)" 1 --on-bad-row pad
# A long record: no option reads the file, none is named.
hint "$root/testdata/lenient/bad-field-count-long.csv" \
    "after a closing quote, found 'x'" 0
# --quotes lenient and --compat powershell each say how quotes are read: a usage error.
set +e; "$bin" --quotes lenient --compat powershell x.csv >/dev/null 2>"$work/err"; rc=$?; set -e
if [ $rc -eq 2 ] && grep -qx "csvbatch: --quotes lenient and --compat powershell each say how quotes are read: give one" <(head -1 "$work/err"); then
    ok "lenient with powershell: usage error"
else
    bad "lenient with powershell: exit $rc $(cat "$work/err")"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
