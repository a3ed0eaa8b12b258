#!/usr/bin/env bash
# bench-many-files.sh [N] — the many-files scale check of issue 13 item 11, by hand (not in
# `make test`, not timed by any test): generates N tiny CSV files (default 1,000,000) in one
# temporary directory, then times a dry run of them (enumeration, output planning, the conflict
# check, every file parsed) with its peak RSS, quiet, with the table and with --format json
# (streamed), and prints the memory per listed file; removes the files at the end (also when
# interrupted).
#
#   scripts/bench-many-files.sh 1000000        CSVBATCH=path picks the binary, TMPDIR the disk
#
# Needs about 4.5 KB of disk and one inode per file (it checks df first) and GNU time.
set -euo pipefail
n=${1:-1000000}
[[ $n =~ ^[0-9]+$ ]] || { echo "usage: $0 [N]" >&2; exit 2; }
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${CSVBATCH:-$ROOT/build/release/csvbatch}
[ -x "$BIN" ] || { echo "$0: csvbatch binary not found: $BIN" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "$0: GNU time (/usr/bin/time) is required" >&2; exit 2; }
base=${TMPDIR:-/tmp}
free_kb=$(df -Pk "$base" | awk 'NR == 2 { print $4 }')
free_inodes=$(df -Pi "$base" | awk 'NR == 2 { print $4 }')
need_kb=$((n * 9 / 2 + 1024 * 1024))
if [ "$free_kb" -lt "$need_kb" ] || { [[ $free_inodes =~ ^[0-9]+$ ]] && [ "$free_inodes" -lt $((n + 1000)) ]; }; then
    echo "$0: $base has ${free_kb} KB and ${free_inodes} inodes free; $n files need about ${need_kb} KB" >&2
    exit 2
fi
W=$(mktemp -d "$base/csvb-many.XXXXXX")
trap 'rm -rf "$W"' EXIT
echo "generating $n files in $W ..."
t0=$(date +%s.%N)
python3 - "$W/d" "$n" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
os.mkdir(d)
row = b"Name,ID,Status\nA,1,Active\n"
for i in range(1, n + 1):
    fd = os.open(f"{d}/f{i:07d}.csv", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    os.write(fd, row)
    os.close(fd)
PY
echo "generated in $(python3 -c "import time; print(f'{time.time() - $t0:.1f}')") s"
sync
# One empty directory: the process's own baseline RSS.
mkdir "$W/empty"
measure() { # LABEL ARGS...: wall seconds, CPU seconds, peak RSS
    local label=$1
    shift
    /usr/bin/time -f '%e %U %S %M' -o "$W/time" "$BIN" "$@" >"$W/out" 2>"$W/err" || true
    read -r wall user sys rss < <(tail -1 "$W/time") # after "Command exited with ..." if any
    local files=$n
    [ "$label" != "baseline (empty dir)" ] || files=0
    printf '%-28s files %8d  wall %7.2f s  cpu %7.2f s  peak RSS %8.1f MB  stdout %8.1f MB\n' \
        "$label" "$files" "$wall" "$(python3 -c "print($user + $sys)")" "$(python3 -c "print($rss / 1024)")" \
        "$(python3 -c "import os; print(os.path.getsize('$W/out') / 1e6)")"
    RSS_KB=$rss
}
measure "baseline (empty dir)" -n -q "$W/empty"
base_kb=$RSS_KB
measure "dry run, -q" -n -q "$W/d"
q_kb=$RSS_KB
head -3 "$W/err" || true
measure "dry run, --format json" -n --format json "$W/d"
json_kb=$RSS_KB
python3 -c "import json; d = json.load(open('$W/out')); assert len(d['files']) == $n, len(d['files']); print('json: %d files, totals %s' % (len(d['files']), d['totals']['succeeded']))"
measure "dry run, --report FILE" -n -q --report "$W/report.json" "$W/d"
report_kb=$RSS_KB
echo "memory per listed file: $(((q_kb - base_kb) * 1024 / n)) bytes (-q), $(((json_kb - base_kb) * 1024 / n)) bytes (--format json), $(((report_kb - base_kb) * 1024 / n)) bytes (--report)"
