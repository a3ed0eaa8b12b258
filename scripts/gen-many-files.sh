#!/usr/bin/env bash
# gen-many-files.sh N DIR — creates DIR (which must not exist) holding N tiny CSV files
# (f0000001.csv ...), for manual scale checks of the walk and output planning, e.g.
#   scripts/gen-many-files.sh 100000 /tmp/many && /usr/bin/time -v csvbatch --dry-run -q /tmp/many
# Never committed data: delete DIR afterwards.
set -euo pipefail
if [ $# -ne 2 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
    echo "usage: $0 N DIR" >&2
    exit 2
fi
n=$1 dir=$2
if [ -e "$dir" ]; then
    echo "$0: $dir already exists" >&2
    exit 2
fi
mkdir -p "$dir"
cd "$dir"
row=$'Name,ID,Status\nA,1,Active\n'
for ((i = 1; i <= n; i++)); do
    printf -v name 'f%07d.csv' "$i"
    printf '%s' "$row" >"$name"
done
