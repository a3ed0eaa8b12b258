#!/usr/bin/env bash
# tests/ci_integrations.sh — the terminal and CI integrations, end to end through the built binary:
# colour through a real pseudo-terminal (script -qc) with NO_COLOR, CLICOLOR_FORCE and --color, the
# exact SGR bytes and an alignment identical to the plain table; --junit from real runs (success,
# failure with a line, skipped, SIGINT) validated by xmllint against tests/junit/junit.xsd and
# checked for counts and messages; GitHub workflow commands and their escaping against files whose
# names and messages hold %, :, , and line feeds, and the step summary file; the resource figures
# in the totals line, the JSON summary and --report.
# Usage: CSVBATCH=build/release/csvbatch bash tests/ci_integrations.sh   (prints PASS/FAIL per check)
set -u
export LC_ALL=C TZ=UTC
root=$(cd "$(dirname "$0")/.." && pwd)
BIN=${CSVBATCH:-$root/build/release/csvbatch}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
XSD=$root/tests/junit/junit.xsd
for tool in script xmllint python3 timeout mkfifo; do
    command -v "$tool" >/dev/null || { echo "ci_integrations: $tool is required" >&2; exit 2; }
done
W=$(mktemp -d /tmp/csvbatch-ci-XXXXXX)
trap 'rm -rf "$W"' EXIT
pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
check() { # NAME WHY COMMAND...: PASS when the command succeeds
    local name=$1 why=$2
    shift 2
    if "$@"; then ok "$name"; else ko "$name" "$why"; fi
}
# Runs csvbatch with a clean environment (no CI or colour variables of the caller's own), plus
# the VAR=VALUE words given before the arguments: cb [VAR=VALUE...] -- ARGS...
cb() {
    local envs=()
    while [ "$1" != -- ]; do envs+=("$1"); shift; done
    shift
    env -u NO_COLOR -u CLICOLOR_FORCE -u GITHUB_ACTIONS -u GITHUB_STEP_SUMMARY "${envs[@]}" \
        timeout 20 "$BIN" "$@"
}
# Under a pseudo-terminal: the command line is a shell string (redirections pick which stream
# is the terminal). The pty turns LF into CR LF: the CRs are dropped.
pty() { # OUTFILE SHELL-COMMAND
    script -qec "$2" /dev/null </dev/null | tr -d '\r' >"$1"
}
# Times vary: the Time cells and the totals line's figures become fixed ones of the same width.
norm() { sed -E 's/[0-9]\.[0-9]{3}s/0.000s/g; s/ in [0-9.]+ s \([0-9.]+ MB\/s\), peak [0-9.]+ MiB, CPU [0-9.]+ s user, [0-9.]+ s sys\./ in T./' "$1"; }
strip_sgr() { sed -E 's/\x1b\[[0-9;]*m//g' "$1"; }
has_esc() { grep -q $'\x1b' "$1"; }

# ---- Fixtures: a success, a failure at line 3, a FIFO (skipped), in one directory. ----
d=$W/run
mkdir -p "$d/data"
printf 'Name,ID,Status\nalice,1,Active\nbob,2,Inactive\n' >"$d/data/good.csv"
printf 'Name,ID,Status\na,1,Active\nb,2,Active,extra\n' >"$d/data/broken.csv"
mkfifo "$d/data/pipe.csv"
cd "$d" || exit 2
ARGS=(-n --no-progress --timestamp 2026-01-01T00:00:00Z data)
export BIN

# ---- Colour ----
# stdout a terminal, stderr a file: the Status cells coloured with the exact SGR bytes.
# A terminal wide enough for the whole table: a narrower one gets it fitted (tests/ux.sh).
pty "$W/tty.out" "stty cols 200; env -u NO_COLOR -u CLICOLOR_FORCE \"\$BIN\" ${ARGS[*]} 2>$W/tty.err"
cb -- --color never "${ARGS[@]}" >"$W/plain.out" 2>"$W/plain.err"
G=$'\x1b[32mSuccess\x1b[0m' R=$'\x1b[31mFailed\x1b[0m' Y=$'\x1b[33mSkipped\x1b[0m'
check color-tty-status-sgr "Status cells not green/red/yellow: $(sed -n 3,5p "$W/tty.out" | od -c | head -5)" \
    bash -c 'grep -qF -- "$1 " "$4" && grep -qF -- "$2  " "$4" && grep -qF -- "$3 " "$4"' _ "$G" "$R" "$Y" "$W/tty.out"
check color-tty-only-status "escape sequences outside the three Status cells" \
    test "$(grep -o $'\x1b\\[[0-9;]*m' "$W/tty.out" | wc -l)" -eq 6
check color-alignment "visible table differs from the uncoloured one" \
    cmp -s <(strip_sgr "$W/tty.out" | norm /dev/stdin) <(norm "$W/plain.out")
check color-stderr-file-plain "stderr was a file but got colour" bash -c '! grep -q $'"'"'\x1b'"'"' "$1"' _ "$W/tty.err"
# NO_COLOR (any non-empty value) and --color never: no colour on the terminal.
pty "$W/nc.out" "NO_COLOR=1 \"\$BIN\" ${ARGS[*]} 2>/dev/null"
check color-no-color "NO_COLOR=1 on a terminal still coloured" bash -c '! grep -q $'"'"'\x1b'"'"' "$1" && grep -q Success "$1"' _ "$W/nc.out"
pty "$W/never.out" "env -u NO_COLOR \"\$BIN\" --color never ${ARGS[*]} 2>/dev/null"
check color-never "--color never on a terminal still coloured" bash -c '! grep -q $'"'"'\x1b'"'"' "$1" && grep -q Success "$1"' _ "$W/never.out"
# Not a terminal: --color always and CLICOLOR_FORCE colour; NO_COLOR beats CLICOLOR_FORCE, not --color.
cb -- --color always "${ARGS[@]}" >"$W/always.out" 2>/dev/null
check color-always-pipe "--color always into a pipe not coloured" grep -qF -- "$G" "$W/always.out"
cb NO_COLOR=1 -- --color always "${ARGS[@]}" >"$W/always-nc.out" 2>/dev/null
check color-always-beats-no-color "--color always with NO_COLOR not coloured" grep -qF -- "$R" "$W/always-nc.out"
cb CLICOLOR_FORCE=1 -- "${ARGS[@]}" >"$W/force.out" 2>/dev/null
check color-clicolor-force "CLICOLOR_FORCE=1 into a pipe not coloured" grep -qF -- "$Y" "$W/force.out"
cb CLICOLOR_FORCE=1 NO_COLOR=1 -- "${ARGS[@]}" >"$W/force-nc.out" 2>/dev/null
check color-no-color-beats-force "NO_COLOR with CLICOLOR_FORCE coloured" bash -c '! grep -q $'"'"'\x1b'"'"' "$1"' _ "$W/force-nc.out"
cb CLICOLOR_FORCE=0 -- "${ARGS[@]}" >"$W/force0.out" 2>/dev/null
check color-clicolor-force-0 "CLICOLOR_FORCE=0 coloured" bash -c '! grep -q $'"'"'\x1b'"'"' "$1"' _ "$W/force0.out"
cb -- "${ARGS[@]}" >"$W/pipe.out" 2>"$W/pipe.err"
check color-auto-pipe "auto into a pipe coloured" cmp -s <(norm "$W/pipe.out") <(norm "$W/plain.out")
# stderr a terminal, stdout a file: the prefix bold, "notice:" bold cyan; stdout stays plain.
pty "$W/err.tty" "env -u NO_COLOR -u CLICOLOR_FORCE \"\$BIN\" ${ARGS[*]} >$W/err.stdout"
P=$'\x1b[1mcsvbatch:\x1b[0m ' N=$'\x1b[1;36mnotice:\x1b[0m '
check color-stderr-prefix "diagnostics not coloured on a terminal: $(od -c "$W/err.tty" | head -3)" \
    bash -c 'grep -qxF -- "$1data/broken.csv:3: expected 3 fields, found 4" "$3" && grep -qxF -- "$1$2data/pipe.csv: skipped: not a regular file (named pipe)" "$3"' _ "$P" "$N" "$W/err.tty"
check color-stderr-plain-text "coloured stderr differs from the plain one once the SGR is gone" \
    cmp -s <(strip_sgr "$W/err.tty") "$W/plain.err"
check color-streams-separate "stdout (a file) got colour because stderr is a terminal" \
    bash -c '! grep -q $'"'"'\x1b'"'"' "$1" && grep -q Success "$1"' _ "$W/err.stdout"
# CSV and JSON never carry colour, even with --color always.
cb -- --color always --format csv "${ARGS[@]}" >"$W/c.csv" 2>/dev/null
cb -- --color always --format json "${ARGS[@]}" >"$W/c.json" 2>/dev/null
check color-never-in-csv-json "CSV or JSON coloured" bash -c '! grep -q $'"'"'\x1b'"'"' "$1" "$2" && grep -q Failed "$1" && grep -q failed "$2"' _ "$W/c.csv" "$W/c.json"

# ---- JUnit ----
rm -f "$W"/*.xml
cb -- --junit "$W/r.xml" "${ARGS[@]}" >/dev/null 2>&1
rc=$?
check junit-exit "exit $rc, expected 1" test "$rc" -eq 1
if xmllint --noout --schema "$XSD" "$W/r.xml" >"$W/xmllint.out" 2>&1; then ok junit-schema; else ko junit-schema "$(cat "$W/xmllint.out")"; fi
if why=$(python3 - "$W/r.xml" 2>&1 <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
s = root.find("testsuite")
want = {"tests": "3", "failures": "1", "errors": "0", "skipped": "1"}
got = {k: s.get(k) for k in want}
if got != want or {k: root.get(k) for k in want} != want:
    sys.exit("counts %r, expected %r" % (got, want))
cases = {(c.get("classname"), c.get("name")): c for c in s.findall("testcase")}
if sorted(cases) != [("data", "broken.csv"), ("data", "good.csv"), ("data", "pipe.csv")]:
    sys.exit("cases %r" % sorted(cases))
f = cases["data", "broken.csv"].find("failure")
if f is None or f.get("message") != "line 3: expected 3 fields, found 4" or f.get("type") != "parse" \
        or f.text != "data/broken.csv:3: expected 3 fields, found 4":
    sys.exit("failure of broken.csv: %r %r" % (f is not None and f.attrib, f is not None and f.text))
sk = cases["data", "pipe.csv"].find("skipped")
if sk is None or sk.get("message") != "skipped: not a regular file (named pipe)":
    sys.exit("skipped of pipe.csv: %r" % (sk is not None and sk.attrib))
good = cases["data", "good.csv"]
if good.find("failure") is not None or good.find("skipped") is not None \
        or good.findtext("system-out") != "2 rows read, 1 written to data/good_processed.csv":
    sys.exit("good.csv: %r" % ET.tostring(good))
props = {p.get("name"): p.get("value") for p in s.find("properties")}
need = {"stamp": "2026-01-01T00:00:00Z", "dry_run": "true", "color": "auto", "annotations": "auto",
        "where": "Status=Active", "select": "Name,ID", "timeout": ""}
bad = {k: props.get(k) for k in need if props.get(k) != need[k]}
if bad or not props.get("junit", "").endswith("/r.xml"):
    sys.exit("properties wrong: %r of %r" % (bad, props))
EOF
); then ok junit-content; else ko junit-content "$why"; fi
check junit-no-temp "a temp file was left beside the report" test -z "$(find "$W" -maxdepth 1 -name '.r.xml.tmp*')"
# Every file succeeds: exit 0, zero failures; the report is still schema-valid.
cb -- --junit "$W/ok.xml" -n --no-progress data/good.csv >/dev/null 2>&1
rc=$?
check junit-success "exit $rc or not valid" bash -c '[ "$1" -eq 0 ] && xmllint --noout --schema "$2" "$3" 2>/dev/null && grep -q "tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\"" "$3"' _ "$rc" "$XSD" "$W/ok.xml"
# An unwritable path is a configuration error before any work: exit 2, no output written.
cb -- --junit "$W/missing/r.xml" --no-progress data/good.csv >/dev/null 2>"$W/junit-bad.err"
rc=$?
check junit-unwritable "exit $rc, stderr $(cat "$W/junit-bad.err")" \
    bash -c '[ "$1" -eq 2 ] && grep -q "^csvbatch: --junit: cannot write in" "$2" && [ ! -e data/good_processed.csv ]' _ "$rc" "$W/junit-bad.err"
cb -- --junit "$W" --no-progress data/good.csv >/dev/null 2>"$W/junit-dir.err"
rc=$?
check junit-directory "exit $rc for a directory" bash -c '[ "$1" -eq 2 ] && grep -q "is a directory" "$2"' _ "$rc" "$W/junit-dir.err"
# SIGINT: a FIFO given by name is read and never ends; the report is written, valid, the FIFO a failure.
mkfifo "$W/slow.csv"
(exec 3>"$W/slow.csv"; printf 'Name,ID,Status\n' >&3; sleep 8) &
writer=$!
timeout --foreground 20 "$BIN" -q --no-progress --junit "$W/int.xml" --timestamp 2026-01-01T00:00:00Z \
    data/good.csv "$W/slow.csv" >/dev/null 2>&1 &
run=$!
sleep 0.5
kill -INT "$run"
wait "$run"
rc=$?
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
check junit-sigint "exit $rc, or the report missing, invalid or without the interrupted file" \
    bash -c '[ "$1" -eq 130 ] && xmllint --noout --schema "$2" "$3" 2>/dev/null && grep -q "failures=\"1\"" "$3" && grep -q "message=\"interrupted\"" "$3"' _ "$rc" "$XSD" "$W/int.xml"

# ---- GitHub workflow commands and the step summary ----
g=$W/gh
mkdir -p "$g/data"
printf '"Fu%%ll\nNa:me",ID,Status\nx,1,Active\n' >"$g/data/h%d:1,2.csv"
printf 'Name,ID,Status\na,1,Active\nb,2,Active,x\n' >"$g/data/new"$'\n'"line.csv"
cp "$d/data/good.csv" "$g/data/"
mkfifo "$g/data/p.csv"
cd "$g" || exit 2
printf 'previous step\n' >"$W/summary.md"
cb GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$W/summary.md" -- -n --no-progress data >"$W/gh.out" 2>"$W/gh.err"
cat >"$W/gh.want" <<'EOF'
::error file=data/h%25d%3A1%2C2.csv,line=1,title=csvbatch::expected a column named 'Name' (output), found header: "Fu%25ll%0ANa:me",ID,Status
::error file=data/new%0Aline.csv,line=3,title=csvbatch::expected 3 fields, found 4
::notice file=data/p.csv,title=csvbatch::skipped: not a regular file (named pipe)
EOF
check github-commands "workflow commands differ: $(diff "$W/gh.want" <(grep '^::' "$W/gh.err"))" \
    cmp -s "$W/gh.want" <(grep '^::' "$W/gh.err")
check github-plain-diagnostics-kept "the plain diagnostics are gone" \
    grep -qxF 'csvbatch: data/new\nline.csv:3: expected 3 fields, found 4' "$W/gh.err"
check github-stdout-untouched "workflow commands on stdout" bash -c '! grep -q "^::" "$1"' _ "$W/gh.out"
if why=$(python3 - "$W/summary.md" 2>&1 <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
if not text.startswith("previous step\n"):
    sys.exit("the summary file was not appended to: %r" % text[:40])
body = text[len("previous step\n"):]
lines = body.split("\n")
if lines[0] != "## csvbatch: 2 of 4 files failed":
    sys.exit("heading %r" % lines[0])
rows = [l for l in lines if l.startswith("| ") and not l.startswith("| File") and not l.startswith("| ---")]
if len(rows) != 4:
    sys.exit("%d rows, expected 4: %r" % (len(rows), rows))
if not (rows[0].startswith("| data/h%d:1,2.csv | Failed |") and rows[1].startswith("| data/new\\\\nline.csv | Failed |")):
    sys.exit("failures not first, or names not escaped: %r" % rows[:2])
if not re.search(r"\| data/good\.csv \| Success \| 2 read, 1 written \| data/good\\_processed\.csv \|", body):
    sys.exit("good.csv row missing: %r" % rows)
if "4 files: 1 succeeded, 2 failed, 1 skipped." not in body or not re.search(r"Peak memory [0-9.]+ MiB, CPU time", body):
    sys.exit("totals or resource figures missing: %r" % body[-200:])
EOF
); then ok github-step-summary; else ko github-step-summary "$why"; fi
cb -- --annotations github -n --no-progress data >/dev/null 2>"$W/gh2.err"
check github-forced "--annotations github without GITHUB_ACTIONS printed no commands" cmp -s "$W/gh.want" <(grep '^::' "$W/gh2.err")
cb GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$W/none.md" -- --annotations none -n --no-progress data >/dev/null 2>"$W/gh3.err"
check github-none "--annotations none still printed commands or a summary" bash -c '! grep -q "^::" "$1" && [ ! -e "$2" ]' _ "$W/gh3.err" "$W/none.md"
cb GITHUB_ACTIONS=false -- -n --no-progress data >/dev/null 2>"$W/gh4.err"
check github-auto-off "GITHUB_ACTIONS=false printed commands" bash -c '! grep -q "^::" "$1"' _ "$W/gh4.err"

# ---- Resource figures ----
cd "$d" || exit 2
cb -- --no-progress --timestamp 2026-01-01T00:00:00Z --report "$W/rep.json" data/good.csv >"$W/t.out" 2>/dev/null
check rusage-totals-line "totals line: $(tail -n 1 "$W/t.out")" \
    grep -qE '^1 file: 1 succeeded, 0 failed, 0 skipped\. 2 rows read, 1 written\. [0-9]+ B read, [0-9]+ B written in [0-9]+\.[0-9]{3} s \([0-9]+\.[0-9] MB/s\), peak [0-9]+\.[0-9] MiB, CPU [0-9]+\.[0-9]{2} s user, [0-9]+\.[0-9]{2} s sys\.$' "$W/t.out"
cb -- -n --no-progress --format json data/good.csv >"$W/t.json" 2>/dev/null
if why=$(python3 - "$W/t.json" "$W/rep.json" 2>&1 <<'EOF'
import json, sys
for path in sys.argv[1:]:
    t = json.load(open(path))["totals"]
    keys = list(t)[-3:]
    if keys != ["peak_rss_bytes", "cpu_user_seconds", "cpu_system_seconds"]:
        sys.exit("%s: totals end with %r" % (path, keys))
    peak, user, system = (t[k] for k in keys)
    if not (isinstance(peak, int) and 1 << 20 <= peak < 1 << 34):
        sys.exit("%s: peak_rss_bytes %r not plausible" % (path, peak))
    for v in (user, system):
        if not (isinstance(v, float) and 0 <= v < 60):
            sys.exit("%s: CPU seconds %r not plausible" % (path, v))
EOF
); then ok rusage-json; else ko rusage-json "$why"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
