#!/usr/bin/env bash
# Optional conformance run over the public csv-spectrum cases (../shared/conformance, data only,
# never copied into this repo). Pass-through mode (--all-rows --select '*' --no-stamp): every
# record must come out exactly as the case's JSON says. Skips, successfully, when the folder is
# absent. location_coordinates.csv has quotes inside unquoted fields (37°36'37.8"N): strict
# mode reads them as text, as Python's csv.reader(strict=True) does, and its upstream JSON is
# wrong (an object, and another phone number), so that case must match Python's reading of the
# CSV itself (shared/conformance/README.md: "must reject or must match Python, by policy").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${CSVBATCH:-$root/build/release/csvbatch}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
spectrum=${CONFORMANCE_DIR:-$root/../shared/conformance}/csv-spectrum
if [ ! -d "$spectrum/csvs" ]; then
    echo "conformance: $spectrum not found; skipped"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
fi
command -v python3 >/dev/null || { echo "conformance: python3 is required"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
for csv in "$spectrum"/csvs/*.csv; do
    name=$(basename "$csv" .csv)
    cp "$csv" "$work/$name.csv"
    set +e
    "$bin" -q --all-rows --select '*' --no-stamp "$work/$name.csv" >"$work/out" 2>"$work/err"
    rc=$?
    set -e
    want=$spectrum/json/$name.json
    if [ "$name" = location_coordinates ]; then
        want=$work/$name.want.json
        python3 - "$csv" "$want" <<'PY'
import csv, json, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    json.dump(list(csv.DictReader(f, strict=True)), open(sys.argv[2], 'w', encoding='utf-8'))
PY
    fi
    if [ $rc -ne 0 ]; then
        echo "FAIL $name: exit $rc: $(cat "$work/err")"; failed=$((failed + 1)); continue
    fi
    if python3 - "$work/${name}_processed.csv" "$want" <<'PY'
import csv, json, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    got = list(csv.DictReader(f))
with open(sys.argv[2], encoding='utf-8') as f:
    want = json.load(f)
if got != want:
    print("got:  %r\nwant: %r" % (got, want))
    sys.exit(1)
PY
    then echo "PASS $name"; passed=$((passed + 1))
    else echo "FAIL $name: records differ"; failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
