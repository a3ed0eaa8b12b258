#!/usr/bin/env bash
# Chunked runs are byte-identical to serial ones over the whole e2e corpus (issue 13 item 10):
# every CSV file that a tests/e2e/cases/*/setup builds or copies, each as it is and enlarged
# (its header, then its other lines repeated past 48 KiB, so that --chunk-size 4K splits it into
# about a dozen chunks), is run at -j 1 and at -j 2 --chunk-size 4K, under a few option sets;
# the output trees, stdout (the CSV summary, Seconds cut), stderr, the exit codes and the JSON
# report (times cut) must be the same bytes. Also checks that the enlarged files really were
# split (CSVBATCH_DEBUG_CHUNKS=1).
#
#   bash tests/chunks_corpus.sh      (CSVBATCH=path picks another binary)
set -u
export LC_ALL=C TZ=UTC
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${CSVBATCH:-$ROOT/build/release/csvbatch}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
[ -x "$BIN" ] || { echo "chunks_corpus.sh: csvbatch binary not found: $BIN" >&2; exit 2; }
W=$(mktemp -d "${TMPDIR:-/tmp}/csvb-corpus.XXXXXX")
trap 'chmod -R u+rwX "$W" 2>/dev/null; rm -rf "$W"' EXIT
passed=0 failed=0
pass() { echo "PASS $1${2:+ ($2)}"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

# The corpus: each case's setup in its own directory, then its readable regular *.csv files.
mkdir -p "$W/corpus" "$W/setup"
for setup in "$ROOT"/tests/e2e/cases/*/setup; do
    name=$(basename "$(dirname "$setup")")
    mkdir "$W/setup/$name"
    (cd "$W/setup/$name" && TESTDATA=$ROOT/testdata CSVBATCH=$BIN timeout 20 bash "$setup") \
        </dev/null >/dev/null 2>&1
    while IFS= read -r -d '' f; do
        rel=${f#"$W/setup/$name/"}
        cp -- "$f" "$W/corpus/${name}__${rel//\//__}" 2>/dev/null
    done < <(find "$W/setup/$name" -type f -readable -iname '*.csv' -print0)
done
chmod -R u+rwX "$W/setup" 2>/dev/null
rm -rf "$W/setup"
python3 - "$W/corpus" <<'PY'
import os, sys
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    data = open(os.path.join(d, name), "rb").read()
    nl = data.find(b"\n")
    if nl < 0 or nl + 1 >= len(data):
        continue
    head, body = data[: nl + 1], data[nl + 1 :]
    if not body.endswith(b"\n"):
        body += b"\n"
    big = bytearray(head)
    while len(big) < 48 * 1024:
        big += body
    open(os.path.join(d, "big__" + name), "wb").write(big)
PY
nfiles=$(find "$W/corpus" -type f | wc -l)
nbig=$(find "$W/corpus" -type f -name 'big__*' | wc -l)
[ "$nfiles" -gt 100 ] || fail corpus "only $nfiles files collected"

cut_report() {
    python3 - "$1" "$2" <<'PY'
import json, sys
# Times and resource figures, and the two options that differ on purpose (-j, --chunk-size).
drop = {"seconds", "started_at", "finished_at", "peak_rss_bytes", "cpu_user_seconds",
        "cpu_system_seconds"}
def cut(v, top=False):
    if isinstance(v, dict):
        r = {k: cut(x) for k, x in v.items() if k not in drop}
        if top:
            r["options"].pop("jobs"), r["options"].pop("chunk_size")
        return r
    if isinstance(v, list):
        return [cut(x) for x in v]
    if isinstance(v, str):
        return v.replace(sys.argv[2], "OUT")
    return v
print(json.dumps(cut(json.load(open(sys.argv[1])), True), indent=1, sort_keys=True))
PY
}

# run TAG OPTIONS...: -j 1 against -j 2 --chunk-size 4K over the corpus.
run() {
    local tag=$1 side
    shift
    for side in serial chunked; do
        local out=$W/$tag.$side extra=(-j 1)
        [ "$side" = chunked ] && extra=(-j 2 --chunk-size 4K)
        mkdir -p "$out/o"
        (cd "$W/corpus" && CSVBATCH_DEBUG_CHUNKS=1 timeout 120 "$BIN" "${extra[@]}" --no-fsync \
            --timestamp 2024-01-01T00:00:00Z --format csv --report "$out/report.json" \
            -o "$out/o" "$@" .) >"$out/stdout" 2>"$out/stderr.all"
        echo $? >"$out/rc"
        grep -v '^csvbatch: debug: ' "$out/stderr.all" >"$out/stderr"
        grep -c '^csvbatch: debug: ' "$out/stderr.all" >"$out/split"
        # the Time column (before RowsRejected, which comes last with skip: a later column)
        sed -E -i 's/,[0-9]+\.[0-9]+(e-?[0-9]+)?(,[0-9]+)?$/\2/' "$out/stdout"
        sed -i "s|$out/o|OUT|g" "$out/stdout" "$out/stderr"
        cut_report "$out/report.json" "$out/o" >"$out/report.cut" 2>&1
    done
    local s=$W/$tag.serial c=$W/$tag.chunked what=""
    diff -r "$s/o" "$c/o" >"$W/$tag.diff" 2>&1 || what="outputs differ: $(grep -c '^diff\|^Only' "$W/$tag.diff") files"
    cmp -s "$s/rc" "$c/rc" || what="$what; exit codes $(cat "$s/rc") vs $(cat "$c/rc")"
    cmp -s "$s/stdout" "$c/stdout" || what="$what; summaries differ: $(diff "$s/stdout" "$c/stdout" | grep -c '^>') rows"
    cmp -s "$s/stderr" "$c/stderr" || what="$what; stderr differs: $(diff "$s/stderr" "$c/stderr" | grep -c '^>') lines"
    cmp -s "$s/report.cut" "$c/report.cut" || what="$what; JSON reports differ"
    local split
    split=$(cat "$c/split")
    [ "$split" -ge $((nbig / 2)) ] || what="$what; only $split of $nbig enlarged files were split"
    if [ -z "$what" ]; then
        pass "$tag" "$nfiles files, $split split, exit $(cat "$s/rc")"
    else
        fail "$tag" "${what#; }"
        diff "$s/stdout" "$c/stdout" | head -6
        head -20 "$W/$tag.diff"
    fi
}

run default
run all_columns --select '*' --all-rows
run skip_bad_rows --on-bad-row skip --select '*' --where Status!=Inactive
run dry_run --dry-run --all-rows
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
