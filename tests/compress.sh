#!/usr/bin/env bash
# Compressed inputs and outputs end to end, with the real gzip, zstd, bzip2 and xz: every format
# read (and detected whatever its name), outputs that decompress to exactly the plain run's
# bytes (whole files, and chunked at -j 1 and -j 2), --compress none, naming and re-runs, a
# truncated file failing alone with nothing left behind, JSON accounting, a stream, and peak RSS
# for a bomb under GNU time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${CSVBATCH:-$root/build/release/csvbatch}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LC_ALL=C
# Sanitizer builds (make asan/ubsan) inflate RSS and refuse the LD_PRELOAD shim: those checks
# run on the release build only.
plain_build=0; [ "${CSVB_VARIANT:-release}" = release ] && plain_build=1
run() { "$bin" --timestamp 2026-01-01T00:00:00Z -q "$@"; }
passed=0 failed=0
ok() { echo "PASS $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
dec() { case $1 in *.gz) gzip -dc "$1" ;; *.zst) zstd -qdc "$1" ;; *.bz2) bzip2 -dc "$1" ;;
        *.xz) xz -dc "$1" ;; *) cat "$1" ;; esac; }
same() { cmp -s <(dec "$1") "$2"; }
not_cmp() { ! cmp -s "$1" "$2"; }

# A plain input (about 300 KB, quoted fields included) and the plain run's output.
mkdir -p "$work/plain" "$work/z"
awk 'BEGIN { print "ID,Name,Status"; for (i = 0; i < 12000; i++)
     printf "%d,\"N, %d\",%s\n", i, i * 7, (i % 3 ? "Active" : "Inactive") }' >"$work/plain/big.csv"
run "$work/plain/big.csv"
want=$work/plain/big_processed.csv
for f in gz:gzip zst:zstd bz2:bzip2 xz:xz; do
    ext=${f%%:*} tool=${f#*:}
    $tool -c "$work/plain/big.csv" >"$work/z/big_$ext.csv.$ext"
done
cp "$work/z/big_gz.csv.gz" "$work/z/wrong.csv" # gzip data, plain name
run "$work/z"
for ext in gz zst bz2 xz; do
    check "$ext input, $ext output, same bytes" same "$work/z/big_${ext}_processed.csv.$ext" "$want"
done
check "gzip data named .csv is detected and read" cmp -s "$work/z/wrong_processed.csv" "$want"
n1=$("$bin" --format csv "$work/z" | tail -n +2 | wc -l)
check "re-run takes no output as input (5 files)" test "$n1" = 5
check "no temp files left" test -z "$(find "$work" -name '.*' -type f)"

# --compress none / gzip / zstd; chunked outputs at -j 1 and -j 2 concatenate into one stream.
run --compress none "$work/z/big_gz.csv.gz"
check "--compress none writes plain CSV" cmp -s "$work/z/big_gz_processed.csv" "$want"
for how in gzip zstd; do
    ext=gz; [ $how = zstd ] && ext=zst
    for j in 1 2; do
        rm -rf "$work/out"
        CSVBATCH_DEBUG_CHUNKS=1 run --compress $how -j $j --chunk-size 4K -o "$work/out" \
            "$work/plain/big.csv" 2>"$work/chunks.$j.err"
        check "--compress $how -j $j --chunk-size 4K decodes to the plain bytes" \
            same "$work/out/big_processed.csv.$ext" "$want"
        cp "$work/out/big_processed.csv.$ext" "$work/chunked.$j.$ext"
    done
done
members=$(python3 -c 'import sys, zlib
d, n = open(sys.argv[1], "rb").read(), 0
while d:
    o = zlib.decompressobj(31); o.decompress(d); d = o.unused_data; n += 1
print(n)' "$work/chunked.2.gz")
# As many members (frames) as the chunks the debug line counts (at most 4 per thread since
# issue 13 item 9), more than one.
chunks=$(sed -n 's/.*: \([0-9]*\) chunks,.*/\1/p' "$work/chunks.2.err")
check "gzip chunked output is one member per chunk ($members of ${chunks:-?})" \
    test "$members" -gt 1 -a "$members" = "${chunks:-x}"
frames=$(zstd -l "$work/chunked.2.zst" | awk 'NR == 2 { print $1 }')
check "zstd chunked output is one frame per chunk ($frames of ${chunks:-?})" \
    test "$frames" -gt 1 -a "$frames" = "${chunks:-x}"
"$bin" --compress gzip --compress-level 1 --timestamp 2026-01-01T00:00:00Z -q -o "$work/l1" "$work/plain/big.csv"
check "--compress-level 1 output decodes" same "$work/l1/big_processed.csv.gz" "$want"
# zstd outputs default to level 1 (re-compressing keeps pace with the decoder): the same bytes
# as --compress-level 1, not level 3's (the library's own default).
for l in default 1 3; do
    lv=(); [ $l = default ] || lv=(--compress-level $l)
    run "${lv[@]}" -o "$work/zl$l" "$work/z/big_zst.csv.zst"
done
check "zstd output: default level is 1" \
    cmp -s "$work/zldefault/big_zst_processed.csv.zst" "$work/zl1/big_zst_processed.csv.zst"
check "zstd output: level 3 differs from the default" \
    not_cmp "$work/zldefault/big_zst_processed.csv.zst" "$work/zl3/big_zst_processed.csv.zst"
check "zstd output: level 3 decodes" same "$work/zl3/big_zst_processed.csv.zst" "$want"

# A truncated file fails alone, names the cause and where, and leaves nothing.
mkdir -p "$work/t"
head -c 20000 "$work/z/big_gz.csv.gz" >"$work/t/cut.csv.gz"
cp "$work/z/big_zst.csv.zst" "$work/t/good.csv.zst"
set +e
err=$("$bin" --timestamp 2026-01-01T00:00:00Z -q "$work/t" 2>&1 >/dev/null); rc=$?
set -e
check "truncated file: exit 1" test "$rc" = 1
case $err in *"cut.csv.gz: gzip data is truncated after 20000 compressed bytes (line "*) ok "truncated: message" ;;
     *) bad "truncated: message: $err" ;; esac
check "truncated: no output, no temp file" test "$(ls -A "$work/t" | sort | tr '\n' ' ')" = "cut.csv.gz good.csv.zst good_processed.csv.zst "
printf '\x1f\x8b\x08\x00garbage-garbage-garbage' >"$work/t/cut.csv.gz"
set +e; err=$("$bin" -q "$work/t/cut.csv.gz" 2>&1); set -e
case $err in *"gzip data is corrupt after"*) ok "corrupt gzip: message" ;; *) bad "corrupt gzip: $err" ;; esac
printf 'ID,Name,Status\n1,\xff,Active\n' | gzip -c >"$work/t/bin.csv.gz"
set +e; err=$("$bin" -q "$work/t/bin.csv.gz" 2>&1); set -e
case $err in *"bin.csv.gz:2: column 3: expected UTF-8 text"*"(in gzip-compressed data)") ok "bad UTF-8 in gzip data: named" ;;
     *) bad "bad UTF-8 in gzip data: $err" ;; esac

# JSON accounting: compressed bytes read, decoded bytes, the format.
json=$("$bin" --format json --timestamp 2026-01-01T00:00:00Z "$work/z/big_xz.csv.xz")
zsize=$(wc -c <"$work/z/big_xz.csv.xz") psize=$(wc -c <"$work/plain/big.csv")
check "JSON: compression, bytes_read, bytes_decompressed" test \
    "$(jq -r '.files[0] | "\(.compression) \(.bytes_read) \(.bytes_decompressed)"' <<<"$json")" = "xz $zsize $psize"

# A stream (a pipe named on the command line) is detected and decoded too.
mkdir -p "$work/s"
run -o "$work/s" <(gzip -c "$work/plain/big.csv")
check "gzip through a pipe" cmp -s "$(ls "$work/s"/*_processed.csv)" "$want"

# A bomb: 260 MB of rows in 1.5 MB of gzip, and one 64 MiB field; peak RSS stays under 32 MiB.
if [ -x /usr/bin/time ] && [ "$plain_build" = 1 ]; then
    { echo "ID,Name,Status"; { yes '1,Ann,Active' || true; } | head -n 20000000; } | gzip -1 -c >"$work/bomb.csv.gz"
    /usr/bin/time -v "$bin" -q -j 1 --where Status=None -o "$work/bo" "$work/bomb.csv.gz" 2>"$work/time.txt"
    kb=$(awk -F: '/Maximum resident/ { gsub(/ /, "", $2); print $2 }' "$work/time.txt")
    check "bomb (260 MB of rows): peak RSS ${kb} KiB < 32 MiB" test "$kb" -lt 32768
    { echo "ID,Name,Status"; head -c 67108864 /dev/zero | tr '\0' a; } | gzip -1 -c >"$work/field.csv.gz"
    set +e
    /usr/bin/time -v "$bin" -q -j 1 --max-field-size 1M -o "$work/bo" "$work/field.csv.gz" 2>"$work/time.txt"
    rc=$?; set -e
    kb=$(awk -F: '/Maximum resident/ { gsub(/ /, "", $2); print $2 }' "$work/time.txt")
    check "runaway field bomb: fails (rc $rc) under --max-field-size" test "$rc" = 1
    check "runaway field bomb: peak RSS ${kb} KiB < 32 MiB" test "$kb" -lt 32768
    check "runaway field bomb: message" grep -q "field.csv.gz:2: expected fields of at most 1048576 bytes" "$work/time.txt"
else
    echo "SKIP bombs: GNU time (/usr/bin/time) not installed, or a sanitizer build"
fi
# Faults while writing compressed outputs (the LD_PRELOAD shim of tests/faults): the failing
# file fails alone, with the cause, and leaves neither output nor temp file; SIGINT mid-run
# leaves only complete outputs.
if [ "$plain_build" = 1 ] &&
    cc -shared -fPIC -O1 -o "$work/inject.so" "$root/tests/faults/inject.c" -ldl 2>/dev/null; then
    mkdir -p "$work/f"
    awk 'BEGIN { srand(7); print "ID,Name,Status"; for (i = 0; i < 60000; i++)
         printf "%d,%x%x,Active\n", i, rand() * 2^31, rand() * 2^31 }' >"$work/rand.csv"
    gzip -c "$work/rand.csv" >"$work/f/b.csv.gz"
    gzip -c "$work/plain/big.csv" >"$work/f/a.csv.gz"
    "$bin" --timestamp 2026-01-01T00:00:00Z -q -o "$work/fref" "$work/f"
    for fault in ENOSPC:0 EIO:0 EIO:1; do
        errno=${fault%:*} skip=${fault#*:}
        rm -rf "$work/fo"
        set +e
        CSVB_FAULT_OP=write CSVB_FAULT_MATCH=b_processed CSVB_FAULT_ERRNO=$errno CSVB_FAULT_SKIP=$skip \
            LD_PRELOAD=$work/inject.so "$bin" --timestamp 2026-01-01T00:00:00Z -q -j 2 \
            -o "$work/fo" "$work/f" 2>"$work/fault.err"
        rc=$?; set -e
        want="Input/output error"; [ "$errno" = ENOSPC ] && want="No space left on device"
        check "$errno on write $skip of a gzip output: exit 1, the cause named" \
            grep -q "b.csv.gz: cannot write .*b_processed.csv.gz: $want" "$work/fault.err"
        check "$errno on write $skip: exit 1" test "$rc" = 1
        check "$errno on write $skip: no b output, no temp, a complete" test \
            "$(ls -A "$work/fo")" = a_processed.csv.gz -a "$(cmp "$work/fo/a_processed.csv.gz" "$work/fref/a_processed.csv.gz" && echo same)" = same
    done
    # Progress counts compressed bytes read against the compressed size (the ETA's base): a
    # 3.6 MB CSV that gzips to about 0.7 MB, its output slowed to 7 bytes a write so that the
    # line is redrawn mid-run, never shows more done than that total, and shows some done.
    mkdir -p "$work/pg"
    awk 'BEGIN { print "ID,Name,Status"; for (i = 0; i < 300000; i++) print i ",N,Active" }' |
        gzip -9 -c >"$work/pg/p.csv.gz"
    CSVB_FAULT_OP=shortwrite CSVB_FAULT_MATCH=p_processed LD_PRELOAD=$work/inject.so \
        "$bin" --progress --no-stamp --compress none -o "$work/pg-out" "$work/pg/p.csv.gz" \
        2>"$work/pg.err" >/dev/null
    check "progress on a .csv.gz counts compressed bytes against the compressed size" python3 - \
        "$work/pg.err" "$(stat -c %s "$work/pg/p.csv.gz")" <<'PY'
import re, sys
unit = {'B': 1, 'KB': 1e3, 'MB': 1e6, 'GB': 1e9}
size = int(sys.argv[2])
lines = [l for l in open(sys.argv[1], errors='replace').read().replace('\r', '\n').split('\n')
         if ' files, ' in l]
pairs = [re.search(r'files, ([0-9.]+) (B|KB|MB|GB)/([0-9.]+) (B|KB|MB|GB)', l) for l in lines]
ok, seen = bool(lines) and all(pairs), False
for m in pairs if ok else []:
    done, total = float(m[1]) * unit[m[2]], float(m[3]) * unit[m[4]]
    ok = ok and abs(total - size) <= 0.051 * size and done <= total
    seen = seen or done > 0
sys.exit(0 if ok and seen else 1)
PY
    mkdir -p "$work/sig"
    for i in $(seq -w 1 24); do cp "$work/f/b.csv.gz" "$work/sig/f$i.csv.gz"; done
    "$bin" --timestamp 2026-01-01T00:00:00Z -q --compress zstd -o "$work/sigref" "$work/sig/f01.csv.gz"
    rm -rf "$work/so"
    env --default-signal=INT "$bin" --timestamp 2026-01-01T00:00:00Z -q -j 2 --compress zstd \
        -o "$work/so" "$work/sig" 2>/dev/null &
    pid=$!
    sleep 0.4
    kill -INT "$pid" 2>/dev/null || true
    set +e; wait "$pid"; rc=$?; set -e
    check "SIGINT while writing zstd outputs: exit 130 (or 0 when done first: $rc)" test "$rc" = 130 -o "$rc" = 0
    complete=yes
    for f in "$work/so"/* "$work/so"/.*; do
        case ${f##*/} in . | .. | '*' | '.*') continue ;; esac
        cmp -s "$f" "$work/sigref/f01_processed.csv.zst" || complete="no: ${f##*/}"
    done
    check "SIGINT: only complete outputs left ($complete)" test "$complete" = yes
else
    echo "SKIP faults: a sanitizer build, or the LD_PRELOAD shim cannot be built"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
