#!/usr/bin/env bash
# Runs the binary over a generated corpus with -j 1, -j 8, and -j 3 with 4 KiB chunks (big files
# split at speculative boundaries, many inside quoted fields, errors in late chunks), and
# requires identical outputs, diagnostics and summaries (times aside). Used as is, and by `make tsan` with a ThreadSanitizer build (where
# any race report fails the run: halt_on_error).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${CSVBATCH:-$root/build/release/csvbatch}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
work=$(mktemp -d)
trap "rm -rf \"$work\"" EXIT
python3 - "$work/in" <<'PY'
import os, random, sys
random.seed(42)
root = sys.argv[1]
os.makedirs(os.path.join(root, "sub"))
statuses = ["Active", "active", "Inactive", " Active", "ACTIVE"]
for i in range(60):
    rows = []
    for r in range(random.randint(0, 400)):
        name = random.choice(["Ann", "Bo, Jr.", 'Q "x"', "multi\nline", "Jos\u00e9", "\u65e5\u672c"])
        if any(c in name for c in ',"\n'):
            name = '"' + name.replace('"', '""') + '"'
        rows.append(f"{r},{name},{random.choice(statuses)}")
    eol = "\r\n" if i % 4 == 0 else "\n"
    text = ("\ufeff" if i % 5 == 0 else "") + "ID,Name,Status" + eol + eol.join(rows) + eol
    if i % 9 == 4:
        text += 'bad,"unterminated\n'
    d = os.path.join(root, "sub") if i % 2 else root
    with open(os.path.join(d, f"f{i:02d}.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(text)
# Big files for chunking: long quoted fields full of line feeds (a chunk boundary often lands
# inside one), CRLF, and errors placed late so that they fall in a later chunk.
for i in range(8):
    eol = "\r\n" if i % 2 else "\n"
    rows = ["ID,Name,Status,Notes"]
    for r in range(3000):
        if r % 50 == 7:
            notes = '"' + "line\n" * random.randint(1, 400) + 'end, ""q"""'
        else:
            notes = "plain"
        rows.append(f"{r},N{r},{random.choice(statuses)},{notes}")
    if i == 3:
        rows.insert(2500, "bad,row")
    if i == 5:
        rows.insert(2900, 'x,"unterminated')
    if i == 6:
        rows.insert(1700, "7,Ren\udce9,Active,x")
    text = eol.join(rows) + eol
    data = text.encode("utf-8", "surrogateescape")
    with open(os.path.join(root, f"big{i}.csv"), "wb") as f:
        f.write(data)
PY
run() { # $1 = jobs, $2 = output dir, $3... = more options
    local jobs=$1 out=$2
    shift 2
    set +e
    "$bin" -r -j "$jobs" "$@" --no-fsync --timestamp T -o "$out" --format csv "$work/in" >"$out.summary" 2>"$out.err"
    echo $? >"$out.rc"
    set -e
    # Drop the Seconds column and the output directory's own name.
    sed -e "s|$out/|OUT/|g" -e 's/,[0-9.]*$//' "$out.summary" >"$out.summary.cut"
    sed -e "s|$out/|OUT/|g" "$out.err" >"$out.err.cut"
}
run 1 "$work/j1"
run 8 "$work/j8"
run 3 "$work/chunked" --chunk-size 4096
fail=0
for other in j8 chunked; do
    diff -r "$work/j1" "$work/$other" >/dev/null || { echo "FAIL: outputs differ between j1 and $other"; fail=1; }
    for f in rc err.cut summary.cut; do
        cmp -s "$work/j1.$f" "$work/$other.$f" || { echo "FAIL: $f differs between j1 and $other"; diff "$work/j1.$f" "$work/$other.$f" | head -5; fail=1; }
    done
done
grep -q "big3.csv:[0-9]*: expected 4 fields, found 2" "$work/j1.err" || { echo "FAIL: late field-count error not reported"; fail=1; }
grep -q "big5.csv:[0-9]*: column 20: expected ',' or end of line after a closing quote" "$work/j1.err" || { echo "FAIL: late quote error not reported"; fail=1; }
grep -q "big6.csv:.*invalid byte 0xE9" "$work/j1.err" || { echo "FAIL: late encoding error not reported"; fail=1; }
[ "$(cat "$work/j1.rc")" = 1 ] || { echo "FAIL: expected exit 1 (some files are bad), got $(cat "$work/j1.rc")"; fail=1; }
n=$(find "$work/j1" -name '*_processed.csv' | wc -l)
[ "$n" = 58 ] || { echo "FAIL: expected 58 outputs, found $n"; fail=1; }
if [ $fail -eq 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; exit 1; fi
