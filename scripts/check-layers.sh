#!/usr/bin/env bash
# make layers: every #include "csvbatch/X.h" in src/ and include/ names a module of the same
# layer or one below (shared/DESIGN.md §1), and each library has its one door. The layer lists
# come from the Makefile (LAYERS, LAYER_<name>), the one place they are written.
set -uo pipefail
cd "$(dirname "$0")/.."
: "${LAYERS:?run through make layers}"
declare -A rank
i=0
for layer in $LAYERS; do
    var=LAYER_$layer
    for m in ${!var}; do rank[$m]=$i; done
    names[$i]=$layer
    i=$((i + 1))
done
rank[main]=$i
names[$i]=main
fail=0
bad() { echo "layers: $*"; fail=1; }
for f in src/*.c include/csvbatch/*.h; do
    m=$(basename "$f"); m=${m%.*}
    [[ -n ${rank[$m]+x} ]] || { bad "$f: module '$m' has no layer (LAYER_* in the Makefile)"; continue; }
    while IFS=: read -r line inc; do
        dep=${inc#*csvbatch/}; dep=${dep%%.h*}
        [[ -n ${rank[$dep]+x} ]] || { bad "$f:$line: includes '$dep', which has no layer"; continue; }
        if (( rank[$dep] > rank[$m] )); then
            bad "$f:$line: ${names[${rank[$m]}]} module '$m' includes ${names[${rank[$dep]}]} header '$dep.h'"
        fi
    done < <(grep -n '^#include "csvbatch/' "$f" | sed 's/^\([0-9]*\):#include "\(.*\)"/\1:\2/')
done
# The doors: one file per library (DESIGN §2).
door() { # $1 = what, $2 = grep pattern, $3... = the files allowed to match
    local what=$1 pat=$2; shift 2
    while read -r f; do
        local ok=0
        for a in "$@"; do [[ $f == "$a" ]] && ok=1; done
        (( ok )) || bad "$f: $what outside its door ($*)"
    done < <(grep -lE "$pat" src/*.c include/csvbatch/*.h 2>/dev/null)
}
door "<csv.h>" '^#include <csv\.h>' src/csvfeed.c
door "OpenMP" '^#pragma omp|<omp\.h>' src/driver.c
# jansson has four doors: the run report and its reader (present), the --incremental manifest and
# the frozen plan (run), which sit apart and share nothing but the library.
door "<jansson.h>" '^#include <jansson\.h>' src/report_json.c src/manifest_json.c src/plan_json.c \
    src/report_read.c
door "<xxhash.h>" '^#include <xxhash\.h>' src/hash.c
door "libxml2" '^#include <libxml/' src/report_junit.c
door "<mpi.h>" '^#include <mpi\.h>' src/driver_mpi.c
door "<zlib.h>" '^#include <zlib\.h>' src/gzip_source.c
door "<zstd.h>" '^#include <zstd(_errors)?\.h>' src/zstd_source.c
door "<bzlib.h>" '^#include <bzlib\.h>' src/bz2_source.c
door "<lzma.h>" '^#include <lzma\.h>' src/xz_source.c
if (( fail )); then echo "layers: FAILED"; exit 1; fi
echo "layers: $(ls src/*.c include/csvbatch/*.h | wc -l) files, includes follow util < core < run < present < main; doors kept"
