#!/usr/bin/env bash
# Runs the binary over a generated corpus with -j 1 and -j 8 and requires identical outputs and
# summaries (times aside). Used as is, and by `make tsan` with a ThreadSanitizer build (where
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
PY
run() { # $1 = jobs, $2 = output dir
    set +e
    "$bin" -r -j "$1" --no-fsync --timestamp T -o "$2" --format csv "$work/in" >"$2.summary" 2>"$2.err"
    echo $? >"$2.rc"
    set -e
    # Drop the Seconds column and the output directory's own name.
    sed -e "s|$2/|OUT/|g" -e 's/,[0-9.]*$//' "$2.summary" >"$2.summary.cut"
}
run 1 "$work/j1"
run 8 "$work/j8"
fail=0
diff -r "$work/j1" "$work/j8" >/dev/null || { echo "FAIL: outputs differ between -j 1 and -j 8"; fail=1; }
for f in rc err summary.cut; do
    cmp -s "$work/j1.$f" "$work/j8.$f" || { echo "FAIL: $f differs between -j 1 and -j 8"; fail=1; }
done
[ "$(cat "$work/j1.rc")" = 1 ] || { echo "FAIL: expected exit 1 (some files are bad), got $(cat "$work/j1.rc")"; fail=1; }
n=$(find "$work/j1" -name '*_processed.csv' | wc -l)
[ "$n" = 53 ] || { echo "FAIL: expected 53 outputs, found $n"; fail=1; }
if [ $fail -eq 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; exit 1; fi
