#!/usr/bin/env bash
# Encodings (issue 8): every testdata/encodings file is read in its encoding (by its BOM, by
# --encoding NAME, by --encoding auto where the detector is sure) and must come out as exactly
# the UTF-8 CSV python3 makes of it (its codec, csv.reader, RFC 4180 minimal quoting, LF); each
# run three ways: plainly, --no-fast-path, and --chunk-size 4K -j 2 (a transcoded file is never
# split: CSVBATCH_DEBUG_CHUNKS must report no chunk runs for it). Bad bytes fail with their line
# and column; auto fails, naming the guess, when the detector is unsure; a UTF-8 BOM wins over
# --encoding latin1 (no double encoding); the invalid-UTF-8 hint names the detected encoding.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${CSVBATCH:-$root/build/release/csvbatch}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
command -v python3 >/dev/null || { echo "encodings: python3 is required"; exit 1; }
export LC_ALL=C
data=$root/testdata/encodings
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
ok() { echo "PASS $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }

# $1 file, $2 Python codec: writes $work/want.
reference() {
    python3 - "$1" "$2" "$work/want" <<'PY'
import csv, io, sys
text = open(sys.argv[1], 'rb').read().decode(sys.argv[2])
if text.startswith('\ufeff'):
    text = text[1:]
rows = [r for r in csv.reader(io.StringIO(text, newline='')) if r != []]
def field(f):
    return '"' + f.replace('"', '""') + '"' if any(c in f for c in ',"\r\n') else f
open(sys.argv[3], 'wb').write(''.join(','.join(map(field, r)) + '\n' for r in rows).encode('utf-8'))
PY
}

# $1 file, $2 codec, $3... csvbatch options
expect_text() {
    local label=$1 file=$data/$1 codec=$2; shift 2
    reference "$file" "$codec"
    local name; name=$(basename "$file" .csv)
    local how
    for how in "" "--no-fast-path" "--chunk-size 4K -j 2"; do
        rm -rf "$work/out"; mkdir -p "$work/out"
        set +e
        # shellcheck disable=SC2086 # $how is a list of options
        CSVBATCH_DEBUG_CHUNKS=1 "$bin" -q --all-rows --select '*' --no-stamp -o "$work/out" \
            "$@" $how "$file" 2>"$work/err"
        local rc=$?
        set -e
        if [ $rc -ne 0 ] || ! cmp -s "$work/out/${name}_processed.csv" "$work/want"; then
            bad "$label $* [$how]: exit $rc $(cat "$work/err")"
        elif grep -q "chunk runs" "$work/err"; then
            bad "$label $* [$how]: split into chunks: $(cat "$work/err")"
        else
            ok "$label $* [$how]"
        fi
    done
}

# $1 file, $2 expected stderr line (exact), $3... options
expect_error() {
    local label=$1 file=$data/$1 want=$2; shift 2
    set +e; "$bin" -q --all-rows --select '*' --no-stamp --dry-run "$@" "$file" 2>"$work/err"; local rc=$?; set -e
    if [ $rc -eq 1 ] && [ "$(cat "$work/err")" = "csvbatch: $file$want" ]; then
        ok "$label $*: $want"
    else
        bad "$label $*: exit $rc, got '$(cat "$work/err")', want 'csvbatch: $file$want'"
    fi
}

# Byte-order marks, honoured by default and winning over --encoding.
expect_text bom-utf8.csv utf-8
expect_text bom-utf8.csv utf-8 --encoding latin1 # issue 13 item 16: never double-encoded
expect_text bom-utf8.csv utf-8 --encoding windows-1252
expect_text bom-utf16le.csv utf-16
expect_text bom-utf16le.csv utf-16 --encoding windows-1252
expect_text bom-utf16be.csv utf-16
expect_text bom-utf32le.csv utf-32
expect_text bom-utf32be.csv utf-32
# Named encodings, through iconv.
expect_text windows-1252.csv cp1252 --encoding windows-1252
expect_text windows-1252.csv cp1252 --encoding cp1252
expect_text macintosh.csv mac_roman --encoding macintosh
expect_text shift_jis.csv shift_jis --encoding shift_jis
expect_text gb18030.csv gb18030 --encoding gb18030
# auto: UTF-8 stays UTF-8; otherwise the detector, where it is sure.
expect_text bom-utf8.csv utf-8 --encoding auto
expect_text windows-1252.csv cp1252 --encoding auto
expect_text shift_jis.csv shift_jis --encoding auto
expect_text gb18030.csv gb18030 --encoding auto
expect_error macintosh.csv ": --encoding auto cannot tell the encoding: the detector guesses iso-8859-1, but that reads the control character U+0091 (name it with --encoding NAME)" --encoding auto
# Bytes invalid in the encoding in force: line and column (characters), never U+FFFD.
expect_error invalid-windows-1252.csv ":3: column 4: expected windows-1252 text, found invalid byte 0x81" --encoding windows-1252
expect_error invalid-shift_jis.csv ":3: column 3: expected shift_jis text, found invalid byte 0x81" --encoding shift_jis
# Not UTF-8 under the default: the hint names what the detector is sure of.
expect_error windows-1252.csv ":2: column 5: expected UTF-8 text, found invalid byte 0xEB (this looks like windows-1252: --encoding windows-1252, or --encoding auto)"
expect_error shift_jis.csv ":2: column 1: expected UTF-8 text, found invalid byte 0x8E (this looks like shift_jis: --encoding shift_jis, or --encoding auto)"
expect_error macintosh.csv ":2: column 5: expected UTF-8 text, found invalid byte 0x91 (convert the file to UTF-8, or name its encoding with --encoding)"
# A bad byte past the first 64 KiB: the hint names the encoding, but not auto (it would keep
# UTF-8 for that start); under --encoding auto itself, the same hint.
python3 - "$work/late.csv" <<'PY'
import sys
rows = ['Name,ID,Status'] + ['Ann %d,%d,Active' % (i, i) for i in range(5000)]
rows += ['Ren\u00e9e M\u00fcller,%d,Active' % i for i in range(5000, 5010)]
open(sys.argv[1], 'wb').write(('\n'.join(rows) + '\n').encode('cp1252'))
PY
late() { # $1 options
    set +e; "$bin" -q --dry-run $1 "$work/late.csv" 2>"$work/err"; local rc=$?; set -e
    local want="csvbatch: $work/late.csv:5002: column 4: expected UTF-8 text, found invalid byte 0xE9 (this looks like iso-8859-1: --encoding iso-8859-1)"
    if [ $rc -eq 1 ] && [ "$(cat "$work/err")" = "$want" ]; then ok "late bad byte [$1]"; else bad "late bad byte [$1]: $(cat "$work/err")"; fi
}
late ""
late "--encoding auto"
# A name iconv does not know is a usage error.
set +e; "$bin" --encoding no-such-thing x.csv >/dev/null 2>"$work/err"; rc=$?; set -e
if [ $rc -eq 2 ] && grep -q "^csvbatch: --encoding: iconv does not know 'no-such-thing'" "$work/err"; then
    ok "unknown encoding: usage error"
else
    bad "unknown encoding: exit $rc $(cat "$work/err")"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
