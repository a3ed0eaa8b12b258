#!/usr/bin/env bash
# csvbatch benchmark harness (`make bench`).
#
#   CSVBATCH=build/release/csvbatch bash scripts/bench.sh
#
# Environment:
#   CSVBATCH         binary to benchmark (default: <repo>/build/release/csvbatch)
#   BENCH_SCALE      float size factor for the workloads (default 1; e.g. 0.05 for a quick run)
#   BENCH_RUNS       timed runs per tool and workload (default 5), after one untimed warm-up
#   BENCH_WORKLOADS  comma-separated subset of W1,W2,W3,W4,W5,W1GZ,W2GZ,W2ZST (default all)
#   ZSV              path of a zsv binary you have (github.com/liquidaty/zsv): adds zsv as a peer
#                    (`zsv sql`, one process per file); this repository holds no zsv code
#   BENCH_DUCKDB_PKG npm spec for the DuckDB peer (default pinned @duckdb/node-api@1.5.6-r.1)
#
# Workloads (scale 1; generated once, deterministically, by scripts/gen-bench-data.py and
# cached in .bench/data/ with a stamp):
#   W1  32 files x 32 MiB (1 GiB)   W2  1 file x 1 GiB   W3  5,000 files x ~2 KB
#   W4  1 file x 256 MiB, every field quoted, CRLF (PowerShell Export-Csv)
#   W5  1 file x 256 MiB, text fields quoted, ~10% doubled quotes, ~6% quoted line breaks
#   W1GZ  W1's files gzipped (csvbatch against DuckDB on the same .csv.gz files)
#   W2GZ  W2's file gzipped, W2ZST zstd-compressed (csvbatch against `igzip -dc`, else `gzip -dc`,
#         and `zstd -dc` to /dev/null: the decoder alone, the floor for one compressed file)
#
# Tools: csvbatch (-j2, -j1, -j2 --no-fsync when supported; always --case-sensitive and a
# fixed --timestamp), DuckDB via @duckdb/node-api (scripts/bench-duckdb.mjs, 2 threads),
# Miller (one mlr per file, xargs -P 2), cat (copy each input, xargs -P 2: the I/O floor).
# zsv when ZSV names its binary (`zsv sql`, one process per file, xargs -P 2), else reported as
# skipped. Each peer is optional.
#
# Per workload: one untimed warm-up run of every tool, whose outputs are verified against
# csvbatch's (record by record via Python's csv module; csvbatch itself is checked against a
# Python reference), then BENCH_RUNS interleaved (round-robin, rotating start) timed runs,
# each into a fresh output dir under .bench/out/ that is deleted (and `sync`ed) afterwards; W3's
# runs instead overwrite the tool's previous outputs (the re-run case), prefilled untimed, and its
# table shows the durable default against --no-fsync (issue 15's goal: within 1.25x).
# Prints a table per workload and writes .bench/results.md. Exits non-zero if any
# verification or run failed.
set -euo pipefail
export LC_ALL=C

SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$SCRIPTS")

# Resolve CSVBATCH before changing directory: relative paths are relative to the caller.
if [[ -z ${CSVBATCH:-} ]]; then
    CSVBATCH=$ROOT/build/release/csvbatch
elif [[ $CSVBATCH != /* ]]; then
    if [[ $CSVBATCH == */* ]]; then CSVBATCH=$PWD/$CSVBATCH; else CSVBATCH=$(command -v "$CSVBATCH" || echo "$PWD/$CSVBATCH"); fi
fi
BENCH_SCALE=${BENCH_SCALE:-1}
BENCH_RUNS=${BENCH_RUNS:-5}
BENCH_WORKLOADS=${BENCH_WORKLOADS:-W1,W2,W3,W4,W5,W1GZ,W2GZ,W2ZST}
BENCH_DUCKDB_PKG=${BENCH_DUCKDB_PKG:-@duckdb/node-api@1.5.6-r.1} # npm spec, installed once into .bench/tools
STAMP=2026-01-01T00:00:00Z
PAR=2 # csvbatch -j, DuckDB threads, xargs -P for the per-file peers

BENCH=$ROOT/.bench
DATA=$BENCH/data
TOOLS_DIR=$BENCH/tools
OUT=$BENCH/out
RUN=$BENCH/run      # this invocation's raw results (tsv), read by bench-report.py
LOGS=$BENCH/logs
cd "$ROOT"

say() { printf '%s\n' "$*"; }
hdr() { printf '\n==> %s\n' "$*"; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
tsv() { local IFS=$'\t'; printf '%s\n' "$*"; }
meta() { tsv "$@" >>"$RUN/meta.tsv"; }
skip() { say "  SKIP $*"; meta skip "$*"; }

# ---------------------------------------------------------------------------------------------
# Settings and prerequisites
# ---------------------------------------------------------------------------------------------
if ! [[ $BENCH_SCALE =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)$ ]] || ! awk -v s="$BENCH_SCALE" 'BEGIN { exit !(s > 0) }'; then
    die "BENCH_SCALE must be a positive number, got '$BENCH_SCALE'"
fi
[[ $BENCH_RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer, got '$BENCH_RUNS'"
WORKLOADS=()
IFS=',' read -r -a _wl <<<"$BENCH_WORKLOADS"
for w in "${_wl[@]}"; do
    w=${w//[[:space:]]/}
    case $w in W1 | W2 | W3 | W4 | W5 | W1GZ | W2GZ | W2ZST) WORKLOADS+=("$w") ;; '') ;;
        *) die "unknown workload '$w' in BENCH_WORKLOADS (W1,W2,W3,W4,W5,W1GZ,W2GZ,W2ZST)" ;; esac
done
((${#WORKLOADS[@]})) || die "BENCH_WORKLOADS selects nothing"

command -v python3 >/dev/null || die "python3 is required (data generation and verification)"
[[ -x $CSVBATCH ]] || die "csvbatch binary not found at '$CSVBATCH' (build it with 'make', or set CSVBATCH)"

rm -rf "$RUN" "$OUT"
mkdir -p "$RUN" "$OUT" "$LOGS" "$DATA"
: >"$RUN/raw.tsv"; : >"$RUN/verify.tsv"; : >"$RUN/workloads.tsv"; : >"$RUN/tools.tsv"

IS_ROOT=0; [[ $(id -u) == 0 ]] && IS_ROOT=1
APT_UPDATED=0
# apt_install PACKAGE: only as root with apt-get; never fatal.
apt_install() {
    ((IS_ROOT)) && command -v apt-get >/dev/null || return 1
    say "  installing Debian package '$1' ..."
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >"$LOGS/apt-$1.log" 2>&1; then
        ((APT_UPDATED)) || { apt-get update -qq >>"$LOGS/apt-$1.log" 2>&1 || true; APT_UPDATED=1; }
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >>"$LOGS/apt-$1.log" 2>&1 || return 1
    fi
}

hdr "Machine"
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | sed -n 1p || true)
NPROC=$(nproc)
MEM=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo '?')
FS=$(df -PT "$BENCH" 2>/dev/null | awk 'NR == 2 {print $2}' || true)
say "  ${CPU:-unknown CPU}, nproc=$NPROC, $MEM RAM, kernel $(uname -r), .bench on ${FS:-?}"
((NPROC >= PAR)) || say "  note: fewer than $PAR CPUs; -j $PAR / 2-way peers will oversubscribe"
meta cpu "${CPU:-unknown}"; meta nproc "$NPROC"; meta mem "$MEM"; meta kernel "$(uname -r)"
meta fs "${FS:-?}"; meta scale "$BENCH_SCALE"; meta runs "$BENCH_RUNS"; meta stamp "$STAMP"
meta date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# ---------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------
hdr "Tools"
declare -A LABEL
TIMED=()    # tool ids timed in every workload, baseline first
add_tool() { TIMED+=("$1"); LABEL[$1]=$2; }

HAVE_TIME=0
if [[ -x /usr/bin/time ]] || apt_install time; then
    /usr/bin/time -f '%M' -o /dev/null true 2>/dev/null && HAVE_TIME=1
fi
((HAVE_TIME)) || skip "GNU time (/usr/bin/time) unavailable: wall time only, no peak RSS"

CB_HELP=$("$CSVBATCH" --help 2>&1 || true)
CB_VERSION=$("$CSVBATCH" --version 2>&1 | sed -n 1p || true)
say "  csvbatch: $CSVBATCH (${CB_VERSION:-version unknown})"
meta version "csvbatch: ${CB_VERSION:-?} ($CSVBATCH)"
add_tool cb2 "csvbatch -j2"
add_tool cb1 "csvbatch -j1"
if grep -q -- '--no-fsync' <<<"$CB_HELP"; then
    add_tool cbnf "csvbatch -j2 --no-fsync"
else
    skip "csvbatch --no-fsync row: option not listed in 'csvbatch --help'"
fi
LABEL[cbci]="csvbatch -j2 default (case-insensitive)" # verification only, not timed

# DuckDB (npm @duckdb/node-api into .bench/tools)
if ! command -v node >/dev/null; then
    skip "duckdb: node not found (needs Node.js >= 18 and npm)"
else
    if [[ ! -d $TOOLS_DIR/node_modules/@duckdb/node-api ]] && command -v npm >/dev/null; then
        say "  installing $BENCH_DUCKDB_PKG into .bench/tools ..."
        mkdir -p "$TOOLS_DIR"
        timeout 600 npm install --prefix "$TOOLS_DIR" --no-audit --no-fund "$BENCH_DUCKDB_PKG" \
            >"$LOGS/npm-duckdb.log" 2>&1 || say "  npm install failed (see $LOGS/npm-duckdb.log)"
    fi
    if DUCKDB_VERSION=$(BENCH_TOOLS_DIR=$TOOLS_DIR node "$SCRIPTS/bench-duckdb.mjs" --version 2>"$LOGS/duckdb-probe.log"); then
        say "  $DUCKDB_VERSION"
        meta version "$DUCKDB_VERSION"
        add_tool duckdb "duckdb ($PAR threads)"
    else
        skip "duckdb: @duckdb/node-api not usable ($(tail -n1 "$LOGS/duckdb-probe.log"))"
    fi
fi

# Miller
if command -v mlr >/dev/null || apt_install miller; then
    MLR_VERSION=$(mlr --version 2>&1 | sed -n 1p || true)
    say "  $MLR_VERSION"
    meta version "$MLR_VERSION"
    add_tool mlr "mlr (xargs -P$PAR)"
else
    skip "mlr: Miller not installed and could not be installed (apt-get needs root)"
fi

# zsv: timed when ZSV names a zsv binary the user has (it is in neither Debian nor npm); the
# repository holds no zsv code, binary or build recipe.
if [[ -n ${ZSV:-} ]]; then
    if [[ -x $ZSV ]] && ZSV_VERSION=$("$ZSV" version 2>&1 | sed -n 1p) && [[ -n $ZSV_VERSION ]]; then
        say "  zsv: $ZSV ($ZSV_VERSION)"
        meta version "zsv: $ZSV_VERSION ($ZSV)"
        add_tool zsv "zsv sql (xargs -P$PAR)"
        meta note "zsv runs \`zsv sql\` once per input file (xargs -n 1 -P $PAR), as DuckDB's SQL: select Name, ID and the timestamp where Status = 'Active'."
    else
        skip "zsv: ZSV=$ZSV is not an executable zsv binary"
    fi
else
    skip "zsv: not timed (set ZSV=/path/to/zsv to include a zsv binary you have)"
fi

add_tool cat "cat (xargs -P$PAR)"
meta version "cat: $(cat --version 2>&1 | sed -n 1p || true)"
meta note "cat and mlr start one process per input file (xargs -n 1 -P $PAR sh -c 'exec ...'), so on W3 their times are dominated by process start-up; the cat row is the I/O floor for big files only."
meta note "DuckDB times include starting node and an in-memory DuckDB instance (one per job, not per file); files are COPYed one after another, each with $PAR DuckDB threads."
meta note "cat writes a full copy of every input and does not fsync, whereas the filters write only Name,ID,ProcessedDate of ~45% of the rows (~20% of the input bytes); compare cat with the --no-fsync row when that exists."

# Per-file Miller job for xargs: $0 = out dir, $1 = timestamp, $2 = input file.
# shellcheck disable=SC2016 # expanded by the sh that xargs starts, not here
MLR_ONE='f=${2##*/}; exec mlr --icsv --ocsv filter '\''$Status == "Active"'\'' then cut -o -f Name,ID then put "\$ProcessedDate = \"$1\"" "$2" > "$0/${f%.csv}_processed.csv"'
# Per-file zsv job for xargs: $0 = out dir, $1 = timestamp, $2 = input file, $3 = zsv binary.
# shellcheck disable=SC2016
ZSV_ONE='f=${2##*/}; exec "$3" sql "select Name, ID, '\''$1'\'' as ProcessedDate from data where Status = '\''Active'\''" "$2" > "$0/${f%.csv}_processed.csv"'
# Per-file copy for xargs: $0 = out dir, $1 = input file.
# shellcheck disable=SC2016
CAT_ONE='exec cat "$1" > "$0/${1##*/}"'

# build_cmd ID INPUT_DIR OUT_DIR LIST_FILE: sets CMD to the argv of one complete job.
build_cmd() {
    local id=$1 in=$2 out=$3 list=$4
    local cb=("$CSVBATCH" -q --timestamp "$STAMP" -o "$out")
    case $id in
        cb2) CMD=("${cb[@]}" -j "$PAR" --case-sensitive "$in") ;;
        cb1) CMD=("${cb[@]}" -j 1 --case-sensitive "$in") ;;
        cbnf) CMD=("${cb[@]}" -j "$PAR" --case-sensitive --no-fsync "$in") ;;
        cbci) CMD=("${cb[@]}" -j "$PAR" "$in") ;;
        duckdb) CMD=(env BENCH_TOOLS_DIR="$TOOLS_DIR" BENCH_DUCKDB_THREADS="$PAR" node "$SCRIPTS/bench-duckdb.mjs" "$list" "$out" "$STAMP") ;;
        mlr) CMD=(xargs -d '\n' -n 1 -P "$PAR" -a "$list" sh -c "$MLR_ONE" "$out" "$STAMP") ;;
        zsv) CMD=(xargs -d '\n' -I '{}' -P "$PAR" -a "$list" sh -c "$ZSV_ONE" "$out" "$STAMP" '{}' "$ZSV") ;;
        cat) CMD=(xargs -d '\n' -n 1 -P "$PAR" -a "$list" sh -c "$CAT_ONE" "$out") ;;
        gzdc) CMD=(sh -c "exec $GZ_DC \"\$@\" >/dev/null" sh "$in"/*.gz) ;;
        zstddc) CMD=(sh -c 'exec zstd -qdc "$@" >/dev/null' sh "$in"/*.zst) ;;
        *) die "build_cmd: unknown tool $id" ;;
    esac
}

# run_tool ID WORKLOAD OUT_DIR [keep]: runs one job into a fresh OUT_DIR (with "keep": into
# OUT_DIR as a previous run left it, overwriting its outputs). Sets RUN_SECS, RUN_RSS (KiB or "-")
# and RUN_RC; output goes to $LOGS/<workload>-<id>.log. Deleting OUT_DIR is never timed.
run_tool() {
    local id=$1 wl=$2 out=$3 t0 t1 us
    if [[ ${4:-} == keep ]]; then mkdir -p "$out"; else rm -rf "$out" && mkdir -p "$out"; fi
    build_cmd "$id" "${WL_DIR[$wl]}" "$out" "${WL_LIST[$wl]}"
    RUN_RC=0
    t0=$EPOCHREALTIME
    if ((HAVE_TIME)); then
        /usr/bin/time -f '%M' -o "$RUN/time.out" "${CMD[@]}" >"$LOGS/$wl-$id.log" 2>&1 || RUN_RC=$?
    else
        "${CMD[@]}" >"$LOGS/$wl-$id.log" 2>&1 || RUN_RC=$?
    fi
    t1=$EPOCHREALTIME
    us=$((${t1/./} - ${t0/./}))
    RUN_SECS=$(printf '%d.%06d' $((us / 1000000)) $((us % 1000000)))
    RUN_RSS=-
    if ((HAVE_TIME)); then RUN_RSS=$(tail -n1 "$RUN/time.out"); fi
}

# busy_pct: percent of all CPUs busy (incl. steal) over one second while this script idles,
# i.e. load from other processes on the machine, which makes the timings noisy.
busy_pct() {
    local s1 s2
    s1=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat 2>/dev/null || true)
    sleep 1
    s2=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat 2>/dev/null || true)
    awk -v a="$s1" -v b="$s2" 'BEGIN {
        if (split(a, x, " ") < 2 || split(b, y, " ") < 2) { print 0; exit }
        busy = y[1] - x[1]; total = busy + y[2] - x[2]
        pct = (total > 0) ? 100 * busy / total : 0
        printf "%.0f\n", pct }'
}
BUSY_WARN=10 # percent

# ---------------------------------------------------------------------------------------------
# Workloads
# ---------------------------------------------------------------------------------------------
declare -A WL_DIR WL_LIST WL_FILES WL_BYTES
FAILED=0

for wl in "${WORKLOADS[@]}"; do
    case $wl in W1GZ | W2GZ | W2ZST) continue ;; esac # compressed_workload, below
    hdr "$wl (scale $BENCH_SCALE): data"
    t0=$SECONDS
    WL_DIR[$wl]=$(python3 "$SCRIPTS/gen-bench-data.py" --workload "$wl" --scale "$BENCH_SCALE" --root "$DATA")
    WL_LIST[$wl]=$RUN/$wl.list
    find "${WL_DIR[$wl]}" -maxdepth 1 -type f -name '*.csv' | sort >"${WL_LIST[$wl]}"
    WL_FILES[$wl]=$(wc -l <"${WL_LIST[$wl]}")
    WL_BYTES[$wl]=$(find "${WL_DIR[$wl]}" -maxdepth 1 -type f -name '*.csv' -printf '%s\n' | awk '{s += $1} END {print s + 0}')
    say "  ${WL_DIR[$wl]#"$ROOT"/}: ${WL_FILES[$wl]} files, $(awk -v b="${WL_BYTES[$wl]}" 'BEGIN { printf "%.1f", b / 1048576 }') MiB (ready in $((SECONDS - t0))s)"
    tsv "$wl" "${WL_FILES[$wl]}" "${WL_BYTES[$wl]}" >>"$RUN/workloads.tsv"

    # --- warm-up + verification -----------------------------------------------------------
    hdr "$wl: warm-up run of each tool, then verification"
    vdir=$OUT/$wl/verify
    ok=()
    for id in "${TIMED[@]}" cbci; do
        run_tool "$id" "$wl" "$vdir/$id"
        if ((RUN_RC == 0)); then
            say "  ${LABEL[$id]}: ${RUN_SECS}s"
            ok+=("$id")
        else
            say "  ${LABEL[$id]}: FAILED (exit $RUN_RC); last lines of $LOGS/$wl-$id.log:"
            tail -n 5 "$LOGS/$wl-$id.log" | sed 's/^/    /'
            tsv "$wl" FAIL "${LABEL[$id]}" "warm-up run exited with status $RUN_RC" >>"$RUN/verify.tsv"
            FAILED=1
        fi
    done
    if [[ ${ok[0]:-} != cb2 ]]; then
        say "  csvbatch -j2 failed on $wl: no reference output, skipping this workload"
        rm -rf "${OUT:?}/$wl"
        continue
    fi
    vargs=(--input "${WL_DIR[$wl]}" --stamp "$STAMP" --ref "cb2=$vdir/cb2"
        --python-ref "pyref=$vdir/cb2:cs")
    LABEL[pyref]="csvbatch -j2 vs Python csv reference (case-sensitive)"
    for id in "${ok[@]}"; do
        case $id in
            cb2 | cat) ;;
            cbci) vargs+=(--python-ref "cbci=$vdir/cbci:ci") ;;
            *) vargs+=(--peer "$id=$vdir/$id") ;;
        esac
    done
    python3 "$SCRIPTS/bench-verify.py" "${vargs[@]}" >"$RUN/verify.out" || FAILED=1
    while IFS= read -r line; do
        res=${line%% *}; rest=${line#* }; id=${rest%%:*}; detail=${rest#*: }
        label=${LABEL[$id]:-$id}
        case $id in
            cb2 | pyref) ;;
            cbci) label+=" vs Python csv reference (case-insensitive)" ;;
            *) label+=" vs csvbatch -j2" ;;
        esac
        if [[ $res == FAIL ]]; then
            say "  !!!!!! FAIL  $label: $detail"
        else
            say "  $res  $label: $detail"
        fi
        tsv "$wl" "$res" "$label" "$detail" >>"$RUN/verify.tsv"
    done <"$RUN/verify.out"
    rm -rf "$vdir"

    # --- timed runs --------------------------------------------------------------------------
    timed=()
    for id in "${ok[@]}"; do [[ $id == cbci ]] || timed+=("$id"); done
    for id in "${timed[@]}"; do tsv "$wl" "$id" "${LABEL[$id]}" >>"$RUN/tools.tsv"; done
    hdr "$wl: $BENCH_RUNS timed rounds over ${#timed[@]} tools (interleaved)"
    # W3 is timed as the real re-run: each tool overwrites the outputs of its previous run (one
    # untimed run fills its directory first); the other workloads write into a fresh directory.
    keep=
    if [[ $wl == W3 ]]; then
        keep=keep
        for id in "${timed[@]}"; do run_tool "$id" "$wl" "$OUT/$wl/$id"; done
        say "  W3 times: re-runs overwriting each tool's previous outputs (deleting outputs not timed)"
        meta note "W3 times are re-runs that overwrite the tool's previous outputs (the real re-run case; an untimed run wrote them first); no deletion is timed. W1 and W2 runs write into a fresh empty directory, deleted (untimed) after each run."
    fi
    sync
    busy_before=$(busy_pct)
    n=${#timed[@]}
    for ((r = 1; r <= BENCH_RUNS; r++)); do
        line="  round $r:"
        for ((k = 0; k < n; k++)); do
            id=${timed[(k + r - 1) % n]}
            out=$OUT/$wl/$id-$r
            [[ -z $keep ]] || out=$OUT/$wl/$id
            run_tool "$id" "$wl" "$out" $keep
            tsv "$wl" "$id" "$r" "$RUN_SECS" "$RUN_RSS" "$RUN_RC" >>"$RUN/raw.tsv"
            if ((RUN_RC != 0)); then
                FAILED=1
                line+=" $id=FAILED($RUN_RC)"
            else
                line+=" $id=$(printf '%.3f' "$RUN_SECS")"
            fi
            [[ -n $keep ]] || rm -rf "$out"
            sync
        done
        say "$line"
    done
    busy_after=$(busy_pct)
    say "  background CPU use while idle: ${busy_before}% before, ${busy_after}% after the timed runs"
    if ((busy_before > BUSY_WARN || busy_after > BUSY_WARN)); then
        say "  WARNING: other processes were using the CPUs; $wl timings are noisy"
        meta note "$wl: other processes kept the CPUs ${busy_before}% busy before and ${busy_after}% after the timed runs (sampled for 1 s while idle), so its timings are noisy; rerun on a quiet machine."
    fi
    rm -rf "${OUT:?}/$wl"
done

# compressed_workload WL BASE EXT: BASE's files compressed (once, cached), csvbatch -j2 and its
# peer (DuckDB for many files, the decoder itself for one) timed on them; csvbatch's outputs
# (compressed as its inputs) must decode to exactly its outputs for the plain files.
GZ_DC="gzip -dc"
command -v igzip >/dev/null && GZ_DC="igzip -dc"
compressed_workload() {
    local wl=$1 base=$2 ext=$3 src zdir f id peer r k n line
    hdr "$wl (scale $BENCH_SCALE): data"
    src=$(python3 "$SCRIPTS/gen-bench-data.py" --workload "$base" --scale "$BENCH_SCALE" --root "$DATA")
    zdir=$DATA/$wl-$BENCH_SCALE
    if [[ ! -f $zdir/.done ]]; then
        rm -rf "$zdir" && mkdir -p "$zdir"
        for f in "$src"/*.csv; do printf '%s\n' "$f"; done |
            xargs -d '\n' -n 1 -P "$PAR" sh -c 'case $1 in gz) gzip -c "$2" ;; *) zstd -q -c "$2" ;; esac >"$0/${2##*/}.$1"' "$zdir" "$ext"
        touch "$zdir/.done"
    fi
    WL_DIR[$wl]=$zdir
    WL_LIST[$wl]=$RUN/$wl.list
    find "$zdir" -maxdepth 1 -type f -name "*.csv.$ext" | sort >"${WL_LIST[$wl]}"
    WL_FILES[$wl]=$(wc -l <"${WL_LIST[$wl]}")
    WL_BYTES[$wl]=$(find "$zdir" -maxdepth 1 -type f -name "*.csv.$ext" -printf '%s\n' | awk '{s += $1} END {print s + 0}')
    tsv "$wl" "${WL_FILES[$wl]}" "${WL_BYTES[$wl]}" >>"$RUN/workloads.tsv"
    case $wl in W1GZ) peer=duckdb ;; W2GZ) peer=gzdc LABEL[gzdc]="$GZ_DC >/dev/null" ;;
        *) peer=zstddc LABEL[zstddc]="zstd -dc >/dev/null" ;; esac
    [[ $peer != duckdb || -n ${LABEL[duckdb]:-} ]] || peer=
    run_tool cb2 "$wl" "$OUT/$wl/z" || true
    WL_DIR[plain]=$src WL_LIST[plain]=$RUN/$wl.list
    run_tool cb2 plain "$OUT/$wl/p" || true
    line=PASS
    for f in "$OUT/$wl/p"/*.csv; do
        cmp -s <(if [[ $ext == gz ]]; then gzip -dc "$OUT/$wl/z/${f##*/}.gz"; else zstd -qdc "$OUT/$wl/z/${f##*/}.zst"; fi) "$f" || line=FAIL
    done
    say "  $line  csvbatch -j2 compressed outputs decode to its plain outputs"
    tsv "$wl" "$line" "csvbatch -j2 ($ext in, $ext out) vs csvbatch -j2 (plain)" "" >>"$RUN/verify.tsv"
    [[ $line == PASS ]] || FAILED=1
    rm -rf "${OUT:?}/$wl"
    local timed=(cb2 $peer)
    for id in "${timed[@]}"; do tsv "$wl" "$id" "${LABEL[$id]}" >>"$RUN/tools.tsv"; done
    n=${#timed[@]}
    for ((r = 1; r <= BENCH_RUNS; r++)); do
        line="  round $r:"
        for ((k = 0; k < n; k++)); do
            id=${timed[(k + r - 1) % n]}
            run_tool "$id" "$wl" "$OUT/$wl/$id-$r"
            tsv "$wl" "$id" "$r" "$RUN_SECS" "$RUN_RSS" "$RUN_RC" >>"$RUN/raw.tsv"
            ((RUN_RC == 0)) || FAILED=1
            line+=" $id=$(printf '%.3f' "$RUN_SECS") (${RUN_RSS} KiB)"
            rm -rf "$OUT/$wl/$id-$r"
        done
        say "$line"
    done
}
for wl in "${WORKLOADS[@]}"; do
    case $wl in
        W1GZ) compressed_workload W1GZ W1 gz ;;
        W2GZ) compressed_workload W2GZ W2 gz ;;
        W2ZST) compressed_workload W2ZST W2 zst ;;
    esac
done

# ---------------------------------------------------------------------------------------------
# Incremental re-runs of W1 (issue 10's goals): a full --incremental run on a copy of the data,
# then re-runs with nothing changed, with one file changed, and with every input touched.
# ---------------------------------------------------------------------------------------------
# incr_time LABEL: times one --incremental run of the copy into $IOUT; sets RUN_SECS.
incr_time() {
    local t0 t1 us
    t0=$EPOCHREALTIME
    "$CSVBATCH" -q --incremental --timestamp "$STAMP" -j "$PAR" --case-sensitive -o "$IOUT" "$IIN" \
        >"$LOGS/W1-incremental-$1.log" 2>&1 || { say "  incremental $1: FAILED"; FAILED=1; }
    t1=$EPOCHREALTIME
    us=$((${t1/./} - ${t0/./}))
    RUN_SECS=$(printf '%d.%06d' $((us / 1000000)) $((us % 1000000)))
    tsv W1 "$1" "$RUN_SECS" >>"$RUN/incremental.tsv"
}
if [[ -n ${WL_DIR[W1]:-} ]]; then
    hdr "W1: incremental re-runs (nothing changed, one file changed, every input touched)"
    IIN=$OUT/W1-incr/in IOUT=$OUT/W1-incr/out
    rm -rf "$OUT/W1-incr" && mkdir -p "$IIN" && cp -p "${WL_DIR[W1]}"/*.csv "$IIN/"
    incr_time full && full=$RUN_SECS
    incr_time nothing-changed && none=$RUN_SECS
    first=$(find "$IIN" -maxdepth 1 -name '*.csv' | sort | head -n 1)
    sed -i '2s/^./X/' "$first" # same size, other content, new mtime
    incr_time one-changed && one=$RUN_SECS
    touch "$IIN"/*.csv
    incr_time all-touched && touched=$RUN_SECS
    say "  full ${full}s; nothing changed ${none}s (goal <= 1/50 of full); one file changed ${one}s" \
        "(goal <= 1/20 of full + that file); every input touched ${touched}s (goal <= 1/2 of full)"
    meta note "W1 incremental: full ${full}s, nothing changed ${none}s, one file changed ${one}s, all touched ${touched}s"
    rm -rf "${OUT:?}/W1-incr"
fi

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
hdr "Results (medians of $BENCH_RUNS runs, scale $BENCH_SCALE)"
python3 "$SCRIPTS/bench-report.py" "$RUN" "$BENCH/results.md"
say ""
say "Markdown: ${BENCH#"$ROOT"/}/results.md   raw: ${RUN#"$ROOT"/}/raw.tsv   logs: ${LOGS#"$ROOT"/}/"
if ((FAILED)); then
    say ""
    say "!!!!!! bench: some verification checks or runs FAILED (see above)"
    exit 1
fi
