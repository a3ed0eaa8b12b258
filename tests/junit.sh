#!/usr/bin/env bash
# tests/junit.sh — every JUnit report the test_report_junit suite writes validates against
# tests/junit/junit.xsd with xmllint, and the schema is no rubber stamp: it accepts the reference
# shapes in tests/junit/valid/ and rejects each file in tests/junit/invalid/ for the reason that
# file's "expect:" comment names. Usage: JUNIT_SUITE=build/release/tests/test_report_junit bash tests/junit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
suite=${JUNIT_SUITE:-build/release/tests/test_report_junit}
xsd=tests/junit/junit.xsd
command -v xmllint >/dev/null || { echo "junit: xmllint missing (libxml2-utils)" >&2; exit 1; }
tmp=$(mktemp -d /tmp/csvbatch-junit-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

mkdir "$tmp/reports"
if ! CSVB_JUNIT_KEEP="$tmp/reports" "$suite" --short-filename >"$tmp/suite.log" 2>&1; then
    cat "$tmp/suite.log"
    ko suite "$suite failed"
fi
# The suite's tests that write a report, by name: a report that goes missing is a failure too.
for name in empty_run exact_document hostile_text sample_run; do
    f="$tmp/reports/$name.xml"
    if [ ! -f "$f" ]; then
        ko "report-$name" "not written"
    elif xmllint --noout --schema "$xsd" "$f" >"$tmp/out" 2>&1; then
        ok "report-$name"
    else
        ko "report-$name" "$(cat "$tmp/out")"
    fi
done
extra=$(find "$tmp/reports" -type f | wc -l)
[ "$extra" -eq 4 ] && ok report-count || ko report-count "expected 4 reports, found $extra"

for f in tests/junit/valid/*.xml; do
    if xmllint --noout --schema "$xsd" "$f" >"$tmp/out" 2>&1; then
        ok "valid-$(basename "$f" .xml)"
    else
        ko "valid-$(basename "$f" .xml)" "$(cat "$tmp/out")"
    fi
done
for f in tests/junit/invalid/*.xml; do
    name="invalid-$(basename "$f" .xml)"
    expect=$(sed -n 's/^<!-- expect: \(.*\) -->$/\1/p' "$f")
    if [ -z "$expect" ]; then
        ko "$name" "no expect: comment"
    elif xmllint --noout --schema "$xsd" "$f" >"$tmp/out" 2>&1; then
        ko "$name" "validated, but must not"
    elif grep -qF -- "$expect" "$tmp/out"; then
        ok "$name"
    else
        ko "$name" "rejected for another reason: $(cat "$tmp/out")"
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
